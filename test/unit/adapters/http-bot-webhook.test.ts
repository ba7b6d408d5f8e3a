import { afterEach, describe, expect, it } from 'vitest';
import { BotFixture, OUTBOUND, sleep, until } from './http-bot-fixture.js';

let bot: BotFixture;
afterEach(async () => bot?.close());

describe('http bot webhook: accepting messages', () => {
  it('accepts a signed message with 202 and hands it to the kernel as message.received', async () => {
    bot = await BotFixture.start();
    const answer = await bot.says('ticket-1', 'hello', {}, { sender: { id: 'alice', name: 'Alice' } });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ code: 0, msg: 'accepted', data: { session_id: 'ticket-1', aggregating: true } });
    const id = answer.body.data!.accepted_message_id;
    expect(id).toMatch(/^in_[0-9a-f]{32}$/);
    expect(bot.event(id)).toMatchObject({ type: 'message.received', chat_type: 'private', chat_id: 'ticket-1', sender: { id: 'alice', nickname: 'Alice' } });
  });

  it('uses the configured default session type', async () => {
    bot = await BotFixture.start({ default_session_type: 'group' });
    const answer = await bot.says('room-1', 'hi');
    expect(bot.event(answer.body.data!.accepted_message_id)).toMatchObject({ chat_type: 'group', chat_id: 'room-1' });
  });
});

