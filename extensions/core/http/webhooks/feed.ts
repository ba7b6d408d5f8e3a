/**
 * Where webhook events come from. The bots service keeps a ring of each bot's recent events (`bots.events`) but
 * publishes no stream, so this feed reads the rings every `pollMs` while some webhook is enabled and hands on the
 * entries it has not seen. It runs beside the message path, never in it: a slow receiver cannot delay a reply.
 * Each instance reads its own bots extension, so with several instances every event is sent once, by the
 * instance whose adapter received it. An entry is new when it is later than the bot's cursor; entries with the
 * same timestamp as the cursor are told apart by how many of them were already seen.
 */
import { RpcError, RpcErrorCode, type ExtensionContext, type UnifiedEvent } from '@langbot-ts/sdk';
import type { BotInfo } from './payload.js';

interface RingEntry {
  event: UnifiedEvent;
  received_at: string;
}

interface Cursor {
  at: string;
  /** How many entries stamped `at` were already handed on. */
  seen: number;
}

export interface FeedOptions {
  pollMs: number;
  /** How often the list of bots is read again (a new bot's events wait at most this long; none are lost). */
  botsRefreshMs: number;
}

export class BotEventFeed {
  private readonly cursors = new Map<string, Cursor>();
  private bots: BotInfo[] = [];
  private botsReadAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: Pick<ExtensionContext, 'call' | 'log'>,
    /** Since when events are wanted, or undefined while none are (see WebhookDispatcher.activeSince). */
    private readonly wantedSince: () => string | undefined,
    private readonly onEvent: (bot: BotInfo, event: UnifiedEvent, received_at: string) => void,
    private readonly options: FeedOptions,
  ) {}

  start(): void {
    const loop = async () => {
      try {
        await this.poll();
      } catch (error) {
        this.ctx.log.warn(`Reading bot events for webhooks failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!this.stopped) this.timer = setTimeout(loop, this.options.pollMs).unref();
    };
    this.timer = setTimeout(loop, this.options.pollMs).unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One pass over every bot's ring. */
  async poll(): Promise<void> {
    const since = this.wantedSince();
    if (!since) {
      this.cursors.clear();
      return;
    }
    if (Date.now() - this.botsReadAt >= this.options.botsRefreshMs) {
      this.bots = (await this.ctx.call<BotInfo[]>('bots', 'list', {})).map((b) => ({ uuid: b.uuid, name: b.name, adapter: b.adapter }));
      this.botsReadAt = Date.now();
      const known = new Set(this.bots.map((b) => b.uuid));
      for (const uuid of this.cursors.keys()) if (!known.has(uuid)) this.cursors.delete(uuid);
    }
    for (const bot of this.bots) {
      if (this.stopped) return;
      let ring: RingEntry[];
      try {
        ring = await this.ctx.call<RingEntry[]>('bots', 'events', { uuid: bot.uuid });
      } catch (error) {
        if (RpcError.is(error, RpcErrorCode.NotFound)) continue;
        throw error;
      }
      const known = this.cursors.get(bot.uuid);
      // Nothing from before webhooks were (re-)enabled, even if a cursor from an earlier spell is still here.
      const cursor = known && known.at >= since ? known : { at: since, seen: 0 };
      const fresh = unseen(ring, cursor);
      if (ring.length > 0) {
        const at = ring[ring.length - 1]!.received_at;
        if (at >= cursor.at) this.cursors.set(bot.uuid, { at, seen: ring.filter((e) => e.received_at === at).length });
      }
      for (const entry of fresh) this.onEvent(bot, entry.event, entry.received_at);
    }
  }
}

/** The entries after the cursor, oldest first (the ring is newest last). */
export function unseen<T extends { received_at: string }>(ring: readonly T[], cursor: Cursor): T[] {
  let same = 0;
  return ring.filter((entry) => {
    if (entry.received_at > cursor.at) return true;
    if (entry.received_at === cursor.at) return ++same > cursor.seen;
    return false;
  });
}
