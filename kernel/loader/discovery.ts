import { readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MANIFEST_FILE_NAMES } from '../manifest/index.js';

export type ExtensionSource = 'builtin' | 'dropin';
export interface FoundExtension {
  dir: string;
  source: ExtensionSource;
}

/** Which version of each versioned drop-in is the active one (kernel state `extensions[id].version`). */
export type ActiveVersion = (id: string) => string | undefined;

const hasManifest = (dir: string) => MANIFEST_FILE_NAMES.some((n) => existsSync(join(dir, n)));

/** `<id>@<version>` (split at the last `@`): a version installed from a registry, next to the other versions of it. */
export function versionedFolder(name: string): { id: string; version: string } | undefined {
  const at = name.lastIndexOf('@');
  if (at <= 0 || at === name.length - 1) return undefined;
  return { id: name.slice(0, at), version: name.slice(at + 1) };
}

/** Folders the marketplace switches explicitly, so discovery and the watcher leave them alone. */
export const isStagingFolder = (name: string) => name.startsWith('.staging-');

async function subdirs(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    // `langbot-ext dev` links a project folder in: a symlink's Dirent is not a directory, what it points to may be.
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(join(dir, e.name)).catch(() => undefined))?.isDirectory());
    if (isDir) names.push(e.name);
  }
  // Sorted, so that discovery (and which of two providers of a service comes first) never depends on the file system.
  return names.sort().map((name) => join(dir, name));
}

/**
 * Built-in extensions live in `extensions/<kind>/<name>/` (or directly in `extensions/<name>/`); drop-ins in
 * `<data>/extensions/<name>/`. A folder counts when it holds a manifest file. Of the versioned drop-ins
 * `<id>@<version>/`, only the one whose version `activeVersion(id)` names counts.
 */
export async function discoverExtensions(roots: { builtin?: string; dropin?: string }, activeVersion: ActiveVersion = () => undefined): Promise<FoundExtension[]> {
  const found: FoundExtension[] = [];
  if (roots.builtin) {
    for (const dir of await subdirs(roots.builtin)) {
      if (hasManifest(dir)) found.push({ dir, source: 'builtin' });
      else for (const inner of await subdirs(dir)) if (hasManifest(inner)) found.push({ dir: inner, source: 'builtin' });
    }
  }
  if (roots.dropin) {
    for (const dir of await subdirs(roots.dropin)) {
      const versioned = versionedFolder(basename(dir));
      if (versioned && activeVersion(versioned.id) !== versioned.version) continue;
      if (hasManifest(dir)) found.push({ dir, source: 'dropin' });
    }
  }
  return found;
}
