/**
 * The debug-chat protocol (upstream's dashboard WebSocket chat): the client authenticates with its first frame
 * within 10 s, then sends `message` frames (a message chain) and `ping`; the server echoes each message as
 * `user_message`, runs it through the connection's pipeline, and answers with `response` frames — repeated with
 * one id and `is_final: false` while a reply is streamed.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { decodeChain, plainText, type BotRef, type ExtensionContext, type MessageChain } from '@langbot-ts/sdk';
import type { Frame } from '@langbot-ts/sdk';
import { Connection } from './connection.js';

export const AUTH_TIMEOUT_MS = 10_000;
export const ADAPTER = 'debug-chat';

const now = () => Date.now() / 1000;

export class DebugChatHub {
  readonly connections = new Map<string, Connection>();
  private bot: Promise<BotRef> | undefined;
  private sequence = 0;

  constructor(
    private readonly ctx: ExtensionContext,
    private readonly token: () => string,
  ) {}

  /** `authenticated`: the caller (the HTTP server, after checking a sign-in token) vouches for the client. */
  open(pipeline_uuid: string, session_type: 'person' | 'group', authenticated = false): Connection {
    const connection = new Connection(randomUUID(), pipeline_uuid, session_type);
    this.connections.set(connection.id, connection);
    if (authenticated) {
      connection.authenticated = true;
      this.welcome(connection);
    }
    const timer = setTimeout(() => {
      if (!connection.authenticated) this.refuse(connection, 'Unauthorized');
    }, AUTH_TIMEOUT_MS);
    connection.whenClosed(() => {
      clearTimeout(timer);
      this.connections.delete(connection.id);
    });
    return connection;
  }

  /** One frame from the client, as text. */
  receive(connection: Connection, text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text);
      if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') throw new Error('not a frame');
    } catch {
      return connection.send({ type: 'error', message: 'Invalid JSON format' });
    }
    if (!connection.authenticated) {
      if (frame.type !== 'authenticate' || !this.accepts(frame.token)) return this.refuse(connection, 'Unauthorized');
      connection.authenticated = true;
      return this.welcome(connection);
    }
    switch (frame.type) {
      case 'ping':
        return connection.send({ type: 'pong', timestamp: now() });
      case 'disconnect':
        return connection.close('The client disconnected.');
      case 'message':
        return this.message(connection, frame);
      default:
        return connection.send({ type: 'error', message: `Unknown frame type: ${frame.type}` });
    }
  }

  private welcome(connection: Connection): void {
    connection.send({ type: 'connected', connection_id: connection.id, pipeline_uuid: connection.pipeline_uuid, session_type: connection.session_type, timestamp: now() });
  }

  /** Where the adapter's replies go: the connection whose chat the event came from. */
  connectionFor(chatId: unknown): Connection | undefined {
    const id = String(chatId).replace(/^websocket(group)?_/, '');
    return this.connections.get(id);
  }

  respond(connection: Connection, chain: MessageChain, id: string, is_final: boolean): void {
    connection.send({
      type: 'response',
      data: { id, role: 'assistant', content: plainText(chain), message_chain: chain, timestamp: now(), is_final, connection_id: connection.id },
    });
  }

  nextId(): string {
    return `${Date.now().toString(36)}-${(++this.sequence).toString(36)}`;
  }

  private accepts(token: unknown): boolean {
    const expected = this.token();
    if (!expected) {
      this.ctx.log.warn('A debug-chat client was refused: no access token is configured for langbot.adapter-debug-chat.');
      return false;
    }
    if (typeof token !== 'string') return false;
    const a = Buffer.from(token);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private refuse(connection: Connection, message: string): void {
    connection.send({ type: 'error', message });
    connection.close(message);
  }

  private message(connection: Connection, frame: Frame): void {
    let chain: MessageChain;
    try {
      chain = decodeChain(frame.message);
    } catch (error) {
      return connection.send({ type: 'error', message: `Invalid message: ${error instanceof Error ? error.message : String(error)}` });
    }
    if (chain.length === 0) return connection.send({ type: 'error', message: 'A message frame needs a non-empty message chain.' });
    connection.stream = frame.stream !== false;
    const id = this.nextId();
    connection.send({
      type: 'user_message',
      session_type: connection.session_type,
      data: { id, role: 'user', content: plainText(chain), message_chain: chain, timestamp: now(), connection_id: connection.id, is_final: true },
    });
    connection.chain = connection.chain.then(() => this.run(connection, id, chain)).catch((error) => {
      this.ctx.log.warn(`Debug chat could not handle a message: ${error instanceof Error ? error.message : String(error)}`, { connection: connection.id });
      connection.send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    });
  }

  private async run(connection: Connection, id: string, chain: MessageChain): Promise<void> {
    const bot = await this.proxyBot();
    const event = {
      type: 'message.received',
      timestamp: now(),
      bot_uuid: bot.uuid,
      adapter_name: ADAPTER,
      message_id: id,
      message_chain: chain,
      sender: { id: connection.sender_id, nickname: 'Debug user' },
      chat_type: connection.session_type === 'group' ? 'group' : 'private',
      chat_id: connection.chat_id,
      ...(connection.session_type === 'group' ? { group: { id: connection.chat_id, name: 'Debug group' } } : {}),
    };
    await this.ctx.call('contributions', 'invoke', {
      point: 'eventHandlers',
      id: 'pipeline',
      method: 'handle',
      args: { event, bot, config: { pipeline_uuid: connection.pipeline_uuid } },
      timeoutMs: 300_000,
    });
  }

  /** The bot replies are sent through: one stored bot with this adapter, created on first use. */
  private proxyBot(): Promise<BotRef> {
    this.bot ??= (async () => {
      const bots = await this.ctx.call<{ uuid: string; name: string; adapter: string }[]>('bots', 'list', {});
      const found = bots.find((b) => b.adapter === ADAPTER) ?? (await this.ctx.call<{ uuid: string; name: string; adapter: string }>('bots', 'create', { name: 'Debug chat', adapter: ADAPTER, enable: true, description: 'Replies of the debug chat go through this bot.' }));
      return { uuid: found.uuid, name: found.name, adapter: ADAPTER };
    })().catch((error) => {
      this.bot = undefined;
      throw error;
    });
    return this.bot;
  }
}
