import { join } from 'node:path';
import { bundleNodeEntry } from '../../kernel/hosts/runtime-files.js';

/** Bundles a bench entry (worker or child process) the way the kernel bundles its own runtime entries. */
export function buildNodeEntry(source: string, outDir: string, name: string, external: string[] = []): Promise<string> {
  return bundleNodeEntry(source, join(outDir, `${name}.mjs`), external);
}
