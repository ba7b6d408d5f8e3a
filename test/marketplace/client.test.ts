/**
 * The registry client against real signed registry folders (built with marketplace/builder.ts) and the real
 * registry HTTP server: mirror failover, signature checks, the offline cache, package checksums and search.
 */
import { createServer, type Server } from 'node:http';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../marketplace/client/index.js';
import { MarketError } from '../../marketplace/errors.js';
import { serveRegistry } from '../../marketplace/server.js';
import { generateKeyPair } from '../../marketplace/signing.js';
import { sha256Hex } from '../../sdk/packaging/index.js';
import { makeRegistry, samplePackage, tempDirs, type SamplePackage } from './client-helpers.js';

const temp = tempDirs();
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await temp.cleanup();
});

const WEATHER = { id: 'acme.weather', version: '1.0.0', permissions: { network: true }, categories: ['utility'], keywords: ['forecast'] };

async function registry(packages: SamplePackage[] = [WEATHER]) {
  return makeRegistry(await temp.make(), packages);
}

async function client(mirrors: string[], trustedKeys: string[], options: { timeoutMs?: number; cacheDir?: string } = {}) {
  return new RegistryClient({ mirrors, trustedKeys, cacheDir: options.cacheDir ?? (await temp.make('langbot-cache-')), timeoutMs: options.timeoutMs });
}

async function caught(promise: Promise<unknown>): Promise<MarketError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MarketError);
  return error as MarketError;
}

/** A URL where nothing listens. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}`;
}

/** A server that accepts requests and never answers. */
async function hangingUrl(): Promise<string> {
  const server: Server = createServer(() => {});
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  closers.push(() => new Promise((done) => (server.closeAllConnections(), server.close(done))));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function served(dir: string): Promise<string> {
  const server = await serveRegistry(dir, { port: 0 });
  closers.push(() => server.close());
  return server.url;
}

/** A copy of the registry whose index.json was changed after signing. */
async function tamperedCopy(dir: string): Promise<string> {
  const copy = await temp.make();
  await cp(dir, copy, { recursive: true });
  const text = await readFile(join(copy, 'index.json'), 'utf8');
  await writeFile(join(copy, 'index.json'), text.replace('"Test registry"', '"Evil registry"'));
  return copy;
}

describe('mirror failover', () => {
  it('uses the second mirror when the first is down, and reports the first', async () => {
    const reg = await registry();
    const down = await deadUrl();
    const url = await served(reg.dir);
    const result = await (await client([down, url], [reg.publicKey])).index();
    expect(result).toMatchObject({ mirror: url, stale: false });
    expect(result.index.extensions.map((e) => e.id)).toEqual(['acme.weather']);
    expect(result.failures).toEqual([{ mirror: down, error: expect.stringMatching(/fetch failed|ECONNREFUSED/) }]);
  });

  it('gives up on a mirror that does not answer within the timeout', async () => {
    const reg = await registry();
    const hanging = await hangingUrl();
    const result = await (await client([hanging, reg.dir], [reg.publicKey], { timeoutMs: 200 })).index();
    expect(result.mirror).toBe(reg.dir);
    expect(result.failures).toEqual([{ mirror: hanging, error: 'timed out after 200 ms' }]);
  });

  it('reports a mirror serving a tampered index and uses the next one', async () => {
    const reg = await registry();
    const tampered = await tamperedCopy(reg.dir);
    const result = await (await client([tampered, pathToFileURL(reg.dir).href], [reg.publicKey])).index();
    expect(result.mirror).toBe(pathToFileURL(reg.dir).href);
    expect(result.index.name).toBe('Test registry');
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0].mirror).toBe(tampered);
    expect(result.failures[0].error).toMatch(/signature/i);
  });

  it('refuses an index signed with a key it does not trust, naming the mirror', async () => {
    const reg = await registry();
    const error = await caught((await client([reg.dir], [generateKeyPair().publicKey])).index());
    expect(error.code).toBe('untrusted_key');
    expect(error.message).toContain(reg.dir);
  });

  it('fails with bad_signature naming the mirror when only tampered copies are reachable', async () => {
    const reg = await registry();
    const tampered = await tamperedCopy(reg.dir);
    const error = await caught((await client([await deadUrl(), tampered], [reg.publicKey])).index());
    expect(error.code).toBe('bad_signature');
    expect(error.message).toContain(tampered);
    expect(error.details?.failures).toHaveLength(2);
  });
});

