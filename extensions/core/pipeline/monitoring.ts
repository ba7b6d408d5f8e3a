/** Monitoring rows the pipeline writes: each message in and out, and each error. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '@langbot-ts/sdk';
import type { Query } from './query.js';

export class Monitoring {
  constructor(private readonly db: Kysely<Database>) {}

  async message(query: Query, role: 'user' | 'assistant', content: string, status: 'success' | 'error' | 'discarded', runner: string | null): Promise<void> {
    await this.db
      .insertInto('monitoring_messages')
      .values({
        id: randomUUID(),
        workspace_uuid: null,
        timestamp: new Date().toISOString(),
        message_content: content,
        status,
        level: status === 'error' ? 'error' : 'info',
        platform: query.bot.adapter,
        user_id: query.sender_id,
        user_name: query.event.sender.nickname ?? null,
        runner_name: runner,
        variables: null,
        role,
        ...this.origin(query),
      })
      .execute();
  }

  async error(query: Query, type: string, message: string, stack?: string): Promise<void> {
    await this.db
      .insertInto('monitoring_errors')
      .values({ id: randomUUID(), workspace_uuid: null, timestamp: new Date().toISOString(), error_type: type, error_message: message, stack_trace: stack ?? null, message_id: String(query.event.message_id), ...this.origin(query) })
      .execute();
  }

  private origin(query: Query) {
    return { bot_id: query.bot.uuid, bot_name: query.bot.name, pipeline_id: query.pipeline.uuid, pipeline_name: query.pipeline.name, session_id: query.session.key };
  }
}
