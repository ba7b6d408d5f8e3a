import { MessageChannel } from 'node:worker_threads';
import { PassThrough } from 'node:stream';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { createMemoryPair, createPortTransport, createStreamTransport, RpcPeer } from '../../kernel/rpc/index.js';
import { listenWebSocketRpc } from '../../kernel/rpc/transports/websocket.js';
import { malformedFrames } from '../support/fuzz-frames.js';
import { serveConformance } from '../support/peer-target.js';

const FRAMES = 10_000;
const LIMIT = 64 * 1024;
const TYPED = ['PARSE_ERROR', 'INVALID_FRAME', 'PAYLOAD_TOO_LARGE', 'METHOD_NOT_FOUND', 'VALIDATION_FAILED', 'VERSION_MISMATCH', 'INTERNAL'];
const SENTINEL = JSON.stringify({ jsonrpc: '2.0', id: 'sentinel', method: 'conf.add', params: { a: 20, b: 22 } });

/**
 * Feeds the fuzz frames through `send`, then a valid request. Messages are handled in order, so once the valid
 * request is answered every earlier frame has been dealt with: each one that deserves an answer got exactly one
 * typed error, and the receiver still computes correct results.
 */
async function fuzz(send: (frame: unknown) => void, replies: string[], odd: (i: number) => unknown | undefined = () => undefined) {
  let expected = 0;
  let i = 0;
  for (const { frame, replies: answered } of malformedFrames(FRAMES, LIMIT)) {
    const replacement = odd(i++);
    send(replacement === undefined ? frame : replacement);
    if (answered || replacement !== undefined) expected++;
  }
  send(SENTINEL);
  await expect.poll(() => replies.some((r) => r.includes('"sentinel"')), { timeout: 20_000 }).toBe(true);
  const parsed = replies.map((r) => JSON.parse(r));
  const errors = parsed.filter((r) => r.error);
  for (const e of errors) expect(TYPED).toContain(e.error.data?.code);
  expect(errors.length).toBe(expected);
  expect(parsed.find((r) => r.id === 'sentinel')?.result).toEqual({ sum: 42 });
  return expected;
}

describe(`fuzzing: ${FRAMES} malformed frames per transport`, () => {
  it('in-memory: the receiver stays up and answers each bad frame with a typed error', async () => {
    const [a, b] = createMemoryPair(LIMIT);
    const server = new RpcPeer(b);
    serveConformance(server);
    const replies: string[] = [];
    a.reader.push = (frame: unknown) => void replies.push(frame as string);
    expect(await fuzz((f) => b.inject(f), replies)).toBeGreaterThan(FRAMES / 2);
    expect(server.isClosed).toBe(false);
  });

  it('MessagePort: non-string values and garbage are refused with typed errors', async () => {
    const { port1, port2 } = new MessageChannel();
    const server = new RpcPeer(createPortTransport(port2, LIMIT));
    serveConformance(server);
    const replies: string[] = [];
    port1.on('message', (m) => replies.push(m as string));
    const odd = [42, null, { jsonrpc: '2.0', id: 1, method: 'conf.echo' }, [1], new Uint8Array([1, 2]), true];
    await fuzz((f) => port1.postMessage(f), replies, (i) => (i % 10 === 0 ? odd[(i / 10) % odd.length] : undefined));
    expect(server.isClosed).toBe(false);
    port1.close();
  });

  it('stdio: random bytes and oversize lines lose only their own line', async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const server = new RpcPeer(createStreamTransport(toServer, toClient, LIMIT));
    serveConformance(server);
    const replies: string[] = [];
    let buffered = '';
    toClient.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString()).split('\n');
      buffered = lines.pop()!;
      replies.push(...lines);
    });
    // One binary burst with no newline at all, over the limit: discarded as a whole and answered once.
    const BURST = Symbol('burst');
    await fuzz(
      (f) => (f === BURST ? toServer.write(Buffer.concat([Buffer.alloc(LIMIT * 2, 0xff), Buffer.from('\n')])) : toServer.write(String(f) + '\n')),
      replies,
      (i) => (i === 0 ? BURST : undefined),
    );
    expect(server.isClosed).toBe(false);
  });

  it('WebSocket: an unauthenticated client is refused; an authenticated one gets typed errors', async () => {
    let server!: RpcPeer;
    const wss = await listenWebSocketRpc({
      token: 'fuzz-token',
      maxFrameBytes: LIMIT,
      onConnection: (transport) => {
        server = new RpcPeer(transport);
        serveConformance(server);
      },
    });
    const url = `ws://127.0.0.1:${wss.port}`;
    const refused = new WebSocket(url, { headers: { authorization: 'Bearer wrong' } });
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);

    const socket = new WebSocket(url, { headers: { authorization: 'Bearer fuzz-token' } });
    await new Promise((r) => socket.once('open', r));
    const replies: string[] = [];
    socket.on('message', (m) => replies.push(m.toString()));
    await fuzz((f) => socket.send(f as string), replies, (i) => (i % 50 === 0 ? Buffer.from([0, 1, 2]) : undefined));
    expect(server.isClosed).toBe(false);
    socket.close();
    await wss.close();
  });
});
