/**
 * One running web page bot: its visitors' sessions and sockets. A visitor's `message` frame is echoed to every
 * socket of the session as `user_message` and handed to the kernel as a `message.received` event of this bot (so
 * its rules, pipeline and monitoring apply); the pipeline's replies come back through the adapter and go out as
 * `response` frames — repeated under one id with `is_final: false` while a reply is streamed.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RpcError, RpcErrorCode, decodeChain, plainText, type EventSink, type MessageChain } from '@langbot-ts/sdk';
import type { Frame } from '@langbot-ts/sdk';
import { Connection } from './connection.js';
import { SessionTable, chatIdOf, type ChatSession, type HistoryEntry, type SessionType } from './sessions.js';

/** The longest message a visitor may send, in characters. */
export const MAX_TEXT = 8_000;

export interface WebPageConfig {
  turnstile_site_key: string;
  turnstile_secret_key: string;
}

const now = () => Date.now() / 1000;
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class WebPageBot {
  readonly sessions: SessionTable;

  constructor(
    readonly bot_uuid: string,
    readonly config: WebPageConfig,
    private readonly sink: EventSink,
    historyLimit: () => number,
  ) {
    this.sessions = new SessionTable(historyLimit);
  }

  open(type: SessionType, session_id: string): { connection: Connection; session: ChatSession } {
    const session = this.sessions.get(type, session_id);
    const connection = new Connection();
    session.connections.add(connection);
    connection.whenClosed(() => session.connections.delete(connection));
    connection.send({ type: 'connected', connection_id: connection.id, bot_uuid: this.bot_uuid, session_type: type, session_id, timestamp: now() });
    return { connection, session };
  }

  /** One frame from the visitor, as text. */
  receive(session: ChatSession, connection: Connection, text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text);
      if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') throw new Error('not a frame');
    } catch {
      return connection.send({ type: 'error', message: 'Invalid JSON format' });
    }
    switch (frame.type) {
      case 'ping':
        return connection.send({ type: 'pong', timestamp: now() });
      case 'disconnect':
        return connection.close('The client disconnected.');
      case 'message':
        return void this.message(session, connection, frame);
      default:
        return connection.send({ type: 'error', message: `Unknown frame type: ${frame.type}` });
    }
  }

  private async message(session: ChatSession, connection: Connection, frame: Frame): Promise<void> {
    let chain: MessageChain;
    try {
      chain = visitorChain(frame.message);
    } catch (error) {
      return connection.send({ type: 'error', message: `Invalid message: ${describe(error)}` });
    }
    connection.stream = frame.stream !== false;
    const entry: HistoryEntry = { id: randomUUID(), role: 'user', content: plainText(chain), message_chain: chain, timestamp: now(), is_final: true };
    session.record(entry);
    session.broadcast((c) => ({ type: 'user_message', session_type: session.type, data: { ...entry, connection_id: c.id } }));
    const sender = { id: `websocket_${session.session_id}`, nickname: 'Web visitor' };
    const handed = await this.sink.emit({
      type: 'message.received',
      message_id: entry.id,
      message_chain: chain,
      sender,
      chat_type: session.type === 'group' ? 'group' : 'private',
      chat_id: session.chat_id,
      ...(session.type === 'group' ? { group: { id: session.chat_id, name: 'Web page' } } : {}),
    });
    if (!handed) connection.send({ type: 'error', message: 'The message could not be handed to the bot; please try again.' });
  }

  /** A reply of the bot (or a part of one being streamed) to the chat `chat_id`. */
  deliver(chat_id: unknown, chain: MessageChain, id: string, is_final: boolean): { message_id: string } {
    const session = this.sessionOf(chat_id);
    const entry: HistoryEntry = { id, role: 'assistant', content: plainText(chain), message_chain: chain, timestamp: now(), is_final };
    session.record(entry);
    // A client that asked for no streaming gets only the finished reply.
    session.broadcast((c) => (c.stream || is_final ? { type: 'response', data: { ...entry, connection_id: c.id } } : undefined));
    return { message_id: id };
  }

  history(type: SessionType, session_id: string): HistoryEntry[] {
    return [...(this.sessions.find(chatIdOf(type, session_id))?.history ?? [])];
  }

  /** Forgets the session's history and tells plugins (`platform.specific` / `session_reset`), as the HTTP bot does. */
  async reset(type: SessionType, session_id: string): Promise<{ session_id: string; removed: boolean }> {
    const session = this.sessions.find(chatIdOf(type, session_id));
    const removed = (session?.history.length ?? 0) > 0;
    if (session) session.history = [];
    await this.sink.emit({ type: 'platform.specific', action: 'session_reset', data: { session_id, session_type: type, chat_id: chatIdOf(type, session_id) } });
    return { session_id, removed };
  }

  /**
   * Like (1), dislike (2) or withdrawn (3), as a `feedback.received` event. Feedback on one message keeps one id,
   * so a later change updates the earlier feedback.
   */
  async feedback(args: { session_type: SessionType; session_id: string; feedback_type: 1 | 2 | 3; message_id?: string; feedback_content?: string }): Promise<{ feedback_id: string }> {
    const chat_id = chatIdOf(args.session_type, args.session_id);
    const seed = args.message_id ? createHash('sha256').update(`${this.bot_uuid}\u0000${chat_id}\u0000${args.message_id}`).digest() : randomBytes(6);
    const feedback_id = `embed_${seed.toString('hex').slice(0, 12)}`;
    const handed = await this.sink.emit({
      type: 'feedback.received',
      feedback_id,
      feedback_type: args.feedback_type,
      user_id: `websocket_${args.session_id}`,
      session_id: chat_id,
      ...(args.message_id ? { message_id: args.message_id } : {}),
      ...(args.feedback_content ? { feedback_content: args.feedback_content } : {}),
    });
    if (!handed) throw new RpcError(RpcErrorCode.Internal, 'The feedback could not be handed to the bot.');
    return { feedback_id };
  }

  stop(): void {
    for (const session of this.sessions.all()) {
      for (const connection of [...session.connections]) {
        connection.send({ type: 'error', message: 'The bot has stopped.' });
        connection.close('The bot has stopped.');
      }
    }
  }

  /** The session a chat id names; one forgotten meanwhile is made again, so a late reply still lands in its history. */
  private sessionOf(chat_id: unknown): ChatSession {
    const id = String(chat_id ?? '');
    const found = this.sessions.find(id);
    if (found) return found;
    const match = /^websocket(group)?_(.+)$/.exec(id);
    if (!match) throw new RpcError(RpcErrorCode.ValidationFailed, `'${id}' is not a web page chat (websocket_<session id> or websocketgroup_<session id>).`);
    return this.sessions.get(match[1] ? 'group' : 'person', match[2]);
  }
}

/** What a visitor may send: text only, and not too much of it. */
function visitorChain(message: unknown): MessageChain {
  const chain = decodeChain(message);
  if (chain.length === 0) throw new Error('a message frame needs a non-empty message chain.');
  const other = chain.find((c) => c.type !== 'Plain');
  if (other) throw new Error(`only text (Plain) can be sent from a web page, not ${other.type}.`);
  const length = plainText(chain).length;
  if (length > MAX_TEXT) throw new Error(`the message has ${length} characters; at most ${MAX_TEXT} are accepted.`);
  if (!plainText(chain).trim()) throw new Error('the message is empty.');
  return chain;
}
