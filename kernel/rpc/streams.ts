import { CancellationTokenSource, ProgressType, type MessageConnection } from 'vscode-jsonrpc';
import { deadlines, type Deadline } from './deadlines.js';
import { RpcError, RpcErrorCode } from './errors.js';
import { checkerFor, type MethodSpec } from './method.js';
import type { CallOptions } from './peer.js';
import { toRpcError } from './wire-errors.js';

/** Progress values carry either a progress report ('p') or a stream item ('i'). */
export type ProgressValue = { k: 'p' | 'i'; v: unknown };
export const PROGRESS = new ProgressType<ProgressValue>();
export type Meta = { progressToken?: string | number; window?: number };
export type StreamCredit = { n: number; wake?: () => void };

/** What streams need from their peer. */
export interface StreamPeer {
  connection: MessageConnection;
  credits: Map<string | number, StreamCredit>;
  isClosed(): boolean;
  onClose(listener: (reason: RpcError) => void): () => void;
  grant(token: string, n: number): void;
}

/** Producer side: sends items as progress values, never more than the consumer's credit ahead. */
export async function serveStream(peer: StreamPeer, items: AsyncIterable<unknown>, meta: Meta, signal: AbortSignal): Promise<{ count: number }> {
  const token = meta.progressToken;
  if (token === undefined) throw new RpcError(RpcErrorCode.ValidationFailed, 'A streaming call needs a progress token.');
  const window = Number.isInteger(meta.window) && meta.window! > 0 ? Math.min(meta.window!, 4096) : 16;
  const credit: { n: number; wake?: () => void } = { n: window };
  peer.credits.set(token, credit);
  const cancelled = () => new RpcError(RpcErrorCode.Cancelled, 'The stream was cancelled by the consumer.');
  const iterator = items[Symbol.asyncIterator]();
  signal.addEventListener('abort', () => credit.wake?.(), { once: true });
  let count = 0;
  let finished = false;
  try {
    for (;;) {
      if (signal.aborted) throw cancelled();
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        return { count };
      }
      while (credit.n <= 0 && !signal.aborted && !peer.isClosed()) {
        await new Promise<void>((resolve) => (credit.wake = resolve));
      }
      if (signal.aborted || peer.isClosed()) throw cancelled();
      credit.n--;
      await peer.connection.sendProgress(PROGRESS, token, { k: 'i', v: next.value });
      count++;
    }
  } finally {
    peer.credits.delete(token);
    if (!finished) await iterator.return?.().catch(() => {});
  }
}

/** Consumer side: an async iterator that grants credit as it consumes and cancels the producer when abandoned. */
export function openStream(
peer: StreamPeer,
spec: MethodSpec,
params: unknown,
options: CallOptions,
{ token, window, limit }: { token: string; window: number; limit: number },
): AsyncIterator<unknown> {
  const source = new CancellationTokenSource();
  const queue: unknown[] = [];
  const check = checkerFor(spec.result);
  let finished = false;
  let failure: RpcError | undefined;
  let consumed = 0;
  let wake: (() => void) | undefined;
  const signalWake = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (error: RpcError) => {
    if (!failure && !finished) failure = error;
    signalWake();
  };
  const progress = peer.connection.onProgress(PROGRESS, token, (value) => {
    if (value?.k === 'i') {
      if (!check(value.v)) fail(new RpcError(RpcErrorCode.ValidationFailed, `Invalid stream item from '${spec.name}': ${check.explain()}`));
      else queue.push(value.v);
    } else options.onProgress?.(value?.v);
    signalWake();
  });
  const onAbort = () => fail(new RpcError(RpcErrorCode.Cancelled, `The stream '${spec.name}' was cancelled.`));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const offClose = peer.onClose((reason) => fail(reason));
  const cleanup = () => {
    progress.dispose();
    offClose();
    options.signal?.removeEventListener('abort', onAbort);
  };
  if (peer.isClosed()) fail(new RpcError(RpcErrorCode.ConnectionClosed, 'The connection is closed.'));
  else if (options.signal?.aborted) onAbort();
  else {
    peer.connection.sendRequest(spec.name, { ...(params as object), _meta: { progressToken: token, window } }, source.token).then(
      () => {
        finished = true;
        signalWake();
      },
      (error) => fail(toRpcError(error)),
    );
  }
  const iterator: AsyncIterator<unknown> = {
    next: async () => {
      for (;;) {
        if (queue.length > 0) {
          const value = queue.shift();
          if (++consumed >= Math.max(1, window >> 1)) {
            peer.grant(token, consumed);
            consumed = 0;
          }
          return { value, done: false };
        }
        if (failure) {
          cleanup();
          if (!peer.isClosed()) source.cancel();
          throw failure;
        }
        if (finished) {
          cleanup();
          return { value: undefined, done: true };
        }
        let deadline: Deadline | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          deadline = deadlines.start(limit, () =>
            fail(new RpcError(RpcErrorCode.Timeout, `No stream item or progress from '${spec.name}' for ${limit} ms.`, { method: spec.name, inactivityMs: limit })),
          );
        });
        deadlines.clear(deadline);
      }
    },
    return: async () => {
      if (!finished && !peer.isClosed()) source.cancel();
      finished = true;
      cleanup();
      return { value: undefined, done: true };
    },
  };
  return iterator;
}
