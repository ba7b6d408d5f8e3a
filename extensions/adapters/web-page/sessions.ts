/**
 * A visitor's chat session: the sockets open on it (several tabs share one session id) and its recent messages,
 * kept in memory only, as upstream does, up to `historyLimit` messages and HISTORY_CHARS characters. Sessions with
 * no open socket are forgotten, least recently used first, once a bot has more than SESSION_LIMIT of them.
 */
import type { MessageChain } from '@langbot-ts/sdk';
import type { Frame } from '@langbot-ts/sdk';
import type { Connection } from './connection.js';

export const SESSION_LIMIT = 1_000;
/** Characters of history kept per session, whatever the message count, so memory stays bounded. */
export const HISTORY_CHARS = 32_000;

export type SessionType = 'person' | 'group';

export interface HistoryEntry {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  message_chain: MessageChain;
  timestamp: number;
  is_final: boolean;
}

/** Upstream's launcher ids: `websocket_<id>` for a person, `websocketgroup_<id>` for a group. */
export const chatIdOf = (type: SessionType, session_id: string) => (type === 'group' ? `websocketgroup_${session_id}` : `websocket_${session_id}`);

export class ChatSession {
  readonly connections = new Set<Connection>();
  history: HistoryEntry[] = [];

  constructor(
    readonly chat_id: string,
    readonly type: SessionType,
    readonly session_id: string,
    private readonly historyLimit: () => number,
  ) {}

  /** Adds the entry, or replaces the one with its id (a streamed reply growing). */
  record(entry: HistoryEntry): void {
    const index = this.history.findIndex((e) => e.id === entry.id);
    if (index >= 0) this.history[index] = entry;
    else this.history.push(entry);
    const limit = this.historyLimit();
    if (this.history.length > limit) this.history.splice(0, this.history.length - limit);
    let chars = this.history.reduce((sum, e) => sum + e.content.length, 0);
    while (chars > HISTORY_CHARS && this.history.length > 1) chars -= this.history.shift()!.content.length;
  }

  broadcast(frame: (connection: Connection) => Frame | undefined): void {
    for (const connection of this.connections) {
      const built = frame(connection);
      if (built) connection.send(built);
    }
  }
}

export class SessionTable {
  private readonly sessions = new Map<string, ChatSession>();

  constructor(private readonly historyLimit: () => number) {}

  find(chat_id: string): ChatSession | undefined {
    return this.sessions.get(chat_id);
  }

  get(type: SessionType, session_id: string): ChatSession {
    const chat_id = chatIdOf(type, session_id);
    let session = this.sessions.get(chat_id);
    if (session) this.sessions.delete(chat_id);
    else session = new ChatSession(chat_id, type, session_id, this.historyLimit);
    this.sessions.set(chat_id, session);
    this.evict();
    return session;
  }

  all(): ChatSession[] {
    return [...this.sessions.values()];
  }

  private evict(): void {
    if (this.sessions.size <= SESSION_LIMIT) return;
    for (const [chat_id, session] of this.sessions) {
      if (this.sessions.size <= SESSION_LIMIT) return;
      if (session.connections.size === 0) this.sessions.delete(chat_id);
    }
  }
}
