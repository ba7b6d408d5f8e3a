/** Builds real packages and signed registry folders for the client, installer and CLI tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addPackage, initRegistry } from '../../marketplace/builder.js';
import { createPackage } from '../../sdk/packaging/index.js';

export interface SamplePackage {
  id: string;
  version: string;
  permissions?: Record<string, unknown>;
  engines?: string;
  categories?: string[];
  keywords?: string[];
  description?: string;
  /** Contribution points; default one tool. */
  contributes?: Record<string, unknown>;
}

const enc = (text: string) => new TextEncoder().encode(text);

export function samplePackage(s: SamplePackage): Promise<Buffer> {
  const manifest = {
    id: s.id,
    version: s.version,
    displayName: { en_US: `Sample ${s.id}`, zh_Hans: `示例 ${s.id}` },
    description: { en_US: s.description ?? `The ${s.id} sample.`, zh_Hans: '示例' },
    author: 'tests',
    categories: s.categories ?? ['utility'],
    keywords: s.keywords ?? [],
    engines: { langbot: s.engines ?? '^0.1.0' },
    entry: './dist/extension.js',
    isolation: 'process',
    permissions: s.permissions ?? {},
    contributes: s.contributes ?? {
      tools: [{ name: `${s.id.replace(/\W/g, '_')}_tool`, description: { en_US: 'A tool.' }, parameters: { type: 'object', properties: {} } }],
    },
  };
  return createPackage(
    new Map([
      ['manifest.json', enc(JSON.stringify(manifest, null, 2))],
      ['dist/extension.js', enc(`export default { version: ${JSON.stringify(s.version)} };\n`)],
      ['README.md', enc(`# ${s.id}\n\nVersion ${s.version}.\n`)],
    ]),
  );
}

/** A signed registry folder holding these packages. */
export async function makeRegistry(dir: string, packages: SamplePackage[], name = 'Test registry'): Promise<{ dir: string; publicKey: string }> {
  const { publicKey } = await initRegistry(dir, { name });
  for (const p of packages) await addPackage(dir, await samplePackage(p));
  return { dir, publicKey };
}

/** A fresh temporary folder per test, removed by cleanup(). */
export function tempDirs() {
  const made: string[] = [];
  return {
    async make(prefix = 'langbot-market-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup: () => Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true }))),
  };
}
