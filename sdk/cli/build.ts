/** `langbot-ext build`: bundles the manifest's entry into one file, as a package carries it. */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { BuildOptions, Message } from 'esbuild';
import { BuildError, CliError } from './errors.js';
import { REPO_NODE_MODULES } from './paths.js';
import { loadProject, shown, type Project } from './project.js';

export const BUILT_ENTRY = 'dist/extension.js';

/**
 * The SDK stays an import: the kernel's bundler resolves `@langbot-ts/sdk` to its own copy when it loads the
 * extension. Other dependencies are bundled in, from the project's node_modules or the kernel's.
 */
function bundleOptions(project: Project): BuildOptions {
  const isolate = project.manifest.isolation === 'isolate';
  return {
    entryPoints: [project.entryFile!],
    bundle: true,
    format: 'esm',
    platform: isolate ? 'neutral' : 'node',
    mainFields: isolate ? ['module', 'main'] : undefined,
    target: isolate ? 'es2022' : 'node20',
    external: ['@langbot-ts/sdk', '@langbot-ts/sdk/*'],
    nodePaths: [REPO_NODE_MODULES],
    absWorkingDir: project.dir,
    keepNames: true,
    legalComments: 'inline',
    logLevel: 'silent',
  };
}

const describeMessage = (dir: string, m: Message) =>
  m.location ? `${shown(resolve(dir, m.location.file))}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text;

async function bundle(project: Project, extra: BuildOptions): Promise<void> {
  const { build } = await import('esbuild');
  try {
    await build({ ...bundleOptions(project), ...extra });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (errors?.length) throw new BuildError(errors.map((m) => describeMessage(project.dir, m)));
    throw error;
  }
}

/** Fails with file:line:column for each problem; writes nothing. */
export async function checkBundles(project: Project): Promise<void> {
  await bundle(project, { write: false, outfile: join(project.dir, BUILT_ENTRY) });
}

export async function buildProject(dir: string, options: { outFile?: string } = {}): Promise<{ file: string; bytes: number }> {
  const project = await loadProject(dir);
  if (!project.entryFile) throw new CliError(`${shown(project.manifestFile)} has no 'entry': there is no code to build (an extension of only pages needs none).`);
  const file = resolve(project.dir, options.outFile ?? BUILT_ENTRY);
  await mkdir(dirname(file), { recursive: true });
  await bundle(project, { outfile: file });
  return { file, bytes: (await stat(file)).size };
}
