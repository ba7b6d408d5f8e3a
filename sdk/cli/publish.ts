/** `langbot-ext publish`: uploads a package to a registry's POST /publish (a project folder is packed first). */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from './errors.js';
import { packProject } from './pack.js';

export interface Published {
  id: string;
  version: string;
  sha256: string;
  size: number;
}

export async function publishPackage(source: string, options: { registry: string; token?: string }): Promise<Published> {
  const url = publishUrl(options.registry);
  if (!options.token) throw new CliError('A publish token is needed: pass --token or set LANGBOT_REGISTRY_TOKEN (`langbot market serve` prints it).');
  const bytes = await packageBytes(source);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/gzip', authorization: `Bearer ${options.token}` },
      body: bytes,
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new CliError(`Cannot reach the registry at ${options.registry}: ${cause}.`);
  }
  const text = await response.text();
  const body = parseJson(text);
  if (response.status === 201 || response.status === 200) {
    const published = body as Partial<Published> | undefined;
    if (!published?.id || !published.version) throw new CliError(`The registry answered ${response.status} but not with the published package: ${text.slice(0, 200)}`);
    return published as Published;
  }
  const detail = (body as { error?: { message?: string } } | undefined)?.error?.message ?? text.slice(0, 200);
  throw new CliError(failureMessage(response.status, sentence(detail), options.registry));
}

function publishUrl(registry: string): string {
  let url: URL;
  try {
    url = new URL(registry);
  } catch {
    throw new CliError(`--registry must be an http(s) URL such as http://127.0.0.1:5320, not '${registry}'.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--registry must be an http(s) URL, not '${registry}'.`);
  return `${url.href.replace(/\/+$/, '')}/publish`;
}

async function packageBytes(source: string): Promise<Buffer> {
  const path = resolve(source);
  if (!existsSync(path)) throw new CliError(`${source} does not exist.`);
  if (!statSync(path).isDirectory()) {
    if (!/\.(tgz|tar\.gz)$/.test(path)) throw new CliError(`${source} is neither a package (.tgz) nor a project folder.`);
    return readFile(path);
  }
  const out = await mkdtemp(join(tmpdir(), 'langbot-ext-publish-'));
  try {
    return await readFile((await packProject(path, { outDir: out })).file);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function failureMessage(status: number, detail: string, registry: string): string {
  if (status === 401) return `The registry refused the token (401): ${detail} Check --token or LANGBOT_REGISTRY_TOKEN.`;
  if (status === 409) return `The registry already has this version with other contents (409): ${detail} Bump 'version' in the manifest and publish again.`;
  if (status === 400) return `The registry refused the package (400): ${detail}`;
  if (status === 413) return `The package is too large for the registry (413): ${detail}`;
  if (status === 404) return `${registry} has no publish endpoint (404); is it a registry served with \`langbot market serve\`?`;
  return `The registry failed (HTTP ${status}): ${detail}`;
}

const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
