import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlJsPersistence } from '../../extensions/storage/persistence-sqljs/engine.js';
import { execute, loadSqlJs } from '../../extensions/storage/persistence-sqljs/sqljs.js';

async function open(options: { txTimeoutMs?: number; flushDelayMs?: number } = {}) {
  const SQL = await loadSqlJs();
  const file = join(mkdtempSync(join(tmpdir(), 'langbot-sqljs-')), 'db.sqlite');
  const warnings: string[] = [];
  const log = { debug: () => {}, info: () => {}, warn: (msg: string) => void warnings.push(msg), error: (msg: string) => void warnings.push(msg) };
  const store = new SqlJsPersistence(new SQL.Database(), file, options.flushDelayMs ?? 20, log, options.txTimeoutMs ?? 30_000);
  await store.execute({ sql: 'create table t (id integer primary key, v text)' });
  return { SQL, store, file, warnings };
}

const settled = async (p: Promise<unknown>) => Promise.race([p.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 50))]);

describe('sql.js persistence engine', () => {
  it('makes statements outside a transaction wait until it ends', async () => {
    const { store } = await open();
    const { tx } = await store.begin();
    await store.execute({ sql: 'insert into t (v) values (?)', parameters: ['in tx'], tx });
    const outside = store.execute({ sql: 'select count(*) as n from t' });
    expect(await settled(outside)).toBe(false);
    await store.commit({ tx });
    expect((await outside).rows).toEqual([{ n: 1 }]);
  });

  it('rolls back a transaction left open too long, with a log line', async () => {
    const { store, warnings } = await open({ txTimeoutMs: 100 });
    const { tx } = await store.begin();
    await store.execute({ sql: 'insert into t (v) values (?)', parameters: ['lost'], tx });
    await new Promise((r) => setTimeout(r, 200));
    await expect(store.commit({ tx })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(warnings.join('\n')).toMatch(/Rolled back transaction .* open longer than 100 ms/);
    expect((await store.execute({ sql: 'select count(*) as n from t' })).rows).toEqual([{ n: 0 }]);
  });

  it('reports changes and insert ids, and refuses raw transaction control', async () => {
    const { store } = await open();
    expect(await store.execute({ sql: 'insert into t (v) values (?), (?)', parameters: ['a', 'b'] })).toEqual({ rows: [], numAffectedRows: 2, insertId: 2 });
    expect((await store.execute({ sql: 'insert into t (v) values (?) returning id', parameters: ['c'] })).rows).toEqual([{ id: 3 }]);
    await expect(store.execute({ sql: 'BEGIN' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(store.execute({ sql: 'select nope from t' })).rejects.toMatchObject({ code: 'SQL_ERROR' });
  });

  it('saves writes to the file after the flush delay, atomically, and on close', async () => {
    const { SQL, store, file } = await open({ flushDelayMs: 30 });
    await store.execute({ sql: 'insert into t (v) values (?)', parameters: ['saved'] });
    await expect.poll(() => existsSync(file) && execute(new SQL.Database(readFileSync(file)), 'select v from t').rows, { timeout: 2000 }).toEqual([{ v: 'saved' }]);
    await store.execute({ sql: 'insert into t (v) values (?)', parameters: ['on close'] });
    await store.close();
    expect(execute(new SQL.Database(readFileSync(file)), 'select v from t order by id').rows).toEqual([{ v: 'saved' }, { v: 'on close' }]);
    await expect(store.execute({ sql: 'select 1' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
