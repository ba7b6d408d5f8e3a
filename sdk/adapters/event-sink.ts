/**
 * How an adapter hands events to the kernel: fills the common fields, sends them through the `events` service one
 * at a time per bot (so a chat's messages arrive in the order the platform sent them) and never throws into the
 * platform library's callbacks — a refused event is logged with the reason.
 */
import type { ExtensionContext, ExtensionLogger } from '../../kernel/api/index.js';
import type { EventType, UnifiedEvent } from '../contracts/events.js';

type Common = 'timestamp' | 'bot_uuid' | 'adapter_name';
/** An event as an adapter builds it: the common fields are optional (`timestamp` defaults to now). */
export type EventDraft = { [E in UnifiedEvent as E['type']]: Omit<E, Common> & Partial<Pick<E, 'timestamp'>> }[EventType];

export interface EventSink {
  /** Queues the event; resolves once the kernel accepted or refused it (never rejects). */
  emit(event: EventDraft): Promise<boolean>;
  /** Resolves when every queued event has been handed over. */
  drain(): Promise<void>;
  /**
   * Tells the kernel the bot's own platform id when it is learnt after `start` (e.g. when the platform connects
   * later), so mentions of the bot are recognised. Never rejects.
   */
  account(account_id: string): Promise<void>;
}

export function createEventSink(ctx: Pick<ExtensionContext, 'call'>, options: { adapter: string; bot_uuid: string; log: ExtensionLogger }): EventSink {
  let tail: Promise<unknown> = Promise.resolve();
  const send = async (event: EventDraft): Promise<boolean> => {
    const full = { ...event, timestamp: event.timestamp ?? Date.now() / 1000, bot_uuid: options.bot_uuid, adapter_name: options.adapter };
    try {
      await ctx.call('events', 'emit', { event: full });
      return true;
    } catch (error) {
      options.log.warn(`The kernel refused a ${event.type} event: ${error instanceof Error ? error.message : String(error)}`, { bot: options.bot_uuid, event_type: event.type });
      return false;
    }
  };
  return {
    emit(event) {
      const result = tail.then(() => send(event));
      tail = result;
      return result;
    },
    drain: () => tail.then(() => undefined),
    async account(account_id) {
      try {
        await ctx.call('events', 'account', { bot_uuid: options.bot_uuid, account_id });
      } catch (error) {
        options.log.warn(`Could not report the bot's account id: ${error instanceof Error ? error.message : String(error)}`, { bot: options.bot_uuid });
      }
    },
  };
}
