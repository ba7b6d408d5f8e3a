import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database as SqlJsDatabase } from 'sql.js';
import {
  admitStatement,
  RpcError,
  RpcErrorCode,
  type ExtensionLogger,
  type PersistenceBeginResult,
  type PersistenceExecuteParams,
  type PersistenceExecuteResult,
  type PersistenceInfo,
  type PersistenceTxParams,
} from '@langbot-ts/sdk';
import { execute } from './sqljs.js';

export const TX_TIMEOUT_MS = 30_000;
/** A statement that would break the service's own transaction bookkeeping. */
const TX_CONTROL = /^\s*(begin|commit|end|rollback(?!\s+(transaction\s+)?to\b))\b/i;
const SAVEPOINT = /^\s*(savepoint|release|rollback\s+(transaction\s+)?to)\b/i;
const READ_ONLY = /^\s*(select|explain)\b/i;

/** A FIFO lock: the single sql.js connection serves one statement or one transaction at a time. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return acquired;
  }
}

interface OpenTransaction {
  id: string;
  release: () => void;
  timer: NodeJS.Timeout;
}

/**
 * The `persistence` service over one sql.js database: statements outside a transaction wait while one is open; a
 * transaction open longer than 30 s is rolled back; writes reach the file `flushDelayMs` after they happen (export →
 * temporary file → rename) and on close. Exporting copies the whole database, so as it grows the delay stretches
 * to ten times the last export's duration: saving never takes more than about a tenth of the time.
 */
export class SqlJsPersistence {
  private readonly mutex = new Mutex();
  private tx: OpenTransaction | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private lastExportMs = 0;

  constructor(
    private readonly db: SqlJsDatabase,
    private readonly file: string,
    private readonly flushDelayMs: number,
    private readonly log: ExtensionLogger,
    private readonly txTimeoutMs = TX_TIMEOUT_MS,
  ) {
    this.tune();
  }

  /**
   * Per-connection settings, applied again after every export (which reopens the database). The whole database
   * is in memory and saved by export, so a rollback journal in sql.js's emulated file system only costs time.
   */
  private tune(): void {
    this.db.exec('PRAGMA journal_mode = MEMORY; PRAGMA temp_store = MEMORY;');
  }

  info(): PersistenceInfo {
    const version = this.db.exec('select sqlite_version()')[0]?.values[0]?.[0];
    return { dialect: 'sqlite', engine: 'sql.js', version: String(version) };
  }

  async execute(params: PersistenceExecuteParams): Promise<PersistenceExecuteResult> {
    const { sql, parameters, tx } = admitStatement(params, { txControl: TX_CONTROL, savepoint: SAVEPOINT });
    if (tx !== undefined) {
      this.requireTx(tx);
      return this.run(sql, parameters);
    }
    const release = await this.acquire();
    try {
      return this.run(sql, parameters);
    } finally {
      release();
    }
  }

  async begin(): Promise<PersistenceBeginResult> {
    const release = await this.acquire();
    try {
      this.db.run('begin');
    } catch (e) {
      release();
      throw sqlError(e);
    }
    const id = randomUUID();
    const timer = setTimeout(() => {
      this.log.warn(`Rolled back transaction ${id}: it was open longer than ${this.txTimeoutMs} ms.`, { tx: id });
      this.finish(id, 'rollback');
    }, this.txTimeoutMs);
    timer.unref?.();
    this.tx = { id, release, timer };
    return { tx: id };
  }

  async commit(params: PersistenceTxParams): Promise<{ ok: true }> {
    this.requireTx(params?.tx);
    this.finish(params.tx, 'commit');
    return { ok: true };
  }

  async rollback(params: PersistenceTxParams): Promise<{ ok: true }> {
    this.requireTx(params?.tx);
    this.finish(params.tx, 'rollback');
    return { ok: true };
  }

  /** Saves the database now (waiting for an open transaction to end). */
  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const release = await this.mutex.lock();
    let bytes: Uint8Array;
    try {
      // export() needs no transaction open: it reopens the database.
      const started = performance.now();
      bytes = this.db.export();
      this.tune();
      this.lastExportMs = performance.now() - started;
    } finally {
      release();
    }
    const write = this.writing.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, this.file);
    });
    this.writing = write.catch(() => {});
    await write;
  }

  /** Rolls back an open transaction, saves and closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.tx) {
      this.log.warn(`Rolled back transaction ${this.tx.id}: the extension is stopping.`, { tx: this.tx.id });
      this.finish(this.tx.id, 'rollback');
    }
    await this.flush();
    this.closed = true;
    this.db.close();
  }

  private async acquire(): Promise<() => void> {
    if (this.closed) throw new RpcError(RpcErrorCode.Unavailable, 'The database is closed.');
    const release = await this.mutex.lock();
    if (this.closed) {
      release();
      throw new RpcError(RpcErrorCode.Unavailable, 'The database is closed.');
    }
    return release;
  }

  private run(sql: string, parameters: unknown[]): PersistenceExecuteResult {
    let result: PersistenceExecuteResult;
    try {
      result = execute(this.db, sql, parameters);
    } catch (e) {
      throw sqlError(e);
    }
    if (!READ_ONLY.test(sql)) this.scheduleFlush();
    return result;
  }

  private requireTx(id: unknown): asserts id is string {
    if (typeof id !== 'string' || this.tx?.id !== id) {
      throw new RpcError(RpcErrorCode.NotFound, `No open transaction '${String(id)}': it ended, expired after ${this.txTimeoutMs} ms, or never existed.`, { tx: id });
    }
  }

  private finish(id: string, how: 'commit' | 'rollback'): void {
    const tx = this.tx;
    if (!tx || tx.id !== id) return;
    this.tx = undefined;
    clearTimeout(tx.timer);
    try {
      this.db.run(how);
    } catch (e) {
      // A failed commit leaves the transaction open in SQLite: undo it so the connection is usable again.
      if (how === 'commit') {
        try {
          this.db.run('rollback');
        } catch {
          // already ended
        }
      }
      throw sqlError(e);
    } finally {
      tx.release();
      if (how === 'commit') this.scheduleFlush();
    }
  }

  /** The first write after a save starts the timer; later writes ride along, so none waits longer than the delay. */
  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((e) => this.log.error(`Could not save the database to ${this.file}: ${(e as Error).message}`));
    }, Math.max(this.flushDelayMs, 10 * this.lastExportMs));
    this.flushTimer.unref?.();
  }
}

function sqlError(e: unknown): RpcError {
  if (RpcError.is(e)) return e;
  return new RpcError('SQL_ERROR', (e as Error)?.message ?? String(e));
}
