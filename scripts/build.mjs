// Builds the distributable kernel with esbuild: dist/langbot.mjs (the CLI and kernel), dist/market.mjs (`langbot market`), dist/runtime/*.mjs
// (the code that runs inside workers, child processes and isolates), and dist/console (the web console). Usage: node scripts/build.mjs
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const hosts = join(root, 'kernel', 'hosts');
// Lets bundled CommonJS dependencies call require() inside an ES module.
const requireBanner = "import { createRequire as __langbotRequire } from 'node:module'; const require = __langbotRequire(import.meta.url);";
const common = { bundle: true, format: 'esm', logLevel: 'warning', absWorkingDir: root, legalComments: 'none', minifyWhitespace: true, minifySyntax: true, keepNames: true };
const node = { ...common, platform: 'node', target: 'node20', banner: { js: requireBanner } };

/** Builds into a fresh folder, then swaps it in, so that a kernel running from dist/ never sees half a build. */
export async function buildAll() {
  const started = performance.now();
  const out = join(root, 'node_modules', '.cache', 'langbot-build', String(process.pid));
  await rm(out, { recursive: true, force: true });
  try {
    const precompiled = await precompileValidators(out);
    await Promise.all(jobs(out, precompiled));
    const old = `${out}-old`;
    await rename(dist, old).catch(() => {});
    // Another build may have finished in between; then its output stays.
    await rename(out, dist).catch(() => {});
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  return performance.now() - started;
}

/** Writes the ajv standalone manifest validator (see kernel/manifest/precompiled.ts) and returns its path. */
async function precompileValidators(out) {
  const generator = join(out, '.gen', 'gen-validators.mjs');
  await build({ ...node, entryPoints: [join(root, 'scripts/gen-validators.ts')], outfile: generator, packages: 'external' });
  const { manifestCheckSource } = await import(pathToFileURL(generator).href);
  const file = join(out, '.gen', 'manifest-check.mjs');
  await writeFile(file, manifestCheckSource());
  return file;
}

/** Points the kernel's `precompiled.js` placeholder at the generated validator. */
const usePrecompiled = (file) => ({
  name: 'precompiled-validators',
  setup(b) {
    b.onResolve({ filter: /[\\/]precompiled\.js$/ }, () => ({ path: file }));
  },
});

function jobs(dist, precompiled) {
  const jobs = [
    // Splitting keeps lazily imported modules (the isolate host and its native addon) out of start-up.
    build({
      ...node,
      plugins: [usePrecompiled(precompiled)],
      nodePaths: [join(root, 'node_modules')],
      entryPoints: { langbot: join(root, 'kernel/cli/main.ts') },
      outdir: dist,
      splitting: true,
      chunkNames: '[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      external: ['isolated-vm', 'esbuild'],
    }),
    // `langbot market …` runs this file as a separate program: the kernel never imports marketplace/.
    build({
      ...node,
      plugins: [usePrecompiled(precompiled)],
      nodePaths: [join(root, 'node_modules')],
      entryPoints: { market: join(root, 'marketplace/cli/main.ts') },
      outdir: dist,
      outExtension: { '.js': '.mjs' },
      external: ['isolated-vm', 'esbuild'],
    }),
    ...['worker-entry', 'process-entry'].map((name) =>
      build({ ...node, entryPoints: [join(hosts, `${name}.ts`)], outfile: join(dist, 'runtime', `${name}.mjs`) }),
    ),
  ];
  const isolateRuntime = join(hosts, 'isolate-runtime.ts');
  if (existsSync(isolateRuntime)) {
    // Re-bundled into every isolate script, so no Node built-ins: vscode-jsonrpc resolves to its neutral core.
    const core = createRequire(join(root, 'package.json')).resolve('vscode-jsonrpc/lib/common/api.js');
    jobs.push(
      build({
        ...common,
        entryPoints: [isolateRuntime],
        outfile: join(dist, 'runtime', 'isolate-runtime.mjs'),
        platform: 'neutral',
        target: 'es2022',
        mainFields: ['module', 'main'],
        alias: { 'vscode-jsonrpc': core },
      }),
    );
  } else {
    console.warn(`warning: ${isolateRuntime} does not exist; skipping the isolate runtime.`);
  }
  jobs.push(buildConsole(join(dist, 'console')));
  return jobs;
}

/** The web console: one script and one stylesheet for browsers, and its page with a cache-busting build id. */
async function buildConsole(out) {
  const result = await build({
    ...common,
    entryPoints: { app: join(root, 'web/src/main.tsx') },
    outdir: out,
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minifyIdentifiers: true,
    metafile: true,
  });
  const id = createHash('sha256').update(JSON.stringify(Object.keys(result.metafile.outputs).map((f) => [f, result.metafile.outputs[f].bytes]))).digest('hex').slice(0, 12);
  const page = await readFile(join(root, 'web/index.html'), 'utf8');
  await writeFile(join(out, 'index.html'), page.replaceAll('%BUILD%', id));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ms = await buildAll();
  console.log(`Built dist/ in ${Math.round(ms)} ms.`);
}
