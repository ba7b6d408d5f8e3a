import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { generateSchemaFiles, main } from '../../scripts/gen-schemas.js';
import { CONTRIBUTION_POINTS } from '../../kernel/manifest/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const generated = generateSchemaFiles();
const REGENERATE = 'run: node scripts/run-ts.mjs scripts/gen-schemas.ts';

describe('manifests/*.schema.json', () => {
  it('covers the manifest, the config form and every contribution point', () => {
    expect(Object.keys(generated).sort()).toEqual(
      [
        'manifests/config-form.schema.json',
        'manifests/extension-manifest.schema.json',
        ...CONTRIBUTION_POINTS.map((point) => `manifests/contributions/${point}.schema.json`),
      ].sort(),
    );
  });

  it.each(Object.keys(generated))('%s matches the TypeBox source (%s)', async (path) => {
    const onDisk = await readFile(join(root, path), 'utf8').catch(() => '(missing)');
    expect(onDisk, `${path} is stale; ${REGENERATE}`).toBe(generated[path]);
  });

  it('has no leftover contribution schemas', async () => {
    const names = await readdir(join(root, 'manifests/contributions'));
    const leftovers = names.map((n) => `manifests/contributions/${n}`).filter((p) => !(p in generated));
    expect(leftovers, REGENERATE).toEqual([]);
  });

  it('are standalone JSON Schemas any validator can use', () => {
    const ajv = new Ajv({ strict: false });
    for (const content of Object.values(generated)) {
      const schema = JSON.parse(content);
      expect(schema.$id).toMatch(/^https:\/\/.+\.schema\.json$/);
      expect(typeof schema.title).toBe('string');
      expect(content.endsWith('}\n')).toBe(true);
      ajv.compile(schema);
    }
    const validate = ajv.getSchema(JSON.parse(generated['manifests/extension-manifest.schema.json']).$id)!;
    expect(validate({ id: 'acme.echo', version: '1.0.0', displayName: 'Echo', engines: { langbot: '^0.1.0' } })).toBe(true);
    expect(validate({ id: 'acme.echo', version: '1.0.0', displayName: 'Echo', engines: { langbot: '^0.1.0' }, isolaton: 'x' })).toBe(false);
  });
});

describe('scripts/gen-schemas.ts', () => {
  it('writes the files, and with --check fails while any is missing, stale or left over', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = await mkdtemp(join(tmpdir(), 'langbot-schemas-'));
    try {
      expect(await main(['--check'], dir)).toBe(1);
      expect(error.mock.calls[0][0]).toContain('manifests/extension-manifest.schema.json');
      expect(await main([], dir)).toBe(0);
      expect(await main(['--check'], dir)).toBe(0);
      await writeFile(join(dir, 'manifests/contributions/widgets.schema.json'), '{}\n');
      expect(await main(['--check'], dir)).toBe(1);
      expect(error.mock.calls[1][0]).toContain('manifests/contributions/widgets.schema.json (no longer generated)');
      expect(await main([], dir)).toBe(0);
      expect(await readdir(join(dir, 'manifests/contributions'))).not.toContain('widgets.schema.json');
    } finally {
      log.mockRestore();
      error.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
