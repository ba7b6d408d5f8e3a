import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkNoCollisions, checkRelativePath } from './paths.js';
import type { ExtensionPackage } from './read.js';

/** Writes the package's files under `dir`, which must not exist yet (its parent is created if needed). */
export async function extractPackage(pkg: ExtensionPackage, dir: string): Promise<void> {
  for (const path of pkg.files.keys()) checkRelativePath(path);
  checkNoCollisions(pkg.files.keys());
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir);
  for (const [path, bytes] of pkg.files) {
    const target = join(dir, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes, { flag: 'wx' });
  }
}
