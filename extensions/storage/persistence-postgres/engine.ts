import { randomUUID } from 'node:crypto';
import pg, { type Pool, type PoolClient, type QueryResult } from 'pg';
import {
  admitStatement,
  RpcError,
  RpcErrorCode,
  type ExtensionLogger,
  type PersistenceBeginParams,
  type PersistenceBeginResult,
  type PersistenceExecuteParams,
  type PersistenceExecuteResult,
  type PersistenceInfo,
  type PersistenceTxParams,
} from '@langbot-ts/sdk';

/** A transaction idle (no statement) this long is rolled back and its connection returned to the pool. */
export const TX_IDLE_TIMEOUT_MS = 30_000;
/** A statement that would break the service's own transaction bookkeeping. */
const TX_CONTROL = /^\s*(begin|start\s+transaction|commit|end|abort|rollback(?!\s+(transaction\s+|work\s+)?to\b)|prepare\s+transaction|commit\s+prepared|rollback\s+prepared)\b/i;
const SAVEPOINT = /^\s*(savepoint|release|rollback\s+(transaction\s+|work\s+)?to)\b/i;
const ISOLATION_LEVELS = new Set(['read uncommitted', 'read committed', 'repeatable read', 'serializable']);
const ACCESS_MODES = new Set(['read only', 'read write']);
/** Commands whose row count PostgreSQL reports as the rows they changed. */
const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** int8 (e.g. count(*)) as a number when it fits, like SQLite's integers; otherwise the exact text. */
const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') {
      return (value: string) => {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : value;
      };
    }
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** The pool the service runs on: `max` connections, int8 parsed as numbers, dropped idle connections logged. */
export function createPool(url: string, max: number, log: ExtensionLogger): Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, application_name: 'langbot' });
  // An idle pooled connection that drops (server restart, network) emits 'error'; unhandled, it would crash LangBot.
  pool.on('error', (e) => log.warn(`A pooled PostgreSQL connection failed: ${e.message}`));
  return pool;
}

interface OpenTransaction {
  id: string;
  client: PoolClient;
  timer: NodeJS.Timeout | undefined;
  /** Statements of one transaction run one after another on its client. */
  busy: Promise<unknown>;
}

/**
 * The `persistence` service over a `pg` pool: a statement outside a transaction takes any pooled connection; a
 * transaction holds a dedicated connection from `begin` until `commit` / `rollback`, and is rolled back when it has
 * been idle for 30 s. Several transactions may be open at once (PostgreSQL isolates them).
 */
