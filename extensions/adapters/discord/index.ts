/**
 * langbot.adapter-discord: Discord bots through discord.js. Activation only registers the adapter; each bot
 * connects to the gateway when the bots service starts it.
 */
import { BotRegistry, defineExtension } from '@langbot-ts/sdk';
import { discordAdapter } from './adapter.js';
import type { DiscordBot } from './bot.js';

export default defineExtension({
  activate(ctx) {
    const registry = new BotRegistry<DiscordBot>('discord');
    ctx.provide('adapters', 'discord', discordAdapter(ctx, registry));
    ctx.onDispose(() => registry.stopAll());
  },
});
