import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Kernel } from '../../kernel/kernel.js';
import { CORE_TABLES } from '../../sdk/persistence/index.js';
import { startTestKernel } from '../support/kernel-harness.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { PostgresPersistence, createPool } from '../../extensions/storage/persistence-postgres/engine.js';

const REPO = resolve(import.meta.dirname, '../..');
const FIXTURES = join(REPO, 'test/fixtures/extensions-persistence');
const PROVIDER = 'langbot.persistence-postgres';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** A built-in root holding copies of the PostgreSQL extension and the consumer fixture (no sql.js extension). */
function builtinRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'langbot-persistence-pg-ext-'));
  cpSync(join(REPO, 'extensions/storage/persistence-postgres'), join(root, 'persistence-postgres'), { recursive: true });
  cpSync(join(FIXTURES, 'consumer'), join(root, 'consumer'), { recursive: true });
  return root;
}

/** A data folder whose kernel.json points the extension at the test server. */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'langbot-kernel-pg-'));
  const state = { version: 1, settings: {}, extensions: { [PROVIDER]: { enabled: true, config: { url: server.url } } } };
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(state, null, 2));
  return dir;
}

const kernels: Kernel[] = [];
async function boot(options: { dataDir?: string; builtinRoot?: string } = {}) {
  const kernel = await startTestKernel({ watch: false, builtinRoot: options.builtinRoot ?? builtinRoot(), dataDir: options.dataDir ?? dataDir() });
  kernels.push(kernel);
  return kernel;
}

/** Every test starts from an empty database. */
async function resetDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query('drop schema public cascade; create schema public');
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  await Promise.all(kernels.splice(0).map((k) => k.stop()));
  await resetDatabase();
});

const consumer = (kernel: Kernel, method: string, args: Record<string, unknown> = {}) =>
  kernel.manager.invoke('tools', 'persistence-consumer', method, args, { timeoutMs: 15_000 }) as Promise<any>;

describe('persistence (PostgreSQL)', () => {
  it('waits for first use, then migrates every core table into the database', async () => {
    const kernel = await boot();
    expect(kernel.manager.get(PROVIDER)?.state).toBe('pending');
    const tables: string[] = await consumer(kernel, 'pgTables');
    expect(tables).toEqual(expect.arrayContaining([...CORE_TABLES, 'langbot_migrations']));
    expect(kernel.manager.get(PROVIDER)?.state).toBe('active');
    expect(await consumer(kernel, 'info')).toMatchObject({ dialect: 'postgres', engine: 'postgresql', version: expect.stringMatching(/^\d+/) });
  });

  it('writes and reads back through a worker extension, with JSON columns and defaults', async () => {
    const kernel = await boot();
    expect(await consumer(kernel, 'insertBot', { uuid: 'b-1', name: 'Beta' })).toEqual({ inserted: 1 });
    expect(await consumer(kernel, 'insertBot', { uuid: 'b-2', name: 'Alpha' })).toEqual({ inserted: 1 });
    expect(await consumer(kernel, 'listBots')).toEqual([
      { uuid: 'b-2', name: 'Alpha', adapter_config: { token: 'x' }, enable: 0 },
      { uuid: 'b-1', name: 'Beta', adapter_config: { token: 'x' }, enable: 0 },
    ]);
    expect(await consumer(kernel, 'count', { table: 'bots' })).toEqual({ count: 2 });
  });

  it('leaves nothing behind when a transaction fails halfway, and serves statements afterwards', async () => {
    const kernel = await boot();
    await consumer(kernel, 'insertBot', { uuid: 'keep', name: 'Keep' });
    const outcome = await consumer(kernel, 'failingTransaction', { prefix: 'tx' });
    expect(outcome).toMatchObject({ failed: true, code: 'SQL_ERROR', message: expect.stringMatching(/duplicate key/) });
    expect(await consumer(kernel, 'count', { table: 'bots' })).toEqual({ count: 1 });
    expect(await consumer(kernel, 'insertBot', { uuid: 'after', name: 'After' })).toEqual({ inserted: 1 });
  });

  it('keeps data across a kernel restart, and migrating again applies nothing', async () => {
    const root = builtinRoot();
    const first = await boot({ builtinRoot: root });
    await consumer(first, 'insertBot', { uuid: 'persisted', name: 'Persisted' });
    expect(await consumer(first, 'migrate')).toEqual({ core: [], own: ['0001_notes'] });
    expect(await consumer(first, 'migrate')).toEqual({ core: [], own: [] });
    await first.stop();
    kernels.splice(kernels.indexOf(first), 1);

    const second = await boot({ builtinRoot: root, dataDir: first.dataDir });
    expect((await consumer(second, 'listBots')).map((b: { uuid: string }) => b.uuid)).toEqual(['persisted']);
    expect(await consumer(second, 'migrate')).toEqual({ core: [], own: [] });
    expect(await consumer(second, 'count', { table: 'langbot_migrations' })).toEqual({ count: 3 });
  });
});

describe('PostgresPersistence (the service itself)', () => {
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const open = async (idleMs?: number) => {
    const pool = createPool(server.url, 3, log);
    const store = new PostgresPersistence(pool, 'test', log, idleMs);
    await store.execute({ sql: 'create table t (id integer primary key, v text)' });
    return store;
  };

  it('reports changed rows, SQL errors with the SQLSTATE, and refuses transaction statements', async () => {
    const store = await open();
    try {
      expect(await store.execute({ sql: 'insert into t values ($1, $2), ($3, $4)', parameters: [1, 'a', 2, 'b'] })).toEqual({ rows: [], numAffectedRows: 2 });
      expect(await store.execute({ sql: 'update t set v = $1', parameters: ['c'] })).toEqual({ rows: [], numAffectedRows: 2 });
      expect(await store.execute({ sql: 'select count(*) as n from t' })).toEqual({ rows: [{ n: 2 }] });
      await expect(store.execute({ sql: 'insert into t values (1, $1)', parameters: ['dup'] })).rejects.toMatchObject({ code: 'SQL_ERROR', details: { code: '23505' } });
      await expect(store.execute({ sql: 'commit' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    } finally {
      await store.close();
    }
  });

  it('holds one connection per transaction, isolates it, and rolls it back after the idle timeout', async () => {
    const store = await open(300);
    try {
      const { tx } = await store.begin({ isolationLevel: 'serializable' });
      await store.execute({ sql: 'insert into t values (1, $1)', parameters: ['in tx'], tx });
      expect(await store.execute({ sql: 'select count(*) as n from t' })).toEqual({ rows: [{ n: 0 }] });
      await new Promise((r) => setTimeout(r, 600));
      await expect(store.commit({ tx })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await store.execute({ sql: 'select count(*) as n from t' })).toEqual({ rows: [{ n: 0 }] });

      const second = await store.begin();
      await store.execute({ sql: 'insert into t values (2, $1)', parameters: ['kept'], tx: second.tx });
      await store.commit(second);
      expect(await store.execute({ sql: 'select v from t' })).toEqual({ rows: [{ v: 'kept' }] });
    } finally {
      await store.close();
    }
  });
});
