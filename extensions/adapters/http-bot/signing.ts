/**
 * The HTTP bot's signing scheme, the same both ways:
 *   X-LB-Signature: sha256=<hex HMAC-SHA256(secret, "<X-LB-Timestamp>." + raw body)>
 * with the timestamp in Unix seconds and a ±300 s replay window.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HEADER_TIMESTAMP = 'x-lb-timestamp';
export const HEADER_SIGNATURE = 'x-lb-signature';
export const HEADER_IDEMPOTENCY = 'x-lb-idempotency-key';
export const REPLAY_WINDOW_S = 300;

export function signature(secret: string, timestamp: string, body: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `sha256=${mac.digest('hex')}`;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Checks a request's timestamp and signature; `now` in Unix seconds. */
export function verify(secret: string, headers: Record<string, string>, body: Buffer, now = Date.now() / 1000): Verdict {
  const timestamp = headers[HEADER_TIMESTAMP];
  const given = headers[HEADER_SIGNATURE];
  if (!timestamp) return { ok: false, reason: 'the X-LB-Timestamp header is missing' };
  if (!given) return { ok: false, reason: 'the X-LB-Signature header is missing' };
  if (!/^\d{1,12}$/.test(timestamp.trim())) return { ok: false, reason: 'X-LB-Timestamp must be Unix seconds' };
  if (Math.abs(now - Number(timestamp)) > REPLAY_WINDOW_S) return { ok: false, reason: `the timestamp is more than ${REPLAY_WINDOW_S} s away from the server's clock` };
  const expected = Buffer.from(signature(secret, timestamp.trim(), body));
  const actual = Buffer.from(given.trim());
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time constant on the mismatch path too.
  const same = actual.length === expected.length ? timingSafeEqual(actual, expected) : !timingSafeEqual(expected, expected);
  return same ? { ok: true } : { ok: false, reason: 'the signature does not match' };
}
