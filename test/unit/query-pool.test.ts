import { describe, expect, it } from 'vitest';
import { QueryPool } from '../../extensions/core/bots/query-pool.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('query pool', () => {
  it('handles the messages of one chat in order, one at a time', async () => {
    const pool = new QueryPool({ concurrency: 4, perChatLimit: 100 });
    const seen: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    for (let i = 0; i < 20; i++) {
      pool.submit('bot:group:1', async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await tick(Math.random() * 3);
        seen.push(i);
        inFlight--;
      });
    }
    await pool.idle();
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(maxInFlight).toBe(1);
  });

  it('runs different chats concurrently, up to the limit', async () => {
    const pool = new QueryPool({ concurrency: 3, perChatLimit: 10 });
    let inFlight = 0;
    let maxInFlight = 0;
    for (let chat = 0; chat < 10; chat++) {
      pool.submit(`chat-${chat}`, async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await tick(10);
        inFlight--;
      });
    }
    await pool.idle();
    expect(maxInFlight).toBe(3);
  });

  it('refuses what does not fit in a chat’s queue, saying why, and keeps everything it accepted', async () => {
    const pool = new QueryPool({ concurrency: 1, perChatLimit: 2 });
    const done: string[] = [];
    const results = ['a', 'b', 'c', 'd'].map((name) => pool.submit('chat', async () => void done.push(name)));
    expect(results.map((r) => r.accepted)).toEqual([true, true, true, false]);
    expect(results[3]).toMatchObject({ accepted: false, reason: expect.stringContaining('limit is 2') });
    await pool.idle();
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('goes on after a failing message and reports the failure', async () => {
    const errors: string[] = [];
    const pool = new QueryPool({ concurrency: 2, perChatLimit: 5, onError: (key, e) => errors.push(`${key}: ${(e as Error).message}`) });
    const done: string[] = [];
    pool.submit('chat', () => {
      throw new Error('runner down');
    });
    pool.submit('chat', async () => void done.push('next'));
    await pool.idle();
    expect(errors).toEqual(['chat: runner down']);
    expect(done).toEqual(['next']);
    expect(pool.stats).toEqual({ running: 0, queued: 0, chats: 0 });
  });

  it('does not let a busy chat starve the others', async () => {
    const pool = new QueryPool({ concurrency: 1, perChatLimit: 100 });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) pool.submit('busy', async () => void order.push(`busy-${i}`));
    pool.submit('quiet', async () => void order.push('quiet'));
    await pool.idle();
    expect(order.indexOf('quiet')).toBeLessThan(order.indexOf('busy-2'));
  });
});
