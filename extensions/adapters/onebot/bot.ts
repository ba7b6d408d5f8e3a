/**
 * One running OneBot bot: its connection (reverse server or forward client), the socket(s) carrying actions and
 * events, the bot's own QQ number, and the event flow into the kernel.
 *
 * Reverse mode, several connections: the newest connection of a role replaces the older one (an implementation
 * that reconnects after a network hiccup may still look connected on the old socket). A connection logged in as a
 * different QQ number than before also replaces it, with a warning: one bot config serves one QQ account.
 */
import type { EventSink, ExtensionLogger, Redactor } from '@langbot-ts/sdk';
import WebSocket from 'ws';
import { ActionClient, isResponseFrame } from './actions.js';
import type { OneBotConfig } from './config.js';
import { convertEvent, type RawEvent } from './events.js';
import { ForwardClient } from './forward-client.js';
import type { InboundResolver } from './inbound.js';
import { ReverseServer, type ReverseConnection } from './reverse-server.js';

/** How long `start` waits in reverse mode for the implementation to connect, so the bot's QQ number is known. */
const FIRST_CONNECTION_WAIT_MS = 3_000;
/** Fetching a quoted message or a forward while converting must not hold up later events for long. */
const RESOLVE_TIMEOUT_MS = 3_000;
const KEEPALIVE_MS = 30_000;

export interface OneBotBotOptions {
  bot_uuid: string;
  config: OneBotConfig;
  log: ExtensionLogger;
  redact: Redactor;
  sink: EventSink;
}

export class OneBotBot {
  selfId?: string;
  nickname?: string;
  readonly actions: ActionClient;
  private apiSocket?: WebSocket;
  private eventSocket?: WebSocket;
  private server?: ReverseServer;
  private client?: ForwardClient;
  private boundPort?: number;
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<() => void>();
  private readonly keepalives = new Map<WebSocket, NodeJS.Timeout>();

