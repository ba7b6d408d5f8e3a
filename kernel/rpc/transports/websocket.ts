import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { RpcError, RpcErrorCode } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameReader, FrameWriter } from '../frames.js';
import type { Transport } from '../peer.js';

/** One WebSocket text message per frame. Binary messages are answered with INVALID_FRAME. */
export function createWebSocketTransport(socket: WebSocket, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): Transport {
  const reader = new FrameReader(maxFrameBytes);
  socket.on('message', (data, isBinary) => reader.push(isBinary ? null : data.toString()));
  socket.on('close', () => reader.close());
  socket.on('error', () => reader.close());
  const writer = new FrameWriter(
    (frame) =>
      new Promise<void>((resolve, reject) => {
        if (socket.readyState !== WebSocket.OPEN) return reject(new RpcError(RpcErrorCode.ConnectionClosed, 'The WebSocket is not open.'));
        socket.send(frame, (err) => (err ? reject(err) : resolve()));
      }),
    reader,
    maxFrameBytes,
  );
  return { reader, writer, close: () => socket.close() };
}

function tokenMatches(expected: string, request: IncomingMessage): boolean {
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WebSocketRpcServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Accepts RPC connections that present `Authorization: Bearer <token>`; others are refused with HTTP 401
 * before any frame is read. Messages far over the frame limit are refused by ws itself (close code 1009).
 */
export async function listenWebSocketRpc(options: {
  token: string;
  port?: number;
  host?: string;
  maxFrameBytes?: number;
  onConnection: (transport: Transport, request: IncomingMessage) => void;
}): Promise<WebSocketRpcServer> {
  if (!options.token) throw new Error('A WebSocket RPC server needs a token.');
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const server = new WebSocketServer({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    maxPayload: maxFrameBytes * 2,
    verifyClient: (info, done) => (tokenMatches(options.token, info.req) ? done(true) : done(false, 401, 'Unauthorized')),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.on('connection', (socket, request) => options.onConnection(createWebSocketTransport(socket, maxFrameBytes), request));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

export async function connectWebSocketRpc(url: string, token: string, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): Promise<Transport> {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, maxPayload: maxFrameBytes * 2 });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', (_req, res) =>
      reject(new RpcError(res.statusCode === 401 ? RpcErrorCode.Unauthorized : RpcErrorCode.Unavailable, `WebSocket handshake refused with HTTP ${res.statusCode}.`)),
    );
    socket.once('error', (e) => reject(new RpcError(RpcErrorCode.Unavailable, e.message)));
  });
  return createWebSocketTransport(socket, maxFrameBytes);
}
