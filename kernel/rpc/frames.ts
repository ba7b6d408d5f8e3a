import { AbstractMessageReader, AbstractMessageWriter, Disposable, Emitter, type DataCallback, type Message } from 'vscode-jsonrpc';
import { RpcError, RpcErrorCode } from './errors.js';

export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

type Id = string | number | null;
export interface MalformedFrame {
  error: RpcError;
  /** The request id when it could be recovered, so the peer's pending call gets the error. */
  id: Id;
}

/** A UTF-16 unit is at most 3 UTF-8 bytes: only measure exactly when that bound could exceed the limit. */
function sizeWithin(frame: string, maxBytes: number): number {
  if (frame.length * 3 <= maxBytes || frame.length > maxBytes) return frame.length;
  return utf8Length(frame);
}

/** Pure JS so it also runs inside V8 isolates, where Buffer and TextEncoder don't exist. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const isId = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isParams = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null);

/** Check one received frame: size, JSON syntax, and the JSON-RPC 2.0 envelope shape. */
export function decodeFrame(frame: unknown, maxBytes: number): { message: Message } | MalformedFrame {
  if (typeof frame !== 'string') {
    return { id: null, error: new RpcError(RpcErrorCode.InvalidFrame, `A frame must be JSON text, got ${frame === null ? 'null' : typeof frame}.`) };
  }
  const size = sizeWithin(frame, maxBytes);
  if (size > maxBytes) {
    return { id: null, error: new RpcError(RpcErrorCode.PayloadTooLarge, `Frame of ${size} bytes exceeds the ${maxBytes}-byte limit.`, { size, limit: maxBytes }) };
  }
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch (e) {
    return { id: null, error: new RpcError(RpcErrorCode.ParseError, `Frame is not valid JSON: ${(e as Error).message}`) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { id: null, error: new RpcError(RpcErrorCode.InvalidFrame, 'A frame must be a JSON-RPC object (batches are not supported).') };
  }
  const m = value as Record<string, unknown>;
  const id: Id = isId(m.id) ? m.id : null;
  if (m.jsonrpc !== '2.0') return { id, error: new RpcError(RpcErrorCode.InvalidFrame, "A frame must have jsonrpc: '2.0'.") };
  if (typeof m.method === 'string') {
    if (m.id !== undefined && !isId(m.id)) return { id: null, error: new RpcError(RpcErrorCode.InvalidFrame, 'A request id must be a string or a number.') };
    if (!isParams(m.params)) return { id, error: new RpcError(RpcErrorCode.InvalidFrame, 'Request params must be an object or an array.') };
    return { message: m as unknown as Message };
  }
  if (m.id === null || isId(m.id)) {
    const err = m.error as Record<string, unknown> | undefined;
    const okError = err !== undefined && typeof err === 'object' && err !== null && typeof err.code === 'number' && typeof err.message === 'string';
    if (('result' in m && m.error === undefined) || okError) return { message: m as unknown as Message };
  }
  return { id: null, error: new RpcError(RpcErrorCode.InvalidFrame, 'A frame must be a request, a notification or a response.') };
}

export function errorResponse(id: Id, error: RpcError): Message {
  return { jsonrpc: '2.0', id, error: { code: error.wireCode, message: error.message, data: { code: error.code, details: error.details } } } as Message;
}

/** Receives text frames from a transport, validates them and hands JSON-RPC messages to the connection. */
export class FrameReader extends AbstractMessageReader {
  private callback: DataCallback | undefined;
  private backlog: Message[] = [];
  private readonly pendingIds = new Set<string>();
  readonly malformed = new Emitter<MalformedFrame>();

  constructor(readonly maxBytes = DEFAULT_MAX_FRAME_BYTES) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    for (const m of this.backlog.splice(0)) callback(m);
    return Disposable.create(() => (this.callback = undefined));
  }

  push(frame: unknown): void {
    const decoded = decodeFrame(frame, this.maxBytes);
    if (!('message' in decoded)) return this.malformed.fire(decoded);
    const { id, method } = decoded.message as { id?: string | number; method?: string };
    if (method !== undefined && id !== undefined) {
      // vscode-jsonrpc keys queued requests by String(id): a reused id would silently replace the pending one.
      const key = String(id);
      if (this.pendingIds.has(key)) {
        return this.malformed.fire({ id: null, error: new RpcError(RpcErrorCode.InvalidFrame, `Request id ${key} is already in use by a pending request.`, { id }) });
      }
      this.pendingIds.add(key);
    }
    this.deliver(decoded.message);
  }

  /** Called by the writer when a response leaves, freeing the request id for reuse. */
  answered(id: string | number): void {
    this.pendingIds.delete(String(id));
  }

  /** Deliver an already-built message (used to answer our own oversize requests locally). */
  deliver(message: Message): void {
    if (this.callback) this.callback(message);
    else this.backlog.push(message);
  }

  close(): void {
    this.fireClose();
  }

  override dispose(): void {
    super.dispose();
    this.malformed.dispose();
  }
}

/**
 * Serialises messages to text frames. A frame over the limit is never sent: a request gets a local
 * PAYLOAD_TOO_LARGE response, a response is replaced by that error, a notification is dropped and reported.
 */
export class FrameWriter extends AbstractMessageWriter {
  constructor(
    private readonly send: (frame: string) => void | Promise<void>,
    private readonly reader: FrameReader,
    readonly maxBytes = DEFAULT_MAX_FRAME_BYTES,
  ) {
    super();
  }

  async write(message: Message): Promise<void> {
    let frame = JSON.stringify(message);
    const size = sizeWithin(frame, this.maxBytes);
    if (size > this.maxBytes) {
      const error = new RpcError(RpcErrorCode.PayloadTooLarge, `Outgoing message of ${size} bytes exceeds the ${this.maxBytes}-byte limit.`, { size, limit: this.maxBytes });
      const m = message as { id?: Id; method?: string };
      if (m.method !== undefined && isId(m.id)) {
        this.reader.deliver(errorResponse(m.id, error));
        return;
      }
      if (m.method === undefined && m.id !== undefined) frame = JSON.stringify(errorResponse(m.id, error));
      else {
        this.fireError([error, message, 1]);
        return;
      }
    }
    const { id, method } = message as { id?: Id; method?: string };
    if (method === undefined && isId(id)) this.reader.answered(id);
    try {
      await this.send(frame);
    } catch (e) {
      this.fireError([e as Error, message, 1]);
      throw e;
    }
  }

  end(): void {}
}
