// Runs a TypeScript script without a TS loader: bundles it with esbuild, imports the bundle, and calls its
// exported `main(argv)` if there is one (a number result is the exit code; a thrown error exits with 1).
// Usage: node scripts/run-ts.mjs <file.ts> [args...]
//
// Dependencies stay external, except vscode-jsonrpc (no `exports` map, so Node's ES module loader can't resolve
// the kernel's `vscode-jsonrpc/node` import). Every project source keeps its own import.meta values: the kernel
// finds its runtime entries and fixtures relative to them, which would otherwise point into the cache folder.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { keepImportMeta } from './keep-import-meta.mjs';

const [, , target, ...args] = process.argv;
if (!target) {
  console.error('Usage: node scripts/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = resolve(target);
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => (/^vscode-jsonrpc(\/|$)/.test(a.path) ? undefined : { path: a.path, external: true }));
    keepImportMeta.setup(b);
  },
};

let exitCode = 0;
let bundle;
try {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    write: false,
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [externals],
  });
  const code = result.outputFiles[0].text;
  // Inside node_modules so the bundle's bare imports resolve against the project's dependencies.
  const cacheDir = join(root, 'node_modules', '.cache', 'run-ts');
  await mkdir(cacheDir, { recursive: true });
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  bundle = join(cacheDir, `${basename(entry).replace(/\.[cm]?ts$/, '')}-${hash}-${process.pid}.mjs`);
  await writeFile(bundle, code);
  process.argv = [process.argv[0], entry, ...args];
  const mod = await import(pathToFileURL(bundle).href);
  if (typeof mod.main === 'function') {
    const result = await mod.main(args);
    if (typeof result === 'number') exitCode = result;
  }
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 1;
} finally {
  if (bundle) await rm(bundle, { force: true });
}
// Benchmarks may leave native handles (isolates, sockets) behind on failure paths; don't wait for them.
process.exit(exitCode);
