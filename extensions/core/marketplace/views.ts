/** The marketplace as the console shows it: registry entries joined with install records and the kernel's extension states. */
import semver from 'semver';
import type { IndexEntry, IndexVersion, RegistryIndex } from '../../../marketplace/index-format.js';
import { worksWith } from '../../../marketplace/installer/select-version.js';
import type { InstallRecord } from '../../../marketplace/installer/types.js';
import { missingPermissions } from '@langbot-ts/sdk';

/** What the kernel's `extensions.list` says about one extension (the fields used here). */
export interface KernelExtension {
  id: string;
  version: string | null;
  state: string;
  reason: string;
}

export interface Installs {
  records: Map<string, InstallRecord>;
  kernel: Map<string, KernelExtension>;
  kernelApiVersion: string;
}

export const compatible = (version: IndexVersion, kernelApiVersion: string) => worksWith(kernelApiVersion, version.engines.langbot);

export const latestOf = (entry: IndexEntry): IndexVersion => entry.versions.find((v) => v.version === entry.latest) ?? entry.versions[0];

/** A newer version this kernel can run than the installed one. */
function updateAvailable(entry: IndexEntry, installed: string, kernelApiVersion: string): boolean {
  if (!semver.valid(installed)) return false;
  return entry.versions.some((v) => semver.valid(v.version) !== null && semver.gt(v.version, installed) && compatible(v, kernelApiVersion));
}

export function listItem(entry: IndexEntry, installs: Installs) {
  const record = installs.records.get(entry.id);
  return {
    id: entry.id,
    display_name: entry.displayName,
    description: entry.description,
    author: entry.author,
    categories: entry.categories,
    kinds: entry.kinds,
    latest_version: entry.latest,
    installed_version: record?.version ?? null,
    update_available: record ? updateAvailable(entry, record.version, installs.kernelApiVersion) : false,
    state: record ? (installs.kernel.get(entry.id)?.state ?? null) : null,
  };
}

export function details(entry: IndexEntry, installs: Installs) {
  const latest = latestOf(entry);
  const record = installs.records.get(entry.id);
  const running = installs.kernel.get(entry.id);
  return {
    ...listItem(entry, installs),
    license: entry.license,
    repository: entry.repository,
    keywords: entry.keywords,
    readme: latest.readme ?? null,
    isolation: latest.isolation,
    permissions: latest.permissions,
    contributes: latest.contributes,
    versions: entry.versions.map((v) => ({
      version: v.version,
      published_at: v.publishedAt,
      compatible: compatible(v, installs.kernelApiVersion),
      permissions: v.permissions,
      size: v.package.size,
    })),
    installed: record
      ? {
          version: record.version,
          previous_versions: record.previous,
          approved_permissions: record.approvedPermissions,
          state: running?.state ?? null,
          reason: running?.reason ?? null,
        }
      : null,
    new_permissions: record ? missingPermissions(latest.permissions, record.approvedPermissions) : [],
    required_permissions: missingPermissions(latest.permissions, undefined),
  };
}

const sortedUnion = (lists: string[][]) => [...new Set(lists.flat())].sort();

/** Every kind and category in the index, for the console's filters. */
export const facets = (index: RegistryIndex) => ({
  kinds: sortedUnion(index.extensions.map((e) => e.kinds)),
  categories: sortedUnion(index.extensions.map((e) => e.categories)),
});
