/**
 * The `{code, msg, data}` envelope of every API answer, and the errors routes throw. Codes follow upstream:
 * 0 for success, a short snake_case name (or upstream's integer) for failures, always with a matching HTTP status.
 */
import { RpcError, RpcErrorCode } from '@langbot-ts/sdk';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const ok = (data: unknown = {}) => ({ code: 0, msg: 'ok', data });

export const badRequest = (msg: string) => new ApiError(400, 'bad_request', msg);
export const notFound = (msg: string) => new ApiError(404, 'resource_not_found', msg);
export const unauthorized = (msg = 'Sign in first: send a valid token or API key.') => new ApiError(401, 'invalid_authentication', msg);
export const forbidden = (msg: string) => new ApiError(403, 'permission_denied', msg);

const RPC_STATUS: Partial<Record<string, [number, string]>> = {
  [RpcErrorCode.ValidationFailed]: [400, 'bad_request'],
  [RpcErrorCode.NotFound]: [404, 'resource_not_found'],
  [RpcErrorCode.NotSupported]: [400, 'not_supported'],
  [RpcErrorCode.PermissionDenied]: [403, 'permission_denied'],
  [RpcErrorCode.Timeout]: [504, 'timeout'],
};

/** An error as the client sees it; `internal` errors hide their message behind the request id. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (RpcError.is(error)) {
    const mapped = RPC_STATUS[error.code];
    if (mapped) return new ApiError(mapped[0], mapped[1], error.message, error.details);
    if (String(error.code).startsWith('PROVIDER_') || error.code === 'MODEL_NOT_FOUND') return new ApiError(502, String(error.code).toLowerCase(), error.message);
  }
  return new ApiError(500, 'internal_error', 'Internal server error');
}
