/**
 * A kernel with storage, bots, the HTTP server and the mock adapter fixture, and a small client for its API:
 * `api.get('/api/v1/...', { token })` answers `{ status, body }`.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { StateStore } from '../../kernel/config/state-store.js';
import type { Kernel } from '../../kernel/kernel.js';
import { startTestKernel } from './kernel-harness.js';

const REPO = resolve(import.meta.dirname, '../..');

export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export interface Credentials {
  token?: string;
  key?: string;
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(readonly url: string) {}

  async request(method: string, path: string, options: Credentials & { body?: unknown } = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.key) headers['x-api-key'] = options.key;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body, headers: res.headers };
  }

  get = (path: string, options?: Credentials) => this.request('GET', path, options);
  post = (path: string, body?: unknown, options?: Credentials) => this.request('POST', path, { ...options, body: body ?? {} });
  put = (path: string, body?: unknown, options?: Credentials) => this.request('PUT', path, { ...options, body: body ?? {} });
  delete = (path: string, options?: Credentials) => this.request('DELETE', path, options);

  /** Creates the owner account (first run) and signs in. */
  async signUp(user = 'owner@example.com', password = 'correct horse 1'): Promise<string> {
    const init = await this.post('/api/v1/user/init', { user, password });
    if (init.status !== 200 || init.body.code !== 0) throw new Error(`init failed: ${JSON.stringify(init.body)}`);
    const auth = await this.post('/api/v1/user/auth', { user, password });
    return auth.body.data.token;
  }
}

export interface ApiKernel {
  kernel: Kernel;
  api: ApiClient;
  logs: string[];
  dataDir: string;
  tool(method: string, args?: Record<string, unknown>): Promise<any>;
}

export async function startApiKernel(options: { dataDir?: string; http?: Record<string, unknown> } = {}): Promise<ApiKernel> {
  const root = mkdtempSync(join(tmpdir(), 'langbot-api-'));
  for (const [from, name] of [
    ['extensions/storage/persistence-sqljs', 'persistence-sqljs'],
    ['extensions/core/bots', 'bots'],
    ['extensions/core/http', 'http'],
    ['test/fixtures/extensions-bots/mock-adapter', 'mock-adapter'],
  ]) cpSync(join(REPO, from), join(root, name), { recursive: true, preserveTimestamps: true });
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'langbot-api-data-'));
  await (await StateStore.open(dataDir)).setExtension('langbot.http', { config: { host: '127.0.0.1', port: 0, ...options.http } });
  const logs: string[] = [];
  const kernel = await startTestKernel({
    watch: false,
    builtinRoot: root,
    dataDir,
    logging: { destination: new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }), level: 'debug' },
  });
  const tool = (method: string, args: Record<string, unknown> = {}) => kernel.manager.invoke('tools', 'mock-adapter', method, args, { timeoutMs: 15_000 }) as Promise<any>;
  const { url } = (await tool('http')) as { url: string };
  return { kernel, api: new ApiClient(url), logs, dataDir, tool };
}
