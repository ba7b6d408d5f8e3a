import { RpcError, RpcErrorCode } from '../../kernel/api/index.js';
import type { PersistenceExecuteParams } from './remote-driver.js';

/**
 * Checks an `execute` call before a persistence provider runs it: a SQL string, an array of parameters, and no
 * transaction control in plain SQL (transactions go through begin / commit / rollback, so a provider knows which
 * connection holds one). Each dialect passes its own patterns.
 */
export function admitStatement(params: PersistenceExecuteParams | undefined, dialect: { txControl: RegExp; savepoint: RegExp }): Required<Pick<PersistenceExecuteParams, 'sql' | 'parameters'>> & { tx?: string } {
  const { sql, tx } = params ?? ({} as PersistenceExecuteParams);
  const parameters = params?.parameters ?? [];
  if (typeof sql !== 'string' || !Array.isArray(parameters)) {
    throw new RpcError(RpcErrorCode.ValidationFailed, 'execute needs { sql: string, parameters?: unknown[], tx?: string }.');
  }
  if (dialect.txControl.test(sql)) throw new RpcError(RpcErrorCode.ValidationFailed, 'Use the begin / commit / rollback methods for transactions.');
  if (dialect.savepoint.test(sql) && tx === undefined) throw new RpcError(RpcErrorCode.ValidationFailed, 'Savepoints need an open transaction.');
  return { sql, parameters, tx };
}
