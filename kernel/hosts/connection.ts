import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import { deadlines, type Deadline } from '../rpc/deadlines.js';
import { LatencyWindow } from '../rpc/latency.js';
import type { CallOptions, RpcPeer } from '../rpc/peer.js';
import { ExtActivate, ExtDeactivate, ExtInvoke, ExtInvokeStream, ExtProvided, ExtStats, KernelCall, KernelCallStream, KernelLog } from './protocol.js';
import type { Invocation, KernelApi, ProvidedEntry, RuntimeCore } from './runtime-core.js';
import type { ExitInfo, RunningExtension } from './types.js';

/** The kernel's handle on one running extension, the same for every isolation mode. */
export interface ExtensionConnection {
  readonly latency: LatencyWindow;
  activate(params: { id: string; version: string; dataDir: string; config: Record<string, unknown> }): Promise<{ provided: ProvidedEntry[] }>;
  invoke(invocation: Invocation, options?: CallOptions): Promise<unknown>;
  stream(invocation: Invocation, options?: CallOptions): AsyncIterable<unknown>;
  deactivate(timeoutMs?: number): Promise<void>;
  ping(timeoutMs: number): Promise<void>;
  stats(): Promise<{ heapUsedBytes: number; rssBytes?: number }>;
}

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * The common end of a remote launch: serve the kernel API on the peer and negotiate the protocol, unless the
 * runtime dies first. `kill` stops the runtime; `exited` reports why it ended.
 */
export async function connectRuntime(
  peer: RpcPeer,
  kernel: KernelApi,
  what: string,
  exited: Promise<ExitInfo>,
  kill: () => void,
): Promise<RunningExtension> {
  const connection = remoteConnection(peer, kernel);
  await Promise.race([peer.handshake(), exited.then((e) => Promise.reject(new Error(`The ${what} stopped during start-up: ${e.reason}`)))]);
  return { connection, exited, kill };
}

/** Wires an RPC peer to the kernel API and wraps it as a connection. */
export function remoteConnection(peer: RpcPeer, kernel: KernelApi): ExtensionConnection {
  peer.handle(KernelCall, ({ service, method, args }, ctx) => kernel.call(service, method, args, { signal: ctx.signal }));
  peer.handle(KernelCallStream, ({ service, method, args }, ctx) => kernel.stream(service, method, args, { signal: ctx.signal }));
  peer.onNotification(KernelLog, ({ level, msg, data }) => kernel.log(level, msg, data));
  peer.onNotification(ExtProvided, (change) => kernel.provided(change));
  return {
    latency: peer.latency,
    activate: (params) => peer.call(ExtActivate, params, { timeoutMs: 60_000 }),
    invoke: (invocation, options) => peer.call(ExtInvoke, invocation, options),
    stream: (invocation, options) => peer.stream(ExtInvokeStream, invocation, options),
    deactivate: async (timeoutMs = 5000) => void (await peer.call(ExtDeactivate, {}, { timeoutMs })),
    ping: async (timeoutMs) => void (await peer.ping(timeoutMs)),
    stats: () => peer.call(ExtStats, {}, { timeoutMs: 2000 }),
  };
}

/**
 * Calls into an in-process runtime with the same semantics as RPC: typed errors, cancellation and an inactivity
 * deadline that progress resets. No serialisation, so no frame limit either.
 */
function runDirect<T>(start: (ctx: { signal: AbortSignal; progress(v: unknown): void }) => T, options: CallOptions, latency: LatencyWindow): Promise<Awaited<T>> {
  const started = performance.now();
  const limit = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  // Made only when the handler reads ctx.signal: most calls never do, and an AbortController costs ~2 µs.
  let controller: AbortController | undefined;
  let failure: RpcError | undefined;
  const signal = () => {
    if (!controller) {
      controller = new AbortController();
      if (failure) controller.abort(failure);
    }
    return controller.signal;
  };
  return new Promise<Awaited<T>>((resolve, reject) => {
    let deadline: Deadline | undefined;
    const fail = (error: RpcError) => {
      deadlines.clear(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      failure = error;
      controller?.abort(error);
      reject(error);
    };
    const onAbort = () => fail(new RpcError(RpcErrorCode.Cancelled, 'The call was cancelled.'));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    deadline = deadlines.start(limit, () => fail(new RpcError(RpcErrorCode.Timeout, `No reply or progress for ${limit} ms.`, { inactivityMs: limit })));
    const progress = (value: unknown) => {
      if (failure) return;
      deadlines.touch(deadline);
      options.onProgress?.(value);
    };
    Promise.resolve()
      .then(() =>
        start({
          get signal() {
            return signal();
          },
          progress,
        }),
      )
      .then(
        (value) => {
          deadlines.clear(deadline);
          options.signal?.removeEventListener('abort', onAbort);
          latency.record(performance.now() - started);
          resolve(value as Awaited<T>);
        },
        (error) => {
          deadlines.clear(deadline);
          options.signal?.removeEventListener('abort', onAbort);
          reject(RpcError.from(error));
        },
      );
  });
}

async function* directStream(core: RuntimeCore, invocation: Invocation, options: CallOptions): AsyncGenerator<unknown> {
  // Made only when the producer reads ctx.signal, and aborted only when the consumer stops early: creating and
  // aborting a controller costs microseconds (the abort reason is a DOMException) on every streamed call.
  let controller: AbortController | undefined;
  const onAbort = () => controller?.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let iterator: AsyncIterator<unknown> | undefined;
  let completed = false;
  try {
    const ctx = {
      get signal() {
        controller ??= new AbortController();
        if (options.signal?.aborted) controller.abort();
        return controller.signal;
      },
      progress: (v: unknown) => options.onProgress?.(v),
    };
    iterator = core.invokeStream(invocation, ctx)[Symbol.asyncIterator]();
    for (;;) {
      if (options.signal?.aborted) throw new RpcError(RpcErrorCode.Cancelled, 'The stream was cancelled.');
      const next = await iterator.next().catch((e) => Promise.reject(RpcError.from(e)));
      if (next.done) {
        completed = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!completed) controller?.abort();
    options.signal?.removeEventListener('abort', onAbort);
    if (!completed) await iterator?.return?.();
  }
}

export function directConnection(core: RuntimeCore): ExtensionConnection {
  const latency = new LatencyWindow();
  return {
    latency,
    activate: (params) => runDirect(() => core.activate(params), { timeoutMs: 60_000 }, latency),
    invoke: (invocation, options = {}) => runDirect((ctx) => core.invoke(invocation, ctx), options, latency),
    stream: (invocation, options = {}) => directStream(core, invocation, options),
    deactivate: (timeoutMs = 5000) => runDirect(() => core.deactivate(), { timeoutMs }, latency),
    ping: async () => {},
    stats: async () => ({ heapUsedBytes: process.memoryUsage().heapUsed }),
  };
}
