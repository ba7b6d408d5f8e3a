/** `langbot-ext validate`: the checks the kernel makes before it runs an extension, plus that it bundles. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkBundles } from './build.js';
import { BuildError } from './errors.js';
import { readProjectManifest, shown } from './project.js';

export async function validateProject(dir: string): Promise<{ ok: boolean; issues: string[] }> {
  const { project, issues } = await readProjectManifest(dir);
  if (!project) return { ok: false, issues };
  const manifest = shown(project.manifestFile);
  const missing = (path: string | undefined, pointer: string, what: string) => {
    if (path && !existsSync(resolve(project.dir, path))) issues.push(`${manifest}: ${pointer}: ${what} '${path}' does not exist.`);
  };
  missing(project.manifest.entry, '/entry', 'The entry');
  missing(project.manifest.icon, '/icon', 'The icon');
  (project.manifest.contributes.pages ?? []).forEach((page, i) => missing(page.entry, `/contributes/pages/${i}/entry`, 'The page'));
  if (project.entryFile && existsSync(project.entryFile)) {
    try {
      await checkBundles(project);
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      issues.push(...error.problems);
    }
  }
  return { ok: issues.length === 0, issues };
}
