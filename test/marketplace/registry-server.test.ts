import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addPackage, initRegistry, rebuildIndex } from '../../marketplace/builder.js';
import { MarketError } from '../../marketplace/errors.js';
import { parseIndex } from '../../marketplace/index-format.js';
import { serveRegistry, type RegistryServer } from '../../marketplace/server.js';
import { verifyIndexSignature } from '../../marketplace/signing.js';
import { createPackage, sha256Hex } from '../../sdk/packaging/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const tempDir = () => mkdtempSync(join(tmpdir(), 'langbot-registry-'));

/** A package of acme.weather (or `id`) at `version`; `note` changes its bytes without changing the version. */
function weather(version: string, options: { id?: string; note?: string; network?: boolean } = {}): Promise<Buffer> {
  const manifest = `id: ${options.id ?? 'acme.weather'}
version: ${version}
displayName: { en_US: Weather ${version}, zh_Hans: 天气 }
description: Forecasts
author: acme
license: MIT
categories: [utility]
keywords: [weather]
engines: { langbot: ^0.1.0 }
entry: ./dist/extension.js
permissions: { services: [tools], network: ${options.network ?? true} }
contributes:
  tools:
    - { name: weather, description: The weather, parameters: { type: object } }
  eventListeners:
    - { events: [message.*] }
`;
  return createPackage(
    new Map([
      ['manifest.yaml', Buffer.from(manifest)],
      ['dist/extension.js', Buffer.from(`export default {}; // ${options.note ?? ''}\n`)],
      ['README.md', Buffer.from(`# Weather ${version}\n`)],
    ]),
  );
}

async function rejection(promise: Promise<unknown>): Promise<MarketError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MarketError);
  return error as MarketError;
}

