/**
 * Per-session ordered callback queues. Sequence numbers are assigned when a reply is queued and callbacks of one
 * session go out one at a time in that order (a retried callback holds back the ones after it); sessions do not
 * wait for each other. A session with 100 callbacks waiting refuses more. A session with nothing waiting for 60 s
 * is forgotten, so its next callback starts again at sequence 1.
 */
import { RpcError, RpcErrorCode, type ExtensionLogger } from '@langbot-ts/sdk';
import type { Outcome } from './delivery.js';
import { callbackBody, type CallbackBody, type Reply } from './outbound.js';

export const QUEUE_LIMIT = 100;
export const IDLE_EVICT_MS = 60_000;

type Deliver = (body: CallbackBody, key: string, signal: AbortSignal) => Promise<Outcome>;

interface Item {
  body: CallbackBody;
  key: string;
}

class SessionQueue {
  sequence = 0;
  items: Item[] = [];
  running = false;
  lastActive = Date.now();
  readonly controller = new AbortController();
}

export class QueueFullError extends RpcError {
  constructor(session_id: string, limit: number) {
    super(RpcErrorCode.Unavailable, `The callback queue of session '${session_id}' is full (${limit} callbacks waiting): the callback receiver is not keeping up.`, { session_id, limit });
    this.name = 'QueueFullError';
  }
}

export class CallbackQueues {
  private readonly sessions = new Map<string, SessionQueue>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly send: Deliver,
    private readonly log: ExtensionLogger,
    private readonly options: { limit?: number; idleMs?: number } = {},
  ) {
    const idle = options.idleMs ?? IDLE_EVICT_MS;
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(idle / 4, 15_000)));
    this.sweeper.unref();
  }

  private get limit() {
    return this.options.limit ?? QUEUE_LIMIT;
  }

  /** Callbacks of the session not yet delivered (including the one in flight). */
  pending(session_id: string): number {
    return this.sessions.get(session_id)?.items.length ?? 0;
  }

  isFull(session_id: string): boolean {
    return this.pending(session_id) >= this.limit;
  }

  /** Queues a callback; throws `QueueFullError` when the session already has `limit` waiting. */
  enqueue(reply: Reply): CallbackBody {
    if (this.isFull(reply.session_id)) throw new QueueFullError(reply.session_id, this.limit);
    let state = this.sessions.get(reply.session_id);
    if (!state) this.sessions.set(reply.session_id, (state = new SessionQueue()));
    const body = callbackBody(reply, ++state.sequence);
    state.items.push({ body, key: `cb_${reply.message_id}_${body.sequence}` });
    state.lastActive = Date.now();
    if (!state.running) void this.run(state);
    return body;
  }

  /** Forgets the session: its waiting callbacks are abandoned (and logged) and its sequence restarts. */
  reset(session_id: string, why: string): { existed: boolean; abandoned: number } {
    const state = this.sessions.get(session_id);
    if (!state) return { existed: false, abandoned: 0 };
    this.sessions.delete(session_id);
    return { existed: true, abandoned: this.abandon(session_id, state, why) };
  }

  stop(why: string): void {
    clearInterval(this.sweeper);
    for (const [session_id, state] of this.sessions) this.abandon(session_id, state, why);
    this.sessions.clear();
  }

  private abandon(session_id: string, state: SessionQueue, why: string): number {
    const items = state.items;
    state.items = [];
    state.controller.abort();
    for (const { body } of items) {
      this.log.warn(`Abandoned the callback of session '${session_id}' (sequence ${body.sequence}, reply_to ${String(body.reply_to)}): ${why}.`, { session_id, sequence: body.sequence });
    }
    return items.length;
  }

  private async run(state: SessionQueue): Promise<void> {
    state.running = true;
    try {
      while (state.items.length > 0) {
        const item = state.items[0];
        let outcome: Outcome;
        try {
          outcome = await this.send(item.body, item.key, state.controller.signal);
        } catch (error) {
          outcome = { delivered: false, attempts: 1, reason: error instanceof Error ? error.message : String(error), aborted: false };
        }
        if (state.controller.signal.aborted) return;
        state.items.shift();
        state.lastActive = Date.now();
        if (!outcome.delivered) {
          this.log.error(`The callback of session '${item.body.session_id}' (sequence ${item.body.sequence}, reply_to ${String(item.body.reply_to)}) was not delivered after ${outcome.attempts} attempt(s): ${outcome.reason}.`, {
            session_id: item.body.session_id,
            sequence: item.body.sequence,
            attempts: outcome.attempts,
          });
        }
      }
    } finally {
      state.running = false;
    }
  }

  private sweep(now = Date.now()): void {
    const idle = this.options.idleMs ?? IDLE_EVICT_MS;
    for (const [session_id, state] of this.sessions) {
      if (!state.running && state.items.length === 0 && now - state.lastActive >= idle) this.sessions.delete(session_id);
    }
  }

  /** Sessions with state (for tests and /reset answers). */
  has(session_id: string): boolean {
    return this.sessions.has(session_id);
  }
}
