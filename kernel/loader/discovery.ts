import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE_NAMES } from '../manifest/index.js';

export type ExtensionSource = 'builtin' | 'dropin';
export interface FoundExtension {
  dir: string;
  source: ExtensionSource;
}

const hasManifest = (dir: string) => MANIFEST_FILE_NAMES.some((n) => existsSync(join(dir, n)));

async function subdirs(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  // Sorted, so that discovery (and which of two providers of a service comes first) never depends on the file system.
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Built-in extensions live in `extensions/<kind>/<name>/` (or directly in `extensions/<name>/`); drop-ins in
 * `<data>/extensions/<name>/`. A folder counts when it holds a manifest file.
 */
export async function discoverExtensions(roots: { builtin?: string; dropin?: string }): Promise<FoundExtension[]> {
  const found: FoundExtension[] = [];
  if (roots.builtin) {
    for (const dir of await subdirs(roots.builtin)) {
      if (hasManifest(dir)) found.push({ dir, source: 'builtin' });
      else for (const inner of await subdirs(dir)) if (hasManifest(inner)) found.push({ dir: inner, source: 'builtin' });
    }
  }
  if (roots.dropin) {
    for (const dir of await subdirs(roots.dropin)) if (hasManifest(dir)) found.push({ dir, source: 'dropin' });
  }
  return found;
}
