import { CONTRIBUTION_POINTS, contributionKey, type I18nString } from '../kernel/manifest/index.js';
import type { ExtensionPackage } from '../sdk/packaging/index.js';
import { MAX_README_BYTES, type I18n, type IndexEntry, type IndexVersion } from './index-format.js';

/** Icons small enough to inline into the index as data: URLs. */
const MAX_ICON_BYTES = 32 * 1024;
const ICON_TYPES: Record<string, string> = { png: 'image/png', svg: 'image/svg+xml', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/** One version's index record, from its package. */
export function versionOf(pkg: ExtensionPackage, path: string, publishedAt: string): IndexVersion {
  const { manifest } = pkg;
  const contributes: Record<string, string[]> = {};
  for (const point of CONTRIBUTION_POINTS) {
    const entries = (manifest.contributes[point] ?? []) as unknown[];
    if (entries.length === 0) continue;
    contributes[point] = entries.map((entry, i) =>
      point === 'eventListeners' ? (entry as { events: string[] }).events.join(', ') : contributionKey(point, entry, i),
    );
  }
  return {
    version: manifest.version,
    engines: { langbot: manifest.engines.langbot },
    isolation: manifest.isolation,
    permissions: manifest.permissions,
    contributes,
    package: { path, sha256: pkg.sha256, size: pkg.size },
    readme: pkg.readme === undefined ? null : cut(pkg.readme),
    publishedAt,
  };
}

/** An extension's index entry; its descriptive fields come from the latest version. */
export function entryOf(latest: ExtensionPackage, versions: IndexVersion[]): IndexEntry {
  const { manifest } = latest;
  return {
    id: manifest.id,
    displayName: i18n(manifest.displayName),
    description: i18n(manifest.description ?? ''),
    author: manifest.author ?? null,
    license: manifest.license ?? null,
    repository: manifest.repository ?? null,
    icon: iconOf(latest),
    categories: manifest.categories ?? [],
    keywords: manifest.keywords ?? [],
    kinds: Object.keys(versions[0].contributes),
    latest: manifest.version,
    versions,
  };
}

function i18n(value: I18nString): I18n {
  if (typeof value === 'string') return { en_US: value };
  const result: Record<string, string> = { en_US: value.en_US };
  for (const [locale, text] of Object.entries(value)) if (text !== undefined) result[locale] = text;
  return result as I18n;
}

/** The README cut to MAX_README_BYTES of UTF-8 (never in the middle of a character). */
function cut(readme: string): string {
  const bytes = Buffer.from(readme, 'utf8');
  if (bytes.length <= MAX_README_BYTES) return readme;
  return bytes.subarray(0, MAX_README_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
}

function iconOf(pkg: ExtensionPackage): string | null {
  const icon = pkg.manifest.icon;
  if (icon === undefined) return null;
  if (/^https:\/\//i.test(icon)) return icon;
  const bytes = pkg.files.get(icon.replace(/^\.\//, ''));
  const type = ICON_TYPES[icon.split('.').pop()!.toLowerCase()];
  if (!bytes || !type || bytes.length > MAX_ICON_BYTES) return null;
  return `data:${type};base64,${bytes.toString('base64')}`;
}
