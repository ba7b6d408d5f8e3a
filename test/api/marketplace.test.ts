/**
 * The marketplace API end to end: a real kernel with the HTTP server and the marketplace extension, reading signed
 * registries built here (packages made with the SDK's packaging, indexes with the registry builder).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateStore } from '../../kernel/config/state-store.js';
import type { Kernel } from '../../kernel/kernel.js';
import { addPackage, initRegistry } from '../../marketplace/builder.js';
import { createPackage } from '../../sdk/packaging/index.js';
import { ApiClient, startApiKernel } from '../support/api-harness.js';
import { startTestKernel } from '../support/kernel-harness.js';

const REPO = resolve(import.meta.dirname, '../..');
// Fresh bundles for this file: the marketplace extension bundles library code from marketplace/, which the shared
// cache's fingerprint (the extension folder only) would not notice changing. The path matches vitest's externals.
const WORK = mkdtempSync(join(tmpdir(), 'langbot-market-api-'));
const BUNDLES = join(WORK, '.cache', 'bundles');

interface Booted {
  kernel: Kernel;
  api: ApiClient;
  token: string;
  dataDir: string;
  logs: string[];
}

const booted: Booted[] = [];
afterAll(async () => {
  await Promise.all(booted.map((b) => b.kernel.stop()));
  rmSync(WORK, { recursive: true, force: true });
});

/**
 * Boots the core extensions from the repository itself (the marketplace extension imports the marketplace library
 * by relative path, so it cannot run from a copy), with storage as a drop-in and the marketplace reading `mirrors`.
 */
async function boot(marketplace?: { mirrors: string[]; trustedKeys: string[] }): Promise<Booted> {
  const dataDir = mkdtempSync(join(WORK, 'data-'));
  cpSync(join(REPO, 'extensions/storage/persistence-sqljs'), join(dataDir, 'extensions', 'persistence-sqljs'), { recursive: true });
  const state = await StateStore.open(dataDir);
  await state.setExtension('langbot.http', { config: { host: '127.0.0.1', port: 0 } });
  if (marketplace) await state.setExtension('langbot.marketplace', { config: { ...marketplace, timeoutSeconds: 5 } });
  for (const id of ['langbot.models', 'langbot.pipeline', 'langbot.tools']) await state.setExtension(id, { enabled: false });
  const logs: string[] = [];
  const kernel = await startTestKernel({
    dataDir,
    builtinRoot: join(REPO, 'extensions', 'core'),
    watch: false,
    bundleCacheDir: BUNDLES,
    logging: { destination: new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }), level: 'debug' },
  });
  const { url } = (await kernel.manager.invoke('services', 'http', 'info', {})) as { url: string };
  const api = new ApiClient(url);
  const entry = { kernel, api, token: await api.signUp(), dataDir, logs };
  booted.push(entry);
  return entry;
}

const enc = (text: string) => new TextEncoder().encode(text);

/** A tool extension whose tool answers `<tag>:<text>`; `broken` makes its activation throw. */
async function toolPackage(id: string, version: string, options: { permissions: string; tag: string; broken?: boolean; category?: string }): Promise<Buffer> {
  const category = options.category ?? 'utility';
  const manifest = [
    `id: ${id}`,
    `version: ${version}`,
    `displayName: { en_US: "Echo ${id}", zh_Hans: "回声 ${id}" }`,
    `description: { en_US: "Repeats what it is given.", zh_Hans: "重复收到的内容。" }`,
    'author: Acme',
    'license: MIT',
    'repository: https://example.com/acme',
    `categories: [${category}]`,
    `keywords: [repeat, ${category}]`,
    'engines: { langbot: "^0.1.0" }',
    'entry: ./dist/extension.js',
    'isolation: worker',
    'activation: eager',
    `permissions: ${options.permissions}`,
    'contributes:',
    '  tools:',
    `    - name: ${id.split('.')[1]}`,
    '      description: Repeats the text.',
    '      parameters: { type: object, properties: { text: { type: string } } }',
  ].join('\n');
  const code = options.broken
    ? `export default { activate() { throw new Error('version ${version} is broken on purpose'); } };\n`
    : `export default { activate(ctx) { ctx.provide('tools', ${JSON.stringify(id.split('.')[1])}, { call: (args) => ({ content: ${JSON.stringify(options.tag)} + ':' + args.text }) }); } };\n`;
  return createPackage(
    new Map([
      ['manifest.yaml', enc(manifest)],
      ['dist/extension.js', enc(code)],
      ['README.md', enc(`# ${id}\n\nVersion ${version} repeats what it is given.\n`)],
    ]),
  );
}

