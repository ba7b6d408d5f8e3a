/**
 * The fake Discord gateway (v10, JSON encoding, no compression): HELLO → IDENTIFY → READY + GUILD_CREATE per guild,
 * HEARTBEAT → HEARTBEAT_ACK, RESUME → replay of missed dispatches + RESUMED, sequence numbers on every dispatch.
 * A wrong token closes with 4004, as Discord does.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { snowflake, type DiscordState } from './state.js';

type Json = Record<string, any>;

interface Session {
  id: string;
  seq: number;
  /** Every dispatch of the session, for replay on RESUME. */
  log: { s: number; t: string; d: unknown }[];
  socket?: WebSocket;
}

export interface GatewayFrame {
  op: number;
  d: any;
}

export class FakeGateway {
  readonly wss = new WebSocketServer({ noServer: true });
  /** Frames the client sent, oldest first (identify, resume, heartbeats…). */
  readonly received: GatewayFrame[] = [];
  /** Query strings the client connected with. */
  readonly connections: { path: string; query: URLSearchParams }[] = [];
  identifies = 0;
  resumes = 0;
  /** When set, IDENTIFY is answered by closing with this code (e.g. 4014 disallowed intents). */
  identifyCloseCode?: number;
  private session?: Session;
  private readyWaiters: (() => void)[] = [];

  constructor(
    private readonly state: DiscordState,
    private readonly token: () => string,
    private readonly resumeUrl: () => string,
    private readonly heartbeatIntervalMs: number,
  ) {}

  handleUpgrade(request: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  /** True while a client holds a ready session on an open socket. */
  get isConnected(): boolean {
    return this.session?.socket?.readyState === 1;
  }

  /** Resolves when a session is (or becomes) ready on an open socket. */
  whenConnected(): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends a dispatch to the current session; while the socket is down it is only logged (replayed on RESUME). */
  dispatch(t: string, d: unknown): void {
    const session = this.session;
    if (!session) throw new Error('No gateway session: the client has not identified.');
    const s = ++session.seq;
    session.log.push({ s, t, d });
    if (session.socket?.readyState === 1) session.socket.send(JSON.stringify({ op: 0, t, s, d }));
  }

  /** Sends a raw text frame (for malformed-input tests). */
  sendRaw(text: string): void {
    this.session?.socket?.send(text);
  }

  /** Closes the client's socket: with a close code (4000 = unknown error, resumable) or abruptly. */
  drop(how: number | 'terminate' = 4000): void {
    const socket = this.session?.socket;
    if (!socket) return;
    this.session!.socket = undefined;
    if (how === 'terminate') socket.terminate();
    else socket.close(how, 'Dropped by the fake');
  }

  /** Forgets the session, so the next RESUME gets INVALID_SESSION (d: false) and the client must identify again. */
  forgetSession(): void {
    if (this.session) this.session = { ...this.session, id: snowflake(), socket: this.session.socket };
  }

  /** Open client sockets. */
  get openSockets(): number {
    return [...this.wss.clients].filter((c) => c.readyState === 1).length;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    this.connections.push({ path: url.pathname, query: url.searchParams });
    if (url.searchParams.get('v') !== '10' || url.searchParams.get('encoding') !== 'json' || url.searchParams.has('compress')) {
      ws.close(4012, 'The fake gateway speaks v10 JSON without compression.');
      return;
    }
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }));
    ws.on('message', (data) => {
      let frame: GatewayFrame;
      try {
        frame = JSON.parse(String(data));
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      this.received.push(frame);
      this.onFrame(ws, frame);
    });
    ws.on('close', () => {
      if (this.session?.socket === ws) this.session.socket = undefined;
    });
  }

  private onFrame(ws: WebSocket, frame: GatewayFrame): void {
    switch (frame.op) {
      case 1:
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        return;
      case 2:
        return this.identify(ws, frame.d);
      case 6:
        return this.resume(ws, frame.d);
      default:
        return;
    }
  }

  private identify(ws: WebSocket, d: Json): void {
    if (d?.token !== this.token() || this.identifyCloseCode) {
      ws.close(this.identifyCloseCode ?? 4004, 'Authentication failed.');
      return;
    }
    this.identifies++;
    if (this.session?.socket && this.session.socket !== ws) this.session.socket.terminate();
    const session: Session = { id: snowflake(), seq: 0, log: [], socket: ws };
    this.session = session;
    const guilds = [...this.state.guilds.values()];
    this.dispatch('READY', {
      v: 10,
      user: this.state.bot,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.resumeUrl(),
      shard: d.shard ?? [0, 1],
      application: this.state.application,
      private_channels: [],
      relationships: [],
    });
    for (const guild of guilds) this.dispatch('GUILD_CREATE', guild);
    this.notifyReady();
  }

  private resume(ws: WebSocket, d: Json): void {
    const session = this.session;
    if (d?.token !== this.token()) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    if (!session || session.id !== d.session_id) {
      ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    this.resumes++;
    session.socket = ws;
    for (const entry of session.log.filter((e) => e.s > Number(d.seq ?? 0))) ws.send(JSON.stringify({ op: 0, ...entry }));
    this.dispatch('RESUMED', {});
    this.notifyReady();
  }

  private notifyReady(): void {
    const waiters = this.readyWaiters.splice(0);
    for (const w of waiters) w();
  }
}