  constructor(private readonly options: OneBotBotOptions) {
    this.actions = new ActionClient(options.config.actionTimeoutMs, () => this.apiSocket ?? this.notConnected());
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  get connected(): boolean {
    return this.apiSocket?.readyState === WebSocket.OPEN;
  }

  async start(): Promise<{ account_id?: string }> {
    const { config, log } = this.options;
    if (config.mode === 'reverse') {
      this.server = new ReverseServer({ host: config.host, port: config.port, token: config.accessToken, log, onConnection: (c) => this.acceptReverse(c) });
      this.boundPort = await this.server.listen();
      log.info(`OneBot reverse WebSocket listening on ws://${config.host}:${this.boundPort}/ws (any path).`);
      await this.waitForSelfId(FIRST_CONNECTION_WAIT_MS);
    } else {
      this.client = new ForwardClient({ url: config.forwardUrl, token: config.accessToken, log, displayUrl: displayUrl(config.forwardUrl), onConnection: (socket) => this.attach(socket, 'Universal') });
      if (await this.client.start()) await this.waitForSelfId(Math.min(config.actionTimeoutMs, 10_000));
    }
    return this.selfId ? { account_id: this.selfId } : {};
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.client?.stop();
    for (const timer of this.keepalives.values()) clearInterval(timer);
    this.keepalives.clear();
    this.actions.failAll('the bot is stopping');
    for (const socket of new Set([this.apiSocket, this.eventSocket])) socket?.terminate();
    this.apiSocket = this.eventSocket = undefined;
    for (const wake of this.waiters) wake();
    await this.server?.close();
  }

  /** Calls an action; quoted/forwarded content lookups use a shorter timeout and never throw. */
  call(action: string, params: Record<string, unknown> = {}): Promise<unknown> {
    return this.actions.call(action, params);
  }

  readonly resolver: InboundResolver = {
    getMessage: async (id) => asRecord(await this.actions.call('get_msg', { message_id: id }, RESOLVE_TIMEOUT_MS).catch(() => undefined)),
    getForward: async (id) => asRecord(await this.actions.call('get_forward_msg', { id, message_id: id }, RESOLVE_TIMEOUT_MS).catch(() => undefined)),
  };

  private notConnected(): string {
    const { config } = this.options;
    return config.mode === 'reverse'
      ? `The OneBot implementation is not connected; it should connect to ws://<this host>:${this.boundPort ?? config.port}/ws.`
      : `The OneBot implementation at ${displayUrl(config.forwardUrl)} is not connected; reconnecting.`;
  }

  private acceptReverse(connection: ReverseConnection): void {
    const { log } = this.options;
    if (this.stopped) return void connection.socket.terminate();
    if (connection.selfId && this.selfId && connection.selfId !== this.selfId) {
      log.warn(`A OneBot implementation logged in as ${connection.selfId} connected while this bot was ${this.selfId}; the newest connection is used.`);
    }
    if (connection.selfId) this.learnSelfId(connection.selfId);
    log.info(`OneBot implementation connected from ${connection.remote} (${connection.role}${connection.selfId ? `, QQ ${connection.selfId}` : ''}).`);
    this.attach(connection.socket, connection.role);
  }

  private attach(socket: WebSocket, role: 'Universal' | 'API' | 'Event'): void {
    if (role !== 'Event') this.replace('apiSocket', socket);
    if (role !== 'API') this.replace('eventSocket', socket);
    socket.on('message', (data, isBinary) => this.receive(socket, isBinary ? undefined : data.toString()));
    socket.on('error', (error) => this.options.log.warn(`OneBot connection error: ${this.options.redact(error.message)}`));
    socket.once('close', () => {
      clearInterval(this.keepalives.get(socket));
      this.keepalives.delete(socket);
      this.actions.failSocket(socket, 'the OneBot connection closed');
      if (this.apiSocket === socket) this.apiSocket = undefined;
      if (this.eventSocket === socket) this.eventSocket = undefined;
      if (!this.stopped) this.options.log.info('The OneBot connection closed.');
    });
    this.keepAlive(socket);
    if (role !== 'Event' && !this.selfId) void this.askSelfId();
  }

  private replace(slot: 'apiSocket' | 'eventSocket', socket: WebSocket): void {
    const old = this[slot];
    this[slot] = socket;
    if (old && old !== socket && old !== this.apiSocket && old !== this.eventSocket) old.close(1000, 'Replaced by a newer connection.');
  }

  /** A socket that answers no ping within one interval is dead (half-open after a network change): drop it. */
  private keepAlive(socket: WebSocket): void {
    let alive = true;
    socket.on('pong', () => (alive = true));
    const timer = setInterval(() => {
      if (!alive) return void socket.terminate();
      alive = false;
      socket.ping();
    }, KEEPALIVE_MS);
    timer.unref();
    this.keepalives.set(socket, timer);
  }

  private async askSelfId(): Promise<void> {
    try {
      const info = asRecord(await this.actions.call('get_login_info', {}, Math.min(this.options.config.actionTimeoutMs, 10_000)));
      if (info?.user_id !== undefined) this.learnSelfId(String(info.user_id));
      if (typeof info?.nickname === 'string') this.nickname = info.nickname;
    } catch (error) {
      this.options.log.debug(`get_login_info failed: ${this.options.redact((error as Error).message)}`);
    }
  }

  private learnSelfId(id: string): void {
    if (this.selfId !== id) void this.options.sink.account(id);
    this.selfId = id;
    for (const wake of this.waiters) wake();
  }

  private waitForSelfId(timeoutMs: number): Promise<void> {
    if (this.selfId) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  private receive(socket: WebSocket, text: string | undefined): void {
    const { log, redact } = this.options;
    let frame: unknown;
    try {
      frame = text === undefined ? undefined : JSON.parse(text);
    } catch {
      frame = undefined;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      log.warn(`Dropped a OneBot frame that is not a JSON object: ${redact(String(text ?? '<binary>').slice(0, 200))}`);
      return;
    }
    const record = frame as RawEvent;
    if (isResponseFrame(record)) {
      if (!this.actions.handleResponse(record)) log.debug(`A OneBot answer matched no pending action (echo ${redact(String(record.echo)).slice(0, 64)}).`);
      return;
    }
    if (socket !== this.eventSocket && this.eventSocket) return;
    if (!this.selfId && record.self_id !== undefined) this.learnSelfId(String(record.self_id));
    this.queue = this.queue.then(() => this.dispatch(record));
  }

  private async dispatch(raw: RawEvent): Promise<void> {
    try {
      const event = await convertEvent(raw, { selfId: this.selfId, resolver: this.resolver });
      if (event) await this.options.sink.emit(event);
    } catch (error) {
      this.options.log.warn(`Dropped a OneBot event that could not be converted: ${this.options.redact((error as Error).message)}`, { post_type: String(raw.post_type) });
    }
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The URL without user info or query (an access_token query parameter must not reach the logs). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}
