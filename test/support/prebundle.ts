/**
 * vitest global setup: bundles every built-in extension (and the test harness) into the shared bundle cache
 * before any test runs, so no test spends its time limit on a first bundle. Bundles are keyed by content, so a
 * warm cache makes this a few stat calls.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverExtensions } from '../../kernel/loader/discovery.js';
import { bundleFor } from '../../kernel/loader/bundler.js';
import { readManifest } from '../../kernel/manifest/index.js';

export const SHARED_BUNDLES = join(tmpdir(), 'langbot-test-bundles');
const ROOT = resolve(import.meta.dirname, '../..');

export default async function prebundle(): Promise<void> {
  const found = await discoverExtensions({ builtin: join(ROOT, 'extensions') });
  const dirs = [...found.map((f) => f.dir), join(ROOT, 'sdk/testing/harness-extension')];
  const started = Date.now();
  await Promise.all(
    dirs.map(async (dir) => {
      const read = await readManifest(dir);
      if (!read.ok) return;
      const manifest = read.manifest;
      try {
        await bundleFor(manifest.isolation, { id: manifest.id, dir, entryFile: resolve(dir, manifest.entry ?? 'index.ts'), cacheDir: SHARED_BUNDLES });
      } catch (error) {
        // A broken extension fails in the tests that start it, with the kernel's own message.
        console.warn(`Could not pre-bundle ${manifest.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  console.log(`Pre-bundled ${dirs.length} extensions in ${Date.now() - started} ms.`);
}
