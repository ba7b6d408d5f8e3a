import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import semver from 'semver';
import type { ExtensionState as StoredExtension } from '../config/state-store.js';
import { discoverExtensions } from '../loader/discovery.js';
import { KERNEL_API_VERSION } from '../loader/manager.js';
import { recordId, type ExtensionRecord } from '../loader/record.js';
import { readManifest } from '../manifest/index.js';
import { didYouMean } from '../manifest/issues.js';
import { REPO_ROOT } from '../paths.js';
import { loadProfile, profileEnables, type DeploymentProfile } from '../profile.js';
import { readStatus, type ExtensionStatus, type KernelStatus } from '../status/status-file.js';
import { CliError } from './output.js';

import { CORE_SERVICE_NAMES } from '../services/core-service.js';

export const KERNEL_SERVICES: readonly string[] = CORE_SERVICE_NAMES;
export const BUILTIN_ROOT = join(REPO_ROOT, 'extensions');

/** One extension folder as the CLI sees it, without running its code. */
export interface Entry extends Pick<ExtensionRecord, 'id' | 'dir' | 'source' | 'manifestFile' | 'manifest' | 'issues' | 'enabled'> {
  /** Why `enabled` has its value. */
  enabledBy: 'kernel.json' | 'profile' | 'drop-in';
  /** Live state from the running kernel, or invalid / disabled / not running. */
  state: string;
  reason: string;
  live?: ExtensionStatus;
}

export interface Inventory {
  dataDir: string;
  profile: DeploymentProfile;
  status?: KernelStatus;
  entries: Entry[];
}

export const loadNamedProfile = (name: string) => loadProfile(join(REPO_ROOT, 'manifests', 'profiles'), name);

/** The `extensions` of `<data>/kernel.json`, read without creating or repairing anything. */
export function storedExtensions(dataDir: string): Record<string, StoredExtension> {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'kernel.json'), 'utf8')).extensions ?? {};
  } catch {
    return {};
  }
}

export async function takeInventory(dataDir: string, profileName?: string): Promise<Inventory> {
  dataDir = resolve(dataDir);
  const status = readStatus(dataDir);
  const profile = await loadNamedProfile(profileName ?? status?.profile ?? 'full');
  const stored = storedExtensions(dataDir);
  const entries: Entry[] = [];
  for (const found of await discoverExtensions({ builtin: BUILTIN_ROOT, dropin: join(dataDir, 'extensions') }, (id) => stored[id]?.version)) {
    const result = await readManifest(found.dir);
    let id = recordId(result.manifest, found.dir);
    if (entries.some((e) => e.id === id)) id = `${id}@${found.dir}`;
    const inProfile = profileEnables(profile, id);
    const storedEnabled = stored[id]?.enabled;
    // The live state of an invalid manifest adds nothing to its issues.
    const live = result.manifest ? status?.extensions[id] : undefined;
    entries.push({
      id,
      dir: found.dir,
      source: found.source,
      manifestFile: result.file,
      manifest: result.manifest,
      issues: result.issues,
      enabled: live?.enabled ?? storedEnabled ?? (found.source === 'dropin' || inProfile),
      enabledBy: storedEnabled !== undefined ? 'kernel.json' : found.source === 'dropin' ? 'drop-in' : 'profile',
      state: '',
      reason: '',
      live,
    });
  }
  const inventory = { dataDir, profile, status, entries };
  for (const entry of entries) Object.assign(entry, offlineState(entry, inventory));
  for (const entry of entries) if (entry.live) Object.assign(entry, { state: entry.live.state, reason: entry.live.reason });
  return inventory;
}

/** Everything that keeps an extension from running, judged from its manifest, kernel.json and the profile. */
export function problems(entry: Entry, inventory: Inventory): string[] {
  const { manifest } = entry;
  if (!manifest) return [`Invalid manifest (${entry.issues.length} issue${entry.issues.length === 1 ? '' : 's'}).`];
  const found: string[] = [];
  if (!entry.enabled) {
    found.push(entry.enabledBy === 'kernel.json' ? 'Disabled in kernel.json.' : `Not in profile '${inventory.profile.name}'.`);
  }
  if (!semver.satisfies(KERNEL_API_VERSION, manifest.engines.langbot, { includePrerelease: true })) {
    found.push(`Needs kernel API ${manifest.engines.langbot}; this kernel provides ${KERNEL_API_VERSION}.`);
  }
  const provided = new Set(KERNEL_SERVICES);
  for (const other of inventory.entries) {
    if (other.enabled && other.manifest) for (const name of other.manifest.services?.provides ?? []) provided.add(name);
  }
  const missing = (manifest.services?.requires ?? []).filter((name) => !provided.has(name));
  if (missing.length) found.push(`Requires service${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}, which no enabled extension provides.`);
  return found;
}

function offlineState(entry: Entry, inventory: Inventory): { state: string; reason: string } {
  const found = problems(entry, inventory);
  const state = !entry.manifest ? 'invalid' : !entry.enabled ? 'disabled' : 'not running';
  const running = inventory.status ? `The running kernel (pid ${inventory.status.pid}) has not loaded it yet.` : 'No kernel is running.';
  return { state, reason: found.join(' ') || running };
}

/** Finds an extension by id, by `invalid:<folder>`, or by folder name; otherwise fails with a suggestion. */
export function findEntry(inventory: Inventory, query: string): Entry {
  const { entries } = inventory;
  const hit = entries.find((e) => e.id === query) ?? entries.find((e) => basename(e.dir) === query);
  if (hit) return hit;
  const guess = didYouMean(query, [...entries.map((e) => e.id), ...entries.map((e) => basename(e.dir))]);
  const hint = guess ? ` Did you mean '${guess}'?` : ' Run `langbot ext list` to see what is installed.';
  throw new CliError(`No extension '${query}'.${hint}`);
}
