/**
 * Delivers an event to a webhook: POST `{ event, bot }` as JSON, with the configured headers and, when a secret is
 * set, an HMAC-SHA256 signature of the body. Network errors, timeouts, 429 and 5xx are retried with exponential
 * backoff; other 4xx are not (the receiver said no).
 */
import { createHmac } from 'node:crypto';

export interface WebhookConfig {
  url: string;
  headers: Record<string, string>;
  timeout_ms: number;
  retries: number;
  backoff_ms: number;
  secret: string;
}

export interface Delivery {
  status: number;
  body: unknown;
  attempts: number;
}

export class WebhookError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

const retryable = (status: number) => status === 429 || status >= 500;

export async function deliver(config: WebhookConfig, payload: unknown, sleep: (ms: number) => Promise<void>): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'LangBot-TS-Webhook/0.1', ...config.headers };
  if (config.secret) headers['x-langbot-signature'] = `sha256=${createHmac('sha256', config.secret).update(body).digest('hex')}`;
  let last = '';
  for (let attempt = 1; attempt <= config.retries + 1; attempt++) {
    if (attempt > 1) await sleep(config.backoff_ms * 2 ** (attempt - 2));
    headers['x-langbot-attempt'] = String(attempt);
    try {
      const response = await fetch(config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(config.timeout_ms) });
      const text = await response.text();
      if (response.ok) return { status: response.status, body: parseBody(text), attempts: attempt };
      last = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      if (!retryable(response.status)) throw new WebhookError(`The webhook refused the event (${last}).`, attempt, response.status);
    } catch (error) {
      if (error instanceof WebhookError) throw error;
      const name = (error as Error)?.name;
      last = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${config.timeout_ms} ms` : `${(error as Error)?.message ?? error}${(error as { cause?: Error })?.cause ? ` (${(error as { cause: Error }).cause.message})` : ''}`;
    }
  }
  throw new WebhookError(`The webhook failed after ${config.retries + 1} attempt(s): ${last}.`, config.retries + 1);
}

function parseBody(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}
