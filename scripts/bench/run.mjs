// Runs a benchmark written in TypeScript: bundles it with esbuild (dependencies mostly external) and calls its
// exported `main(argv)`; a number result is the exit code, a thrown error exits with 1.
// Usage: node scripts/bench/run.mjs [file.ts] [args...]   (default: scripts/bench/rpc.ts)
//
// Unlike scripts/run-ts.mjs, every bundled source keeps its own `import.meta.url` / `import.meta.dirname`: the
// kernel finds its runtime entries (kernel/hosts/runtime-files.ts) and test fixtures relative to those, which
// would otherwise point into the cache folder the bundle is written to.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { keepImportMeta } from './keep-import-meta.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [, , given, ...args] = process.argv;
const entry = resolve(given ?? join(root, 'scripts', 'bench', 'rpc.ts'));

/** Project sources keep their own import.meta values; missing optional kernel modules become stubs. */
const bench = {
  name: 'bench',
  setup(b) {
    // Optional kernel modules (another engineer may not have added them yet): a stub that fails when imported.
    b.onResolve({ filter: /hosts\/isolate-(host|bridge)\.js$/ }, (a) => {
      const file = resolve(a.resolveDir, a.path.replace(/\.js$/, '.ts'));
      return existsSync(file) ? undefined : { path: file, namespace: 'missing-module' };
    });
    b.onLoad({ filter: /.*/, namespace: 'missing-module' }, (a) => ({
      contents: `throw new Error(${JSON.stringify(`${a.path} does not exist`)});`,
      loader: 'js',
    }));
    // Dependencies stay external, except vscode-jsonrpc: it has no `exports` map, so Node's ES module loader
    // can't resolve the kernel's `vscode-jsonrpc/node` import.
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
    write: false,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
    plugins: [bench],
  });
  const code = result.outputFiles[0].text;
  // Inside node_modules so the bundle's bare imports resolve against the project's dependencies.
  const cacheDir = join(root, 'node_modules', '.cache', 'langbot-bench');
  await mkdir(cacheDir, { recursive: true });
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  bundle = join(cacheDir, `${basename(entry).replace(/\.[cm]?ts$/, '')}-${hash}-${process.pid}.mjs`);
  await writeFile(bundle, code);
  process.env.LANGBOT_BENCH_BUNDLE = bundle;
  process.argv = [process.argv[0], entry, ...args];
  const mod = await import(pathToFileURL(bundle).href);
  if (typeof mod.main === 'function') {
    const code = await mod.main(args);
    if (typeof code === 'number') exitCode = code;
  }
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 1;
} finally {
  if (bundle) await rm(bundle, { force: true });
}
// Benchmarks leave native handles (isolates, sockets) behind on failure paths; don't wait for them.
process.exit(exitCode);
