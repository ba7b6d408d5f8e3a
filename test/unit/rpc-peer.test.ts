import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryPair, defineMethod, defineNotification, RpcPeer, RpcError, PROTOCOL_VERSION } from '../../kernel/rpc/index.js';

const Job = defineMethod('job.run', {
  params: Type.Object({ minutes: Type.Integer({ minimum: 1 }) }),
  result: Type.Object({ done: Type.Boolean() }),
});
const Secret = defineMethod('secret.read', { params: Type.Object({}), result: Type.String(), permission: 'secrets' });
const Lies = defineMethod('lies.tell', { params: Type.Object({}), result: Type.Object({ n: Type.Number() }) });
const Note = defineNotification('note.post', { params: Type.Object({ text: Type.String() }) });

function pair(serverOptions = {}, clientOptions = {}) {
  const [a, b] = createMemoryPair();
  return { client: new RpcPeer(a, clientOptions), server: new RpcPeer(b, serverOptions) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RpcPeer', () => {
  it('lets a five-minute job finish because it keeps reporting progress (30 s inactivity deadline)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { client, server } = pair();
    server.handle(Job, async ({ minutes }, ctx) => {
      for (let second = 1; second <= minutes * 60; second++) {
        await new Promise((r) => setTimeout(r, 1000));
        if (second % 10 === 0) ctx.progress({ second });
      }
      return { done: true };
    });
    let progress = 0;
    let settled: unknown;
    const call = client.call(Job, { minutes: 5 }, { timeoutMs: 30_000, onProgress: () => progress++ }).then(
      (r) => (settled = r),
      (e) => (settled = e),
    );
    for (let i = 0; i < 5 * 60 + 5 && settled === undefined; i++) await vi.advanceTimersByTimeAsync(1000);
    await call;
    expect(settled).toEqual({ done: true });
    expect(progress).toBe(30);
  });

  it('rejects params that do not match the schema before the handler runs', async () => {
    const { client, server } = pair();
    const handler = vi.fn(() => ({ done: true }));
    server.handle(Job, handler);
    await expect(client.call(Job, { minutes: 0 } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('minutes') });
    await expect(client.call(Job, { minutes: 'five' } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('does not trust results from the other side: a result of the wrong shape is a VALIDATION_FAILED error', async () => {
    const { client, server } = pair();
    server.handle(Lies, (() => ({ n: 'not a number' })) as never);
    await expect(client.call(Lies, {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('Invalid result') });
  });

  it('checks the required permission of a method on every call', async () => {
    let granted = false;
    const { client, server } = pair({ authorize: (permission: string) => permission === 'secrets' && granted });
    server.handle(Secret, () => 'the cake is a lie');
    await expect(client.call(Secret, {})).rejects.toMatchObject({ code: 'PERMISSION_DENIED', details: { permission: 'secrets' } });
    granted = true;
    expect(await client.call(Secret, {})).toBe('the cake is a lie');
    granted = false;
    await expect(client.call(Secret, {})).rejects.toBeInstanceOf(RpcError);
  });

  it('negotiates the protocol version: same major passes, another major is refused with VERSION_MISMATCH', async () => {
    const { client } = pair({ name: 'server', capabilities: ['streams'] });
    expect(await client.handshake()).toMatchObject({ protocol: 'langbot-rpc', version: PROTOCOL_VERSION, name: 'server', capabilities: ['streams'] });
    const [a, b] = createMemoryPair();
    new RpcPeer(b);
    const raw = new RpcPeer(a);
    await expect(
      raw.call(defineMethod('rpc.hello', { params: Type.Object({}, { additionalProperties: true }), result: Type.Any() }), { protocol: 'langbot-rpc', version: '2.0', capabilities: [] }),
    ).rejects.toMatchObject({ code: 'VERSION_MISMATCH', details: { received: 'langbot-rpc 2.0' } });
  });

  it('delivers notifications and reports a bad one as a protocol error instead of throwing', async () => {
    const errors: RpcError[] = [];
    const { client, server } = pair({ onProtocolError: (e: RpcError) => errors.push(e) });
    const seen: string[] = [];
    server.onNotification(Note, ({ text }) => void seen.push(text));
    client.notify(Note, { text: 'hello' });
    client.notify(Note, { text: 42 } as never);
    await expect.poll(() => seen).toEqual(['hello']);
    await expect.poll(() => errors.map((e) => e.code)).toEqual(['VALIDATION_FAILED']);
  });

  it('fails pending calls with CONNECTION_CLOSED when the connection goes away', async () => {
    const { client, server } = pair();
    server.handle(Job, () => new Promise(() => {}));
    const pending = client.call(Job, { minutes: 1 });
    server.close();
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(client.call(Job, { minutes: 1 })).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});
