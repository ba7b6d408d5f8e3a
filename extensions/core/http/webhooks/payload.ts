/** The JSON a webhook receives for one platform event. */
import { randomUUID } from 'node:crypto';
import { eventTypeName, type UnifiedEvent } from '@langbot-ts/sdk';

export interface BotInfo {
  uuid: string;
  name: string;
  adapter: string;
}

export interface WebhookPayload {
  /** Unique per event, the same on every retry and for every webhook: receivers de-duplicate by it. */
  uuid: string;
  /** The routed name: the event's `type`, or `platform.<adapter>.<action>` for platform-specific events. */
  event_type: string;
  /** When the platform says the event happened (Unix seconds). */
  timestamp: number;
  /** When LangBot received it (ISO 8601). */
  received_at: string;
  bot: BotInfo;
  /** The unified event, without the adapter's native object. */
  data: Record<string, unknown>;
}

export function buildPayload(bot: BotInfo, event: UnifiedEvent, received_at: string): WebhookPayload {
  const { source_platform_object: _native, ...data } = event as UnifiedEvent & Record<string, unknown>;
  return { uuid: randomUUID(), event_type: eventTypeName(event), timestamp: event.timestamp, received_at, bot, data };
}
