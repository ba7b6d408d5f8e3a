import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { ExtensionContext } from '../../kernel/api/index.js';
import type { Database } from './schema.js';

/** The service every persistence extension provides (`services: { provides: [persistence] }`). */
export const PERSISTENCE_SERVICE = 'persistence';

/**
 * The `persistence` service contract. Values cross RPC as JSON: parameters are strings, numbers, null (the driver
 * turns Dates into ISO text, booleans into 0/1, bigints into numbers); counts come back as numbers.
 */
export interface PersistenceInfo {
  /** Which SQL the service speaks: the query compiler a client must use. */
  dialect: 'sqlite' | 'postgres';
  /** The engine behind it, e.g. `sql.js`. */
  engine: string;
  /** The engine's version, e.g. SQLite's `3.49.1`. */
  version: string;
}
export type PersistenceExecuteParams = { sql: string; parameters?: unknown[]; tx?: string };
export type PersistenceExecuteResult = { rows: Record<string, unknown>[]; numAffectedRows?: number; insertId?: number };
export type PersistenceBeginParams = { isolationLevel?: string; accessMode?: string };
export type PersistenceBeginResult = { tx: string };
export type PersistenceTxParams = { tx: string };

/** What the driver needs from an extension context. */
export type PersistenceCaller = Pick<ExtensionContext, 'call'>;

function toWire(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) throw new TypeError('Binary query parameters are not supported by the persistence service yet.');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value;
}

class RemoteConnection implements DatabaseConnection {
  /** The service-side transaction this connection is in, if any. */
  tx: string | undefined;

  constructor(private readonly caller: PersistenceCaller) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const params: PersistenceExecuteParams = { sql: query.sql, parameters: query.parameters.map(toWire) };
    if (this.tx) params.tx = this.tx;
    const result = await this.caller.call<PersistenceExecuteResult>(PERSISTENCE_SERVICE, 'execute', params);
    return {
      rows: result.rows as R[],
      ...(result.numAffectedRows != null ? { numAffectedRows: BigInt(result.numAffectedRows) } : {}),
      ...(result.insertId != null ? { insertId: BigInt(result.insertId) } : {}),
    };
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // The service answers whole results; stream them row by row.
    const { rows } = await this.executeQuery<R>(query);
    for (const row of rows) yield { rows: [row] };
  }
}

class RemoteDriver implements Driver {
  constructor(private readonly caller: PersistenceCaller) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // Cheap: the connection is a handle; the service serialises statements on its side.
    return new RemoteConnection(this.caller);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const params: PersistenceBeginParams = {};
    if (settings.isolationLevel) params.isolationLevel = settings.isolationLevel;
    if (settings.accessMode) params.accessMode = settings.accessMode;
    const { tx } = await this.caller.call<PersistenceBeginResult>(PERSISTENCE_SERVICE, 'begin', params);
    (connection as RemoteConnection).tx = tx;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.end(connection as RemoteConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.end(connection as RemoteConnection, 'rollback');
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}

  private async end(connection: RemoteConnection, method: 'commit' | 'rollback'): Promise<void> {
    const tx = connection.tx;
    if (!tx) throw new Error(`Cannot ${method}: the connection is not in a transaction.`);
    connection.tx = undefined;
    await this.caller.call(PERSISTENCE_SERVICE, method, { tx } satisfies PersistenceTxParams);
  }
}

/**
 * A Kysely dialect for extensions that do not hold the database: queries are compiled here (SQLite or PostgreSQL
 * SQL, as the service's `info()` says) and run by the `persistence` service over RPC. Transactions map to the
 * service's `begin` / `commit` / `rollback`; the service runs one transaction at a time and rolls back one left
 * open too long. Do not use the outer `db` inside `db.transaction()`: it would wait for the transaction to end.
 */
export class RemotePersistenceDialect implements Dialect {
  constructor(
    private readonly caller: PersistenceCaller,
    private readonly info: Pick<PersistenceInfo, 'dialect'>,
  ) {}

  createDriver(): Driver {
    return new RemoteDriver(this.caller);
  }

  createQueryCompiler() {
    return this.info.dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler();
  }

  createAdapter() {
    return this.info.dialect === 'postgres' ? new PostgresAdapter() : new SqliteAdapter();
  }

  createIntrospector(db: Kysely<any>) {
    return this.info.dialect === 'postgres' ? new PostgresIntrospector(db) : new SqliteIntrospector(db);
  }
}

/**
 * Opens the application database through the `persistence` service. The calling extension's manifest must list
 * `persistence` under `permissions.services` (and usually `services.requires`).
 */
export async function openDatabase<DB = Database>(ctx: PersistenceCaller): Promise<Kysely<DB>> {
  const info = await ctx.call<PersistenceInfo>(PERSISTENCE_SERVICE, 'info', {});
  if (info.dialect !== 'sqlite' && info.dialect !== 'postgres') throw new Error(`The persistence service speaks an unknown dialect '${String(info.dialect)}'.`);
  return new Kysely<DB>({ dialect: new RemotePersistenceDialect(ctx, info) });
}
