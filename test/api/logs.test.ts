/** The process log over HTTP: every extension's lines merged in order, tailed with a cursor. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiKernel, type ApiKernel } from '../support/api-harness.js';

let k: ApiKernel;
let token: string;

beforeAll(async () => {
  k = await startApiKernel();
  token = await k.api.signUp();
}, 60_000);
afterAll(() => k?.kernel.stop());

interface Line {
  seq: number;
  time: number;
  level: string;
  ext: string;
  msg: string;
  data?: Record<string, unknown>;
}

const logs = async (query = '') => {
  const res = await k.api.get(`/api/v1/logs${query}`, { token });
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { logs: Line[]; cursor: number; has_more: boolean };
};

describe('GET /api/v1/logs', () => {
  it('answers the newest lines of every extension and the kernel, in the order they were written', async () => {
    const { logs: lines, cursor, has_more } = await logs('?limit=1000');
    const sources = new Set(lines.map((l) => l.ext));
    expect(sources).toContain('kernel');
    expect(sources).toContain('langbot.http');
    expect(lines.some((l) => l.ext === 'langbot.http' && /HTTP server listening/.test(l.msg))).toBe(true);
    const seqs = lines.map((l) => l.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(cursor).toBeGreaterThanOrEqual(seqs.at(-1)!);
    expect(has_more).toBe(false);
    const last3 = (await logs('?limit=3')).logs.map((l) => l.seq);
    expect(last3).toHaveLength(3);
    expect(last3[0]).toBeGreaterThanOrEqual(seqs.at(-3)!);
  });

  it('tails: `after=<cursor>` answers only what was logged since, oldest first, in pages', async () => {
    const { cursor } = await logs();
    const writer = k.kernel.logging.forExtension('test.tail');
    for (let i = 1; i <= 5; i++) writer.info(`line ${i}`);

    const page1 = await logs(`?after=${cursor}&extension=test.tail&limit=3`);
    expect(page1.logs.map((l) => l.msg)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(page1.has_more).toBe(true);
    const page2 = await logs(`?after=${page1.cursor}&extension=test.tail&limit=3`);
    expect(page2.logs.map((l) => l.msg)).toEqual(['line 4', 'line 5']);
    expect(page2.has_more).toBe(false);
    expect((await logs(`?after=${page2.cursor}&extension=test.tail`)).logs).toEqual([]);
  });

  it('merges several extensions’ new lines in order and filters by minimum level', async () => {
    const { cursor } = await logs();
    k.kernel.logging.forExtension('test.a').info('a1');
    k.kernel.logging.forExtension('test.b').warn('b1');
    k.kernel.logging.forExtension('test.a').error('a2');
    const merged = (await logs(`?after=${cursor}`)).logs.filter((l) => l.ext.startsWith('test.'));
    expect(merged.map((l) => `${l.ext}:${l.msg}`)).toEqual(['test.a:a1', 'test.b:b1', 'test.a:a2']);
    const warnings = (await logs(`?after=${cursor}&level=warn`)).logs.filter((l) => l.ext.startsWith('test.'));
    expect(warnings.map((l) => `${l.level}:${l.msg}`)).toEqual(['warn:b1', 'error:a2']);
  });

  it('shows secrets as the logger redacted them', async () => {
    const { cursor } = await logs();
    k.kernel.logging.forExtension('test.secret').info({ apiKey: 'sk-live-123', config: { token: 'tok-456' }, city: 'Oslo' }, 'configured');
    const [line] = (await logs(`?after=${cursor}&extension=test.secret`)).logs;
    expect(line.data).toMatchObject({ city: 'Oslo' });
    expect(JSON.stringify(line)).not.toMatch(/sk-live-123|tok-456/);
  });

  it('treats a cursor from before a restart (past the newest line) as none', async () => {
    const newest = await logs('?limit=2');
    const stale = await logs(`?after=${newest.cursor + 1_000_000}&limit=2`);
    expect(stale.logs).toHaveLength(2);
    expect(stale.logs[0].seq).toBeGreaterThanOrEqual(newest.logs[0].seq);
    expect(stale.cursor).toBeGreaterThanOrEqual(newest.cursor);
    expect(stale.cursor).toBeLessThan(newest.cursor + 1_000_000);
  });

  it('refuses bad parameters, naming them', async () => {
    for (const [query, field] of [
      ['?level=loud', 'level'],
      ['?after=-1', 'after'],
      ['?after=soon', 'after'],
      ['?limit=0', 'limit'],
      ['?limit=1001', 'limit'],
    ]) {
      const res = await k.api.get(`/api/v1/logs${query}`, { token });
      expect(res, query).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining(field) } });
    }
  });
});
