/**
 * How a receiver knows a delivery is ours and fresh: `X-LangBot-Signature: sha256=<hex>` is the HMAC-SHA256, keyed
 * with the webhook's secret, of `<X-LangBot-Timestamp>.<raw body>`. Signing the timestamp with the body lets a
 * receiver refuse old deliveries replayed by someone who captured one.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-langbot-signature';
export const TIMESTAMP_HEADER = 'x-langbot-timestamp';

export function signDelivery(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
