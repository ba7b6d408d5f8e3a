/** An extension project on disk: its folder and validated manifest. */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { formatIssue, readManifest, type ExtensionManifest } from '../../kernel/manifest/index.js';
import { CliError } from './errors.js';

export interface Project {
  dir: string;
  manifestFile: string;
  manifest: ExtensionManifest;
  /** Absolute path of the manifest's `entry`, when it has one. */
  entryFile?: string;
}

/** The manifest's problems as `file: /json/path: message` lines (file shown relative to the working folder). */
export async function readProjectManifest(dir: string): Promise<{ project?: Project; issues: string[] }> {
  dir = resolve(dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { issues: [`${dir} is not a folder.`] };
  const result = await readManifest(dir);
  if (!result.ok) return { issues: result.issues.map((issue) => formatIssue({ ...issue, file: shown(issue.file) })) };
  const manifest = result.manifest;
  const entryFile = manifest.entry ? resolve(dir, manifest.entry) : undefined;
  return { project: { dir, manifestFile: result.file, manifest, entryFile }, issues: [] };
}

/** The project, or a CliError listing what is wrong with its manifest. */
export async function loadProject(dir: string): Promise<Project> {
  const { project, issues } = await readProjectManifest(dir);
  if (!project) throw new CliError(`The manifest is invalid:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  return project;
}

/** A path as the author would type it: relative to the working folder when inside it. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
