/**
 * The behaviour every RPC endpoint is checked against. The same functions back the transport tests (as peer
 * handlers) and the proof extension that runs under each isolation host.
 */
import { RpcError } from '../../kernel/rpc/errors.js';

export interface Ctx {
  signal: AbortSignal;
  progress(value: unknown): void;
}

const state = { produced: 0, lastAborted: false };
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new RpcError('CANCELLED', 'aborted'));
    }, { once: true });
  });

export const conformanceHandlers = {
  echo: (args: { value: unknown }) => ({ value: args.value }),
  add: (args: { a: number; b: number }) => {
    if (typeof args?.a !== 'number' || typeof args?.b !== 'number') throw new RpcError('VALIDATION_FAILED', 'a and b must be numbers', { fields: ['a', 'b'] });
    return { sum: args.a + args.b };
  },
  fail: (args: { code: string; message: string; details?: Record<string, unknown> }) => {
    throw new RpcError(args.code, args.message, args.details);
  },
  crash: () => {
    throw new TypeError('boom from handler');
  },
  async *count(args: { n: number }, ctx: Ctx) {
    state.produced = 0;
    for (let i = 0; i < args.n; i++) {
      if (ctx.signal.aborted) return;
      state.produced++;
      yield { i };
    }
  },
  produced: () => ({ produced: state.produced }),
  slow: async (args: { steps: number; intervalMs: number }, ctx: Ctx) => {
    for (let i = 1; i <= args.steps; i++) {
      await sleep(args.intervalMs, ctx.signal);
      ctx.progress({ step: i, of: args.steps });
    }
    return { done: true };
  },
  hang: async (_args: unknown, ctx: Ctx) => {
    state.lastAborted = false;
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    state.lastAborted = true;
    return { aborted: true };
  },
  lastAborted: () => ({ aborted: state.lastAborted }),
  big: (args: { bytes: number }) => ({ data: 'x'.repeat(args.bytes) }),
};

export type ConformanceMethod = keyof typeof conformanceHandlers;
export const STREAM_METHODS: ConformanceMethod[] = ['count'];
