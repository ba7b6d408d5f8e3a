import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { SqliteDatabase } from 'kysely';
import type { BindParams, Database as SqlJsDatabase, SqlJsStatic } from 'sql.js';
import type { PersistenceExecuteResult } from '@langbot-ts/sdk';

/**
 * Where to resolve `sql.js` from. The extension runs from a bundle in the kernel's cache, so its own location may
 * not see node_modules; the kernel's entry script and the working directory do.
 */
function requireForSqlJs(): NodeJS.Require {
  const bases = [import.meta.url, process.argv[1], join(process.cwd(), 'noop.js')];
  for (const base of bases) {
    if (!base) continue;
    try {
      const req = createRequire(base.startsWith('file:') || !existsSync(base) ? base : realpathSync(base));
      req.resolve('sql.js/dist/sql-wasm.wasm');
      return req;
    } catch {
      // try the next base
    }
  }
  throw new Error('Cannot find the sql.js package (install it next to LangBot TS).');
}

/** Loads sql.js and its WebAssembly binary from the installed npm package; nothing is downloaded. */
export async function loadSqlJs(): Promise<SqlJsStatic> {
  const req = requireForSqlJs();
  // A runtime require, so the bundler leaves sql.js (and its wasm) in node_modules.
  const init = req('sql.js') as (config: { wasmBinary: ArrayBuffer }) => Promise<SqlJsStatic>;
  const bytes = readFileSync(req.resolve('sql.js/dist/sql-wasm.wasm'));
  return init({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
}

/** Whether the statement returns rows (a SELECT, a PRAGMA, or anything with RETURNING). */
export function isReader(db: SqlJsDatabase, sql: string): boolean {
  const stmt = db.prepare(sql);
  try {
    return stmt.getColumnNames().length > 0;
  } finally {
    stmt.free();
  }
}

/** Runs one statement; statements that return no rows report the changed row count and the last rowid. */
export function execute(db: SqlJsDatabase, sql: string, parameters: readonly unknown[] = []): PersistenceExecuteResult {
  const stmt = db.prepare(sql);
  try {
    if (parameters.length) stmt.bind(parameters as BindParams);
    const reader = stmt.getColumnNames().length > 0;
    const rows: Record<string, unknown>[] = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    if (reader) return { rows };
    const last = db.exec('select last_insert_rowid()')[0]?.values[0]?.[0];
    return { rows, numAffectedRows: db.getRowsModified(), insertId: typeof last === 'number' ? last : undefined };
  } finally {
    stmt.free();
  }
}

/** The better-sqlite3-like surface Kysely's SqliteDialect expects, over a sql.js database it does not own. */
export function asSqliteDatabase(db: SqlJsDatabase): SqliteDatabase {
  return {
    close: () => {},
    prepare(sql) {
      return {
        reader: isReader(db, sql),
        all: (parameters) => execute(db, sql, parameters).rows,
        run: (parameters) => {
          const result = execute(db, sql, parameters);
          return { changes: result.numAffectedRows ?? 0, lastInsertRowid: result.insertId ?? 0 };
        },
        iterate: (parameters) => execute(db, sql, parameters).rows[Symbol.iterator](),
      };
    },
  };
}
