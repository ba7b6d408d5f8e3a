import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RuntimeName = 'worker-entry' | 'process-entry' | 'isolate-runtime';

/**
 * Finds the code that runs inside a worker, child process or isolate. A built kernel ships them prebuilt in
 * `runtime/` beside itself; from source (tests, dev) the `.ts` file is used and, for Node runtimes, bundled
 * once per kernel process into a single file — a process host then needs read access to that file only.
 */
export function runtimeSource(name: RuntimeName): string {
  const prebuilt = fileURLToPath(new URL(`./runtime/${name}.mjs`, import.meta.url));
  if (existsSync(prebuilt)) return prebuilt;
  return fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
}

const built = new Map<RuntimeName, Promise<string>>();

export function runtimeFile(name: Exclude<RuntimeName, 'isolate-runtime'>): Promise<string> {
  const source = runtimeSource(name);
  if (source.endsWith('.mjs')) return Promise.resolve(source);
  let file = built.get(name);
  if (!file) {
    file = bundleNodeEntry(source, join(tmpdir(), 'langbot-ts', `${name}-${process.pid}.mjs`));
    built.set(name, file);
  }
  return file;
}

/** Bundles a Node entry (worker or child process) into one self-contained ES module. */
export async function bundleNodeEntry(source: string, outfile: string, external: string[] = []): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    external,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}
