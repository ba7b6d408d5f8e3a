/**
 * Fixed-window rate limit per chat of a bot and pipeline (upstream `fixwin`): at most `limitation` messages in each
 * window of `window-length` seconds. Over the limit, `drop` refuses the message with a notice and `wait` holds it
 * until the next window.
 */
import { notice } from '../notices.js';
import { CONTINUE, type Stage } from '../stage.js';


interface Window {
  start: number;
  count: number;
  touched: number;
}

const MAX_CONTAINERS = 10_000;

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts a message if the window has room; otherwise says how long until the next window (ms). */
  tryAcquire(key: string, windowSeconds: number, limit: number): { ok: true } | { ok: false; waitMs: number } {
    const now = this.now();
    const length = windowSeconds * 1000;
    const start = now - (now % length);
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      if (!window && this.windows.size >= MAX_CONTAINERS) this.evict(now, length);
      window = { start, count: 0, touched: now };
      this.windows.set(key, window);
    }
    window.touched = now;
    if (window.count >= limit) return { ok: false, waitMs: start + length - now };
    window.count++;
    return { ok: true };
  }

  /** Forgets windows idle for longer than max(2 × window, 300 s). */
  private evict(now: number, length: number): void {
    const ttl = Math.max(2 * length, 300_000);
    for (const [key, window] of this.windows) if (now - window.touched > ttl) this.windows.delete(key);
  }
}

export const rateLimit: Stage = async (query, env) => {
  const config = query.config.safety['rate-limit'] as { 'window-length': number; limitation: number; strategy: 'drop' | 'wait' };
  const key = `${query.bot.uuid}:${query.pipeline.uuid}:${query.launcher_type}:${query.launcher_id}`;
  for (;;) {
    const outcome = env.rateLimiter.tryAcquire(key, config['window-length'], config.limitation);
    if (outcome.ok) return CONTINUE;
    if (config.strategy === 'drop') return { result: 'interrupt', user_notice: notice('rateLimited', env.settings.language), console_notice: `Rate limit reached for ${key}.` };
    await env.sleep(outcome.waitMs);
  }
};
