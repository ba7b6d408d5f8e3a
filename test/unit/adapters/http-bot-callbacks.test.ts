import { afterEach, describe, expect, it } from 'vitest';
import { BotFixture, INBOUND, OUTBOUND, sleep, until } from './http-bot-fixture.js';

let bot: BotFixture;
afterEach(async () => bot?.close());

/** A bot with one accepted message in session `s1`; returns its event. */
async function withMessage(config: Record<string, unknown> = {}, options: Parameters<typeof BotFixture.start>[1] = {}) {
  bot = await BotFixture.start(config, options);
  const id = (await bot.says('s1', 'hi')).body.data!.accepted_message_id;
  return bot.event(id);
}

describe('http bot callbacks: what is sent', () => {
  it('one signed POST per reply, with the session, the message answered, a sequence and is_final', async () => {
    const event = await withMessage();
    const result = await bot.reply(event, 'hello back');
    const [got] = await until('the callback', () => bot.receiver.delivered.length === 1 && bot.receiver.delivered);
    expect(got.verified).toBe(true);
    expect(got.payload).toMatchObject({ session_id: 's1', reply_to: event.message_id, sequence: 1, is_final: true, stream: false, message: [{ type: 'Plain', text: 'hello back' }], message_id: result.message_id });
    expect(new Date(got.payload.timestamp).toString()).not.toBe('Invalid Date');
    expect(got.headers['x-lb-idempotency-key']).toBeTruthy();
  });

  it('send_message calls back to the same URL with reply_to null', async () => {
    bot = await BotFixture.start();
    await bot.send('s9', 'a notice');
    const got = await until('the callback', () => bot.receiver.delivered[0]);
    expect(got.payload).toMatchObject({ session_id: 's9', reply_to: null, sequence: 1, is_final: true, stream: false });
  });

  it('a streamed reply is one callback per chunk, each with the text so far, sharing a message_id, final on the last', async () => {
    const event = await withMessage();
    let handle = await bot.chunk(event, 'Stre', {});
    handle = await bot.chunk(event, 'Stream', handle as Record<string, unknown>);
    await bot.chunk(event, 'Streaming done', handle as Record<string, unknown>, true);
    const got = await until('three callbacks', () => bot.receiver.delivered.length === 3 && bot.receiver.delivered);
    expect(got.map((r) => [r.payload.sequence, r.payload.stream, r.payload.is_final, r.payload.message[0].text])).toEqual([
      [1, true, false, 'Stre'],
      [2, true, false, 'Stream'],
      [3, true, true, 'Streaming done'],
    ]);
    expect(new Set(got.map((r) => r.payload.message_id)).size).toBe(1);
    expect(bot.receiver.texts('s1')).toEqual(['Streaming done']);
  });

  it('signs with the outbound secret when there is one', async () => {
    const event = await withMessage({ outbound_secret: OUTBOUND }, { receiverSecret: OUTBOUND });
    await bot.reply(event, 'signed');
    expect((await until('the callback', () => bot.receiver.requests[0])).verified).toBe(true);
    bot.receiver.secret = INBOUND;
    await bot.reply(event, 'signed again');
    expect((await until('the second callback', () => bot.receiver.requests[1])).verified).toBe(false);
  });

  it('signs with the inbound secret when the outbound secret is empty', async () => {
    const event = await withMessage({ outbound_secret: '' }, { receiverSecret: INBOUND });
    await bot.reply(event, 'signed');
    expect((await until('the callback', () => bot.receiver.requests[0])).verified).toBe(true);
  });
});