describe('offline cache', () => {
  it('serves the last verified index as stale when every mirror is down', async () => {
    const reg = await registry();
    const cacheDir = await temp.make('langbot-cache-');
    const fresh = await (await client([reg.dir], [reg.publicKey], { cacheDir })).index();
    await rm(reg.dir, { recursive: true });
    const offline = await (await client([reg.dir], [reg.publicKey], { cacheDir })).index();
    expect(offline).toMatchObject({ stale: true, mirror: reg.dir, fetchedAt: fresh.fetchedAt });
    expect(offline.index).toEqual(fresh.index);
    expect(offline.failures).toEqual([{ mirror: reg.dir, error: expect.stringContaining('not found') }]);
  });

  it('does not trust a cached index that was changed on disk', async () => {
    const reg = await registry();
    const cacheDir = await temp.make('langbot-cache-');
    await (await client([reg.dir], [reg.publicKey], { cacheDir })).index();
    await writeFile(join(cacheDir, 'index.json'), (await readFile(join(cacheDir, 'index.json'), 'utf8')).replace('Test registry', 'Evil'));
    const error = await caught((await client([await deadUrl()], [reg.publicKey], { cacheDir })).index());
    expect(error.code).toBe('registry_unavailable');
  });

  it('fails with registry_unavailable listing every mirror when nothing is cached', async () => {
    const down = await deadUrl();
    const missing = join(await temp.make(), 'no-registry-here');
    const error = await caught((await client([down, missing], [generateKeyPair().publicKey])).index());
    expect(error.code).toBe('registry_unavailable');
    expect(error.message).toContain(down);
    expect(error.message).toContain(missing);
    expect((error.details?.failures as unknown[]).length).toBe(2);
  });
});

describe('downloads', () => {
  it('downloads a package whose bytes match the index, then serves it from the cache', async () => {
    const reg = await registry();
    const cacheDir = await temp.make('langbot-cache-');
    const c = await client([await served(reg.dir)], [reg.publicKey], { cacheDir });
    const version = (await c.entry('acme.weather')).versions[0];
    const progress: number[] = [];
    const bytes = await c.download(version, (done) => progress.push(done));
    expect(sha256Hex(bytes)).toBe(version.package.sha256);
    expect(progress.at(-1)).toBe(version.package.size);
    await rm(reg.dir, { recursive: true });
    expect(sha256Hex(await c.download(version))).toBe(version.package.sha256);
  });

  it('refuses tampered package bytes with checksum_mismatch', async () => {
    const reg = await registry();
    const c = await client([reg.dir], [reg.publicKey]);
    const version = (await c.entry('acme.weather')).versions[0];
    // A valid package of the same id and version, but not the one the index was signed for.
    await writeFile(join(reg.dir, version.package.path), await samplePackage({ ...WEATHER, description: 'Now with a miner.' }));
    const error = await caught(c.download(version));
    expect(error.code).toBe('checksum_mismatch');
    expect(error.message).toContain(reg.dir);
  });

  it('takes the package from the next mirror when the first serves tampered bytes', async () => {
    const reg = await registry();
    const tampered = await temp.make();
    await cp(reg.dir, tampered, { recursive: true });
    const c = await client([tampered, reg.dir], [reg.publicKey]);
    const version = (await c.entry('acme.weather')).versions[0];
    const file = join(tampered, version.package.path);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(file, bytes);
    expect(sha256Hex(await c.download(version))).toBe(version.package.sha256);
  });
});

describe('search', () => {
  const packages = [
    { id: 'acme.weather', version: '1.0.0', categories: ['utility'], keywords: ['forecast'], description: 'Current weather and forecasts.' },
    { id: 'acme.weather', version: '1.1.0', categories: ['utility'], keywords: ['forecast'], description: 'Current weather and forecasts.' },
    { id: 'fun.dice', version: '0.1.0', categories: ['fun'], keywords: ['random'], description: 'Rolls dice for the weather gods.' },
    {
      id: 'acme.echo',
      version: '1.0.0',
      categories: ['utility'],
      description: 'Echoes commands.',
      contributes: { commands: [{ name: 'echo', description: { en_US: 'Echo.' } }] },
    },
  ];

  it('finds by text (every word, id and name first), by kind and by category', async () => {
    const reg = await registry(packages);
    const c = await client([reg.dir], [reg.publicKey]);
    expect((await c.search({ text: 'weather' })).map((e) => e.id)).toEqual(['acme.weather', 'fun.dice']);
    expect((await c.search({ text: 'WEATHER gods' })).map((e) => e.id)).toEqual(['fun.dice']);
    expect((await c.search({ text: 'forecast' })).map((e) => e.id)).toEqual(['acme.weather']);
    expect((await c.search({ kind: 'commands' })).map((e) => e.id)).toEqual(['acme.echo']);
    expect((await c.search({ category: 'utility' })).map((e) => e.id).sort()).toEqual(['acme.echo', 'acme.weather']);
    expect((await c.search({ category: 'utility', kind: 'tools' })).map((e) => e.id)).toEqual(['acme.weather']);
    expect(await c.search({ text: 'nothing-like-this' })).toEqual([]);
    const weather = await c.entry('acme.weather');
    expect(weather.latest).toBe('1.1.0');
    expect((await caught(c.entry('acme.missing'))).code).toBe('not_found');
  });
});
