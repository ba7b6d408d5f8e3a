/**
 * Fills the widget's placeholders (`__LANGBOT_BASE_URL__`, `__LANGBOT_BOT_UUID__`, …) with JavaScript literals. Each
 * value is JSON with `<` and the line separators escaped, so no setting can end the script or break out of its string.
 */
import source from './widget.js' with { type: 'text' };
import type { WidgetSettings } from './bot.js';

const literal = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export function renderWidget(options: { base_url: string; bot_uuid: string; settings: WidgetSettings }): string {
  const { settings } = options;
  const values: Record<string, unknown> = {
    __LANGBOT_BASE_URL__: options.base_url,
    __LANGBOT_BOT_UUID__: options.bot_uuid,
    __LANGBOT_BUBBLE_ICON__: settings.bubble_icon,
    __LANGBOT_LOCALE__: settings.language,
    __LANGBOT_TURNSTILE_SITE_KEY__: settings.turnstile_site_key,
    __LANGBOT_TITLE__: settings.title,
    __LANGBOT_WELCOME_MESSAGE__: settings.welcome_message,
  };
  return source.replace(/__LANGBOT_[A-Z_]+__/g, (name) => (name in values ? literal(values[name]) : name));
}
