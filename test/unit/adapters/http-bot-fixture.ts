/**
 * The http_bot adapter as the kernel sees it — its contribution object — with the kernel replaced by a recorder of
 * emitted events and log lines, and the client system played by the fake callback receiver over real HTTP.
 */
import { BotRegistry, type MessageChain, type MessageReceivedEvent, type WebhookResponse } from '../../../sdk/index.js';
import { httpBotAdapter } from '../../../extensions/adapters/http-bot/adapter.js';
import type { HttpBot, HttpBotOptions } from '../../../extensions/adapters/http-bot/bot.js';
import { CallbackReceiver, expectedSignature } from '../../support/fake-platforms/http-bot/index.js';

export const INBOUND = 'unit-inbound-secret-91';
export const OUTBOUND = 'unit-outbound-secret-37';

export interface RequestOptions {
  path?: string;
  /** null: unsigned. */
  secret?: string | null;
  timestamp?: number;
  idempotencyKey?: string;
  signature?: string;
  method?: string;
}

export type Answer = WebhookResponse & { body: { code: number; msg: string; data: Record<string, any> | null } };

export class BotFixture {
  readonly events: Record<string, any>[] = [];
  readonly logs: string[] = [];
  /** Called for every emitted event, after it was recorded (plays the pipeline). */
  onEvent: (event: Record<string, any>) => void = () => undefined;
  /** Makes the kernel refuse events. */
  refuseEvents = false;
  readonly registry = new BotRegistry<HttpBot>('http_bot');
  readonly adapter;
  readonly bot_uuid = 'bot-1';

  private constructor(
    readonly receiver: CallbackReceiver,
    options: HttpBotOptions,
  ) {
    const line = (level: string) => (msg: string, data?: Record<string, unknown>) => void this.logs.push(`${level} ${msg} ${data ? JSON.stringify(data) : ''}`);
    const ctx = {
      log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
      call: async (service: string, method: string, args?: Record<string, unknown>) => {
        if (service !== 'events' || method !== 'emit') throw new Error(`unexpected call ${service}.${method}`);
        if (this.refuseEvents) throw new Error('The kernel refused the event.');
        const event = args!.event as Record<string, any>;
        this.events.push(event);
        queueMicrotask(() => this.onEvent(event));
        return { accepted: true };
      },
    };
    this.adapter = httpBotAdapter(ctx as never, this.registry, options);
  }

  /** Starts a bot whose callbacks the receiver checks with `receiverSecret` (default: the outbound secret). */
  static async start(config: Record<string, unknown> = {}, options: HttpBotOptions & { receiverSecret?: string } = {}): Promise<BotFixture> {
    const receiver = await CallbackReceiver.start(options.receiverSecret ?? OUTBOUND);
    const fixture = new BotFixture(receiver, options);
    await fixture.adapter.start({
      bot_uuid: fixture.bot_uuid,
      config: { inbound_secret: INBOUND, outbound_secret: OUTBOUND, callback_url: receiver.url, callback_timeout: 1, callback_max_retries: 3, callback_retry_backoff: 0.05, ...config },
    });
    return fixture;
  }

  async request(body: unknown, options: RequestOptions = {}): Promise<Answer> {
    const raw = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const secret = options.secret === undefined ? INBOUND : options.secret;
    if (secret !== null) {
      const ts = String(options.timestamp ?? Math.floor(Date.now() / 1000));
      headers['x-lb-timestamp'] = ts;
      headers['x-lb-signature'] = options.signature ?? expectedSignature(secret, ts, raw.toString());
    }
    if (options.idempotencyKey) headers['x-lb-idempotency-key'] = options.idempotencyKey;
    return (await this.adapter.handle_webhook({ bot_uuid: this.bot_uuid, config: {}, method: options.method ?? 'POST', path: options.path ?? '', headers, query: {}, body: raw.toString('base64') })) as Answer;
  }

  says(session_id: string, text: string, options: RequestOptions = {}, extra: Record<string, unknown> = {}): Promise<Answer> {
    return this.request({ session_id, message: [{ type: 'Plain', text }], ...extra }, options);
  }

  /** The message event the bot received for this inbound id. */
  event(message_id: string): MessageReceivedEvent {
    const found = this.events.find((e) => e.message_id === message_id);
    if (!found) throw new Error(`no event ${message_id}`);
    return { ...found, bot_uuid: this.bot_uuid, adapter_name: 'http_bot' } as MessageReceivedEvent;
  }

  reply(event: MessageReceivedEvent, message: MessageChain | string) {
    return this.adapter.reply_message({ bot_uuid: this.bot_uuid, event, message: typeof message === 'string' ? [{ type: 'Plain', text: message }] : message } as never);
  }

  chunk(event: MessageReceivedEvent, text: string, bot_message: Record<string, unknown>, is_final = false) {
    return this.adapter.reply_message_chunk({ bot_uuid: this.bot_uuid, event, bot_message, message: [{ type: 'Plain', text }], is_final } as never);
  }

  send(session_id: string, text: string) {
    return this.adapter.send_message({ bot_uuid: this.bot_uuid, target_type: 'private', target_id: session_id, message: [{ type: 'Plain', text }] } as never);
  }

  async close(): Promise<void> {
    await this.registry.stopAll();
    await this.receiver.close();
  }
}

export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
