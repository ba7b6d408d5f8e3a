/**
 * langbot.adapter-telegram: Telegram bots through the Bot API with grammY. Activation only registers the
 * adapter; each bot connects when the `bots` extension starts it.
 */
import { BotRegistry, createRedactor, defineExtension, redactingLogger } from '@langbot-ts/sdk';
import type { TelegramBot } from './bot.js';
import { ADAPTER, telegramAdapter } from './adapter.js';

export default defineExtension({
  activate(ctx) {
    const registry = new BotRegistry<TelegramBot>(ADAPTER);
    const secrets = new Set<string>();
    const redact = createRedactor(() => secrets);
    const log = redactingLogger(ctx.log, redact);
    ctx.provide('adapters', ADAPTER, telegramAdapter({ ctx, registry, log, redact, secrets }));
    ctx.onDispose(() => registry.stopAll());
  },
});