async function buildRegistry(name: string, packages: Buffer[]): Promise<{ dir: string; publicKey: string }> {
  const dir = join(WORK, `registry-${name}`);
  const { publicKey } = await initRegistry(dir, { name: `Test registry ${name}` });
  for (const bytes of packages) await addPackage(dir, bytes);
  return { dir, publicKey };
}

const NONE = '{}';
const KV = '{ services: [kv] }';
const KV_NET = '{ services: [kv], network: true }';

async function waitForTask(b: Booted, taskId: string) {
  let task: any;
  await expect
    .poll(
      async () => {
        task = (await b.api.get(`/api/v1/marketplace/tasks/${taskId}`, { token: b.token })).body.data.task;
        return task.state;
      },
      { timeout: 60_000, interval: 100 },
    )
    .not.toBe('running');
  return task;
}

async function run(b: Booted, method: 'post' | 'delete', path: string, body?: unknown) {
  const res = method === 'post' ? await b.api.post(path, body, { token: b.token }) : await b.api.delete(path, { token: b.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return waitForTask(b, res.body.data.task_id);
}

const callTool = (b: Booted, name: string, text: string) => b.kernel.manager.invoke('tools', name, 'call', { text }) as Promise<{ content: string }>;
const kernelEntry = async (b: Booted, id: string) =>
  ((await b.api.get('/api/v1/extensions', { token: b.token })).body.data.extensions as { id: string; version: string; state: string }[]).find((e) => e.id === id);
const versionFolders = (b: Booted, id: string) => readdirSync(join(b.dataDir, 'extensions')).filter((n) => n.startsWith(`${id}@`)).sort();

describe('marketplace API', () => {
  let b: Booted;
  let registry: { dir: string; publicKey: string };

  beforeAll(async () => {
    registry = await buildRegistry('main', [
      await toolPackage('acme.echo', '1.0.0', { permissions: KV, tag: 'v1' }),
      await toolPackage('acme.echo', '1.1.0', { permissions: KV_NET, tag: 'v2' }),
      await toolPackage('acme.fragile', '1.0.0', { permissions: NONE, tag: 'good', category: 'demo' }),
      await toolPackage('acme.fragile', '2.0.0', { permissions: NONE, tag: 'never', broken: true, category: 'demo' }),
      await toolPackage('acme.tampered', '1.0.0', { permissions: NONE, tag: 't' }),
    ]);
    // Bytes changed after the index was signed: one byte in the middle of the package.
    const file = join(registry.dir, 'packages', 'acme.tampered-1.0.0.tgz');
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    b = await boot({ mirrors: [registry.dir], trustedKeys: [registry.publicKey] });
  }, 120_000);

  it('shows the registry and its mirrors', async () => {
    const res = await b.api.get('/api/v1/marketplace/registry', { token: b.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Test registry main', mirror: registry.dir, stale: false, fetched_at: expect.any(String), mirrors: [{ url: registry.dir, ok: true, error: null }] });
  });

  it('lists and searches the registry’s extensions with their kinds and categories', async () => {
    const all = (await b.api.get('/api/v1/marketplace/extensions', { token: b.token })).body.data;
    expect(all.extensions.map((e: { id: string }) => e.id).sort()).toEqual(['acme.echo', 'acme.fragile', 'acme.tampered']);
    expect(all.kinds).toEqual(['tools']);
    expect(all.categories).toEqual(['demo', 'utility']);
    expect(all.registry).toEqual({ name: 'Test registry main', mirror: registry.dir, stale: false });
    expect(all.extensions.find((e: { id: string }) => e.id === 'acme.echo')).toEqual({
      id: 'acme.echo',
      display_name: { en_US: 'Echo acme.echo', zh_Hans: '回声 acme.echo' },
      description: { en_US: 'Repeats what it is given.', zh_Hans: '重复收到的内容。' },
      author: 'Acme',
      categories: ['utility'],
      kinds: ['tools'],
      latest_version: '1.1.0',
      installed_version: null,
      update_available: false,
      state: null,
    });
    const found = (await b.api.get('/api/v1/marketplace/extensions?q=fragile', { token: b.token })).body.data.extensions;
    expect(found.map((e: { id: string }) => e.id)).toEqual(['acme.fragile']);
    const demo = (await b.api.get('/api/v1/marketplace/extensions?category=demo', { token: b.token })).body.data;
    expect(demo.extensions.map((e: { id: string }) => e.id)).toEqual(['acme.fragile']);
    // The filters offered stay those of the whole registry.
    expect(demo.categories).toEqual(['demo', 'utility']);
    expect((await b.api.get('/api/v1/marketplace/extensions?kind=tools&q=acme.echo', { token: b.token })).body.data.extensions.map((e: { id: string }) => e.id)).toEqual(['acme.echo']);
    expect((await b.api.get('/api/v1/marketplace/extensions?kind=adapters', { token: b.token })).body.data.extensions).toEqual([]);
  });

  it('shows one extension with its README, versions and the permissions it asks for', async () => {
    const res = await b.api.get('/api/v1/marketplace/extensions/acme.echo', { token: b.token });
    expect(res.status).toBe(200);
    const ext = res.body.data.extension;
    expect(ext).toMatchObject({ id: 'acme.echo', license: 'MIT', repository: 'https://example.com/acme', keywords: ['repeat', 'utility'], latest_version: '1.1.0' });
    expect(ext.readme).toContain('Version 1.1.0 repeats');
    expect(ext.isolation).toBe('worker');
    expect(ext.permissions).toEqual({ services: ['kv'], network: true });
    expect(ext.contributes).toEqual({ tools: ['echo'] });
    expect(ext.versions.map((v: { version: string; compatible: boolean }) => [v.version, v.compatible])).toEqual([
      ['1.1.0', true],
      ['1.0.0', true],
    ]);
    expect(ext.versions[1]).toMatchObject({ permissions: { services: ['kv'] }, size: expect.any(Number), published_at: expect.any(String) });
    expect(ext.installed).toBeNull();
    expect(ext.required_permissions).toEqual(['service:kv', 'network']);
    expect(ext.new_permissions).toEqual([]);
  });

  it('answers 404 for an unknown extension or task and 400 for a bad body', async () => {
    const t = { token: b.token };
    expect(await b.api.get('/api/v1/marketplace/extensions/acme.nothing', t)).toMatchObject({ status: 404, body: { code: 'resource_not_found', msg: expect.stringContaining('acme.nothing') } });
    expect((await b.api.post('/api/v1/marketplace/extensions/acme.nothing/install', { approved_permissions: {} }, t)).status).toBe(404);
    expect((await b.api.post('/api/v1/marketplace/extensions/acme.echo/install', { version: '9.9.9', approved_permissions: {} }, t)).status).toBe(404);
    expect((await b.api.post('/api/v1/marketplace/extensions/acme.echo/rollback', {}, t)).status).toBe(404);
    expect((await b.api.delete('/api/v1/marketplace/extensions/acme.echo', t)).status).toBe(404);
    expect((await b.api.get('/api/v1/marketplace/tasks/no-such-task', t)).status).toBe(404);

    const missing = await b.api.post('/api/v1/marketplace/extensions/acme.echo/install', {}, t);
    expect(missing).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining('approved_permissions') } });
    const wrongType = await b.api.post('/api/v1/marketplace/extensions/acme.echo/install', { approved_permissions: { network: 'yes' } }, t);
    expect(wrongType).toMatchObject({ status: 400, body: { msg: expect.stringContaining('network') } });
    expect((await b.api.delete('/api/v1/marketplace/extensions/acme.echo?delete_data=maybe', t)).status).toBe(400);
  });

  it('refuses to install without the permissions approved, naming them, and installs nothing', async () => {
    const task = await run(b, 'post', '/api/v1/marketplace/extensions/acme.echo/install', { version: '1.0.0', approved_permissions: {} });
    expect(task).toMatchObject({ kind: 'install', extension_id: 'acme.echo', state: 'failed', error: { code: 'permissions_not_approved', details: { missing: ['service:kv'] } } });
    expect(task.error.message).toContain('service:kv');
    expect(versionFolders(b, 'acme.echo')).toEqual([]);
    expect(await kernelEntry(b, 'acme.echo')).toBeUndefined();
  });

  it('installs, refuses an update asking for a new permission until it is approved, updates, rolls back and uninstalls', async () => {
    const installed = await run(b, 'post', '/api/v1/marketplace/extensions/acme.echo/install', { version: '1.0.0', approved_permissions: { services: ['kv'] } });
    expect(installed, JSON.stringify(installed.error)).toMatchObject({ kind: 'install', state: 'succeeded', version: '1.0.0', step: 'done', error: null, finished_at: expect.any(String) });
    const steps = installed.log.map((l: { step: string }) => l.step);
    for (const step of ['resolve', 'download', 'verify', 'stage', 'activate', 'done']) expect(steps).toContain(step);
    expect(await callTool(b, 'echo', 'hi')).toMatchObject({ content: 'v1:hi' });
    expect(await kernelEntry(b, 'acme.echo')).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(versionFolders(b, 'acme.echo')).toEqual(['acme.echo@1.0.0']);

    const shown = (await b.api.get('/api/v1/marketplace/extensions/acme.echo', { token: b.token })).body.data.extension;
    expect(shown).toMatchObject({ installed_version: '1.0.0', update_available: true, state: 'active', new_permissions: ['network'] });
    expect(shown.installed).toMatchObject({ version: '1.0.0', previous_versions: [], approved_permissions: { services: ['kv'] }, state: 'active' });

    const refused = await run(b, 'post', '/api/v1/marketplace/extensions/acme.echo/update', {});
    expect(refused).toMatchObject({ kind: 'update', state: 'failed', error: { code: 'permissions_not_approved', details: { missing: ['network'] } } });
    expect(await callTool(b, 'echo', 'still')).toMatchObject({ content: 'v1:still' });
    expect(await kernelEntry(b, 'acme.echo')).toMatchObject({ version: '1.0.0', state: 'active' });

    const updated = await run(b, 'post', '/api/v1/marketplace/extensions/acme.echo/update', { approved_permissions: { network: true } });
    expect(updated, JSON.stringify(updated.error)).toMatchObject({ state: 'succeeded', version: '1.1.0' });
    expect(await callTool(b, 'echo', 'hi')).toMatchObject({ content: 'v2:hi' });
    const after = (await b.api.get('/api/v1/marketplace/extensions/acme.echo', { token: b.token })).body.data.extension;
    expect(after).toMatchObject({ installed_version: '1.1.0', update_available: false, new_permissions: [] });
    expect(after.installed.previous_versions).toEqual(['1.0.0']);

    const rolledBack = await run(b, 'post', '/api/v1/marketplace/extensions/acme.echo/rollback');
    expect(rolledBack, JSON.stringify(rolledBack.error)).toMatchObject({ kind: 'rollback', state: 'succeeded', version: '1.0.0' });
    expect(await callTool(b, 'echo', 'back')).toMatchObject({ content: 'v1:back' });
    expect(await kernelEntry(b, 'acme.echo')).toMatchObject({ version: '1.0.0', state: 'active' });

    const data = join(b.dataDir, 'extension-data', 'acme.echo');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'notes.txt'), 'kept until uninstalled with its data');
    const removed = await run(b, 'delete', '/api/v1/marketplace/extensions/acme.echo?delete_data=true');
    expect(removed, JSON.stringify(removed.error)).toMatchObject({ kind: 'uninstall', state: 'succeeded' });
    expect(versionFolders(b, 'acme.echo')).toEqual([]);
    expect(existsSync(data)).toBe(false);
    expect(await kernelEntry(b, 'acme.echo')).toBeUndefined();
    await expect(callTool(b, 'echo', 'gone')).rejects.toThrow();
    expect((await b.api.get('/api/v1/marketplace/extensions/acme.echo', { token: b.token })).body.data.extension).toMatchObject({ installed_version: null, installed: null });

    const tasks = (await b.api.get('/api/v1/marketplace/tasks', { token: b.token })).body.data.tasks;
    expect(tasks.slice(0, 5).map((t: { kind: string }) => t.kind)).toEqual(['uninstall', 'rollback', 'update', 'update', 'install']);
  }, 120_000);

  it('keeps the running version when the new one fails to start', async () => {
    expect((await run(b, 'post', '/api/v1/marketplace/extensions/acme.fragile/install', { version: '1.0.0', approved_permissions: {} })).state).toBe('succeeded');
    expect(await callTool(b, 'fragile', 'x')).toMatchObject({ content: 'good:x' });

    const started = await b.api.post('/api/v1/marketplace/extensions/acme.fragile/update', {}, { token: b.token });
    // One operation per extension at a time.
    expect(await b.api.post('/api/v1/marketplace/extensions/acme.fragile/rollback', {}, { token: b.token })).toMatchObject({ status: 409, body: { code: 'busy' } });
    const failed = await waitForTask(b, started.body.data.task_id);
    expect(failed).toMatchObject({ kind: 'update', version: '2.0.0', state: 'failed', step: 'activate', error: { code: 'activation_failed' } });
    expect(failed.log.filter((l: { step: string }) => l.step === 'download')).toHaveLength(1);
    expect(failed.error.message).toContain('broken on purpose');
    expect(await kernelEntry(b, 'acme.fragile')).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(await callTool(b, 'fragile', 'y')).toMatchObject({ content: 'good:y' });
    expect(versionFolders(b, 'acme.fragile')).toEqual(['acme.fragile@1.0.0']);
    expect((await b.api.get('/api/v1/marketplace/extensions/acme.fragile', { token: b.token })).body.data.extension.installed_version).toBe('1.0.0');
  }, 60_000);

  it('refuses a package whose bytes changed after the index was signed', async () => {
    const task = await run(b, 'post', '/api/v1/marketplace/extensions/acme.tampered/install', { approved_permissions: {} });
    expect(task).toMatchObject({ state: 'failed', error: { code: 'checksum_mismatch' } });
    expect(task.error.message).toMatch(/acme\.tampered/);
    expect(task.error.message).toMatch(/sha-?256|checksum/i);
    expect(versionFolders(b, 'acme.tampered')).toEqual([]);
    expect(await kernelEntry(b, 'acme.tampered')).toBeUndefined();
  });
});

