import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { ConfigForm, withFormDefinitions } from '../kernel/manifest/config-form.js';
import { CONTRIBUTION_POINTS, CONTRIBUTION_SCHEMAS } from '../kernel/manifest/contributions.js';
import { ExtensionManifest } from '../kernel/manifest/schema.js';

export const SCHEMA_BASE_URL = 'https://langbot.app/schemas/';
const CONTRIBUTIONS_DIR = 'manifests/contributions';

function schemaFile(relativePath: string, title: string, schema: TSchema): string {
  const { title: _ignored, ...rest } = withFormDefinitions(schema) as Record<string, unknown>;
  const document = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_BASE_URL + relativePath.replace(/^manifests\//, ''),
    title,
    ...rest,
  };
  return JSON.stringify(document, null, 2) + '\n';
}

/** Every generated schema file, keyed by its path relative to the repository root. */
export function generateSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (path: string, title: string, schema: TSchema) => {
    files[path] = schemaFile(path, title, schema);
  };
  add('manifests/extension-manifest.schema.json', 'LangBot extension manifest', ExtensionManifest);
  add('manifests/config-form.schema.json', 'LangBot extension config form', ConfigForm);
  for (const point of CONTRIBUTION_POINTS) {
    add(`${CONTRIBUTIONS_DIR}/${point}.schema.json`, `LangBot '${point}' contribution`, CONTRIBUTION_SCHEMAS[point]);
  }
  return files;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Writes the schema files, or with `--check` lists the stale ones and returns 1. */
export async function main(argv: string[], root = process.cwd()): Promise<number> {
  const check = argv.includes('--check');
  const files = generateSchemaFiles();
  const stale: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    if ((await readOrUndefined(join(root, path))) !== content) stale.push(path);
  }
  const existing = await readdir(join(root, CONTRIBUTIONS_DIR)).catch(() => [] as string[]);
  const orphans = existing
    .filter((name) => name.endsWith('.schema.json'))
    .map((name) => `${CONTRIBUTIONS_DIR}/${name}`)
    .filter((path) => !(path in files));
  if (check) {
    if (stale.length === 0 && orphans.length === 0) {
      console.log('Schema files are up to date.');
      return 0;
    }
    const lines = [...stale.map((p) => `  ${p}`), ...orphans.map((p) => `  ${p} (no longer generated)`)];
    console.error(`Stale schema files (regenerate with: node scripts/run-ts.mjs scripts/gen-schemas.ts):\n${lines.join('\n')}`);
    return 1;
  }
  for (const path of stale) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), files[path]);
  }
  for (const path of orphans) await rm(join(root, path));
  console.log(`Wrote ${stale.length} schema file(s), removed ${orphans.length}.`);
  return 0;
}
