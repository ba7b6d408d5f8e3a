import { ConnectionError, ResponseError } from 'vscode-jsonrpc';
import { RpcError, RpcErrorCode } from './errors.js';

/** A typed error as vscode-jsonrpc sends it: numeric JSON-RPC code, the stable code and details in `data`. */
export function wireError(error: RpcError): ResponseError<unknown> {
  return new ResponseError(error.wireCode, error.message, { code: error.code, details: error.details });
}

/** Whatever a call rejected with, as a typed error. */
export function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof ResponseError) return RpcError.fromWire(error.code, error.message, error.data);
  if (error instanceof ConnectionError) return new RpcError(RpcErrorCode.ConnectionClosed, error.message);
  return RpcError.from(error);
}