describe('marketplace API with a registry it cannot trust', () => {
  it('answers bad_signature for a tampered index and untrusted_key for an unknown signer, naming the mirror', async () => {
    const { dir, publicKey } = await buildRegistry('tampered', [await toolPackage('acme.echo', '1.0.0', { permissions: KV, tag: 'v1' })]);
    const file = join(dir, 'index.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Test registry tampered', 'Test registry evil'));
    const b = await boot({ mirrors: [dir], trustedKeys: [publicKey] });
    const res = await b.api.get('/api/v1/marketplace/extensions', { token: b.token });
    expect(res).toMatchObject({ status: 502, body: { code: 'bad_signature' } });
    expect(res.body.msg).toContain(dir);
    expect((await b.api.get('/api/v1/marketplace/registry', { token: b.token })).body.code).toBe('bad_signature');

    const other = await buildRegistry('other-signer', [await toolPackage('acme.echo', '1.0.0', { permissions: KV, tag: 'v1' })]);
    const configure = (trustedKeys: string[]) => b.api.put('/api/v1/extensions/langbot.marketplace/config', { config: { mirrors: [other.dir], trustedKeys } }, { token: b.token });
    expect((await configure([publicKey])).status).toBe(200);
    const untrusted = await b.api.get('/api/v1/marketplace/extensions', { token: b.token });
    expect(untrusted).toMatchObject({ status: 502, body: { code: 'untrusted_key' } });
    expect(untrusted.body.msg).toContain(other.dir);
    expect((await configure([other.publicKey])).status).toBe(200);
    expect((await b.api.get('/api/v1/marketplace/extensions', { token: b.token })).body.data.extensions.map((e: { id: string }) => e.id)).toEqual(['acme.echo']);
  }, 60_000);
});

describe('marketplace API without settings', () => {
  it('reads the registry bundled with the installation, trusting its key', async () => {
    const b = await boot();
    const registry = await b.api.get('/api/v1/marketplace/registry', { token: b.token });
    expect(registry.status, JSON.stringify(registry.body)).toBe(200);
    expect(registry.body.data).toMatchObject({ mirror: join(REPO, 'marketplace', 'registry'), stale: false });
    const listed = (await b.api.get('/api/v1/marketplace/extensions', { token: b.token })).body.data.extensions;
    expect(listed.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('marketplace API without the marketplace extension', () => {
  it('answers 503 saying which extension to enable', async () => {
    const k = await startApiKernel();
    try {
      const token = await k.api.signUp();
      const res = await k.api.get('/api/v1/marketplace/extensions', { token });
      expect(res).toMatchObject({ status: 503, body: { code: 'marketplace_unavailable', msg: expect.stringContaining('langbot.marketplace') } });
    } finally {
      await k.kernel.stop();
    }
  }, 60_000);
});
