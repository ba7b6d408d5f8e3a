/**
 * A fake OneBot v11 implementation (like NapCat) speaking the real WebSocket protocol in either direction:
 *  - reverse: it connects as a client to the adapter's server with `X-Self-ID`, `X-Client-Role: Universal` and
 *    `Authorization: Bearer <token>`, and reconnects after a drop as NapCat does;
 *  - forward: it runs a WebSocket server that the adapter connects to, checking the access token in the
 *    `Authorization` header or the `access_token` query (401 when missing, 403 when wrong).
 * It answers `{action, params, echo}` with `{status, retcode, data, echo}`, records every action (see FakeState),
 * and pushes events with `time` and `self_id` filled in. On every connection it sends a lifecycle `connect` event.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ActionFailure, FakeState, segmentText, type Segment } from './state.js';

export { FakeState, segmentText, type Segment, type StoredMessage } from './state.js';

export interface FakeOneBotOptions {
  mode: 'reverse' | 'forward';
  selfId?: number;
  /** The access token the fake sends (reverse) or requires (forward); empty means none. */
  token?: string;
  /** Reverse mode: the adapter's URL, e.g. ws://127.0.0.1:2280/onebot/v11/ws. */
  url?: string;
  /** How messages travel in events: segment arrays (default) or CQ-code strings. */
  messageFormat?: 'array' | 'string';
  reconnectMs?: number;
  /** Forward mode: the port to listen on (default: any free port). */
  listenPort?: number;
  /** Reverse mode: open separate `API` and `Event` connections instead of one `Universal` connection. */
  splitRoles?: boolean;
}

type Role = 'Universal' | 'API' | 'Event';

export class FakeOneBot {
  readonly state: FakeState;
  readonly selfId: number;
  /** Reverse: handshakes the adapter refused (HTTP status). Forward: handshakes the fake refused. */
  readonly refusals: number[] = [];
  /** How many connections were established so far. */
  connections = 0;
  port = 0;
  private sockets = new Map<WebSocket, Role>();
  private closed = false;
  private retries = new Set<NodeJS.Timeout>();
  private http?: Server;
  private wss?: WebSocketServer;

  private constructor(readonly options: FakeOneBotOptions) {
    this.selfId = options.selfId ?? 3_000_001;
    this.state = new FakeState(this.selfId);
  }

  static async start(options: FakeOneBotOptions): Promise<FakeOneBot> {
    const fake = new FakeOneBot(options);
    if (options.mode === 'forward') await fake.listen();
    else for (const role of options.splitRoles ? (['API', 'Event'] as const) : (['Universal'] as const)) fake.dial(role);
    return fake;
  }

  get connected(): boolean {
    return [...this.sockets.keys()].some((s) => s.readyState === WebSocket.OPEN);
  }

