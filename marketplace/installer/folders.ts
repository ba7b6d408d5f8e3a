import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { extractPackage, type ExtensionPackage } from '../../sdk/packaging/index.js';

/** The drop-in folder of one installed version: `<data>/extensions/<id>@<version>`. */
export const versionDir = (extensionsDir: string, id: string, version: string) => join(extensionsDir, `${id}@${version}`);

/** Versions of `id` with a folder `<id>@<version>` (split at the last `@`). */
export async function versionFolders(extensionsDir: string, id: string): Promise<string[]> {
  const entries = await readdir(extensionsDir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  const versions: string[] = [];
  for (const entry of entries) {
    const at = entry.name.lastIndexOf('@');
    if (entry.isDirectory() && at > 0 && entry.name.slice(0, at) === id) versions.push(entry.name.slice(at + 1));
  }
  return versions;
}

/**
 * Extracts the package into `.staging-<random>` and renames it to `<id>@<version>`, so the kernel never sees
 * a half-written version folder. A leftover folder of that name (one no record knows) is replaced.
 */
export async function stagePackage(pkg: ExtensionPackage, extensionsDir: string): Promise<string> {
  const { id, version } = pkg.manifest;
  await mkdir(extensionsDir, { recursive: true });
  const staging = join(extensionsDir, `.staging-${randomBytes(6).toString('hex')}`);
  const target = versionDir(extensionsDir, id, version);
  try {
    await extractPackage(pkg, staging);
    if (existsSync(target)) await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}

/** Deletes every `<id>@<version>` folder whose version is not in `keep`. */
export async function removeVersionFolders(extensionsDir: string, id: string, keep: readonly string[] = []): Promise<void> {
  for (const version of await versionFolders(extensionsDir, id)) {
    if (!keep.includes(version)) await rm(versionDir(extensionsDir, id, version), { recursive: true, force: true });
  }
}
