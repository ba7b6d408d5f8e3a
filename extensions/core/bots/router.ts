/**
 * The `events` service: validate an adapter's event, log it for its bot, choose a handler by the bot's rules and
 * run it in the query pool (one at a time per chat). Refusals and handler failures are logged, never dropped.
 */
import { RpcError, RpcErrorCode, localize, parseEvent, routeEvent, type BotRef, type ExtensionContext, type UnifiedEvent } from '@langbot-ts/sdk';
import type { EventLog } from './event-log.js';
import type { Lifecycle } from './lifecycle.js';
import { invokeContribution } from './invoke.js';
import { QueryPool } from './query-pool.js';
import type { BotStore, StoredBot } from './store.js';

export interface EmitResult {
  accepted: boolean;
  handler_type: string;
  via: 'rule' | 'legacy' | 'fallback';
  reason?: string;
}

export const BUSY_NOTICE = {
  en_US: 'Too many messages are waiting in this chat; this one was not handled. Please try again shortly.',
  zh_Hans: '本会话排队的消息过多，这条消息未被处理，请稍后再试。',
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Messages of one chat share a queue; other events queue per bot and type. */
export function poolKey(event: UnifiedEvent): string {
  const e = event as { bot_uuid: string; type: string; chat_type?: string; chat_id?: string | number };
  return e.chat_type !== undefined && e.chat_id !== undefined ? `${e.bot_uuid}:${e.chat_type}:${e.chat_id}` : `${e.bot_uuid}:${e.type}`;
}

export class EventRouter {
  readonly pool: QueryPool;

  constructor(
    private readonly ctx: ExtensionContext,
    private readonly store: BotStore,
    private readonly log: EventLog,
    private readonly lifecycle: Lifecycle,
    options: { concurrency?: number; perChatLimit?: number } = {},
  ) {
    this.pool = new QueryPool({
      concurrency: options.concurrency ?? 16,
      perChatLimit: options.perChatLimit ?? 20,
      onError: (key, error) => ctx.log.warn(`Event task failed: ${message(error)}`, { key }),
    });
  }

  async emit(raw: unknown): Promise<EmitResult> {
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      const list = parsed.issues.map((i) => `${i.path || '(event)'}: ${i.message}`).join('; ');
      throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid event: ${list}`, { issues: parsed.issues });
    }
    const event = parsed.event;
    const bot = await this.store.find(event.bot_uuid);
    if (!bot) throw new RpcError(RpcErrorCode.NotFound, `No bot '${event.bot_uuid}' for a ${event.type} event.`);

    const decision = routeEvent(event.type, { event_handlers: bot.stored_rules, use_pipeline_uuid: bot.use_pipeline_uuid });
    const submission = this.pool.submit(poolKey(event), () => this.handle(bot, event, decision.handler_type, decision.handler_config));
    const result: EmitResult = { accepted: submission.accepted, handler_type: decision.handler_type, via: decision.via };
    if (!submission.accepted) {
      result.reason = submission.reason;
      this.ctx.log.warn(`Refused a ${event.type} event of bot '${bot.name}': ${submission.reason}`, { bot: bot.uuid, event_type: event.type, reason: submission.reason });
      if (event.type === 'message.received') void this.tellBusy(bot, event);
    }
    this.log.append(bot.uuid, { event: event as Record<string, unknown>, received_at: new Date().toISOString(), handler_type: decision.handler_type, via: decision.via, accepted: submission.accepted });
    return result;
  }

  /** The sender of a refused message hears about it instead of waiting for a reply that never comes. */
  private async tellBusy(bot: StoredBot, event: UnifiedEvent): Promise<void> {
    try {
      const message = [{ type: 'Plain', text: localize(BUSY_NOTICE, String(this.ctx.config.language ?? 'en_US')) }];
      await invokeContribution(this.ctx, { point: 'adapters', id: bot.adapter, method: 'reply_message', args: { bot_uuid: bot.uuid, event, message } });
    } catch (error) {
      this.ctx.log.warn(`Could not tell a sender that bot '${bot.name}' is busy: ${message(error)}`, { bot: bot.uuid });
    }
  }

  private botRef(bot: StoredBot): BotRef {
    const account_id = this.lifecycle.accountId(bot.uuid);
    return account_id === undefined ? { uuid: bot.uuid, name: bot.name, adapter: bot.adapter } : { uuid: bot.uuid, name: bot.name, adapter: bot.adapter, account_id };
  }

  private async handle(bot: StoredBot, event: UnifiedEvent, handlerType: string, config: Record<string, unknown>): Promise<void> {
    try {
      await invokeContribution(this.ctx, {
        point: 'eventHandlers',
        id: handlerType,
        method: 'handle',
        args: { event, bot: this.botRef(bot), config },
      });
    } catch (error) {
      const reason = message(error);
      this.ctx.log.warn(`Handler '${handlerType}' failed on a ${event.type} event of bot '${bot.name}': ${reason}`, {
        bot: bot.uuid,
        event_type: event.type,
        handler_type: handlerType,
        reason,
        code: RpcError.is(error) ? error.code : undefined,
      });
    }
  }
}
