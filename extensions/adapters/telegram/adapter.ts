/**
 * The `telegram` adapter contribution: start/stop per bot, the platform API routed to the bot it names, and the
 * webhook entry. Errors leave with a clear, redacted message; argument errors and NOT_SUPPORTED keep their codes.
 */
import {
  BotRegistry,
  RpcError,
  createEventSink,
  type ExtensionContext,
  type ExtensionLogger,
  type Redactor,
  type WebhookRequest,
  type WebhookResponse,
} from '@langbot-ts/sdk';
import { TelegramBot } from './bot.js';
import { telegramError } from './errors.js';
import { readConfig } from './config.js';
import { callPlatformApi } from './platform-api.js';
import type { PollerOptions } from './poller.js';

export const ADAPTER = 'telegram';

type Args = Record<string, unknown> & { bot_uuid?: unknown };
type ApiName = keyof TelegramBot['apis'];

export interface AdapterOptions {
  polling?: PollerOptions;
}

export interface AdapterDeps {
  ctx: Pick<ExtensionContext, 'call'>;
  registry: BotRegistry<TelegramBot>;
  log: ExtensionLogger;
  redact: Redactor;
  /** What the redactor hides: every token and webhook secret this adapter has been given. */
  secrets: Set<string>;
}

export function telegramAdapter({ ctx, registry, log, redact, secrets }: AdapterDeps, options: AdapterOptions = {}) {
  const guard = async <T>(api: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (RpcError.is(error)) throw new RpcError(error.code, redact(error.message), error.details);
      throw new Error(`Telegram ${api} failed: ${telegramError(error, redact)}`);
    }
  };
  const route = (name: ApiName) => (args: Args) => guard(name, () => (registry.get(args.bot_uuid).apis[name] as (a: Args) => Promise<unknown>)(args));
  const routed = <N extends ApiName>(...names: N[]) => Object.fromEntries(names.map((n) => [n, route(n)])) as Record<N, (args: Args) => Promise<any>>;

  return {
    async start(args: { bot_uuid: string; config: Record<string, unknown> }) {
      const config = readConfig(args.config);
      secrets.add(config.token);
      secrets.add(config.webhookSecret);
      const bot = await registry.start(args.bot_uuid, () =>
        TelegramBot.start({
          bot_uuid: args.bot_uuid,
          config,
          log,
          redact,
          sink: createEventSink(ctx, { adapter: ADAPTER, bot_uuid: args.bot_uuid, log }),
          ...(options.polling ? { polling: options.polling } : {}),
        }),
      );
      return { account_id: String(bot.account_id) };
    },

    async stop(args: { bot_uuid: string }) {
      await registry.stop(args.bot_uuid);
      return {};
    },

    ...routed(
      'send_message',
      'reply_message',
      'reply_message_chunk',
      'edit_message',
      'delete_message',
      'forward_message',
      'get_group_info',
      'get_group_member_list',
      'get_group_member_info',
      'set_group_name',
      'mute_member',
      'unmute_member',
      'kick_member',
      'leave_group',
      'get_user_info',
      'get_file_url',
    ),

    call_platform_api: (args: Args) => guard(`call_platform_api ${String(args.action)}`, () => callPlatformApi(registry.get(args.bot_uuid).grammy.api, args.action, args.params)),

    async is_stream_output_supported(args: Args) {
      return registry.find(args.bot_uuid)?.config.stream === true;
    },

    async handle_webhook(request: WebhookRequest): Promise<WebhookResponse> {
      const bot = registry.find(request.bot_uuid);
      if (!bot) return { status: 404, body: { ok: false, description: 'This bot is not running.' } };
      try {
        return await bot.handleWebhook(request);
      } catch (error) {
        log.warn(`A Telegram webhook request failed: ${telegramError(error, redact)}`);
        return { status: 500, body: { ok: false, description: 'Internal error' } };
      }
    },
  };
}