describe('http bot webhook: error codes', () => {
  it('401/40101 for a wrong signature, a stale timestamp or no signature', async () => {
    bot = await BotFixture.start();
    const wrong = await bot.says('s', 'x', { secret: 'not-the-secret' });
    const stale = await bot.says('s', 'x', { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const unsigned = await bot.says('s', 'x', { secret: null });
    for (const answer of [wrong, stale, unsigned]) expect(answer).toMatchObject({ status: 401, body: { code: 40101 } });
    expect(stale.body.msg).toContain('300 s');
    expect(bot.events).toEqual([]);
  });

  it('accepts unsigned requests when signatures are not required, but still checks signed ones', async () => {
    bot = await BotFixture.start({ signature_required: false });
    expect((await bot.says('s', 'x', { secret: null })).status).toBe(202);
    expect((await bot.says('s', 'x', { secret: 'not-the-secret' })).status).toBe(401);
    expect(bot.events).toHaveLength(1);
    expect(bot.logs.some((l) => l.startsWith('warn') && l.includes('Signature checks are off'))).toBe(true);
  });

  it('409/40901 for an idempotency key already accepted; other keys pass', async () => {
    bot = await BotFixture.start();
    expect((await bot.says('s', 'one', { idempotencyKey: 'k-1' })).status).toBe(202);
    expect(await bot.says('s', 'one again', { idempotencyKey: 'k-1' })).toMatchObject({ status: 409, body: { code: 40901 } });
    expect((await bot.says('s', 'two', { idempotencyKey: 'k-2' })).status).toBe(202);
    expect(bot.events).toHaveLength(2);
  });

  it('a refused request does not use up its idempotency key', async () => {
    bot = await BotFixture.start();
    expect((await bot.request({ session_id: 's' }, { idempotencyKey: 'k-1' })).status).toBe(400);
    expect((await bot.says('s', 'fixed', { idempotencyKey: 'k-1' })).status).toBe(202);
  });

  it('413/41301 for a body over 1 MiB', async () => {
    bot = await BotFixture.start();
    const answer = await bot.says('s', 'x'.repeat(1024 * 1024));
    expect(answer).toMatchObject({ status: 413, body: { code: 41301 } });
    expect(bot.events).toEqual([]);
  });

  it.each([
    ['a body that is not JSON', '{oops', 'JSON'],
    ['a missing session_id', { message: [] }, 'session_id'],
    ['a message that is not an array', { session_id: 's', message: { type: 'Plain', text: 'x' } }, 'message'],
    ['a missing message', { session_id: 's' }, 'message'],
  ])('400/40001 for %s, naming what is wrong', async (_name, body, what) => {
    bot = await BotFixture.start();
    const answer = await bot.request(body);
    expect(answer).toMatchObject({ status: 400, body: { code: 40001 } });
    expect(answer.body.msg).toContain(what);
  });

  it('400/40001 for an unknown sub-path or a method other than POST', async () => {
    bot = await BotFixture.start();
    expect(await bot.says('s', 'x', { path: '/nope' })).toMatchObject({ status: 400, body: { code: 40001 } });
    expect(await bot.says('s', 'x', { method: 'GET' })).toMatchObject({ status: 400, body: { code: 40001 } });
  });

  it('503/50301 for a session whose callback queue is full; other sessions are still accepted', async () => {
    bot = await BotFixture.start({ callback_timeout: 5 }, { queueLimit: 3 });
    bot.receiver.delayMs = 400;
    const id = (await bot.says('busy', 'hi')).body.data!.accepted_message_id;
    for (let i = 0; i < 3; i++) await bot.reply(bot.event(id), `part ${i}`);
    await expect(bot.reply(bot.event(id), 'one too many')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('is full') });
    expect(await bot.says('busy', 'more')).toMatchObject({ status: 503, body: { code: 50301 } });
    expect((await bot.says('quiet', 'hi')).status).toBe(202);
  });

  it('500/50001 when the kernel refuses the message, and the idempotency key stays free', async () => {
    bot = await BotFixture.start();
    bot.refuseEvents = true;
    expect(await bot.says('s', 'x', { idempotencyKey: 'k' })).toMatchObject({ status: 500, body: { code: 50001 } });
    bot.refuseEvents = false;
    expect((await bot.says('s', 'x', { idempotencyKey: 'k' })).status).toBe(202);
  });
});

describe('http bot webhook: /sync', () => {
  it('answers with every part of the reply instead of calling back', async () => {
    bot = await BotFixture.start();
    bot.onEvent = (e) => void bot.reply(bot.event(e.message_id), [{ type: 'Plain', text: 'Here it is' }, { type: 'Image', url: 'https://example.com/p.png' }]);
    const answer = await bot.says('s1', 'picture please', { path: '/sync' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ code: 0, msg: 'ok', data: { session_id: 's1', message: [{ type: 'Plain', text: 'Here it is' }, { type: 'Image', url: 'https://example.com/p.png' }] } });
    expect(answer.body.data!.reply_to).toBe(bot.events[0].message_id);
    await sleep(50);
    expect(bot.receiver.requests).toEqual([]);
  });

  it('collects a streamed reply once, with its final text', async () => {
    bot = await BotFixture.start();
    bot.onEvent = async (e) => {
      const event = bot.event(e.message_id);
      let handle = await bot.chunk(event, 'Stre', {});
      handle = await bot.chunk(event, 'Stream', handle);
      await bot.chunk(event, 'Streaming done', handle, true);
    };
    const answer = await bot.says('s1', 'stream', { path: '/sync' });
    expect(answer.body.data!.message).toEqual([{ type: 'Plain', text: 'Streaming done' }]);
  });

  it('504/50401 when no final reply comes in time (callback_timeout × 4); later replies go to the callback URL', async () => {
    bot = await BotFixture.start({ callback_timeout: 0.05 });
    bot.onEvent = (e) => void bot.chunk(bot.event(e.message_id), 'thinking', {});
    const started = Date.now();
    const answer = await bot.says('s1', 'slow question', { path: '/sync' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(answer).toMatchObject({ status: 504, body: { code: 50401, data: { session_id: 's1', message: [{ type: 'Plain', text: 'thinking' }] } } });
    await bot.reply(bot.event(bot.events[0].message_id), 'late answer');
    await until('the late answer on the callback URL', () => bot.receiver.texts('s1').includes('late answer'));
  });

  it('409/40901 for a second /sync of a session that is still waiting', async () => {
    bot = await BotFixture.start({ callback_timeout: 0.1 });
    const first = bot.says('s1', 'one', { path: '/sync' });
    await until('the first message', () => bot.events.length === 1);
    expect(await bot.says('s1', 'two', { path: '/sync' })).toMatchObject({ status: 409, body: { code: 40901 } });
    expect((await first).status).toBe(504);
  });
});

describe('http bot webhook: /reset', () => {
  it("forgets the session's waiting callbacks and sequence, logs what it abandons and tells plugins", async () => {
    bot = await BotFixture.start({ callback_max_retries: 10, callback_retry_backoff: 0.05 });
    await bot.receiver.down();
    const id = (await bot.says('s1', 'hi')).body.data!.accepted_message_id;
    await bot.reply(bot.event(id), 'first');
    await bot.reply(bot.event(id), 'second');
    const answer = await bot.request({ session_id: 's1' }, { path: '/reset' });
    expect(answer).toMatchObject({ status: 200, body: { code: 0, msg: 'ok', data: { session_id: 's1', removed: true } } });
    expect(bot.logs.filter((l) => l.startsWith('warn') && l.includes('Abandoned the callback'))).toHaveLength(2);
    expect(bot.events.at(-1)).toMatchObject({ type: 'platform.specific', action: 'session_reset', data: { session_id: 's1', session_type: 'person', abandoned_callbacks: 2 } });

    await bot.receiver.up();
    await bot.reply(bot.event(id), 'after reset');
    const got = await until('the callback after the reset', () => bot.receiver.delivered[0]);
    expect(got.payload).toMatchObject({ sequence: 1, message: [{ type: 'Plain', text: 'after reset' }] });
    await sleep(100);
    expect(bot.receiver.texts('s1')).toEqual(['after reset']);
  });

  it('answers removed: false for a session it knows nothing about', async () => {
    bot = await BotFixture.start();
    expect((await bot.request({ session_id: 'never-seen' }, { path: '/reset' })).body.data).toEqual({ session_id: 'never-seen', removed: false });
  });

  it('ends a waiting /sync of the session with 409/40902', async () => {
    bot = await BotFixture.start({ callback_timeout: 5 });
    const waiting = bot.says('s1', 'hi', { path: '/sync' });
    await until('the message', () => bot.events.length === 1);
    expect((await bot.request({ session_id: 's1' }, { path: '/reset' })).body.data).toMatchObject({ removed: true });
    expect(await waiting).toMatchObject({ status: 409, body: { code: 40902 } });
  });

  it('is signed like every request', async () => {
    bot = await BotFixture.start();
    expect((await bot.request({ session_id: 's1' }, { path: '/reset', secret: OUTBOUND })).status).toBe(401);
    expect((await bot.request({}, { path: '/reset' })).status).toBe(400);
  });
});
