import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIssue, MANIFEST_FILE_NAMES, readManifest } from '../../kernel/manifest/index.js';
import { createPackage } from './create.js';
import { PackageError } from './errors.js';
import { readPackage } from './read.js';

export interface PackDirectoryOptions {
  outDir: string;
  /** Called with each file's posix path relative to `dir` (after the fixed exclusions); false leaves it out. */
  filter?: (relPath: string) => boolean;
}

/** Left out always: dependencies, VCS data, dotfiles and earlier packages. */
const excluded = (name: string) => name === 'node_modules' || name.startsWith('.') || name.endsWith('.tgz');

/** Packs the extension folder `dir` into `<outDir>/<id>-<version>.tgz` and checks the result reads back. */
export async function packDirectory(
  dir: string,
  options: PackDirectoryOptions,
): Promise<{ file: string; sha256: string; size: number; id: string; version: string }> {
  const manifest = await readManifest(dir);
  if (!manifest.ok) {
    const missing = !MANIFEST_FILE_NAMES.some((name) => existsSync(join(dir, name)));
    throw new PackageError(missing ? 'missing_manifest' : 'invalid_manifest', `The manifest is invalid: ${manifest.issues.map(formatIssue).join('; ')}`, {
      issues: manifest.issues,
    });
  }
  const files = new Map<string, Uint8Array>();
  await collect(dir, '', files, options.filter ?? (() => true));
  const bytes = await createPackage(files);
  const pkg = await readPackage(bytes);
  const { id, version } = pkg.manifest;
  await mkdir(options.outDir, { recursive: true });
  const file = join(options.outDir, `${id}-${version}.tgz`);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, file);
  return { file, sha256: pkg.sha256, size: pkg.size, id, version };
}

async function collect(root: string, prefix: string, files: Map<string, Uint8Array>, filter: (relPath: string) => boolean): Promise<void> {
  const names = (await readdir(join(root, prefix))).sort();
  for (const name of names) {
    if (excluded(name)) continue;
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    const stat = await lstat(join(root, rel));
    if (stat.isDirectory()) await collect(root, rel, files, filter);
    else if (!stat.isFile()) {
      throw new PackageError('unsafe_entry', `${rel} is not a regular file (symbolic links and devices cannot be packed).`, { entry: rel });
    } else if (filter(rel)) files.set(rel, await readFile(join(root, rel)));
  }
}