/** A GET with the path sent exactly as given (fetch would normalise `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(`${url}/`, { path }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode!, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

const verified = (dir: string, publicKey: string) => {
  const bytes = readFileSync(join(dir, 'index.json'));
  verifyIndexSignature(bytes, readFileSync(join(dir, 'index.json.sig'), 'utf8'), [publicKey]);
  return parseIndex(bytes);
};

describe('registry folder', () => {
  it('init creates a key pair, a publish token and an empty signed index; a second init is refused', async () => {
    const dir = join(tempDir(), 'registry');
    const { publicKey, token } = await initRegistry(dir, { name: 'Acme registry' });
    expect(readFileSync(join(dir, 'registry.pub'), 'utf8').trim()).toBe(publicKey);
    expect(readFileSync(join(dir, 'publish-token'), 'utf8').trim()).toBe(token);
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(statSync(join(dir, 'registry.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'publish-token')).mode & 0o777).toBe(0o600);
    expect(verified(dir, publicKey)).toMatchObject({ format: 'langbot-registry/1', name: 'Acme registry', extensions: [] });
    await expect(initRegistry(dir)).rejects.toThrow('is already a registry');
  });

  it('adds packages: newest version first, latest by semver, details from the latest, publishedAt kept on rebuild', async () => {
    const dir = tempDir();
    const { publicKey } = await initRegistry(dir);
    const day1 = new Date('2026-11-24T10:00:00.000Z');
    const day2 = new Date('2026-11-25T10:00:00.000Z');
    const added = await addPackage(dir, await weather('1.10.0'), { now: day1 });
    expect(added).toMatchObject({ id: 'acme.weather', version: '1.10.0', package: { path: 'packages/acme.weather-1.10.0.tgz' } });
    await addPackage(dir, await weather('1.9.0', { network: false }), { now: day2 });

    const [entry] = verified(dir, publicKey).extensions;
    expect(entry).toMatchObject({
      id: 'acme.weather',
      displayName: { en_US: 'Weather 1.10.0', zh_Hans: '天气' },
      description: { en_US: 'Forecasts' },
      author: 'acme',
      license: 'MIT',
      repository: null,
      icon: null,
      categories: ['utility'],
      keywords: ['weather'],
      kinds: ['tools', 'eventListeners'],
      latest: '1.10.0',
    });
    expect(entry.versions.map((v) => [v.version, v.publishedAt])).toEqual([
      ['1.10.0', day1.toISOString()],
      ['1.9.0', day2.toISOString()],
    ]);
    expect(entry.versions[0]).toMatchObject({
      engines: { langbot: '^0.1.0' },
      isolation: 'process',
      permissions: { services: ['tools'], network: true },
      contributes: { tools: ['weather'], eventListeners: ['message.*'] },
      readme: '# Weather 1.10.0\n',
    });
    expect(entry.versions[1].permissions).toEqual({ services: ['tools'], network: false });
    const bytes = readFileSync(join(dir, entry.versions[0].package.path));
    expect(entry.versions[0].package).toMatchObject({ sha256: sha256Hex(bytes), size: bytes.length });

    const rebuilt = await rebuildIndex(dir, { now: new Date('2027-01-01T00:00:00.000Z') });
    expect(rebuilt.generatedAt).toBe('2027-01-01T00:00:00.000Z');
    expect(rebuilt.extensions[0].versions.map((v) => v.publishedAt)).toEqual([day1.toISOString(), day2.toISOString()]);
    expect(verified(dir, publicKey)).toEqual(rebuilt);
  });

  it('refuses other bytes for a published version (version_exists) and a bad package (bad_package); the same bytes change nothing', async () => {
    const dir = tempDir();
    await initRegistry(dir);
    const original = await weather('1.0.0');
    await addPackage(dir, original);
    const indexBefore = readFileSync(join(dir, 'index.json'), 'utf8');

    const conflict = await rejection(addPackage(dir, await weather('1.0.0', { note: 'changed' })));
    expect(conflict.code).toBe('version_exists');
    expect(conflict.message).toContain('acme.weather 1.0.0 is already in the registry');
    expect((await addPackage(dir, original)).package.sha256).toBe(sha256Hex(original));
    expect(readFileSync(join(dir, 'index.json'), 'utf8')).toBe(indexBefore);

    const bad = await rejection(addPackage(dir, Buffer.from('not a package')));
    expect(bad.code).toBe('bad_package');
    expect(bad.details).toMatchObject({ reason: 'bad_archive' });
    expect(readdirSync(join(dir, 'packages'))).toEqual(['acme.weather-1.0.0.tgz']);
    expect(readFileSync(join(dir, 'packages', 'acme.weather-1.0.0.tgz')).equals(original)).toBe(true);
  });

  it('rebuildIndex refuses a corrupted package in packages/, naming the file', async () => {
    const dir = tempDir();
    await initRegistry(dir);
    await addPackage(dir, await weather('1.0.0'));
    writeFileSync(join(dir, 'packages', 'acme.weather-1.0.0.tgz'), (await weather('1.0.0')).subarray(0, 100));
    const error = await rejection(rebuildIndex(dir));
    expect(error.code).toBe('bad_package');
    expect(error.message).toMatch(/^packages\/acme\.weather-1\.0\.0\.tgz: /);
  });
});

describe('registry server', () => {
  let server: RegistryServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function served() {
    const dir = tempDir();
    const { publicKey, token } = await initRegistry(dir);
    server = await serveRegistry(dir, { port: 0 });
    const publish = (bytes: Uint8Array, auth = `Bearer ${token}`) =>
      fetch(`${server!.url}/publish`, { method: 'POST', body: bytes, headers: { authorization: auth } });
    return { dir, publicKey, token, url: server.url, publish };
  }

  it('publishes with the token; the served index lists the package, verifies, and the package downloads intact', async () => {
    const { publicKey, url, publish } = await served();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const bytes = await weather('2.0.0');
    const response = await publish(bytes);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 'acme.weather', version: '2.0.0', sha256: sha256Hex(bytes), size: bytes.length });

    const index = await fetch(`${url}/index.json`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const indexBytes = Buffer.from(await index.arrayBuffer());
    const sig = await (await fetch(`${url}/index.json.sig`)).text();
    expect(verifyIndexSignature(indexBytes, sig, [publicKey]).publicKey).toBe(publicKey);
    const [entry] = parseIndex(indexBytes).extensions;
    expect(entry).toMatchObject({ id: 'acme.weather', latest: '2.0.0' });
    expect((await (await fetch(`${url}/registry.pub`)).text()).trim()).toBe(publicKey);

    const download = await fetch(`${url}/${entry.versions[0].package.path}`);
    expect(download.headers.get('content-type')).toBe('application/gzip');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    const etag = index.headers.get('etag')!;
    expect((await fetch(`${url}/index.json`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('answers 401 without the right token, 409 for other bytes of a published version, 400 for a bad package', async () => {
    const { url, publish } = await served();
    for (const auth of ['Bearer wrong', '', 'Basic abc']) {
      const response = await publish(await weather('1.0.0'), auth);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('publish token') } });
    }
    expect(parseIndex(await (await fetch(`${url}/index.json`)).text()).extensions).toEqual([]);

    expect((await publish(await weather('1.0.0'))).status).toBe(201);
    expect((await publish(await weather('1.0.0'))).status).toBe(201);
    const conflict = await publish(await weather('1.0.0', { note: 'other bytes' }));
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: 'version_exists' } });

    const bad = await publish(Buffer.from('garbage'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_package', message: expect.stringContaining('not a gzip') } });
  });

  it('refuses a body larger than the package limit before reading it', async () => {
    const { url, token } = await served();
    const status = await new Promise<number>((done, fail) => {
      const req = request(`${url}/publish`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-length': String(65 * 1024 * 1024) },
      });
      req.on('response', (res) => done(res.statusCode!));
      req.on('error', fail);
      req.write(Buffer.alloc(1024));
    });
    expect(status).toBe(413);
  });

  it('serves nothing outside the public files: traversal, secrets and unknown paths are 404', async () => {
    const { url, publish } = await served();
    await publish(await weather('1.0.0'));
    for (const path of [
      '/registry.key',
      '/publish-token',
      '/packages/../registry.key',
      '/packages/..%2fregistry.key',
      '/packages/%2e%2e%2fpublish-token',
      '/packages/..%5cregistry.key',
      '/packages/',
      '/packages/missing-1.0.0.tgz',
      '/packages/acme.weather-1.0.0.tgz/x',
      '/index.json/../registry.key',
      '/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const response = await rawGet(url, path);
      expect(response.status, path).toBe(404);
      expect(JSON.parse(response.body).error.code, path).toBe('not_found');
      expect(response.body).not.toContain('PRIVATE KEY');
    }
    expect((await rawGet(url, '/packages/acme.weather-1.0.0.tgz')).status).toBe(200);
  });
});

describe('langbot market CLI', () => {
  const CLI = join(ROOT, 'dist', 'market.mjs');
  const market = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(process.execPath, [CLI, ...args], { cwd: ROOT }, (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })),
    );

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  });

  it('init, add and index a registry folder; a bad package is refused with its reason', async () => {
    const dir = join(tempDir(), 'registry');
    const init = await market('init', dir, '--name', 'CLI registry');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Public key \(clients trust it with --trust\): ed25519:\S+ \(key id [0-9a-f]{16}\)/);
    const file = join(tempDir(), 'acme.weather-1.0.0.tgz');
    writeFileSync(file, await weather('1.0.0'));
    const add = await market('add', dir, file);
    expect(add.stdout).toContain('Added acme.weather 1.0.0 (packages/acme.weather-1.0.0.tgz, sha256 ');
    expect((await market('index', dir)).stdout).toContain('Indexed 1 extensions (1 versions)');

    writeFileSync(file, 'not a package');
    const bad = await market('add', dir, file);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('langbot market: The package is not a gzip-compressed tar archive');
    expect(bad.stderr).toContain('[bad_package]');
    const missing = await market('serve', join(dir, 'nowhere'));
    expect(missing.stderr).toContain('is not a registry (no index.json)');
  });

  it('`langbot market serve` prints the URL, the public key and how to publish, serves the index, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const { publicKey, token } = await initRegistry(dir, { name: 'Served' });
    const langbot = join(ROOT, 'dist', 'langbot.mjs');
    const child = spawn(process.execPath, [langbot, 'market', 'serve', dir, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let url = '';
    try {
      let stdout = '';
      url = await new Promise<string>((done, fail) => {
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          if (stdout.includes('publish with:')) done(/at (http:\/\/\S+)/.exec(stdout)![1]);
        });
        child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${stdout}`)));
      });
      expect(stdout).toContain(`Serving registry "Served" (0 extensions) at ${url}`);
      expect(stdout).toContain(`Public key: ${publicKey}`);
      expect(stdout).toContain(`publish with: npx langbot-ext publish --registry ${url} --token ${token}`);
      expect(parseIndex(await (await fetch(`${url}/index.json`)).text()).name).toBe('Served');
    } finally {
      child.kill('SIGTERM');
    }
    await exited;
    await expect(fetch(`${url}/index.json`)).rejects.toThrow();
  });
});
