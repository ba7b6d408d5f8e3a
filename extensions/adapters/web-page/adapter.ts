/** The `web_page_bot` adapter contribution: bot lifecycle and the platform API the pipeline replies through. */
import { randomUUID } from 'node:crypto';
import { BotRegistry, RpcError, RpcErrorCode, createEventSink, type ExtensionContext, type MessageChain, type PlatformAdapterApi } from '@langbot-ts/sdk';
import { WebPageBot, type WebPageConfig } from './bot.js';

export const ADAPTER = 'web_page_bot';
export const ACCOUNT_ID = 'web-page-bot';

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);

function chainArg(message: unknown): MessageChain {
  if (!Array.isArray(message)) throw invalid('`message` must be a message chain (an array of components).');
  return message as MessageChain;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function parseConfig(config: Record<string, unknown> | undefined): WebPageConfig {
  return { turnstile_site_key: text(config?.turnstile_site_key).trim(), turnstile_secret_key: text(config?.turnstile_secret_key).trim() };
}

export function webPageAdapter(ctx: Pick<ExtensionContext, 'call' | 'log'>, registry: BotRegistry<WebPageBot>, historyLimit: () => number) {
  const bot = (bot_uuid: unknown) => registry.get(bot_uuid);
  const chatOf = (event: unknown) => (event as { chat_id?: unknown } | undefined)?.chat_id;
  return {
    async start(args: { bot_uuid: string; config: Record<string, unknown> }) {
      const config = parseConfig(args.config);
      const sink = createEventSink(ctx, { adapter: ADAPTER, bot_uuid: args.bot_uuid, log: ctx.log });
      await registry.start(args.bot_uuid, () => new WebPageBot(args.bot_uuid, config, sink, historyLimit));
      return { account_id: ACCOUNT_ID };
    },

    async stop(args: { bot_uuid: string }) {
      await registry.stop(args.bot_uuid);
      return {};
    },

    async send_message(args) {
      return bot((args as { bot_uuid?: unknown }).bot_uuid).deliver(args.target_id, chainArg(args.message), randomUUID(), true);
    },

    async reply_message(args) {
      return bot((args as { bot_uuid?: unknown }).bot_uuid).deliver(chatOf(args.event), chainArg(args.message), randomUUID(), true);
    },

    async reply_message_chunk(args) {
      const previous = args.bot_message?.message_id;
      const id = typeof previous === 'string' && previous ? previous : randomUUID();
      return bot((args as { bot_uuid?: unknown }).bot_uuid).deliver(chatOf(args.event), chainArg(args.message), id, args.is_final === true);
    },

    async is_stream_output_supported() {
      return true;
    },
  } satisfies PlatformAdapterApi & Record<string, unknown>;
}
