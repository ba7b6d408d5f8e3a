/**
 * Delivers events to the enabled webhooks. Each webhook has its own bounded queue and one worker, so a slow or
 * failing receiver delays only itself, events reach it in order, and publishing never waits: a full queue drops
 * the new event and counts it. A delivery is retried on network errors, timeouts, 408, 429 and 5xx, with
 * exponential backoff; its final outcome is written to the webhook's row (every instance sees it).
 */
import type { ExtensionLogger } from '@langbot-ts/sdk';
import { wantsEvent } from './events.js';
import type { WebhookPayload } from './payload.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signDelivery } from './signing.js';
import type { DeliveryOutcome, Webhook, WebhookStore } from './store.js';

export interface DispatcherOptions {
  timeoutMs: number;
  /** Tries per event, the first included. */
  maxAttempts: number;
  /** The wait before the first retry; it doubles for each further one, up to a minute. */
  retryDelayMs: number;
  queueSize: number;
  userAgent: string;
}

interface Job {
  payload: WebhookPayload;
  body: string;
}

export interface QueueStats {
  pending: number;
  delivered: number;
  failed: number;
  dropped: number;
}

const MAX_BACKOFF_MS = 60_000;
const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;
const reason = (error: unknown) => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
};

class WebhookQueue {
  readonly jobs: Job[] = [];
  readonly stats: QueueStats = { pending: 0, delivered: 0, failed: 0, dropped: 0 };
  readonly abort = new AbortController();
  private running = false;

  constructor(
    readonly uuid: string,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  push(job: Job, limit: number): boolean {
    if (this.abort.signal.aborted) return false;
    if (this.jobs.length >= limit) {
      this.stats.dropped++;
      return false;
    }
    this.jobs.push(job);
    this.stats.pending = this.jobs.length;
    if (!this.running) void this.drain();
    return true;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.jobs.length > 0 && !this.abort.signal.aborted) {
        const job = this.jobs[0]!;
        await this.dispatcher.deliver(this, job);
        this.jobs.shift();
        this.stats.pending = this.jobs.length;
      }
    } finally {
      this.running = false;
    }
  }
}

export class WebhookDispatcher {
  private hooks = new Map<string, Webhook>();
  private readonly queues = new Map<string, WebhookQueue>();
  private since: string | undefined;
  private stopped = false;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: WebhookStore,
    private readonly options: DispatcherOptions,
    private readonly log: ExtensionLogger,
  ) {}

  /** Re-reads the webhooks; queues of webhooks now disabled or deleted are dropped, their deliveries cancelled. */
  refresh(): Promise<void> {
    // One at a time, each reading after the previous one applied: an older read can never overwrite a newer one.
    const next = this.refreshing.then(() => this.load());
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<void> {
    const enabled = (await this.store.list()).filter((h) => h.enabled);
    this.hooks = new Map(enabled.map((h) => [h.uuid, h]));
    for (const [uuid, queue] of this.queues) {
      if (this.hooks.has(uuid)) continue;
      queue.abort.abort();
      this.queues.delete(uuid);
    }
    if (this.hooks.size === 0) this.since = undefined;
    else this.since ??= new Date().toISOString();
  }

  /** Since when some webhook has been enabled (ISO 8601), or undefined while none is: events before it are not sent. */
  activeSince(): string | undefined {
    return this.stopped ? undefined : this.since;
  }

  /** Queues the event for every enabled webhook that wants it; returns at once. */
  publish(payload: WebhookPayload): void {
    if (this.stopped) return;
    const event = payload.data as { type: string; adapter_name: string; action?: string };
    const body = JSON.stringify(payload);
    for (const hook of this.hooks.values()) {
      if (!wantsEvent(hook.events, event)) continue;
      let queue = this.queues.get(hook.uuid);
      if (!queue) this.queues.set(hook.uuid, (queue = new WebhookQueue(hook.uuid, this)));
      if (!queue.push({ payload, body }, this.options.queueSize)) {
        this.log.warn(`Webhook '${hook.name}' is falling behind: its queue is full, so a ${payload.event_type} event was dropped.`, { webhook: hook.uuid, dropped: queue.stats.dropped });
      }
    }
  }

  /** What this instance has queued and sent for a webhook since it started. */
  stats(uuid: string): QueueStats {
    return { ...(this.queues.get(uuid)?.stats ?? { pending: 0, delivered: 0, failed: 0, dropped: 0 }) };
  }

  stop(): void {
    this.stopped = true;
    for (const queue of this.queues.values()) queue.abort.abort();
    this.queues.clear();
  }

  /** One event to one webhook, with its retries; never throws. */
  async deliver(queue: WebhookQueue, job: Job): Promise<void> {
    let attempts = 0;
    let last: { response_status: number | null; error: string | null } = { response_status: null, error: null };
    while (attempts < this.options.maxAttempts) {
      // The webhook is read again before each try: a change of URL or secret applies to the retries too.
      const hook = this.hooks.get(queue.uuid);
      if (!hook || queue.abort.signal.aborted) return;
      attempts++;
      const result = await this.attempt(hook, job, queue.abort.signal);
      if (queue.abort.signal.aborted) return;
      last = result;
      if (result.ok) return this.finish(queue, job, { status: 'delivered', response_status: result.response_status, error: null, attempts });
      if (!result.retryable) break;
      if (attempts < this.options.maxAttempts) await sleep(Math.min(this.options.retryDelayMs * 2 ** (attempts - 1), MAX_BACKOFF_MS), queue.abort.signal);
    }
    if (queue.abort.signal.aborted) return;
    await this.finish(queue, job, { status: 'failed', ...last, attempts });
  }

  private async attempt(hook: Webhook, job: Job, cancelled: AbortSignal): Promise<{ ok: boolean; retryable: boolean; response_status: number | null; error: string | null }> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': this.options.userAgent,
      'x-langbot-event': job.payload.event_type,
      'x-langbot-delivery': job.payload.uuid,
      [TIMESTAMP_HEADER]: timestamp,
    };
    if (hook.secret) headers[SIGNATURE_HEADER] = signDelivery(hook.secret, timestamp, job.body);
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers,
        body: job.body,
        // A redirect is answered as a failure rather than followed: the configured URL is the only destination.
        redirect: 'manual',
        signal: AbortSignal.any([cancelled, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      await response.body?.cancel().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      return { ok, retryable: !ok && RETRYABLE(response.status), response_status: response.status, error: ok ? null : `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, retryable: true, response_status: null, error: reason(error) };
    }
  }

  private async finish(queue: WebhookQueue, job: Job, result: Omit<DeliveryOutcome, 'at' | 'event_type'>): Promise<void> {
    if (result.status === 'delivered') queue.stats.delivered++;
    else {
      queue.stats.failed++;
      this.log.warn(`Webhook delivery of a ${job.payload.event_type} event failed after ${result.attempts} attempt(s): ${result.error}`, { webhook: queue.uuid, delivery: job.payload.uuid });
    }
    try {
      await this.store.recordDelivery(queue.uuid, { ...result, at: new Date().toISOString(), event_type: job.payload.event_type });
    } catch (error) {
      this.log.warn(`Could not record a webhook delivery: ${reason(error)}`, { webhook: queue.uuid });
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
