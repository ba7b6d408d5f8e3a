/**
 * langbot.adapter-web-page: the `web_page_bot` adapter — a bot that lives in a chat bubble on any web site. The
 * HTTP server serves the widget and the public `/api/v1/embed/*` routes and bridges them into the `embed` service
 * this extension provides; messages reach the pipeline as the bot's own events.
 */
import { BotRegistry, defineExtension } from '@langbot-ts/sdk';
import { ADAPTER, webPageAdapter } from './adapter.js';
import type { WebPageBot } from './bot.js';
import { embedService } from './service.js';

export default defineExtension({
  activate(ctx) {
    const registry = new BotRegistry<WebPageBot>(ADAPTER);
    const historyLimit = () => Number(ctx.config.historyLimit ?? 100);
    ctx.provide('adapters', ADAPTER, webPageAdapter(ctx, registry, historyLimit));
    ctx.provideService('embed', embedService(ctx, registry));
    ctx.onDispose(() => registry.stopAll());
  },
});
