/** The bot's adapter config as the adapter uses it (the `bots` extension has already applied the form's defaults). */
import { randomBytes } from 'node:crypto';

export const DEFAULT_API_BASE_URL = 'https://api.telegram.org';

export interface TelegramConfig {
  token: string;
  markdown: boolean;
  stream: boolean;
  mode: 'polling' | 'webhook';
  /** Without a trailing slash. */
  apiBaseUrl: string;
  webhookBaseUrl: string;
  /** Chosen at random for this run when none is configured. */
  webhookSecret: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function readConfig(config: Record<string, unknown> | undefined): TelegramConfig {
  const c = config ?? {};
  const token = text(c.token);
  if (!token) throw new Error('The Telegram adapter needs the bot token from @BotFather (config field `token`).');
  const mode = c.update_mode === 'webhook' ? 'webhook' : 'polling';
  const webhookBaseUrl = text(c.webhook_base_url).replace(/\/+$/, '');
  if (mode === 'webhook' && !/^https?:\/\//.test(webhookBaseUrl)) {
    throw new Error('Webhook mode needs the public base URL of this LangBot (config field `webhook_base_url`, e.g. https://bot.example.com).');
  }
  const configuredSecret = text(c.webhook_secret);
  if (configuredSecret && !/^[A-Za-z0-9_-]{1,256}$/.test(configuredSecret)) {
    throw new Error('The webhook secret may contain only A-Z, a-z, 0-9, _ and - (1 to 256 characters).');
  }
  const apiBaseUrl = (text(c.api_base_url) || DEFAULT_API_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiBaseUrl)) throw new Error(`The Bot API address must start with http:// or https:// (config field \`api_base_url\`).`);
  return {
    token,
    markdown: c.markdown_card !== false,
    stream: c['enable-stream-reply'] === true,
    mode,
    apiBaseUrl,
    webhookBaseUrl,
    webhookSecret: configuredSecret || randomBytes(24).toString('hex'),
  };
}
