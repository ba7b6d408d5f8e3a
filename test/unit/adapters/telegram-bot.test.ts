/** A running Telegram bot against the fake Bot API, without a kernel: sending, streaming, rate limits, polling. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor, type EventDraft } from '../../../sdk/index.js';
import { TelegramBot } from '../../../extensions/adapters/telegram/bot.js';
import { readConfig } from '../../../extensions/adapters/telegram/config.js';
import { Streamer } from '../../../extensions/adapters/telegram/stream.js';
import { FakeTelegram } from '../../support/fake-platforms/telegram/index.js';
import { waitFor } from '../../conformance/adapters/suite.js';

let fake: FakeTelegram;
let bots: TelegramBot[];
let logs: string[];
let events: EventDraft[];

async function startBot(config: Record<string, unknown> = {}) {
  const secrets = [fake.token];
  const redact = createRedactor(() => secrets);
  const line = (level: string) => (msg: string) => void logs.push(`${level} ${msg}`);
  const bot = await TelegramBot.start({
    bot_uuid: 'bot-1',
    config: readConfig({ token: fake.token, api_base_url: fake.apiRoot, ...config }),
    log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    redact,
    sink: { emit: async (event) => (events.push(event), true) },
    polling: { timeoutSeconds: 5, firstDelayMs: 100, maxDelayMs: 400 },
  });
  bots.push(bot);
  return bot;
}

beforeEach(async () => {
  fake = await FakeTelegram.start();
  bots = [];
  logs = [];
  events = [];
});

afterEach(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  await fake.close();
});

describe('starting', () => {
  it('reports the numeric bot id as the account and polls with the update types it maps', async () => {
    const bot = await startBot();
    expect(bot.account_id).toBe(fake.bot.id);
    await waitFor('a poll', () => fake.callsOf('getUpdates').length > 0);
    expect(fake.callsOf('getUpdates')[0].params.allowed_updates).toEqual(expect.arrayContaining(['message_reaction', 'chat_member', 'my_chat_member', 'chat_join_request']));
  });

  it('fails at once with a clear message, free of the token, when Telegram refuses the token', async () => {
    const start = TelegramBot.start({
      bot_uuid: 'b',
      config: readConfig({ token: '123:wrong-token-value', api_base_url: fake.apiRoot }),
      log: { debug() {}, info() {}, warn() {}, error() {} },
      redact: createRedactor(() => ['123:wrong-token-value']),
      sink: { emit: async () => true },
    });
    await expect(start).rejects.toThrow('Telegram refused the bot token');
    await expect(start).rejects.not.toThrow(/wrong-token-value/);
  });

  it('fails instead of retrying forever when the Bot API cannot be reached', async () => {
    const port = new URL(fake.apiRoot).port;
    await fake.close();
    const started = Date.now();
    await expect(TelegramBot.start({ bot_uuid: 'b', config: readConfig({ token: fake.token, api_base_url: `http://127.0.0.1:${port}` }), log: { debug() {}, info() {}, warn() {}, error() {} }, redact: (x) => x, sink: { emit: async () => true } })).rejects.toThrow(/Could not reach the Telegram Bot API.*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5_000);
    fake = await FakeTelegram.start();
  });
});

describe('sending', () => {
  it('sends Markdown as Telegram HTML and falls back to plain text when Telegram cannot parse it', async () => {
    const bot = await startBot();
    await bot.apis.send_message({ target_type: 'private', target_id: fake.alice.id, message: [{ type: 'Plain', text: '**fine**' }] });
    await bot.apis.send_message({ target_type: 'private', target_id: fake.alice.id, message: [{ type: 'Plain', text: '**a *b** c*' }] });
    const sends = fake.callsOf('sendMessage');
    expect(sends[0].params).toMatchObject({ text: '<b>fine</b>', parse_mode: 'HTML' });
    expect(sends.slice(1).map((c) => c.params.parse_mode)).toEqual(['HTML', undefined]);
    expect(fake.botTexts(fake.alice.id)).toEqual(['fine', '**a *b** c*']);
  });

  it('sends plain text with mention links when Markdown is off', async () => {
    const bot = await startBot({ markdown_card: false });
    await bot.apis.send_message({ target_type: 'group', target_id: fake.group.id, message: [{ type: 'At', target: fake.bob.id, display: 'Bob' }, { type: 'Plain', text: ' **hi**' }] });
    expect(fake.callsOf('sendMessage')[0].params).toMatchObject({ text: '@Bob **hi**', entities: [{ type: 'text_link', offset: 0, length: 4, url: `tg://user?id=${fake.bob.id}` }] });
  });

  it('replies into the forum topic the message came from, quoting it when asked', async () => {
    const bot = await startBot();
    const event = { type: 'message.received', chat_type: 'group', chat_id: `${fake.group.id}#7`, message_id: 3 };
    await bot.apis.reply_message({ event, message: [{ type: 'Plain', text: 'in the topic' }], quote_origin: true });
    expect(fake.callsOf('sendMessage')[0].params).toMatchObject({ chat_id: fake.group.id, message_thread_id: 7, reply_parameters: { message_id: 3 } });
  });

  it('waits out a 429 with retry_after and then sends', async () => {
    const bot = await startBot();
    fake.failNext('sendMessage', 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    const started = Date.now();
    await bot.apis.send_message({ target_type: 'private', target_id: fake.alice.id, message: [{ type: 'Plain', text: 'patience' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.callsOf('sendMessage')).toHaveLength(2);
    expect(logs.some((l) => l.startsWith('warn Telegram rate-limited sendMessage'))).toBe(true);
  });

  it('gives a Telegram error back with its description and without the token', async () => {
    const bot = await startBot();
    await expect(bot.apis.delete_message({ chat_type: 'private', chat_id: fake.alice.id, message_id: 999 })).rejects.toThrow(/message to delete not found/);
  });

  it('mutes with every split send permission and lifts the mute back to the group defaults', async () => {
    const bot = await startBot();
    await bot.apis.mute_member({ group_id: fake.group.id, user_id: fake.bob.id, duration: 5 });
    const mute = fake.callsOf('restrictChatMember')[0].params;
    expect(mute.permissions).toMatchObject({ can_send_messages: false, can_send_photos: false, can_send_voice_notes: false, can_send_other_messages: false });
    expect(mute.permissions).not.toHaveProperty('can_send_media_messages');
    // Shorter than Telegram's 30 s minimum would mean "forever".
    expect(Number(mute.until_date) - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(29);
    await bot.apis.unmute_member({ group_id: fake.group.id, user_id: fake.bob.id });
    expect(fake.state.member(fake.group.id, fake.bob.id)).toMatchObject({ can_send_messages: true, can_send_polls: false });
  });
});

describe('streaming by editing', () => {
  it('sends the first chunk, edits at most once a second, skips unchanged text and always shows the final text', async () => {
    const bot = await startBot();
    let now = 0;
    const streamer = new Streamer(bot.sender, () => now);
    const target = { chat_id: fake.alice.id };
    const say = (text: string, id: number | undefined, final = false) => streamer.chunk(target, id, [{ type: 'Plain', text }], undefined, final);
    const { message_id } = await say('Hel', undefined);
    now = 300;
    await say('Hello', message_id);
    expect(fake.edits).toBe(0);
    now = 1_200;
    await say('Hello wor', message_id);
    expect(fake.edits).toBe(1);
    now = 2_500;
    await say('Hello wor', message_id);
    expect(fake.edits).toBe(1);
    now = 2_600;
    await say('Hello world', message_id, true);
    expect(fake.edits).toBe(2);
    expect(fake.botTexts(fake.alice.id)).toEqual(['Hello world']);
    expect(streamer.size).toBe(0);
  });

  it('sends media of the final chunk after the streamed text', async () => {
    const bot = await startBot();
    const streamer = new Streamer(bot.sender);
    const target = { chat_id: fake.alice.id };
    const { message_id } = await streamer.chunk(target, undefined, [{ type: 'Plain', text: 'Here' }], undefined, false);
    await streamer.chunk(target, message_id, [{ type: 'Plain', text: 'Here it is' }, { type: 'Image', image_id: fake.addFile(Buffer.from('x'), 'jpg').file_id }], undefined, true);
    expect(fake.botMessages(fake.alice.id).map((m) => (m.photo ? 'photo' : m.text))).toEqual(['Here it is', 'photo']);
  });
});

describe('polling', () => {
  it('keeps polling through an outage and says so in the log', async () => {
    await startBot();
    await waitFor('a poll', () => fake.callsOf('getUpdates').length > 0);
    fake.outage(600);
    await new Promise((r) => setTimeout(r, 700));
    await fake.userSays('back again');
    await waitFor('the message after the outage', () => events.some((e) => e.type === 'message.received'));
    expect(logs.some((l) => l.startsWith('warn Polling Telegram failed'))).toBe(true);
    expect(logs.some((l) => l.startsWith('info Polling Telegram works again'))).toBe(true);
    expect(logs.join('\n')).not.toContain(fake.token);
  });

  it('stops at once while a long poll is open, confirms the offset, and polls no more', async () => {
    const bot = await startBot();
    await fake.userSays('one');
    await waitFor('the message', () => events.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await bot.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    const polls = fake.callsOf('getUpdates');
    expect(polls.at(-1)!.params).toMatchObject({ limit: 1, timeout: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.callsOf('getUpdates')).toHaveLength(polls.length);
  });

  it('answers 409 to a webhook request while it polls', async () => {
    const bot = await startBot();
    const answer = await bot.handleWebhook({ bot_uuid: 'bot-1', config: {}, method: 'POST', path: '', headers: {}, query: {}, body: '' });
    expect(answer.status).toBe(409);
  });
});
