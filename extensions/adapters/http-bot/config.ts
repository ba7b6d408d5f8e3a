/** The bot's adapter config, checked once in `start` so a misconfigured bot fails to start with a clear reason. */

export type SessionType = 'person' | 'group';

export interface HttpBotConfig {
  inbound_secret: string;
  callback_url: string;
  /** Falls back to `inbound_secret` when empty. */
  outbound_secret: string;
  default_session_type: SessionType;
  signature_required: boolean;
  /** Seconds. */
  callback_timeout: number;
  callback_max_retries: number;
  /** Seconds before the first retry; doubles per retry, capped at 30 s. */
  callback_retry_backoff: number;
}

const DEFAULTS = {
  default_session_type: 'person',
  signature_required: true,
  callback_timeout: 15,
  callback_max_retries: 3,
  callback_retry_backoff: 1,
} as const;

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

export function parseConfig(raw: Record<string, unknown> | undefined): HttpBotConfig {
  const config = raw ?? {};
  const inbound_secret = str(config.inbound_secret);
  if (!inbound_secret) throw new Error('The HTTP bot needs an inbound_secret: requests to its webhook are signed with it.');
  const callback_url = str(config.callback_url).trim();
  if (!callback_url) throw new Error('The HTTP bot needs a callback_url: its replies are POSTed there.');
  let url: URL;
  try {
    url = new URL(callback_url);
  } catch {
    throw new Error(`callback_url '${callback_url}' is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`callback_url must be an http(s) URL, but its scheme is '${url.protocol.replace(/:$/, '')}'.`);
  const session = config.default_session_type ?? DEFAULTS.default_session_type;
  if (session !== 'person' && session !== 'group') throw new Error(`default_session_type must be 'person' or 'group', not '${String(session)}'.`);
  const timeout = num(config.callback_timeout, DEFAULTS.callback_timeout);
  if (timeout <= 0) throw new Error('callback_timeout must be more than 0 seconds.');
  return {
    inbound_secret,
    callback_url,
    outbound_secret: str(config.outbound_secret),
    default_session_type: session,
    signature_required: config.signature_required !== false,
    callback_timeout: timeout,
    callback_max_retries: Math.max(0, Math.floor(num(config.callback_max_retries, DEFAULTS.callback_max_retries))),
    callback_retry_backoff: Math.max(0, num(config.callback_retry_backoff, DEFAULTS.callback_retry_backoff)),
  };
}

export const signingSecret = (config: HttpBotConfig) => config.outbound_secret || config.inbound_secret;