describe('http bot callbacks: order and retries', () => {
  it('keeps the order of a session when the receiver is slow', async () => {
    const event = await withMessage();
    bot.receiver.delayMs = 30;
    for (let i = 1; i <= 5; i++) await bot.reply(event, `part ${i}`);
    await until('five callbacks', () => bot.receiver.delivered.length === 5);
    expect(bot.receiver.requests.map((r) => r.payload.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(bot.receiver.texts('s1')).toEqual(['part 1', 'part 2', 'part 3', 'part 4', 'part 5']);
  });

  it('holds later callbacks back while one is retried, so nothing is reordered', async () => {
    const event = await withMessage({ callback_retry_backoff: 0.05 });
    bot.receiver.failNext(503, 503);
    for (let i = 1; i <= 3; i++) await bot.reply(event, `part ${i}`);
    await until('three deliveries', () => bot.receiver.delivered.length === 3);
    expect(bot.receiver.requests.map((r) => r.payload.sequence)).toEqual([1, 1, 1, 2, 3]);
    expect(bot.receiver.delivered.map((r) => r.payload.sequence)).toEqual([1, 2, 3]);
  });

  it('does not make other sessions wait for a session being retried', async () => {
    bot = await BotFixture.start({ callback_retry_backoff: 0.3 });
    const a = bot.event((await bot.says('a', 'hi')).body.data!.accepted_message_id);
    const b = bot.event((await bot.says('b', 'hi')).body.data!.accepted_message_id);
    bot.receiver.failNext(503);
    await bot.reply(a, 'for a');
    await until('the first attempt for a', () => bot.receiver.requests.length === 1);
    await bot.reply(b, 'for b');
    await until('both delivered', () => bot.receiver.delivered.length === 2);
    expect(bot.receiver.delivered.map((r) => r.payload.session_id)).toEqual(['b', 'a']);
  });

  it('retries a 5xx answer with growing delays, the same body and the same idempotency key', async () => {
    const event = await withMessage({ callback_retry_backoff: 0.1 });
    bot.receiver.failNext(500, 502);
    await bot.reply(event, 'eventually');
    await until('the delivery', () => bot.receiver.delivered.length === 1);
    const tries = bot.receiver.requests;
    expect(tries.map((r) => r.status)).toEqual([500, 502, 200]);
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(90);
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(190);
    expect(new Set(tries.map((r) => r.raw)).size).toBe(1);
    expect(new Set(tries.map((r) => r.headers['x-lb-idempotency-key'])).size).toBe(1);
    expect(tries.every((r) => r.verified)).toBe(true);
  });

  it('retries when the receiver does not answer within callback_timeout', async () => {
    const event = await withMessage({ callback_timeout: 0.1 });
    bot.receiver.delayMs = 300;
    await bot.reply(event, 'slowly');
    await until('a second attempt', () => bot.receiver.requests.length >= 2, 3000);
  });

  it('does not retry a 4xx answer, and logs why the callback was not delivered', async () => {
    const event = await withMessage();
    bot.receiver.failNext(400);
    await bot.reply(event, 'refused');
    await until('the failure in the log', () => bot.logs.find((l) => l.startsWith('error') && l.includes('not delivered')));
    await sleep(150);
    expect(bot.receiver.requests).toHaveLength(1);
    expect(bot.logs.find((l) => l.includes('not delivered'))).toContain('HTTP 400 (not retried)');
  });

  it('gives up after callback_max_retries retries, logs it, and goes on with the next callback', async () => {
    const event = await withMessage({ callback_max_retries: 2, callback_retry_backoff: 0.02 });
    bot.receiver.failNext(503, 503, 503);
    await bot.reply(event, 'lost');
    await bot.reply(event, 'next');
    await until('the next callback', () => bot.receiver.delivered.length === 1);
    expect(bot.receiver.requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(bot.receiver.delivered[0].payload).toMatchObject({ sequence: 2, message: [{ text: 'next' }] });
    expect(bot.logs.find((l) => l.startsWith('error') && l.includes('sequence 1'))).toContain('after 3 attempt(s): the receiver answered HTTP 503');
  });

  it('retries through a receiver that is down, and delivers once it is back', async () => {
    const event = await withMessage({ callback_max_retries: 8, callback_retry_backoff: 0.05 });
    await bot.receiver.down();
    await bot.reply(event, 'are you there?');
    await sleep(200);
    await bot.receiver.up();
    await until('the delivery', () => bot.receiver.texts('s1').includes('are you there?'), 8000);
  });
});

describe('http bot callbacks: session state', () => {
  it('numbers callbacks 1, 2, 3… per session', async () => {
    bot = await BotFixture.start();
    const a = bot.event((await bot.says('a', 'hi')).body.data!.accepted_message_id);
    const b = bot.event((await bot.says('b', 'hi')).body.data!.accepted_message_id);
    await bot.reply(a, 'a1');
    await bot.reply(b, 'b1');
    await bot.reply(a, 'a2');
    await until('three callbacks', () => bot.receiver.delivered.length === 3);
    const seq = (s: string) => bot.receiver.delivered.filter((r) => r.payload.session_id === s).map((r) => r.payload.sequence);
    expect([seq('a'), seq('b')]).toEqual([[1, 2], [1]]);
  });

  it('forgets a session after it has been idle, so its sequence starts again', async () => {
    const event = await withMessage({}, { idleMs: 100 });
    await bot.reply(event, 'one');
    await bot.reply(event, 'two');
    await until('two callbacks', () => bot.receiver.delivered.length === 2);
    await sleep(250);
    await bot.reply(event, 'three');
    await until('the third callback', () => bot.receiver.delivered.length === 3);
    expect(bot.receiver.delivered.map((r) => r.payload.sequence)).toEqual([1, 2, 1]);
  });

  it('stopping the bot abandons waiting callbacks (logged), ends a waiting /sync and sends nothing more', async () => {
    const event = await withMessage({ callback_max_retries: 10, callback_retry_backoff: 0.05, callback_timeout: 5 });
    await bot.receiver.down();
    await bot.reply(event, 'never');
    const waiting = bot.says('s2', 'sync me', { path: '/sync' });
    await until('the sync message', () => bot.events.length === 2);
    await bot.adapter.stop({ bot_uuid: bot.bot_uuid });
    expect(await waiting).toMatchObject({ status: 500, body: { code: 50001 } });
    expect(bot.logs.some((l) => l.startsWith('warn') && l.includes('Abandoned') && l.includes('the bot stopped'))).toBe(true);
    await bot.receiver.up();
    await sleep(300);
    expect(bot.receiver.requests).toEqual([]);
    await expect(bot.reply(event, 'after stop')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('http bot: secrets stay out of logs and errors', () => {
  it('no log line or error message carries a secret, whatever fails', async () => {
    const event = await withMessage({ callback_max_retries: 1, callback_retry_backoff: 0.01 });
    const errors: string[] = [];
    await bot.says('s1', 'forged', { secret: 'wrong-secret-123' });
    await bot.says('s1', 'unsigned', { secret: null });
    await bot.request('{bad json');
    bot.receiver.failNext(503, 503, 401);
    await bot.reply(event, 'fails twice');
    await bot.reply(event, 'refused');
    await until('both failures logged', () => bot.logs.filter((l) => l.includes('not delivered')).length === 2);
    for (const bad of [{ inbound_secret: INBOUND, callback_url: 'ftp://x' }, { inbound_secret: INBOUND, outbound_secret: OUTBOUND, callback_url: `${OUTBOUND} pasted by mistake` }]) {
      await bot.adapter.start({ bot_uuid: 'other', config: bad }).then(
        () => bot.adapter.stop({ bot_uuid: 'other' }),
        (error: Error) => errors.push(error.message),
      );
    }
    const text = [...bot.logs, ...errors].join('\n');
    expect(bot.logs.length).toBeGreaterThan(3);
    expect(text).not.toContain(INBOUND);
    expect(text).not.toContain(OUTBOUND);
  });
});
