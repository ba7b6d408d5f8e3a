import { describe, expect, it } from 'vitest';
import { BotRegistry, createEventSink, createRedactor, redactingLogger, type ExtensionLogger } from '../../../sdk/index.js';

describe('createRedactor', () => {
  const token = '123456:ABC-def/ghi';
  const redact = createRedactor(() => [token, 'ab', undefined]);

  it('masks a secret wherever it appears, also URL-encoded, in strings, errors and nested data', () => {
    expect(redact(`GET https://api.example/bot${token}/getMe`)).toBe('GET https://api.example/bot***/getMe');
    expect(redact(`?token=${encodeURIComponent(token)}`)).toBe('?token=***');
    const error = redact(new Error(`failed for ${token}`));
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('failed for ***');
    expect(error.stack).not.toContain(token);
    expect(redact({ url: `x${token}`, list: [token, 1], ok: true })).toEqual({ url: 'x***', list: ['***', 1], ok: true });
  });

  it('leaves very short secrets alone, since masking them would garble ordinary text', () => {
    expect(redact('abc')).toBe('abc');
  });

  it('reads the secrets at each call, so a changed token is masked too', () => {
    let current = 'first-secret';
    const live = createRedactor(() => [current]);
    current = 'second-secret';
    expect(live('first-secret second-secret')).toBe('first-secret ***');
  });

  it('survives circular data', () => {
    const data: Record<string, unknown> = { token };
    data.self = data;
    expect(redact(data)).toEqual({ token: '***', self: '[circular]' });
  });
});

describe('redactingLogger', () => {
  it('masks messages and data before they reach the log', () => {
    const lines: unknown[][] = [];
    const sink = (level: string) => (msg: string, data?: Record<string, unknown>) => void lines.push([level, msg, data]);
    const log: ExtensionLogger = { debug: sink('debug'), info: sink('info'), warn: sink('warn'), error: sink('error') };
    const safe = redactingLogger(log, createRedactor(() => ['s3cr3t-token']));
    safe.warn('token s3cr3t-token refused', { url: '/bots3cr3t-token' });
    safe.info('plain');
    expect(lines).toEqual([
      ['warn', 'token *** refused', { url: '/bot***' }],
      ['info', 'plain', undefined],
    ]);
  });
});

describe('createEventSink', () => {
  const quiet: ExtensionLogger = { debug() {}, info() {}, warn() {}, error() {} };

  it('fills the common fields and hands events over one at a time, in order', async () => {
    const got: Record<string, unknown>[] = [];
    let inFlight = 0;
    const ctx = {
      call: async (_service: string, _method: string, args?: Record<string, unknown>) => {
        inFlight++;
        expect(inFlight).toBe(1);
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        got.push(args!.event as Record<string, unknown>);
        inFlight--;
        return {};
      },
    } as never;
    const sink = createEventSink(ctx, { adapter: 'telegram', bot_uuid: 'b-1', log: quiet });
    const ids = ['1', '2', '3', '4', '5'];
    await Promise.all(ids.map((id) => sink.emit({ type: 'friend.added', user: { id } })));
    expect(got.map((e) => (e.user as { id: string }).id)).toEqual(ids);
    expect(got[0]).toMatchObject({ type: 'friend.added', bot_uuid: 'b-1', adapter_name: 'telegram', timestamp: expect.any(Number) });
  });

  it('logs a refused event with the kernel’s reason and keeps going', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const ctx = { call: async () => (++calls === 1 ? Promise.reject(new Error('Invalid event: /user: required')) : {}) } as never;
    const sink = createEventSink(ctx, { adapter: 'x', bot_uuid: 'b', log: { ...quiet, warn: (m: string) => void warnings.push(m) } });
    expect(await sink.emit({ type: 'friend.added', user: { id: 1 } })).toBe(false);
    expect(await sink.emit({ type: 'friend.added', user: { id: 2 } })).toBe(true);
    expect(warnings).toEqual(['The kernel refused a friend.added event: Invalid event: /user: required']);
  });
});

describe('BotRegistry', () => {
  it('stops a bot before starting it again under the same uuid, and names the adapter when a bot is not running', async () => {
    const stopped: string[] = [];
    const registry = new BotRegistry<{ name: string; stop(): void }>('telegram');
    await registry.start('b', () => ({ name: 'first', stop: () => void stopped.push('first') }));
    await registry.start('b', () => ({ name: 'second', stop: () => void stopped.push('second') }));
    expect(stopped).toEqual(['first']);
    expect(registry.get('b').name).toBe('second');
    await registry.stopAll();
    expect(stopped).toEqual(['first', 'second']);
    expect(() => registry.get('b')).toThrow("Bot 'b' is not running on the telegram adapter.");
  });
});
