/**
 * Delivers one callback: a signed POST to the callback URL, retried on a 5xx answer, a network error or a timeout
 * up to `maxRetries` times, waiting min(backoff × 2^(n-1), 30) s before retry n. A 4xx answer is final (the receiver
 * refused it), and so is a 3xx: callbacks do not follow redirects. Every attempt is signed afresh (new timestamp),
 * over the same body and with the same idempotency key, so the receiver can drop a retry it already has.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallbackBody } from './outbound.js';
import { HEADER_IDEMPOTENCY, HEADER_SIGNATURE, HEADER_TIMESTAMP, signature } from './signing.js';

export const MAX_RETRY_DELAY_S = 30;

export interface DeliveryOptions {
  url: string;
  secret: string;
  /** Seconds per attempt. */
  timeout: number;
  maxRetries: number;
  /** Seconds before the first retry. */
  backoff: number;
}

export type Outcome =
  | { delivered: true; attempts: number; status: number }
  | { delivered: false; attempts: number; reason: string; aborted: boolean };

export const retryDelayMs = (retry: number, backoff: number) => Math.min(backoff * 2 ** (retry - 1), MAX_RETRY_DELAY_S) * 1000;

type Attempt = { status: number } | { error: string };

async function attempt(body: string, key: string, options: DeliveryOptions, signal: AbortSignal): Promise<Attempt> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const response = await fetch(options.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [HEADER_TIMESTAMP]: timestamp,
        [HEADER_SIGNATURE]: signature(options.secret, timestamp, body),
        [HEADER_IDEMPOTENCY]: key,
      },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeout * 1000)]),
    });
    // The answer's body is not used; releasing it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    if (signal.aborted) return { error: 'cancelled' };
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const name = error instanceof Error ? error.name : '';
    return { error: name === 'TimeoutError' ? `no answer within ${options.timeout} s` : `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

export async function deliver(callback: CallbackBody, key: string, options: DeliveryOptions, signal: AbortSignal): Promise<Outcome> {
  const body = JSON.stringify(callback);
  for (let attempts = 1; ; attempts++) {
    const result = await attempt(body, key, options, signal);
    if (signal.aborted) return { delivered: false, attempts, reason: 'cancelled', aborted: true };
    if ('status' in result && result.status < 300) return { delivered: true, attempts, status: result.status };
    const reason = 'status' in result ? `the receiver answered HTTP ${result.status}` : result.error;
    const retryable = 'error' in result || result.status >= 500;
    if (!retryable) return { delivered: false, attempts, reason: `${reason} (not retried)`, aborted: false };
    if (attempts > options.maxRetries) return { delivered: false, attempts, reason, aborted: false };
    try {
      await sleep(retryDelayMs(attempts, options.backoff), undefined, { signal });
    } catch {
      return { delivered: false, attempts, reason: 'cancelled', aborted: true };
    }
  }
}
