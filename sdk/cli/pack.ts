/** `langbot-ext pack`: build, then a package of what the kernel needs (no sources, no tests). */
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join, posix, relative, resolve, sep } from 'node:path';
import { parseDocument, type Scalar } from 'yaml';
import { createPackage, readPackage } from '../packaging/index.js';
import { BUILT_ENTRY, buildProject } from './build.js';
import { CliError } from './errors.js';
import { loadProject, shown, type Project } from './project.js';

export interface PackResult {
  file: string;
  sha256: string;
  size: number;
  id: string;
  version: string;
}

const LICENSE = /^(LICEN[CS]E|COPYING)(\.(md|txt))?$/i;

export async function packProject(dir: string, options: { outDir: string }): Promise<PackResult> {
  const project = await loadProject(dir);
  const files = new Map<string, Uint8Array>();
  if (project.entryFile) files.set(BUILT_ENTRY, await readFile((await buildProject(project.dir)).file));
  const manifestName = basename(project.manifestFile);
  files.set(manifestName, await packedManifest(project));
  for (const name of await readdir(project.dir)) {
    if (name === 'README.md' || LICENSE.test(name)) files.set(name, await readFile(join(project.dir, name)));
  }
  const { icon, contributes } = project.manifest;
  // Folders of static files the manifest points at: the icon, assets/, and each page's folder.
  const wanted = ['assets', ...(icon ? [icon] : []), ...(contributes.pages ?? []).map((p) => pageFolder(p.entry))];
  for (const path of wanted) await collect(project.dir, posix.normalize(path), files);
  const bytes = await createPackage(files);
  // Reading it back applies every check an installer makes, so a package this writes is one a registry accepts.
  const pkg = await readPackage(bytes);
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `${pkg.manifest.id}-${pkg.manifest.version}.tgz`);
  await writeFile(`${file}.tmp`, bytes);
  await rename(`${file}.tmp`, file);
  return { file, sha256: pkg.sha256, size: pkg.size, id: pkg.manifest.id, version: pkg.manifest.version };
}

/** A page's folder holds its scripts and styles; a page at the top level brings only its own file. */
function pageFolder(entry: string): string {
  const path = posix.normalize(entry.replace(/\\/g, '/'));
  const folder = posix.dirname(path);
  return folder === '.' ? path : folder;
}

/** The manifest with `entry` pointing at the bundle (comments and layout kept). */
async function packedManifest(project: Project): Promise<Buffer> {
  const text = await readFile(project.manifestFile, 'utf8');
  if (!project.entryFile) return Buffer.from(text);
  if (project.manifestFile.endsWith('.json')) {
    return Buffer.from(`${JSON.stringify({ ...JSON.parse(text), entry: `./${BUILT_ENTRY}` }, null, 2)}\n`);
  }
  // Only the value is replaced, so the rest of the file stays byte for byte what the author wrote.
  const node = parseDocument(text).get('entry', true) as Scalar | undefined;
  if (!node?.range) throw new CliError(`${shown(project.manifestFile)}: /entry: cannot locate the entry to point it at the bundle.`);
  return Buffer.from(`${text.slice(0, node.range[0])}./${BUILT_ENTRY}${text.slice(node.range[1])}`);
}

/** Adds a file, or a folder's files (dotfiles, sources and tests left out), by posix path relative to the project. */
async function collect(root: string, rel: string, files: Map<string, Uint8Array>): Promise<void> {
  if (rel === '.' || rel.startsWith('..')) return;
  const path = join(root, ...rel.split('/'));
  if (!existsSync(path)) return;
  const stat = await lstat(path);
  if (stat.isSymbolicLink()) throw new CliError(`${rel} is a symbolic link; a package holds only regular files.`);
  if (stat.isFile()) {
    files.set(rel, await readFile(path));
    return;
  }
  for (const name of await readdir(path)) {
    if (name.startsWith('.') || name === 'node_modules' || /\.(test\.)?[cm]?tsx?$/.test(name)) continue;
    await collect(root, relative(root, join(path, name)).split(sep).join('/'), files);
  }
}
