import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { ManifestIssue } from './issues.js';
import { findJsonErrorOffset } from './json-locate.js';
import type { ExtensionManifest } from './schema.js';
import { validateManifest } from './validate.js';

export const MANIFEST_FILE_NAMES = ['manifest.yaml', 'manifest.yml', 'manifest.json'] as const;

export type ManifestReadResult =
  | { ok: true; manifest: ExtensionManifest; file: string; issues: [] }
  | { ok: false; manifest?: undefined; file: string; issues: ManifestIssue[] };

function failure(file: string, message: string, path = ''): ManifestReadResult {
  return { ok: false, file, issues: [{ file, path, message }] };
}

/** Finds, parses and validates the one manifest of an extension folder. */
export async function readManifest(dir: string): Promise<ManifestReadResult> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    return failure(dir, `Cannot read the extension folder: ${(error as Error).message}.`);
  }
  const found = MANIFEST_FILE_NAMES.filter((name) => names.includes(name));
  if (found.length === 0) {
    return failure(dir, `No manifest found (expected ${MANIFEST_FILE_NAMES.join(', ')}).`);
  }
  if (found.length > 1) {
    return failure(dir, `Found more than one manifest (${found.join(', ')}); keep exactly one.`);
  }
  const file = join(dir, found[0]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return failure(file, `Cannot read the manifest: ${(error as Error).message}.`);
  }
  return parseManifest(text, file);
}

/** Parses manifest text (JSON when `file` ends in .json, YAML otherwise) and validates it. */
export function parseManifest(text: string, file: string): ManifestReadResult {
  const parsed = file.endsWith('.json') ? parseJson(text) : parseYaml(text);
  if ('error' in parsed) return failure(file, parsed.error);
  const result = validateManifest(parsed.value, file);
  return result.ok
    ? { ok: true, manifest: result.manifest, file, issues: [] }
    : { ok: false, file, issues: result.issues };
}

type Parsed = { value: unknown } | { error: string };

function parseYaml(text: string): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const [error] = doc.errors;
  if (error) {
    if (error.pos[0] < 0) return { error: `YAML syntax error: ${sentence(error.message)}` };
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { error: `YAML syntax error at line ${line}, column ${col}: ${sentence(error.message)}` };
  }
  try {
    return { value: doc.toJS() };
  } catch (cause) {
    return { error: `YAML error: ${sentence((cause as Error).message)}` };
  }
}

function parseJson(source: string): Parsed {
  const text = source.replace(/^\uFEFF/, '');
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const located = findJsonErrorOffset(text);
    const position = /at position (\d+)/.exec(message);
    const offset = located >= 0 ? located : position ? Number(position[1]) : undefined;
    const detail = sentence(message.replace(/ in JSON at position \d+.*$/s, '').replace(/, .*is not valid JSON$/s, ''));
    if (offset === undefined) return { error: `JSON syntax error: ${detail}` };
    const before = text.slice(0, offset).split('\n');
    return { error: `JSON syntax error at line ${before.length}, column ${before[before.length - 1].length + 1}: ${detail}` };
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
