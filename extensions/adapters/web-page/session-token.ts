/**
 * Session tokens of the embed widget: `<ts>.<hex hmac_sha256(key, ts)>`, valid for 24 hours from `ts` (Unix seconds).
 * The key is derived per bot from the bot's Turnstile secret, or from this server's own secret when the bot has
 * none, so a token is good for one bot only and cannot be made without a secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_TTL_SECONDS = 24 * 60 * 60;
/** A token from a server whose clock runs slightly ahead is still accepted. */
const CLOCK_SKEW_SECONDS = 60;
const FORMAT = /^(\d{1,12})\.([0-9a-f]{64})$/;

export function sessionKey(secret: string, bot_uuid: string): Buffer {
  return createHmac('sha256', secret).update(`langbot-embed-session:${bot_uuid}`).digest();
}

const sign = (key: Buffer, ts: string) => createHmac('sha256', key).update(ts).digest('hex');

export function issueSessionToken(key: Buffer, now = Date.now()): { token: string; expires_at: number } {
  const ts = Math.floor(now / 1000);
  return { token: `${ts}.${sign(key, String(ts))}`, expires_at: ts + SESSION_TTL_SECONDS };
}

export function verifySessionToken(key: Buffer, token: unknown, now = Date.now()): boolean {
  const match = typeof token === 'string' ? FORMAT.exec(token) : null;
  if (!match) return false;
  const age = Math.floor(now / 1000) - Number(match[1]);
  if (age > SESSION_TTL_SECONDS || age < -CLOCK_SKEW_SECONDS) return false;
  const expected = Buffer.from(sign(key, match[1]));
  return timingSafeEqual(expected, Buffer.from(match[2]));
}
