import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { RpcError } from '../../kernel/rpc/errors.js';
import type { CallOptions } from '../../kernel/rpc/peer.js';

/** The surface every endpoint under test offers: a transport pair or an extension under some host. */
export interface ConformanceTarget {
  call(method: string, args: Record<string, unknown>, options?: CallOptions): Promise<any>;
  stream(method: string, args: Record<string, unknown>, options?: CallOptions): AsyncIterable<any>;
  /** Frame limit of the path under test, to probe the size limit. */
  maxFrameBytes: number;
  close(): Promise<void>;
}

async function rejection(promise: Promise<unknown>): Promise<RpcError> {
  try {
    await promise;
  } catch (e) {
    return e as RpcError;
  }
  throw new Error('expected the call to fail');
}

/** One suite, run unchanged against every transport and every isolation host. */
export function describeRpcConformance(label: string, connect: () => Promise<ConformanceTarget>, traits: { framed: boolean } = { framed: true }): void {
  describe(`RPC conformance: ${label}`, () => {
    let target: ConformanceTarget;
    beforeAll(async () => {
      target = await connect();
    });
    afterAll(async () => {
      await target?.close();
    });

    it('returns what the handler returns, JSON values intact', async () => {
      const value = { text: 'héllo 你好 🙂', n: 1.5, nested: [1, null, { t: true }], empty: {} };
      expect(await target.call('echo', { value })).toEqual({ value });
      expect(await target.call('add', { a: 2, b: 40 })).toEqual({ sum: 42 });
    });

    it('keeps a typed error code and its details across the boundary', async () => {
      const error = await rejection(target.call('fail', { code: 'QUOTA_EXCEEDED', message: 'too many', details: { limit: 3 } }));
      expect(error).toBeInstanceOf(RpcError);
      expect(error.code).toBe('QUOTA_EXCEEDED');
      expect(error.message).toBe('too many');
      expect(error.details).toEqual({ limit: 3 });
    });

    it('turns an unexpected exception into INTERNAL without killing the endpoint', async () => {
      const error = await rejection(target.call('crash', {}));
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toContain('boom from handler');
      expect(await target.call('add', { a: 1, b: 1 })).toEqual({ sum: 2 });
    });

    it('answers an unknown method with METHOD_NOT_FOUND', async () => {
      const error = await rejection(target.call('no-such-method', {}));
      expect(error.code).toBe('METHOD_NOT_FOUND');
    });

    it('reports a handler-side validation failure as VALIDATION_FAILED', async () => {
      const error = await rejection(target.call('add', { a: 'x', b: 2 }));
      expect(error.code).toBe('VALIDATION_FAILED');
    });

    it('serves 100 concurrent calls, each with its own answer', async () => {
      const sums = await Promise.all(Array.from({ length: 100 }, (_, i) => target.call('add', { a: i, b: i })));
      expect(sums.map((s) => s.sum)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i));
    });

    it('streams items in order and ends', async () => {
      const items: number[] = [];
      for await (const item of target.stream('count', { n: 100 })) items.push(item.i);
      expect(items).toEqual(Array.from({ length: 100 }, (_, i) => i));
    });

    it('applies backpressure: a producer cannot run far ahead of a slow consumer', async () => {
      const iterator = target.stream('count', { n: 10_000 })[Symbol.asyncIterator]();
      for (let i = 0; i < 3; i++) await iterator.next();
      await new Promise((r) => setTimeout(r, 150));
      const { produced } = await target.call('produced', {});
      expect(produced).toBeLessThan(64);
      await iterator.return?.();
    });

    it('stops the producer when the consumer breaks out of the loop', async () => {
      for await (const item of target.stream('count', { n: 10_000 })) if (item.i === 5) break;
      await new Promise((r) => setTimeout(r, 150));
      const { produced } = await target.call('produced', {});
      expect(produced).toBeLessThan(64);
    });

    it('cancels a running call: the caller gets CANCELLED and the handler sees the abort', async () => {
      const controller = new AbortController();
      const pending = target.call('hang', {}, { signal: controller.signal, timeoutMs: 0 });
      await new Promise((r) => setTimeout(r, 50));
      controller.abort();
      expect((await rejection(pending)).code).toBe('CANCELLED');
      await expect.poll(async () => (await target.call('lastAborted', {})).aborted, { timeout: 2000 }).toBe(true);
    });

    it('times out a silent call on inactivity', async () => {
      const error = await rejection(target.call('hang', {}, { timeoutMs: 150 }));
      expect(error.code).toBe('TIMEOUT');
      expect(error.details).toMatchObject({ inactivityMs: 150 });
    });

    it('keeps a long call alive while it reports progress (deadline is on inactivity, not duration)', async () => {
      const seen: unknown[] = [];
      const result = await target.call('slow', { steps: 8, intervalMs: 60 }, { timeoutMs: 200, onProgress: (p) => seen.push(p) });
      expect(result).toEqual({ done: true });
      expect(seen).toHaveLength(8);
      expect(seen[7]).toEqual({ step: 8, of: 8 });
    });

    // Size limits belong to serialised paths; the trusted in-process host passes objects by reference.
    if (traits.framed) {
      it('refuses a reply over the frame limit with PAYLOAD_TOO_LARGE and stays usable', async () => {
        const error = await rejection(target.call('big', { bytes: target.maxFrameBytes + 1024 }));
        expect(error.code).toBe('PAYLOAD_TOO_LARGE');
        expect(await target.call('add', { a: 3, b: 4 })).toEqual({ sum: 7 });
      });

      it('refuses a request over the frame limit before sending it', async () => {
        const error = await rejection(target.call('echo', { value: 'y'.repeat(target.maxFrameBytes + 1024) }));
        expect(error.code).toBe('PAYLOAD_TOO_LARGE');
      });
    }
  });
}
