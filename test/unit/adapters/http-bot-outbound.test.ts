import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../extensions/adapters/http-bot/config.js';
import { retryDelayMs } from '../../../extensions/adapters/http-bot/delivery.js';
import { IdempotencyKeys } from '../../../extensions/adapters/http-bot/idempotency.js';
import { callbackBody } from '../../../extensions/adapters/http-bot/outbound.js';
import { signature, verify } from '../../../extensions/adapters/http-bot/signing.js';

describe('http bot outbound: replies become callback bodies', () => {
  const reply = { session_id: 's1', reply_to: 'in_1', message_id: 'out_1', is_final: true, stream: false };

  it('carries the chain as segments, with the session, the message answered and the sequence', () => {
    const body = callbackBody(
      {
        ...reply,
        chain: [
          { type: 'Plain', text: 'Here: ' },
          { type: 'Image', url: 'https://example.com/x.png' },
          { type: 'At', target: 'u1' },
          { type: 'File', name: 'a.txt', base64: 'aGk=' },
        ],
      },
      3,
      new Date('2026-01-02T03:04:05.000Z'),
    );
    expect(body).toEqual({
      session_id: 's1',
      reply_to: 'in_1',
      sequence: 3,
      is_final: true,
      stream: false,
      message: [
        { type: 'Plain', text: 'Here: ' },
        { type: 'Image', url: 'https://example.com/x.png' },
        { type: 'At', target: 'u1' },
        { type: 'File', name: 'a.txt', base64: 'aGk=' },
      ],
      timestamp: '2026-01-02T03:04:05.000Z',
      message_id: 'out_1',
    });
  });

  it('writes Source time as `timestamp` and nested quote chains as segments, as LangBot dumps them', () => {
    const body = callbackBody({ ...reply, chain: [{ type: 'Source', id: 'm1', time: 1700000000 }, { type: 'Quote', id: 'in_1', origin: [{ type: 'Plain', text: 'q' }] }] }, 1);
    expect(body.message).toEqual([
      { type: 'Source', id: 'm1', timestamp: 1700000000 },
      { type: 'Quote', id: 'in_1', origin: [{ type: 'Plain', text: 'q' }] },
    ]);
  });

  it('a message the bot sends on its own answers nothing', () => {
    expect(callbackBody({ ...reply, reply_to: null, chain: [] }, 1).reply_to).toBeNull();
  });
});

describe('http bot signing', () => {
  const secret = 'shared-secret';
  const body = Buffer.from('{"session_id":"s1","message":[]}');
  const now = 1_700_000_000;
  const independent = (ts: string) => `sha256=${createHmac('sha256', secret).update(`${ts}.${body.toString()}`).digest('hex')}`;

  it('signs sha256=<hex HMAC-SHA256(secret, "<ts>." + body)>', () => {
    expect(signature(secret, String(now), body)).toBe(independent(String(now)));
  });

  it('accepts a right signature within the replay window', () => {
    expect(verify(secret, { 'x-lb-timestamp': String(now - 299), 'x-lb-signature': independent(String(now - 299)) }, body, now)).toEqual({ ok: true });
  });

  it.each([
    ['a stale timestamp', { 'x-lb-timestamp': String(now - 301), 'x-lb-signature': independent(String(now - 301)) }, 'more than 300 s'],
    ['a timestamp from the future', { 'x-lb-timestamp': String(now + 301), 'x-lb-signature': independent(String(now + 301)) }, 'more than 300 s'],
    ['a wrong signature', { 'x-lb-timestamp': String(now), 'x-lb-signature': independent(String(now - 1)) }, 'does not match'],
    ['a truncated signature', { 'x-lb-timestamp': String(now), 'x-lb-signature': 'sha256=ab' }, 'does not match'],
    ['no timestamp', { 'x-lb-signature': independent(String(now)) }, 'X-LB-Timestamp'],
    ['no signature', { 'x-lb-timestamp': String(now) }, 'X-LB-Signature'],
    ['a timestamp in milliseconds-as-text', { 'x-lb-timestamp': '1.7e9', 'x-lb-signature': independent('1.7e9') }, 'Unix seconds'],
  ])('refuses %s', (_name, headers, reason) => {
    const verdict = verify(secret, headers as Record<string, string>, body, now);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toContain(reason);
  });
});

describe('http bot retry backoff', () => {
  it('waits min(backoff × 2^(n-1), 30) seconds before retry n', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(retryDelayMs(3, 0.1)).toBeCloseTo(400);
  });
});

describe('http bot idempotency keys', () => {
  it('refuses a key seen within the window and accepts it again after 600 s', () => {
    let now = 0;
    const keys = new IdempotencyKeys(undefined, undefined, () => now);
    expect(keys.claim('k1')).toBe(true);
    now = 599_000;
    expect(keys.claim('k1')).toBe(false);
    now = 600_001;
    expect(keys.claim('k1')).toBe(true);
  });

  it('remembers at most 4096 keys, forgetting the oldest first', () => {
    const keys = new IdempotencyKeys();
    for (let i = 0; i < 4097; i++) keys.claim(`k${i}`);
    expect(keys.size).toBe(4096);
    expect(keys.claim('k4096')).toBe(false);
    expect(keys.claim('k0')).toBe(true);
  });

  it('a released key may be used again', () => {
    const keys = new IdempotencyKeys();
    keys.claim('k');
    keys.release('k');
    expect(keys.claim('k')).toBe(true);
  });
});

describe('http bot config', () => {
  const base = { inbound_secret: 'sec', callback_url: 'https://example.com/cb' };

  it('fills in the upstream defaults', () => {
    expect(parseConfig(base)).toEqual({ ...base, outbound_secret: '', default_session_type: 'person', signature_required: true, callback_timeout: 15, callback_max_retries: 3, callback_retry_backoff: 1 });
  });

  it.each([
    [{ callback_url: 'https://example.com/cb' }, 'inbound_secret'],
    [{ inbound_secret: 'sec' }, 'callback_url'],
    [{ ...base, callback_url: 'not a url' }, 'not a URL'],
    [{ ...base, callback_url: 'ftp://example.com/cb' }, 'http(s)'],
    [{ ...base, default_session_type: 'channel' }, 'default_session_type'],
    [{ ...base, callback_timeout: 0 }, 'callback_timeout'],
  ])('refuses %j mentioning %s', (config, what) => {
    expect(() => parseConfig(config)).toThrow(what);
  });
});
