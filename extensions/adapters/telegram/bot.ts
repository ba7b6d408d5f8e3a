/**
 * One running Telegram bot: its grammY client (with its own connection pool, destroyed on stop), how updates
 * arrive (long polling, or a webhook Telegram posts to the kernel's HTTP ingress), and their conversion to events.
 */
import { timingSafeEqual } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { webhookJson, type EventSink, type ExtensionLogger, type Redactor, type WebhookRequest, type WebhookResponse } from '@langbot-ts/sdk';
import type { TelegramConfig } from './config.js';
import { download, mimeOf, MAX_INLINE_IMAGE_BYTES } from './download.js';
import { telegramError } from './errors.js';
import { createFetch } from './http-fetch.js';
import { ALLOWED_UPDATES, UpdateConverter } from './events.js';
import { commonApis, type ApiContext } from './platform-api.js';
import { Poller, type PollerOptions } from './poller.js';
import { retryOnRateLimit } from './retry.js';
import { Sender } from './send.js';
import { Streamer } from './stream.js';
import { isObject, type TgFile, type TgUpdate } from './wire.js';

export interface BotDeps {
  bot_uuid: string;
  config: TelegramConfig;
  sink: Pick<EventSink, 'emit'>;
  log: ExtensionLogger;
  redact: Redactor;
  polling?: PollerOptions;
}

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export class TelegramBot {
  readonly grammy: Bot;
  readonly apis: ReturnType<typeof commonApis>;
  readonly sender: Sender;
  private readonly agent: HttpAgent;
  private converter!: UpdateConverter;
  private poller: Poller | undefined;
  private stopped = false;
  account_id = 0;

  private constructor(private readonly deps: BotDeps) {
    const { config, log } = deps;
    this.agent = config.apiBaseUrl.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    // Calls wait longer than a long poll (25 s) before grammY gives up on them.
    this.grammy = new Bot(config.token, { client: { apiRoot: config.apiBaseUrl, timeoutSeconds: 60, fetch: createFetch(this.agent) as never } });
    this.grammy.api.config.use(retryOnRateLimit({ onRetry: (method, seconds) => log.warn(`Telegram rate-limited ${method}; retrying in ${seconds} s.`) }));
    const sender = (this.sender = new Sender(this.grammy.api, () => config.markdown, (reason) => log.debug(`Telegram could not parse the formatted text (${reason}); sent it as plain text.`)));
    const context: ApiContext = { api: this.grammy.api, sender, streamer: new Streamer(sender), fileBaseUrl: `${config.apiBaseUrl}/file/bot${config.token}/` };
    this.apis = commonApis(context);
  }

  /** Connects: checks the token (getMe), then starts polling or registers the webhook. Throws a clear, redacted Error. */
  static async start(deps: BotDeps): Promise<TelegramBot> {
    const bot = new TelegramBot(deps);
    try {
      await bot.connect();
      return bot;
    } catch (error) {
      await bot.stop();
      throw error;
    }
  }

  get config(): TelegramConfig {
    return this.deps.config;
  }

  get pollingFailures(): number {
    return this.poller?.failures ?? 0;
  }

  private async connect(): Promise<void> {
    const { config, redact, bot_uuid } = this.deps;
    // getMe directly rather than bot.init(), which retries network errors without end: a bot that cannot
    // connect must fail to start with the reason.
    let me: UserFromGetMe;
    try {
      me = await this.grammy.api.getMe();
    } catch (error) {
      const code = (error as { error_code?: number }).error_code;
      if (code === 401 || code === 404) throw new Error('Telegram refused the bot token (401 Unauthorized); check the token from @BotFather.');
      throw new Error(`Could not reach the Telegram Bot API at ${redact(config.apiBaseUrl)}: ${telegramError(error, redact)}`);
    }
    this.grammy.botInfo = me;
    this.account_id = me.id;
    this.converter = new UpdateConverter({ botId: me.id, botUsername: me.username ?? '', imageData: (file) => this.imageData(file) });
    if (config.mode === 'webhook') {
      const url = `${config.webhookBaseUrl}/bots/${encodeURIComponent(bot_uuid)}`;
      await this.grammy.api.setWebhook(url, { secret_token: config.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] }).catch((error) => {
        throw new Error(`Telegram did not accept the webhook ${url}: ${telegramError(error, redact)}`);
      });
      this.deps.log.info(`Telegram bot @${me.username} receives updates at ${url}.`);
    } else {
      // getUpdates does not work while a webhook is set.
      await this.grammy.api.deleteWebhook().catch((error) => {
        throw new Error(`Could not switch the Telegram bot to long polling: ${telegramError(error, redact)}`);
      });
      this.poller = new Poller(this.grammy.api, (update) => this.dispatch(update), this.deps.log, redact, this.deps.polling);
      this.poller.start();
      this.deps.log.info(`Telegram bot @${me.username} is polling for updates.`);
    }
  }

  /** Turns one update into events; bad input is logged and dropped, never thrown. */
  async dispatch(update: TgUpdate): Promise<void> {
    if (this.stopped) return;
    try {
      for (const event of await this.converter.convert(update)) await this.deps.sink.emit(event);
    } catch (error) {
      this.deps.log.warn(`Dropped a Telegram update: ${telegramError(error, this.deps.redact)}`, { update_id: update?.update_id });
    }
  }

  async handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    if (this.deps.config.mode !== 'webhook') return { status: 409, body: { ok: false, description: 'This bot receives its updates by long polling, not by webhook.' } };
    if (!this.secretMatches(request.headers?.[SECRET_HEADER])) {
      this.deps.log.warn('Refused a webhook request without the right secret token.');
      return { status: 401, body: { ok: false, description: 'Unauthorized' } };
    }
    if (request.method !== 'POST') return { status: 405, body: { ok: false, description: 'Telegram posts updates.' } };
    const parsed = webhookJson(request);
    if (!parsed.ok || !isObject(parsed.value) || !Number.isSafeInteger(parsed.value.update_id)) {
      this.deps.log.warn(`Dropped a webhook request that is not a Telegram update${parsed.ok ? '' : `: ${parsed.error}`}.`);
      // 200 anyway: an error makes Telegram send the same broken request again.
      return { status: 200, body: { ok: true } };
    }
    await this.dispatch(parsed.value as TgUpdate);
    return { status: 200, body: { ok: true } };
  }

  private secretMatches(given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.deps.config.webhookSecret);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private async imageData(file: TgFile): Promise<string | undefined> {
    if (typeof file.file_size === 'number' && file.file_size > MAX_INLINE_IMAGE_BYTES) return undefined;
    try {
      const info = await this.grammy.api.getFile(file.file_id);
      if (!info.file_path) return undefined;
      const bytes = await download(`${this.deps.config.apiBaseUrl}/file/bot${this.deps.config.token}/${info.file_path}`, this.agent);
      return `data:${mimeOf(info.file_path)};base64,${bytes.toString('base64')}`;
    } catch (error) {
      this.deps.log.debug(`Kept a photo as a file id only: ${telegramError(error, this.deps.redact)}`);
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // A webhook stays registered: Telegram keeps the updates until the bot starts again.
    await this.poller?.stop();
    this.agent.destroy();
  }
}
