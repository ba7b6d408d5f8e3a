/**
 * One running HTTP bot: answers its webhook requests (POST `''` to push a message, `/sync` to push one and wait for
 * the reply, `/reset` to forget a session) and turns the bot's replies into callbacks.
 */
import { webhookBody, type EventSink, type ExtensionLogger, type MessageChain, type WebhookRequest, type WebhookResponse } from '@langbot-ts/sdk';
import { signingSecret, type HttpBotConfig } from './config.js';
import { deliver } from './delivery.js';
import { failure, success } from './envelope.js';
import { IdempotencyKeys } from './idempotency.js';
import { newMessageId, parseInbound, parseSession, toEvent } from './inbound.js';
import { newReplyId, type Reply } from './outbound.js';
import { CallbackQueues } from './queue.js';
import { HEADER_IDEMPOTENCY, HEADER_SIGNATURE, verify } from './signing.js';
import { SyncWaiters } from './sync.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * A `/sync` request waits at most this long, whatever `callback_timeout × 4` says: the HTTP server gives a webhook
 * call 150 s, and the answer must leave before that.
 */
export const SYNC_WAIT_CAP_MS = 140_000;

export interface HttpBotOptions {
  /** Overrides for tests. */
  queueLimit?: number;
  idleMs?: number;
}

export class HttpBot {
  private readonly idempotency = new IdempotencyKeys();
  private readonly queues: CallbackQueues;
  private readonly sync = new SyncWaiters();
  private stopped = false;

  constructor(
    readonly bot_uuid: string,
    readonly config: HttpBotConfig,
    private readonly sink: EventSink,
    private readonly log: ExtensionLogger,
    options: HttpBotOptions = {},
  ) {
    const delivery = { url: config.callback_url, secret: signingSecret(config), timeout: config.callback_timeout, maxRetries: config.callback_max_retries, backoff: config.callback_retry_backoff };
    this.queues = new CallbackQueues((body, key, signal) => deliver(body, key, delivery, signal), log, { limit: options.queueLimit, idleMs: options.idleMs });
    if (!config.signature_required) log.warn('Signature checks are off for this HTTP bot: anyone who can reach its webhook URL can talk to it. Use this only on a trusted network.', { bot: bot_uuid });
  }

  async handle(request: WebhookRequest): Promise<WebhookResponse> {
    if (request.method !== 'POST') return failure('bad_request', `Use POST (not ${request.method}).`);
    const path = request.path.replace(/\/+$/, '');
    if (path !== '' && path !== '/sync' && path !== '/reset') return failure('bad_request', `Unknown path '${path}': use /bots/<uuid>, /bots/<uuid>/sync or /bots/<uuid>/reset.`);
    const raw = webhookBody(request);
    if (raw.length > MAX_BODY_BYTES) return failure('too_large', `The body is ${raw.length} bytes; at most ${MAX_BODY_BYTES} are accepted.`);
    const signed = this.config.signature_required || request.headers[HEADER_SIGNATURE] !== undefined;
    if (signed) {
      const verdict = verify(this.config.inbound_secret, request.headers, raw);
      if (!verdict.ok) {
        this.log.warn(`Refused a request: ${verdict.reason}.`, { bot: this.bot_uuid, path });
        return failure('bad_signature', `Invalid signature: ${verdict.reason}.`);
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return failure('bad_request', 'The body is not valid JSON.');
    }
    return path === '/reset' ? this.reset(body) : this.accept(body, request.headers[HEADER_IDEMPOTENCY], path === '/sync');
  }

  private async accept(body: unknown, idempotencyKey: string | undefined, sync: boolean): Promise<WebhookResponse> {
    const parsed = parseInbound(body, this.config.default_session_type);
    if (!parsed.ok) return failure('bad_request', parsed.error);
    const inbound = parsed.value;
    const { session_id } = inbound;
    if (this.queues.isFull(session_id)) return failure('overloaded', `Session '${session_id}' has ${this.queues.pending(session_id)} callbacks waiting for the callback URL; try again later.`, { session_id });
    if (sync && this.sync.has(session_id)) return failure('duplicate', `A /sync request of session '${session_id}' is already waiting for its reply.`, { session_id });
    if (idempotencyKey && !this.idempotency.claim(idempotencyKey)) return failure('duplicate', 'This idempotency key was already accepted.', { session_id });

    const message_id = newMessageId();
    const waiting = sync ? this.sync.open(session_id, Math.min(this.config.callback_timeout * 4000, SYNC_WAIT_CAP_MS)) : undefined;
    const emitted = await this.sink.emit(toEvent(inbound, message_id));
    if (!emitted) {
      if (idempotencyKey) this.idempotency.release(idempotencyKey);
      if (waiting) this.sync.end(session_id, 'stopped');
      return failure('internal', 'The message could not be handed to the bot.', { session_id });
    }
    if (!waiting) return success(202, 'accepted', { session_id, accepted_message_id: message_id, aggregating: true });

    const result = await waiting;
    const data = { session_id, reply_to: message_id, message: result.message };
    if (result.end === 'final') return success(200, 'ok', data);
    if (result.end === 'reset') return failure('reset', 'The session was reset while this request waited for its reply.', data);
    if (result.end === 'stopped') return failure('internal', 'The bot stopped while this request waited for its reply.', data);
    return failure('sync_timeout', 'No final reply in time; the message stays accepted and later replies go to the callback URL.', data);
  }

  /** `/reset`: forgets the session's callbacks still waiting, its sequence and a waiting /sync; tells plugins. */
  private async reset(body: unknown): Promise<WebhookResponse> {
    const parsed = parseSession(body, this.config.default_session_type);
    if (!parsed.ok) return failure('bad_request', parsed.error);
    const { session_id, session_type } = parsed.value;
    const queue = this.queues.reset(session_id, 'the session was reset');
    const waited = this.sync.end(session_id, 'reset');
    await this.sink.emit({ type: 'platform.specific', action: 'session_reset', data: { session_id, session_type, abandoned_callbacks: queue.abandoned } });
    return success(200, 'ok', { session_id, removed: queue.existed || waited });
  }

  /** Sends a reply: to a waiting /sync of its session, otherwise to the callback queue. */
  send(reply: Reply): { message_id: string } {
    if (this.stopped) throw new Error('The HTTP bot has stopped.');
    if (!this.sync.take(reply)) this.queues.enqueue(reply);
    return { message_id: reply.message_id };
  }

  reply(session_id: string, reply_to: string | null, chain: MessageChain, stream: { message_id?: string; is_final: boolean } | undefined): { message_id: string } {
    return this.send({
      session_id,
      reply_to,
      chain,
      message_id: stream?.message_id ?? newReplyId(),
      is_final: stream ? stream.is_final : true,
      stream: stream !== undefined,
    });
  }

  /** Callbacks still waiting are abandoned (each is logged); a waiting /sync is answered with an error. */
  stop(): void {
    this.stopped = true;
    this.queues.stop('the bot stopped');
    this.sync.endAll('stopped');
  }
}
