/**
 * langbot.adapter-onebot: QQ through OneBot v11 implementations (NapCat, Lagrange, go-cqhttp, …) over reverse or
 * forward WebSocket. Activation only registers the adapter; connections open when a bot starts.
 */
import { BotRegistry, defineExtension } from '@langbot-ts/sdk';
import { oneBotAdapter } from './adapter.js';
import type { OneBotBot } from './bot.js';

export default defineExtension({
  activate(ctx) {
    const registry = new BotRegistry<OneBotBot>('OneBot');
    ctx.provide('adapters', 'aiocqhttp', oneBotAdapter(ctx, registry));
    ctx.onDispose(() => registry.stopAll());
  },
});
