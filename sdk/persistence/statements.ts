import { RpcError, RpcErrorCode, type Implementation } from '../../kernel/api/index.js';
import type {
  PersistenceBeginParams,
  PersistenceBeginResult,
  PersistenceExecuteParams,
  PersistenceExecuteResult,
  PersistenceInfo,
  PersistenceTxParams,
} from './remote-driver.js';

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

/** What a persistence provider implements; `persistenceService` turns it into the `persistence` service. */
export interface PersistenceEngine {
  info(): PersistenceInfo | Promise<PersistenceInfo>;
  execute(params: PersistenceExecuteParams): Promise<PersistenceExecuteResult>;
  begin(params?: PersistenceBeginParams): Promise<PersistenceBeginResult>;
  commit(params: PersistenceTxParams): Promise<unknown>;
  rollback(params: PersistenceTxParams): Promise<unknown>;
}

export function persistenceService(engine: PersistenceEngine): Implementation {
  return {
    info: () => engine.info(),
    execute: (args: PersistenceExecuteParams) => engine.execute(args),
    begin: (args?: PersistenceBeginParams) => engine.begin(args),
    commit: (args: PersistenceTxParams) => engine.commit(args),
    rollback: (args: PersistenceTxParams) => engine.rollback(args),
  };
}
