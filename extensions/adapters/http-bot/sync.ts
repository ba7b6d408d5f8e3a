/**
 * `/sync` waiters: while a /sync request of a session waits, the bot's replies in that session are collected for
 * its HTTP answer instead of being sent to the callback URL, until a final reply (or a timeout). A streamed reply
 * counts once, with its latest text. One waiter per session at a time.
 */
import { encodeChain, type MessageChain } from '@langbot-ts/sdk';
import type { Reply } from './outbound.js';

export type SyncEnd = 'final' | 'timeout' | 'reset' | 'stopped';

export interface SyncResult {
  end: SyncEnd;
  /** Every reply's segments, in the order the replies began. */
  message: unknown[];
}

class Waiter {
  /** message_id → latest chain; Map order is the order replies began. */
  readonly replies = new Map<string, MessageChain>();
  readonly done: Promise<SyncResult>;
  private resolve!: (result: SyncResult) => void;
  private timer?: NodeJS.Timeout;

  constructor(timeoutMs: number, onEnd: () => void) {
    this.done = new Promise((resolve) => {
      this.resolve = (result) => {
        clearTimeout(this.timer);
        onEnd();
        resolve(result);
      };
    });
    this.timer = setTimeout(() => this.finish('timeout'), timeoutMs);
  }

  finish(end: SyncEnd): void {
    this.resolve({ end, message: [...this.replies.values()].flatMap((chain) => encodeChain(chain)) });
  }
}

export class SyncWaiters {
  private readonly waiters = new Map<string, Waiter>();

  has(session_id: string): boolean {
    return this.waiters.has(session_id);
  }

  /** Starts waiting for the session's reply; undefined when a /sync of the session is already waiting. */
  open(session_id: string, timeoutMs: number): Promise<SyncResult> | undefined {
    if (this.waiters.has(session_id)) return undefined;
    const waiter: Waiter = new Waiter(timeoutMs, () => {
      if (this.waiters.get(session_id) === waiter) this.waiters.delete(session_id);
    });
    this.waiters.set(session_id, waiter);
    return waiter.done;
  }

  /** Takes the reply when a /sync of its session waits; false means it goes to the callback URL. */
  take(reply: Reply): boolean {
    const waiter = this.waiters.get(reply.session_id);
    if (!waiter) return false;
    waiter.replies.set(reply.message_id, reply.chain);
    if (reply.is_final) waiter.finish('final');
    return true;
  }

  /** Ends a waiting /sync of the session early; true when one was waiting. */
  end(session_id: string, why: 'reset' | 'stopped'): boolean {
    const waiter = this.waiters.get(session_id);
    waiter?.finish(why);
    return waiter !== undefined;
  }

  endAll(why: 'reset' | 'stopped'): void {
    for (const waiter of [...this.waiters.values()]) waiter.finish(why);
  }
}