export class PostgresPersistence {
  private readonly txs = new Map<string, OpenTransaction>();
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly serverVersion: string,
    private readonly log: ExtensionLogger,
    private readonly txIdleTimeoutMs = TX_IDLE_TIMEOUT_MS,
  ) {}

  info(): PersistenceInfo {
    return { dialect: 'postgres', engine: 'postgresql', version: this.serverVersion };
  }

  async execute(params: PersistenceExecuteParams): Promise<PersistenceExecuteResult> {
    const { sql, parameters, tx } = admitStatement(params, { txControl: TX_CONTROL, savepoint: SAVEPOINT });
    this.requireOpen();
    if (tx !== undefined) {
      const open = this.requireTx(tx);
      clearTimeout(open.timer);
      const run = open.busy.then(() => this.run(open.client, sql, parameters));
      open.busy = run.catch(() => {});
      try {
        return await run;
      } finally {
        if (this.txs.get(open.id) === open) this.armTimer(open);
      }
    }
    return this.run(this.pool, sql, parameters);
  }

  async begin(params?: PersistenceBeginParams): Promise<PersistenceBeginResult> {
    this.requireOpen();
    let statement = 'begin';
    const isolation = params?.isolationLevel?.toLowerCase();
    const access = params?.accessMode?.toLowerCase();
    if (isolation !== undefined) {
      if (!ISOLATION_LEVELS.has(isolation)) throw new RpcError(RpcErrorCode.ValidationFailed, `Unknown isolation level '${isolation}'.`);
      statement += ` isolation level ${isolation}`;
    }
    if (access !== undefined) {
      if (!ACCESS_MODES.has(access)) throw new RpcError(RpcErrorCode.ValidationFailed, `Unknown access mode '${access}'.`);
      statement += `${isolation !== undefined ? ',' : ''} ${access}`;
    }
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw sqlError(e);
    }
    // A connection lost while checked out emits 'error'; without a listener that would crash the process.
    const onError = (e: Error) => this.log.warn(`A transaction's connection failed: ${e.message}`);
    client.on('error', onError);
    try {
      await client.query(statement);
    } catch (e) {
      client.off('error', onError);
      client.release(e as Error);
      throw sqlError(e);
    }
    const open: OpenTransaction = { id: randomUUID(), client, timer: undefined, busy: Promise.resolve() };
    this.txs.set(open.id, open);
    this.armTimer(open);
    return { tx: open.id };
  }

  async commit(params: PersistenceTxParams): Promise<{ ok: true }> {
    await this.finish(this.requireTx(params?.tx), 'commit');
    return { ok: true };
  }

  async rollback(params: PersistenceTxParams): Promise<{ ok: true }> {
    await this.finish(this.requireTx(params?.tx), 'rollback');
    return { ok: true };
  }

  /** Rolls back open transactions and closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      [...this.txs.values()].map((open) => {
        this.log.warn(`Rolled back transaction ${open.id}: the extension is stopping.`, { tx: open.id });
        return this.finish(open, 'rollback').catch(() => {});
      }),
    );
    await this.pool.end();
  }

  private armTimer(open: OpenTransaction): void {
    clearTimeout(open.timer);
    open.timer = setTimeout(() => {
      this.log.warn(`Rolled back transaction ${open.id}: it was idle longer than ${this.txIdleTimeoutMs} ms.`, { tx: open.id });
      this.finish(open, 'rollback').catch((e) => this.log.error(`Could not roll back transaction ${open.id}: ${(e as Error).message}`));
    }, this.txIdleTimeoutMs);
    open.timer.unref?.();
  }

  private async finish(open: OpenTransaction, how: 'commit' | 'rollback'): Promise<void> {
    if (this.txs.get(open.id) !== open) return;
    this.txs.delete(open.id);
    clearTimeout(open.timer);
    await open.busy;
    let broken: Error | undefined;
    try {
      // A commit of a transaction that already failed reports ROLLBACK; treat it as the failure it is.
      const result = await open.client.query(how);
      if (how === 'commit' && result.command === 'ROLLBACK') {
        throw new RpcError('SQL_ERROR', 'The transaction was rolled back because a statement in it failed.', { code: '25P02' });
      }
    } catch (e) {
      if (!RpcError.is(e)) {
        broken = e as Error;
        // Leave the connection clean if it is still usable.
        if (how === 'commit') await open.client.query('rollback').then(() => (broken = undefined), () => {});
      }
      throw sqlError(e);
    } finally {
      open.client.removeAllListeners('error');
      open.client.release(broken);
    }
  }

  private async run(target: Pool | PoolClient, sql: string, parameters: unknown[]): Promise<PersistenceExecuteResult> {
    let result: QueryResult<Record<string, unknown>>;
    try {
      result = await target.query<Record<string, unknown>>(sql, parameters);
    } catch (e) {
      throw sqlError(e);
    }
    // pg answers an array for a multi-statement string; report the last, like SQLite's last statement.
    const last = (Array.isArray(result) ? result[result.length - 1] : result) as QueryResult<Record<string, unknown>>;
    const rows = last?.rows ?? [];
    const reader = (last?.fields?.length ?? 0) > 0;
    if (reader) return { rows };
    // PostgreSQL has no rowid: there is no insertId to report.
    return { rows, numAffectedRows: WRITES.has(last?.command ?? '') ? (last.rowCount ?? 0) : 0 };
  }

  private requireOpen(): void {
    if (this.closed) throw new RpcError(RpcErrorCode.Unavailable, 'The database is closed.');
  }

  private requireTx(id: unknown): OpenTransaction {
    const open = typeof id === 'string' ? this.txs.get(id) : undefined;
    if (!open) {
      throw new RpcError(RpcErrorCode.NotFound, `No open transaction '${String(id)}': it ended, was idle longer than ${this.txIdleTimeoutMs} ms, or never existed.`, { tx: id });
    }
    return open;
  }
}

/** PostgreSQL errors become `SQL_ERROR` with the SQLSTATE (and what else the server said) in the details. */
export function sqlError(e: unknown): RpcError {
  if (RpcError.is(e)) return e;
  const err = e as { message?: string; code?: unknown; detail?: unknown; constraint?: unknown; table?: unknown; column?: unknown; severity?: unknown };
  const details: Record<string, unknown> = {};
  for (const key of ['code', 'severity', 'detail', 'constraint', 'table', 'column'] as const) {
    if (typeof err?.[key] === 'string') details[key] = err[key];
  }
  return new RpcError('SQL_ERROR', err?.message ?? String(e), details);
}
