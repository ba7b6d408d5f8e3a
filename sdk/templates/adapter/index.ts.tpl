import {
  BotRegistry,
  RpcError,
  RpcErrorCode,
  createEventSink,
  defineExtension,
  plainText,
  webhookJson,
  type EventSink,
  type MessageChain,
  type WebhookRequest,
  type WebhookResponse,
} from '@langbot-ts/sdk';

const ADAPTER = '{{key}}';

/** One running bot: where its replies go and how its messages reach the kernel. */
interface Bot {
  callback_url: string;
  sink: EventSink;
  stop(): void;
}

export default defineExtension({
  activate(ctx) {
    const bots = new BotRegistry<Bot>(ADAPTER);
    let sent = 0;

    /** Sends a reply to the platform; the kernel records the returned message id. */
    const deliver = async (bot_uuid: unknown, to: unknown, message: MessageChain) => {
      const bot = bots.get(bot_uuid);
      const response = await fetch(bot.callback_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: String(to), text: plainText(message) }),
      });
      if (!response.ok) throw new RpcError(RpcErrorCode.Unavailable, `The callback URL answered HTTP ${response.status}.`);
      return { message_id: `out-${++sent}` };
    };

    // The adapter the manifest declares under contributes.adapters: bot lifecycle, the webhook, the platform API.
    ctx.provide('adapters', ADAPTER, {
      start: async (args: { bot_uuid: string; config: { callback_url: string } }) => {
        const sink = createEventSink(ctx, { adapter: ADAPTER, bot_uuid: args.bot_uuid, log: ctx.log });
        await bots.start(args.bot_uuid, () => ({ callback_url: args.config.callback_url, sink, stop: () => {} }));
        return { account_id: `${ADAPTER}-bot` };
      },
      stop: async (args: { bot_uuid: string }) => {
        await bots.stop(args.bot_uuid);
        return {};
      },
      handle_webhook: async (request: WebhookRequest): Promise<WebhookResponse> => {
        const bot = bots.find(request.bot_uuid);
        if (!bot) return { status: 503, body: { error: 'The bot is not running.' } };
        const parsed = webhookJson(request);
        const body = (parsed.ok ? parsed.value : undefined) as { user?: unknown; text?: unknown } | undefined;
        if (typeof body?.user !== 'string' || typeof body.text !== 'string') {
          return { status: 400, body: { error: 'Expected a JSON body {"user": string, "text": string}.' } };
        }
        const accepted = await bot.sink.emit({
          type: 'message.received',
          message_id: `in-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
          message_chain: [{ type: 'Plain', text: body.text }],
          sender: { id: body.user, nickname: body.user },
          chat_type: 'private',
          chat_id: body.user,
        });
        return accepted ? { status: 202, body: { ok: true } } : { status: 503, body: { error: 'The kernel refused the message.' } };
      },
      send_message: (args: { bot_uuid?: string; target_id: string; message: MessageChain }) => deliver(args.bot_uuid, args.target_id, args.message),
      reply_message: (args: { bot_uuid?: string; event: { chat_id: string }; message: MessageChain }) => deliver(args.bot_uuid, args.event.chat_id, args.message),
    });
    ctx.onDispose(() => bots.stopAll());
  },
});
