import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a Node entry (worker or child process) into one self-contained ES module, the way
 * kernel/hosts/runtime-files.ts bundles the kernel's own runtime entries.
 */
export async function buildNodeEntry(source: string, outDir: string, name: string, external: string[] = []): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
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
