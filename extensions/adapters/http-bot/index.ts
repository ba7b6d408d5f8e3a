/**
 * langbot.adapter-http-bot: lets any backend talk to a bot over plain HTTP. Messages come in through the kernel's
 * webhook ingress (`POST /bots/<bot_uuid>[/sync|/reset]`, HMAC-signed); replies go out as signed POSTs to the
 * bot's callback URL, in order per session, retried when the receiver fails. Nothing connects until a bot starts.
 */
import { BotRegistry, defineExtension } from '@langbot-ts/sdk';
import { ADAPTER, httpBotAdapter } from './adapter.js';
import type { HttpBot } from './bot.js';

export default defineExtension({
  activate(ctx) {
    const registry = new BotRegistry<HttpBot>(ADAPTER);
    ctx.provide('adapters', ADAPTER, httpBotAdapter(ctx, registry));
    ctx.onDispose(() => registry.stopAll());
  },
});
