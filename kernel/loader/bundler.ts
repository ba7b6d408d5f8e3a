import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { runtimeSource } from '../hosts/runtime-files.js';
import { REPO_ROOT } from '../paths.js';

export type BundleTarget = 'node' | 'isolate';

/** Part of every cache key: bump it when the bundle options change, so no bundle made the old way is reused. */
const BUNDLE_FORMAT = 5;

const repoRoot = REPO_ROOT;
const jsonrpcCore = createRequire(import.meta.url).resolve('vscode-jsonrpc/lib/common/api.js');
const sdkEntry = [join(repoRoot, 'sdk/index.ts'), join(repoRoot, 'sdk/index.js')].find(existsSync);

export class BundleError extends Error {
  constructor(
    readonly file: string,
    readonly errors: { text: string; location?: { file: string; line: number; column: number } | null }[],
  ) {
    super(
      `Could not bundle ${file}: ` +
        errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('; '),
    );
    this.name = 'BundleError';
  }
}

/** A cheap fingerprint of a folder's sources (names, sizes, mtimes), so unchanged extensions reuse their bundle. */
async function fingerprint(dir: string, extra: string): Promise<string> {
  const hash = createHash('sha256').update(extra);
  const walk = async (d: string): Promise<void> => {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else {
        const s = await stat(p);
        hash.update(`${relative(dir, p)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  await walk(dir);
  return hash.digest('hex').slice(0, 16);
}

const lockfile = join(repoRoot, 'package-lock.json');

/** Size and mtime of every input esbuild read from outside the extension folder and node_modules (the SDK, the kernel API, shared libraries). */
async function outsideInputs(dir: string, inputs: string[]): Promise<[string, number, number][]> {
  const files = inputs
    .map((input) => resolve(dir, input))
    .filter((file) => !file.startsWith(dir + sep) && !file.includes(`${sep}node_modules${sep}`) && existsSync(file));
  return Promise.all(files.map(async (file) => {
    const s = await stat(file);
    return [file, s.size, s.mtimeMs] as [string, number, number];
  }));
}

/** True when every outside input recorded beside a cached bundle is unchanged. */
async function inputsUnchanged(record: string): Promise<boolean> {
  try {
    const inputs = JSON.parse(await readFile(record, 'utf8')) as [string, number, number][];
    for (const [file, size, mtime] of inputs) {
      const s = await stat(file);
      if (s.size !== size || s.mtimeMs !== mtime) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Bundles an extension entry into one file with esbuild. `node` gives an ES module for the in-process, worker and
 * process hosts; `isolate` gives a script with no Node APIs for isolated-vm, with `runtimeEntry` bundled in front.
 */
export async function bundleExtension(options: {
  id: string;
  dir: string;
  entryFile: string;
  cacheDir: string;
  target: BundleTarget;
  /** isolate only: the runtime module whose default export starts the extension. */
  runtimeEntry?: string;
}): Promise<string> {
  const { id, dir, entryFile, cacheDir, target } = options;
  // The folder is part of the key: two installed versions side by side may agree in every name, size and mtime.
  // Dependencies count through the lockfile; other files outside the folder are checked through the inputs record.
  const lock = existsSync(lockfile) ? (await stat(lockfile)).mtimeMs : 0;
  const stamp = await fingerprint(dir, `${BUNDLE_FORMAT}\0${target}\0${dir}\0${relative(dir, entryFile)}\0${options.runtimeEntry ?? ''}\0${lock}`);
  // `.js` under a `"type": "module"` package.json rather than `.mjs`: test runners treat `.mjs` outside
  // node_modules as source to transform, which would load every bundle differently under test than in production.
  const final = join(cacheDir, id, `${target}-${stamp}.js`);
  const inputsRecord = `${final}.inputs.json`;
  if (existsSync(final) && (await inputsUnchanged(inputsRecord))) return final;
  await mkdir(dirname(final), { recursive: true });
  const marker = join(cacheDir, 'package.json');
  if (!existsSync(marker)) await writeFile(marker, '{ "type": "module", "private": true }\n');
  // Built beside and renamed into place: kernels sharing a cache folder never read a half-written bundle.
  const outfile = `${final}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  // Loaded only on a cache miss: most starts reuse bundles and never need esbuild.
  const { build } = await import('esbuild');
  const common: BuildOptions = {
    bundle: true,
    outfile,
    write: true,
    metafile: true,
    logLevel: 'silent',
    sourcemap: 'inline',
    // Libraries that check constructor names (node-fetch's AbortSignal check, used by grammY) break when minified
    // class names change.
    keepNames: true,
    alias: sdkEntry ? { '@langbot-ts/sdk': sdkEntry } : undefined,
    nodePaths: [join(repoRoot, 'node_modules')],
    absWorkingDir: dir,
  };
  let metafile: { inputs: Record<string, unknown> } | undefined;
  try {
    if (target === 'node') {
      // CommonJS packages bundled into an ES module still call require() for Node built-ins (ws needs 'events').
      const banner = "import { createRequire as __langbotRequire } from 'node:module'; const require = __langbotRequire(import.meta.url);";
      ({ metafile } = await build({ ...common, entryPoints: [entryFile], platform: 'node', format: 'esm', target: 'node20', banner: { js: banner } }));
    } else {
      if (!options.runtimeEntry) throw new Error('An isolate bundle needs a runtime entry.');
      ({ metafile } = await build({
        ...common,
        stdin: {
          // The runtime first: it installs timers and console before the extension's top-level code runs.
          contents: `import start from ${JSON.stringify(options.runtimeEntry)};\nimport extension from ${JSON.stringify(entryFile)};\nstart(extension);\n`,
          resolveDir: dir,
          loader: 'ts',
        },
        platform: 'neutral',
        // vscode-jsonrpc's main entry is its Node build; the isolate gets the runtime-neutral core.
        alias: { ...common.alias, 'vscode-jsonrpc': jsonrpcCore },
        format: 'iife',
        target: 'es2022',
        mainFields: ['module', 'main'],
      }));
    }
  } catch (e) {
    await rm(outfile, { force: true });
    const errors = (e as { errors?: BundleError['errors'] }).errors;
    throw errors ? new BundleError(entryFile, errors) : e;
  }
  await writeFile(inputsRecord, JSON.stringify(await outsideInputs(dir, Object.keys(metafile?.inputs ?? {}))));
  await rename(outfile, final);
  return final;
}

/** The bundle a host of the given isolation runs. */
export function bundleFor(isolation: string, spec: { id: string; dir: string; entryFile: string; cacheDir: string }): Promise<string> {
  return isolation === 'isolate'
    ? bundleExtension({ ...spec, target: 'isolate', runtimeEntry: runtimeSource('isolate-runtime') })
    : bundleExtension({ ...spec, target: 'node' });
}
