/** The `http_bot` adapter contribution: bot lifecycle, the webhook entry point and the platform API. */
import {
  BotRegistry,
  RpcError,
  RpcErrorCode,
  createEventSink,
  createRedactor,
  describeError,
  redactingLogger,
  type ExtensionContext,
  type MessageChain,
  type PlatformAdapterApi,
  type WebhookRequest,
  type WebhookResponse,
} from '@langbot-ts/sdk';
import { HttpBot, type HttpBotOptions } from './bot.js';
import { parseConfig } from './config.js';
import { failure } from './envelope.js';

export const ADAPTER = 'http_bot';
export const ACCOUNT_ID = 'http-bot';

type Ctx = Pick<ExtensionContext, 'call' | 'log'>;

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);

function chainArg(message: unknown): MessageChain {
  if (!Array.isArray(message)) throw invalid('`message` must be a message chain (an array of components).');
  return message as MessageChain;
}

/** The session and inbound message id a reply answers, from the event it replies to. */
function replyTarget(event: unknown): { session_id: string; reply_to: string } {
  const e = event as { chat_id?: unknown; message_id?: unknown } | undefined;
  if (!e || (typeof e.chat_id !== 'string' && typeof e.chat_id !== 'number')) throw invalid('`event.chat_id` (the session id) is required to reply.');
  return { session_id: String(e.chat_id), reply_to: e.message_id === undefined ? '' : String(e.message_id) };
}

export function httpBotAdapter(ctx: Ctx, registry: BotRegistry<HttpBot>, options: HttpBotOptions = {}) {
  const bot = (bot_uuid: unknown) => registry.get(bot_uuid);
  return {
    async start(args: { bot_uuid: string; config: Record<string, unknown> }) {
      let config: ReturnType<typeof parseConfig>;
      try {
        config = parseConfig(args.config);
      } catch (error) {
        // A secret pasted into the wrong field must not show up in the bot's status.
        const raw = args.config ?? {};
        throw new Error(describeError(error, createRedactor(() => [raw.inbound_secret, raw.outbound_secret])));
      }
      const log = redactingLogger(ctx.log, createRedactor(() => [config.inbound_secret, config.outbound_secret]));
      const sink = createEventSink(ctx, { adapter: ADAPTER, bot_uuid: args.bot_uuid, log });
      await registry.start(args.bot_uuid, () => new HttpBot(args.bot_uuid, config, sink, log, options));
      return { account_id: ACCOUNT_ID };
    },

    async stop(args: { bot_uuid: string }) {
      await registry.stop(args.bot_uuid);
      return {};
    },

    async handle_webhook(request: WebhookRequest): Promise<WebhookResponse> {
      const running = registry.find(request?.bot_uuid);
      if (!running) return failure('overloaded', 'The bot is not running.');
      try {
        return await running.handle(request);
      } catch (error) {
        const redact = createRedactor(() => [running.config.inbound_secret, running.config.outbound_secret]);
        ctx.log.error(`The HTTP bot failed on a webhook request: ${describeError(error, redact)}`, { bot: request.bot_uuid });
        return failure('internal', 'Internal error.');
      }
    },

    async send_message(args) {
      if (typeof args.target_id !== 'string' && typeof args.target_id !== 'number') throw invalid('`target_id` (the session id) is required.');
      return bot((args as { bot_uuid?: unknown }).bot_uuid).reply(String(args.target_id), null, chainArg(args.message), undefined);
    },

    async reply_message(args) {
      const { session_id, reply_to } = replyTarget(args.event);
      return bot((args as { bot_uuid?: unknown }).bot_uuid).reply(session_id, reply_to, chainArg(args.message), undefined);
    },

    async reply_message_chunk(args) {
      const { session_id, reply_to } = replyTarget(args.event);
      const previous = args.bot_message?.message_id;
      const stream = { message_id: typeof previous === 'string' && previous ? previous : undefined, is_final: args.is_final === true };
      return bot((args as { bot_uuid?: unknown }).bot_uuid).reply(session_id, reply_to, chainArg(args.message), stream);
    },

    async is_stream_output_supported() {
      return true;
    },
  } satisfies PlatformAdapterApi & Record<string, unknown>;
}
