// Runs a TypeScript script without a TS loader: bundles it with esbuild (dependencies stay external),
// imports the bundle, and calls its exported `main(argv)` if there is one (its number result is the exit code).
// Usage: node scripts/run-ts.mjs <file.ts> [args...]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [, , target, ...args] = process.argv;
if (!target) {
  console.error('Usage: node scripts/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = resolve(target);
const result = await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  write: false,
  logLevel: 'error',
});
const code = result.outputFiles[0].text;

// Inside node_modules so the bundle's bare imports resolve against the project's dependencies.
const cacheDir = join(root, 'node_modules', '.cache', 'run-ts');
await mkdir(cacheDir, { recursive: true });
const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
const bundle = join(cacheDir, `${basename(entry).replace(/\.[cm]?ts$/, '')}-${hash}-${process.pid}.mjs`);
await writeFile(bundle, code);

process.argv = [process.argv[0], entry, ...args];
try {
  const mod = await import(pathToFileURL(bundle).href);
  if (typeof mod.main === 'function') {
    const exitCode = await mod.main(args);
    if (typeof exitCode === 'number') process.exitCode = exitCode;
  }
} finally {
  await rm(bundle, { force: true });
}
