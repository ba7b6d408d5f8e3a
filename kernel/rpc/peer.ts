import {
  CancellationTokenSource,
  createMessageConnection,
  type CancellationToken,
  type Logger,
  type MessageConnection,
} from 'vscode-jsonrpc';
import { RpcError, RpcErrorCode } from './errors.js';
import { toRpcError, wireError } from './wire-errors.js';
import { errorResponse, type FrameReader, type FrameWriter } from './frames.js';
import { deadlines, type Deadline } from './deadlines.js';
import { LatencyWindow } from './latency.js';
import { checkerFor, type MethodSpec, type ParamsOf, type ResultOf } from './method.js';
import { Credit, Hello, PROTOCOL_NAME, PROTOCOL_VERSION, Ping } from './protocol.js';
import { openStream, PROGRESS, serveStream, type Meta, type ProgressValue, type StreamCredit, type StreamPeer } from './streams.js';

export interface Transport {
  readonly reader: FrameReader;
  readonly writer: FrameWriter;
  close(): void;
}

export interface PeerOptions {
  name?: string;
  /** Deadline for outgoing calls, measured from the last sign of life (reply, progress or stream item). */
  inactivityTimeoutMs?: number;
  /** Items a stream producer may send ahead of the consumer. */
  streamWindow?: number;
  /** Decides whether the remote side may invoke a method that requires `permission`. */
  authorize?: (permission: string, method: string) => boolean;
  /** Malformed frames, failing notification handlers and similar protocol-level problems. */
  onProtocolError?: (error: RpcError) => void;
  capabilities?: string[];
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (value: unknown) => void;
  /** Overrides the peer's inactivity deadline for this call (0 = none). */
  timeoutMs?: number;
}

export interface HandlerContext {
  readonly method: string;
  readonly signal: AbortSignal;
  /** Reports progress to the caller; this also keeps the call alive past its inactivity deadline. */
  progress(value: unknown): void;
}

type Handler = (params: any, ctx: HandlerContext) => unknown;
type Entry = { spec: MethodSpec; fn: Handler };

const DEFAULT_INACTIVITY_MS = 30_000;
let peerSeq = 0;



/** Building an AbortSignal costs more than a whole small call, so it is made only if the handler asks for it. */
function lazySignal(token: CancellationToken): () => AbortSignal {
  let signal: AbortSignal | undefined;
  return () => {
    if (!signal) {
      const controller = new AbortController();
      if (token.isCancellationRequested) controller.abort();
      else token.onCancellationRequested(() => controller.abort());
      signal = controller.signal;
    }
    return signal;
  };
}

/**
 * One end of a typed JSON-RPC connection. Framing, ids, cancellation and progress come from vscode-jsonrpc;
 * this adds schema validation, permission checks, typed errors, inactivity deadlines and streams with credit-based
 * backpressure.
 */
export class RpcPeer {
  readonly connection: MessageConnection;
  readonly latency = new LatencyWindow();
  protocolErrors = 0;
  private readonly handlers = new Map<string, Entry>();
  private readonly notificationHandlers = new Map<string, Entry>();
  private readonly credits = new Map<string | number, StreamCredit>();
  private readonly streams: StreamPeer = {
    connection: undefined as unknown as MessageConnection,
    credits: this.credits,
    isClosed: () => this.closed,
    onClose: (listener) => this.onClose(listener),
    grant: (token, n) => this.notify(Credit, { token, n }),
  };
  /** Outgoing calls awaiting a reply, by progress token: progress keeps them alive, closing fails them. */
  private readonly pending = new Map<string, { progress(value: ProgressValue | undefined): void; fail(error: RpcError): void }>();
  private readonly id = `${typeof process === 'undefined' ? 0 : process.pid}.${++peerSeq}`;
  private tokenSeq = 0;
  private closed = false;
  private readonly closeListeners = new Set<(reason: RpcError) => void>();

