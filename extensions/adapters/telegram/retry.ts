/**
 * Telegram answers 429 with `retry_after` when a bot sends too fast; grammY passes that error on. This transformer
 * waits and repeats the call a few times, and gives up (returning the 429) when Telegram asks for a longer pause.
 */
import type { Transformer } from 'grammy';

export interface RetryOptions {
  maxRetries?: number;
  maxWaitSeconds?: number;
  onRetry?(method: string, seconds: number): void;
}

/** Any abort signal (grammY types its own, from the abort-controller package). */
interface Abortable {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export function sleep(ms: number, signal?: Abortable): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function retryOnRateLimit(options: RetryOptions = {}): Transformer {
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxWaitSeconds ?? 30;
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      const response = await prev(method, payload, signal);
      if (response.ok || response.error_code !== 429) return response;
      const wait = Math.max(1, Number(response.parameters?.retry_after ?? 1));
      if (attempt >= maxRetries || wait > maxWait || signal?.aborted) return response;
      options.onRetry?.(method, wait);
      await sleep(wait * 1000, signal);
      if (signal?.aborted) return response;
    }
  };
}
