/**
 * Writes the pipeline's bookkeeping a moment later, together: monitoring rows in one multi-row insert, each
 * session's activity and each conversation once per flush however many messages it saw. A message costs a few
 * array pushes instead of four statements. Flushed every `intervalMs` and when the extension stops; a failed
 * flush is logged with what it held.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, ExtensionLogger } from '@langbot-ts/sdk';
import type { Conversation, SessionInfo } from './conversations.js';

type MessageRow = Insertable<Database['monitoring_messages']>;
type ErrorRow = Insertable<Database['monitoring_errors']>;

const ROWS_PER_INSERT = 200;

export class WriteBehind {
  private messages: MessageRow[] = [];
  private errors: ErrorRow[] = [];
  private sessions = new Map<string, { info: SessionInfo; at: string; added: number }>();
  private conversations = new Map<string, { conversation: Conversation; session: SessionInfo }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: ExtensionLogger,
    private readonly intervalMs = 50,
  ) {}

  message(row: MessageRow): void {
    this.messages.push(row);
    this.schedule();
  }

  error(row: ErrorRow): void {
    this.errors.push(row);
    this.schedule();
  }

  conversation(conversation: Conversation, session: SessionInfo, addedUserMessages: number): void {
    this.conversations.set(conversation.uuid, { conversation, session });
    const pending = this.sessions.get(session.key);
    this.sessions.set(session.key, { info: session, at: conversation.updated_at, added: (pending?.added ?? 0) + addedUserMessages });
    this.schedule();
  }

  /** Writes everything pending now; resolves when it is in the database. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.running.then(() => this.write());
    return this.running;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  private async write(): Promise<void> {
    const messages = this.messages.splice(0);
    const errors = this.errors.splice(0);
    const conversations = [...this.conversations.values()];
    const sessions = [...this.sessions.values()];
    this.conversations.clear();
    this.sessions.clear();
    try {
      for (const chunk of chunks(messages)) await this.db.insertInto('monitoring_messages').values(chunk).execute();
      for (const chunk of chunks(errors)) await this.db.insertInto('monitoring_errors').values(chunk).execute();
      for (const chunk of chunks(conversations)) await this.saveConversations(chunk);
      for (const chunk of chunks(sessions)) await this.touchSessions(chunk);
    } catch (error) {
      this.log.warn(`Could not save ${messages.length} monitoring row(s), ${conversations.length} conversation(s) and ${sessions.length} session(s): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** One upsert for many conversations: new ones are inserted, known ones get their messages replaced. */
  private async saveConversations(items: { conversation: Conversation; session: SessionInfo }[]): Promise<void> {
    const rows = items.map(({ conversation, session }) => ({
      uuid: conversation.uuid,
      workspace_uuid: null,
      session_id: session.key,
      bot_uuid: session.bot_uuid,
      pipeline_uuid: session.pipeline_uuid,
      title: null,
      messages: JSON.stringify(conversation.messages),
      created_at: conversation.created_at,
      updated_at: conversation.updated_at,
    }));
    await this.db
      .insertInto('conversations')
      .values(rows)
      .onConflict((oc) => oc.column('uuid').doUpdateSet((eb) => ({ messages: eb.ref('excluded.messages'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
    for (const { conversation } of items) conversation.fresh = false;
  }

  /** One upsert for many sessions: message counts add up, the latest activity wins. */
  private async touchSessions(items: { info: SessionInfo; at: string; added: number }[]): Promise<void> {
    const rows = items.map(({ info, at, added }) => ({
      session_id: info.key,
      workspace_uuid: null,
      bot_id: info.bot_uuid,
      bot_name: info.bot_name,
      pipeline_id: info.pipeline_uuid,
      pipeline_name: info.pipeline_name,
      message_count: added,
      start_time: at,
      last_activity: at,
      is_active: 1,
      platform: info.platform,
      user_id: info.user_id,
      user_name: info.user_name,
    }));
    await this.db
      .insertInto('sessions')
      .values(rows)
      .onConflict((oc) =>
        oc.column('session_id').doUpdateSet((eb) => ({
          last_activity: eb.ref('excluded.last_activity'),
          message_count: eb('sessions.message_count', '+', eb.ref('excluded.message_count')),
          pipeline_id: eb.ref('excluded.pipeline_id'),
          pipeline_name: eb.ref('excluded.pipeline_name'),
          user_name: eb.ref('excluded.user_name'),
        })),
      )
      .execute();
  }
}

/** Rows per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
function chunks<T>(items: T[], size = ROWS_PER_INSERT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