  async waitConnected(timeoutMs = 10_000, atLeast = 1): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.connected && this.connections >= atLeast)) {
      if (Date.now() > deadline) throw new Error(`The fake OneBot did not get connected (mode ${this.options.mode}).`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends an event to every connection, with `time` and `self_id` filled in. */
  push(event: Record<string, unknown>): void {
    const frame = JSON.stringify({ time: Math.floor(Date.now() / 1000), self_id: this.selfId, ...event });
    for (const [socket, role] of this.sockets) if (role !== 'API' && socket.readyState === WebSocket.OPEN) socket.send(frame);
  }

  /** Sends a raw text frame (for malformed input). */
  pushRaw(text: string): void {
    for (const [socket, role] of this.sockets) if (role !== 'API' && socket.readyState === WebSocket.OPEN) socket.send(text);
  }

  /** A user sends a message (private by default, or in `group`); returns its message id. */
  says(userId: number, content: string | Segment[], options: { group?: number; nickname?: string; format?: 'array' | 'string' } = {}): number {
    const message_id = this.state.newMessageId();
    const segments: Segment[] | string = typeof content === 'string' && (options.format ?? this.options.messageFormat) !== 'string' ? [{ type: 'text', data: { text: content } }] : content;
    const type = options.group === undefined ? 'private' : 'group';
    this.state.remember({ message_id, message_type: type, user_id: userId, ...(options.group !== undefined ? { group_id: options.group } : {}), message: segments, time: Math.floor(Date.now() / 1000), from_bot: false });
    const nickname = options.nickname ?? `user${userId}`;
    this.push({
      post_type: 'message',
      message_type: type,
      sub_type: type === 'private' ? 'friend' : 'normal',
      message_id,
      user_id: userId,
      ...(options.group !== undefined ? { group_id: options.group, anonymous: null } : {}),
      message: segments,
      message_format: typeof segments === 'string' ? 'string' : 'array',
      raw_message: segmentText(segments),
      font: 0,
      sender: type === 'private' ? { user_id: userId, nickname, sex: 'unknown', age: 0 } : { user_id: userId, nickname, card: '', role: 'member' },
    });
    return message_id;
  }

  /** The texts of the bot's messages to a user (private) or a group, oldest first. */
  botTexts(target: number, type: 'private' | 'group' = 'private'): string[] {
    return this.state.botMessages().filter((m) => m.message_type === type && m.target === target && !m.forward).map((m) => segmentText(m.message));
  }

  /** Drops every connection. Reverse: the fake reconnects as NapCat does. Forward: the adapter must reconnect. */
  async drop(): Promise<void> {
    const before = this.connections;
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
    await this.waitConnected(20_000, before + 1);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retries) clearTimeout(timer);
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
    if (this.wss) this.wss.close();
    if (this.http) {
      this.http.closeAllConnections();
      await new Promise<void>((resolve) => this.http!.close(() => resolve()));
    }
  }

  private serve(socket: WebSocket, role: Role = 'Universal'): void {
    this.sockets.set(socket, role);
    this.connections++;
    // An Event connection answers no actions; an API connection gets no events.
    if (role !== 'Event') socket.on('message', (data) => this.answer(socket, data.toString()));
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (role !== 'API') socket.send(JSON.stringify({ time: Math.floor(Date.now() / 1000), self_id: this.selfId, post_type: 'meta_event', meta_event_type: 'lifecycle', sub_type: 'connect' }));
  }

  private answer(socket: WebSocket, text: string): void {
    let request: { action?: unknown; params?: unknown; echo?: unknown };
    try {
      request = JSON.parse(text);
    } catch {
      return;
    }
    const reply = (body: Record<string, unknown>) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ ...body, echo: request.echo }));
    try {
      const params = typeof request.params === 'object' && request.params !== null ? (request.params as Record<string, unknown>) : {};
      const data = this.state.handle(String(request.action ?? ''), params);
      reply({ status: 'ok', retcode: 0, data: data ?? null, message: '', wording: '' });
    } catch (error) {
      const retcode = error instanceof ActionFailure ? error.retcode : 200;
      reply({ status: 'failed', retcode, data: null, message: (error as Error).message, wording: (error as Error).message });
    }
  }

  private dial(role: Role): void {
    if (this.closed) return;
    const headers: Record<string, string> = { 'X-Self-ID': String(this.selfId), 'X-Client-Role': role, 'User-Agent': 'FakeNapCat/0.0.1' };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    const socket = new WebSocket(this.options.url!, { headers });
    socket.on('open', () => {
      if (this.closed) return void socket.terminate();
      this.serve(socket, role);
    });
    socket.on('unexpected-response', (_req, res) => {
      this.refusals.push(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.closed) return;
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        this.dial(role);
      }, this.options.reconnectMs ?? 100);
      this.retries.add(timer);
    });
  }

  private async listen(): Promise<void> {
    this.http = createServer((_req, res) => res.writeHead(404).end());
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      const token = this.options.token;
      if (token) {
        const header = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
        const query = new URL(req.url ?? '/', 'http://fake').searchParams.get('access_token') ?? undefined;
        const presented = header ?? query;
        if (presented !== token) {
          const status = presented === undefined ? 401 : 403;
          this.refusals.push(status);
          socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
          return;
        }
      }
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.serve(ws));
    });
    await new Promise<void>((resolve) => this.http!.listen(this.options.listenPort ?? 0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }
}

/** A free TCP port on loopback (for the adapter's reverse server). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