  constructor(
    readonly transport: Transport,
    private readonly options: PeerOptions = {},
  ) {
    const logger: Logger = { error: () => {}, warn: () => {}, info: () => {}, log: () => {} };
    this.connection = createMessageConnection(transport.reader, transport.writer, logger);
    this.streams.connection = this.connection;
    transport.reader.malformed.event(({ id, error }) => {
      this.reportProtocolError(error);
      transport.writer.write(errorResponse(id, error)).catch(() => {});
    });
    this.connection.onRequest((method, params, token) => this.dispatch(method, params, token));
    this.connection.onNotification((method, params) => this.dispatchNotification(method, params));
    this.connection.onClose(() => this.close(new RpcError(RpcErrorCode.ConnectionClosed, 'The connection was closed.')));
    // Calls' progress arrives here (streams register their own handler), saving a registration per call.
    this.connection.onUnhandledProgress(({ token, value }) => this.pending.get(token as string)?.progress(value as ProgressValue));
    this.handle(Hello, (p) => this.answerHello(p));
    this.handle(Ping, () => ({ t: Date.now() }));
    this.onNotification(Credit, ({ token, n }) => {
      const credit = this.credits.get(token);
      if (!credit) return;
      credit.n += n;
      credit.wake?.();
    });
    this.connection.listen();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  handle<M extends MethodSpec>(
    spec: M,
    fn: (params: ParamsOf<M>, ctx: HandlerContext) => M['stream'] extends true ? AsyncIterable<ResultOf<M>> : ResultOf<M> | Promise<ResultOf<M>>,
  ): () => void {
    if (this.handlers.has(spec.name)) throw new Error(`A handler for '${spec.name}' is already registered.`);
    this.handlers.set(spec.name, { spec, fn: fn as Handler });
    return () => this.handlers.delete(spec.name);
  }

  onNotification<M extends MethodSpec>(spec: M, fn: (params: ParamsOf<M>) => void): () => void {
    this.notificationHandlers.set(spec.name, { spec, fn: fn as Handler });
    return () => this.notificationHandlers.delete(spec.name);
  }

  notify<M extends MethodSpec>(spec: M, params: ParamsOf<M>): void {
    if (this.closed) return;
    this.connection.sendNotification(spec.name, params).catch(() => {});
  }

  /** Negotiates protocol version and capabilities with the remote side. */
  async handshake(): Promise<ResultOf<typeof Hello>> {
    const remote = await this.call(Hello, this.helloParams());
    this.checkVersion(remote.protocol, remote.version);
    return remote;
  }

  ping(timeoutMs?: number): Promise<{ t: number }> {
    return this.call(Ping, {}, { timeoutMs });
  }

  call<M extends MethodSpec<any, any, false>>(spec: M, params: ParamsOf<M>, options: CallOptions = {}): Promise<ResultOf<M>> {
    if (this.closed) return Promise.reject(new RpcError(RpcErrorCode.ConnectionClosed, 'The connection is closed.'));
    const started = performance.now();
    const source = new CancellationTokenSource();
    const progressToken = `${this.id}:${++this.tokenSeq}`;
    const limit = options.timeoutMs ?? this.options.inactivityTimeoutMs ?? DEFAULT_INACTIVITY_MS;
    const { signal, onProgress } = options;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      let deadline: Deadline | undefined;
      const settle = () => {
        deadlines.clear(deadline);
        this.pending.delete(progressToken);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: RpcError) => {
        settle();
        if (!this.closed) source.cancel();
        reject(error);
      };
      const onAbort = () => fail(new RpcError(RpcErrorCode.Cancelled, `The call to '${spec.name}' was cancelled.`));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(progressToken, {
        fail,
        progress: (value) => {
          deadlines.touch(deadline);
          if (value?.k === 'p') onProgress?.(value.v);
        },
      });
      deadline = deadlines.start(limit, () =>
        fail(new RpcError(RpcErrorCode.Timeout, `No reply or progress from '${spec.name}' for ${limit} ms.`, { method: spec.name, inactivityMs: limit })),
      );
      this.connection.sendRequest(spec.name, { ...(params as object), _meta: { progressToken } }, source.token).then(
        (result) => {
          settle();
          const check = checkerFor(spec.result);
          if (!check(result)) return reject(new RpcError(RpcErrorCode.ValidationFailed, `Invalid result from '${spec.name}': ${check.explain()}`));
          this.latency.record(performance.now() - started);
          resolve(result as ResultOf<M>);
        },
        (error) => {
          settle();
          reject(toRpcError(error));
        },
      );
    });
  }

  /** Calls a streaming method; breaking out of the loop cancels the producer. */
  stream<M extends MethodSpec<any, any, true>>(spec: M, params: ParamsOf<M>, options: CallOptions = {}): AsyncIterable<ResultOf<M>> {
    const settings = {
      token: `${this.id}:${++this.tokenSeq}`,
      window: this.options.streamWindow ?? 16,
      limit: options.timeoutMs ?? this.options.inactivityTimeoutMs ?? DEFAULT_INACTIVITY_MS,
    };
    return { [Symbol.asyncIterator]: () => openStream(this.streams, spec, params, options, settings) as AsyncIterator<ResultOf<M>> };
  }

  onClose(listener: (reason: RpcError) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(reason = new RpcError(RpcErrorCode.ConnectionClosed, 'The connection was closed.')): void {
    if (this.closed) return;
    this.closed = true;
    for (const call of [...this.pending.values()]) call.fail(reason);
    for (const listener of [...this.closeListeners]) listener(reason);
    this.closeListeners.clear();
    for (const credit of this.credits.values()) credit.wake?.();
    this.connection.dispose();
    this.transport.close();
  }

  private helloParams() {
    return { protocol: PROTOCOL_NAME, version: PROTOCOL_VERSION, name: this.options.name, capabilities: this.options.capabilities ?? [] };
  }

  private answerHello(remote: { protocol: string; version: string }) {
    this.checkVersion(remote.protocol, remote.version);
    return this.helloParams();
  }

  private checkVersion(protocol: string, version: string): void {
    if (protocol !== PROTOCOL_NAME || version.split('.')[0] !== PROTOCOL_VERSION.split('.')[0]) {
      throw new RpcError(RpcErrorCode.VersionMismatch, `Peer speaks ${protocol} ${version}; this side speaks ${PROTOCOL_NAME} ${PROTOCOL_VERSION}.`, {
        expected: `${PROTOCOL_NAME} ${PROTOCOL_VERSION}`,
        received: `${protocol} ${version}`,
      });
    }
  }

  private reportProtocolError(error: RpcError): void {
    this.protocolErrors++;
    this.options.onProtocolError?.(error);
  }

  private admit(entry: Entry | undefined, method: string, raw: unknown): { entry: Entry; params: any; meta: Meta } {
    if (!entry) throw new RpcError(RpcErrorCode.MethodNotFound, `Unknown method '${method}'.`, { method });
    const { permission } = entry.spec;
    if (permission && this.options.authorize && !this.options.authorize(permission, method)) {
      throw new RpcError(RpcErrorCode.PermissionDenied, `Calling '${method}' requires the '${permission}' permission.`, { method, permission });
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new RpcError(RpcErrorCode.ValidationFailed, `Params for '${method}' must be an object.`, { method });
    }
    const params = raw as Record<string, unknown>;
    const meta = (typeof params._meta === 'object' && params._meta !== null ? params._meta : {}) as Meta;
    delete params._meta;
    const check = checkerFor(entry.spec.params);
    if (!check(params)) throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid params for '${method}': ${check.explain()}`, { method });
    return { entry, params, meta };
  }

  /** Answers synchronously when the handler does: no promise, no extra microtask on the hot path. */
  private dispatch(method: string, raw: unknown, token: CancellationToken): unknown {
    const fail = (error: unknown): never => {
      throw wireError(RpcError.from(error));
    };
    try {
      const { entry, params, meta } = this.admit(this.handlers.get(method), method, raw);
      const signal = lazySignal(token);
      const progressToken = meta.progressToken;
      const ctx: HandlerContext = {
        method,
        get signal() {
          return signal();
        },
        progress: (v) => {
          if (progressToken !== undefined && !this.closed) this.connection.sendProgress(PROGRESS, progressToken, { k: 'p', v }).catch(() => {});
        },
      };
      const result = entry.fn(params, ctx);
      if (entry.spec.stream) return serveStream(this.streams, result as AsyncIterable<unknown>, meta, signal()).catch(fail);
      if (result instanceof Promise) return result.then((value) => value ?? null, fail);
      return result ?? null;
    } catch (error) {
      return fail(error);
    }
  }

  private dispatchNotification(method: string, raw: unknown): void {
    try {
      const { entry, params } = this.admit(this.notificationHandlers.get(method), method, raw);
      const result = entry.fn(params, undefined as never) as Promise<unknown> | undefined;
      if (result && typeof result.catch === 'function') result.catch((e) => this.reportProtocolError(RpcError.from(e)));
    } catch (error) {
      this.reportProtocolError(RpcError.from(error));
    }
  }

}
