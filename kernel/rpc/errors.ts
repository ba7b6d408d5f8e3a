/** Stable, machine-readable error codes. Callers branch on `code`, never on message text. */
export const RpcErrorCode = {
  ParseError: 'PARSE_ERROR',
  InvalidFrame: 'INVALID_FRAME',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  MethodNotFound: 'METHOD_NOT_FOUND',
  ValidationFailed: 'VALIDATION_FAILED',
  PermissionDenied: 'PERMISSION_DENIED',
  Unauthorized: 'UNAUTHORIZED',
  Timeout: 'TIMEOUT',
  Cancelled: 'CANCELLED',
  VersionMismatch: 'VERSION_MISMATCH',
  Unavailable: 'UNAVAILABLE',
  NotFound: 'NOT_FOUND',
  NotSupported: 'NOT_SUPPORTED',
  ConnectionClosed: 'CONNECTION_CLOSED',
  Internal: 'INTERNAL',
} as const;
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode] | (string & {});

/** JSON-RPC numeric codes used on the wire; the stable string code travels in `error.data.code`. */
const wireCodes: Record<string, number> = {
  PARSE_ERROR: -32700,
  INVALID_FRAME: -32600,
  METHOD_NOT_FOUND: -32601,
  VALIDATION_FAILED: -32602,
  INTERNAL: -32603,
  CANCELLED: -32800,
};

export const MAX_ERROR_TEXT = 4096;

/** Shared across bundles and realms: an extension's bundled copy of RpcError is still recognised. */
const BRAND = Symbol.for('langbot-ts.RpcError');

export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message.length > MAX_ERROR_TEXT ? message.slice(0, MAX_ERROR_TEXT) + '…' : message);
    this.name = 'RpcError';
    Object.defineProperty(this, BRAND, { value: true });
  }

  get wireCode(): number {
    return wireCodes[this.code] ?? -32000;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }

  static is(value: unknown, code?: RpcErrorCode): value is RpcError {
    return typeof value === 'object' && value !== null && BRAND in value && (code === undefined || (value as unknown as RpcError).code === code);
  }

  /** Wrap anything thrown by a handler without leaking stack traces to the peer. */
  static from(error: unknown): RpcError {
    if (error instanceof RpcError) return error;
    if (RpcError.is(error)) return new RpcError(error.code, error.message, error.details);
    if (error instanceof Error && error.name === 'AbortError') return new RpcError(RpcErrorCode.Cancelled, 'The call was cancelled.');
    const message = error instanceof Error ? error.message : String(error);
    return new RpcError(RpcErrorCode.Internal, message || 'Internal error.');
  }

  /** Rebuild a typed error from a JSON-RPC error object received from a peer. */
  static fromWire(code: number, message: string, data: unknown): RpcError {
    const d = (data && typeof data === 'object' ? data : {}) as { code?: unknown; details?: unknown };
    const stable = typeof d.code === 'string' ? d.code : (Object.entries(wireCodes).find(([, n]) => n === code)?.[0] ?? RpcErrorCode.Internal);
    const details = d.details && typeof d.details === 'object' ? (d.details as Record<string, unknown>) : undefined;
    return new RpcError(stable, String(message ?? ''), details);
  }
}
