/**
 * Which bots the public embed routes serve: a bot with the `web_page_bot` adapter, enabled, whose messages some
 * rule (or its legacy pipeline) handles. Its widget settings come from its adapter config, defaults filled in.
 */
import { FALLBACK_HANDLER, RpcError, RpcErrorCode, routeEvent, type EventHandlerRule, type ExtensionContext } from '@langbot-ts/sdk';
import { forbidden, notFound } from '../api/envelope.js';

export const EMBED_ADAPTER = 'web_page_bot';
export const BUBBLE_ICONS = ['logo', 'chat', 'robot', 'headset', 'sparkle', 'message'] as const;

export interface WidgetSettings {
  title: string;
  bubble_icon: (typeof BUBBLE_ICONS)[number];
  language: 'en_US' | 'zh_Hans';
  welcome_message: string;
  allowed_origins: string[];
  turnstile_site_key: string;
}

export interface EmbedBot {
  uuid: string;
  name: string;
  settings: WidgetSettings;
}

interface StoredBot {
  uuid: string;
  name: string;
  adapter: string;
  enable: boolean;
  adapter_config: Record<string, unknown>;
  event_handlers: EventHandlerRule[];
  use_pipeline_uuid: string | null;
}

const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);

export function widgetSettings(config: Record<string, unknown>): WidgetSettings {
  const icon = BUBBLE_ICONS.find((i) => i === config.bubble_icon) ?? 'logo';
  const origins = Array.isArray(config.allowed_origins) ? config.allowed_origins.filter((o): o is string => typeof o === 'string' && o.trim() !== '').map((o) => o.trim()) : [];
  return {
    title: text(config.title, 'LangBot').trim() || 'LangBot',
    bubble_icon: icon,
    language: config.language === 'zh_Hans' ? 'zh_Hans' : 'en_US',
    welcome_message: text(config.welcome_message, ''),
    allowed_origins: origins.length > 0 ? origins : ['*'],
    turnstile_site_key: text(config.turnstile_site_key, '').trim(),
  };
}

/** The bot an embed route names, or the 404/403 that says why it cannot be used. */
export async function resolveEmbedBot(ctx: Pick<ExtensionContext, 'call'>, uuid: string): Promise<EmbedBot> {
  let bot: StoredBot;
  try {
    bot = await ctx.call<StoredBot>('bots', 'get', { uuid });
  } catch (error) {
    if (RpcError.is(error, RpcErrorCode.NotFound)) throw notFound(`No bot '${uuid}'.`);
    throw error;
  }
  if (bot.adapter !== EMBED_ADAPTER) throw notFound(`Bot '${uuid}' is not a web page bot (its adapter is '${bot.adapter}', not '${EMBED_ADAPTER}').`);
  if (!bot.enable) throw forbidden(`Bot '${bot.name}' is disabled.`);
  const route = routeEvent('message.received', bot);
  if (route.via === 'fallback' && route.handler_type === FALLBACK_HANDLER) throw forbidden(`Bot '${bot.name}' has no pipeline: add a rule that sends its message.received events to a pipeline.`);
  return { uuid: bot.uuid, name: bot.name, settings: widgetSettings(bot.adapter_config ?? {}) };
}

/** Whether a browser page of `origin` may use the bot; no Origin header means no browser asked on another site's behalf. */
export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (origin === undefined || allowed.includes('*')) return true;
  return allowed.some((o) => o.replace(/\/+$/, '').toLowerCase() === origin.toLowerCase());
}
