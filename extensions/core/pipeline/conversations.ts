/**
 * Sessions and their conversations, persisted (upstream keeps them only in memory, so a restart forgets every
 * chat). A session is one chat of one bot; its current conversation holds the message history the runner sees.
 * Reads are served from memory after the first; every change is written through.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ConversationMessage, Database } from '@langbot-ts/sdk';
import type { WriteBehind } from './write-behind.js';

export interface Conversation {
  uuid: string;
  session_key: string;
  pipeline_uuid: string;
  messages: ConversationMessage[];
  created_at: string;
  updated_at: string;
  /** Not yet in the database. */
  fresh: boolean;
}

export interface SessionInfo {
  key: string;
  bot_uuid: string;
  bot_name: string;
  pipeline_uuid: string;
  pipeline_name: string;
  platform: string;
  user_id: string;
  user_name: string;
}

/** Most messages kept per conversation; older ones are dropped when a new exchange is saved. */
export const MAX_MESSAGES_PER_CONVERSATION = 100;
/** Conversations kept in memory; the least recently used are forgotten (they stay in the database). */
const MEMORY_LIMIT = 10_000;

const parse = (text: unknown): ConversationMessage[] => {
  try {
    const value = JSON.parse(String(text ?? '[]'));
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
};

export class ConversationStore {
  private readonly current = new Map<string, Conversation>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: WriteBehind,
  ) {}

  /** The session's current conversation for this pipeline, or a new one when there is none or it expired. */
  async currentFor(session: SessionInfo, expireSeconds: number, now = Date.now()): Promise<Conversation> {
    const cacheKey = `${session.key}\u0000${session.pipeline_uuid}`;
    let conversation = this.current.get(cacheKey);
    if (!conversation) {
      const row = await this.db
        .selectFrom('conversations')
        .selectAll()
        .where('session_id', '=', session.key)
        .where('pipeline_uuid', '=', session.pipeline_uuid)
        .orderBy('updated_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row) {
        conversation = {
          uuid: row.uuid,
          session_key: session.key,
          pipeline_uuid: session.pipeline_uuid,
          messages: parse(row.messages),
          created_at: String(row.created_at),
          updated_at: String(row.updated_at),
          fresh: false,
        };
      }
    }
    const idleMs = conversation ? now - Date.parse(conversation.updated_at) : 0;
    if (!conversation || (expireSeconds > 0 && idleMs > expireSeconds * 1000)) conversation = this.start(session, now);
    this.remember(cacheKey, conversation);
    return conversation;
  }

  /** Starts a new conversation for the session (the old one stays in the database). */
  start(session: SessionInfo, now = Date.now()): Conversation {
    const at = new Date(now).toISOString();
    const conversation: Conversation = { uuid: randomUUID(), session_key: session.key, pipeline_uuid: session.pipeline_uuid, messages: [], created_at: at, updated_at: at, fresh: true };
    this.remember(`${session.key}\u0000${session.pipeline_uuid}`, conversation);
    return conversation;
  }

  /** Appends an exchange; the conversation and the session's activity are written shortly after. */
  append(conversation: Conversation, session: SessionInfo, messages: ConversationMessage[], now = Date.now()): void {
    conversation.messages.push(...messages);
    if (conversation.messages.length > MAX_MESSAGES_PER_CONVERSATION) conversation.messages.splice(0, conversation.messages.length - MAX_MESSAGES_PER_CONVERSATION);
    conversation.updated_at = new Date(now).toISOString();
    this.writes.conversation(conversation, session, messages.filter((m) => m.role === 'user').length);
  }

  private remember(key: string, conversation: Conversation): void {
    this.current.delete(key);
    this.current.set(key, conversation);
    if (this.current.size > MEMORY_LIMIT) this.current.delete(this.current.keys().next().value!);
  }
}
