/** Monitoring rows the pipeline records: each message in and out, and each error (written in batches). */
import { randomUUID } from 'node:crypto';
import type { Query } from './query.js';
import type { WriteBehind } from './write-behind.js';

export class Monitoring {
  constructor(private readonly writes: WriteBehind) {}

  message(query: Query, role: 'user' | 'assistant', content: string, status: 'success' | 'error' | 'discarded', runner: string | null): void {
    this.writes.message({
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
      });
  }

  error(query: Query, type: string, message: string, stack?: string): void {
    this.writes.error({ id: randomUUID(), workspace_uuid: null, timestamp: new Date().toISOString(), error_type: type, error_message: message, stack_trace: stack ?? null, message_id: String(query.event.message_id), ...this.origin(query) });
  }

  private origin(query: Query) {
    return { bot_id: query.bot.uuid, bot_name: query.bot.name, pipeline_id: query.pipeline.uuid, pipeline_name: query.pipeline.name, session_id: query.session.key };
  }
}
