/**
 * The Telegram adapter in webhook mode: it registers `<ingress>/bots/<uuid>` with a secret token, Telegram's posts
 * reach the bot through the kernel's HTTP ingress, and requests without the secret are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatHarness } from '../../../sdk/testing/chat.js';
import { FakeTelegram } from '../../support/fake-platforms/telegram/index.js';
import { waitFor } from '../../conformance/adapters/suite.js';

const SECRET = 'webhook-secret-for-tests_42';

describe('Telegram adapter in webhook mode', () => {
  let fake: FakeTelegram;
  let chat: ChatHarness;
  let ingress: string;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    chat = await ChatHarness.start({ adapter: { name: 'telegram', config: {} }, script: [{ reply: 'echo: {text}' }] });
    ingress = await chat.httpUrl();
    const updated = await chat.call('bots', {
      method: 'update',
      args: { uuid: chat.bot_uuid, adapter_config: { token: fake.token, api_base_url: fake.apiRoot, update_mode: 'webhook', webhook_base_url: `${ingress}/`, webhook_secret: SECRET } },
    });
    expect(updated.status).toMatchObject({ state: 'running', account_id: String(fake.bot.id) });
  }, 60_000);

  afterAll(async () => {
    await chat?.stop();
    await fake?.close();
  });

  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(`${ingress}/bots/${chat.bot_uuid}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('registers the ingress URL of the bot with a secret token, and does not poll', () => {
    expect(fake.webhook).toMatchObject({ url: `${ingress}/bots/${chat.bot_uuid}`, secret_token: SECRET, allowed_updates: expect.arrayContaining(['message', 'message_reaction', 'chat_member']) });
    expect(fake.callsOf('getUpdates')).toEqual([]);
  });

  it('turns an update Telegram posts into an event and answers through the Bot API', async () => {
    await fake.userSays('hello by webhook');
    expect(fake.webhookAnswers.at(-1)).toBe(200);
    await waitFor('the reply', () => fake.botTexts(fake.alice.id).includes('echo: hello by webhook'));
  });

  it('refuses a request with a wrong or missing secret with 401, and emits nothing', async () => {
    const before = (await chat.botEvents()).length;
    const update = { update_id: 999, message: { message_id: 99, date: 1, chat: { id: fake.alice.id, type: 'private' }, from: fake.alice, text: 'forged' } };
    expect((await post({ 'x-telegram-bot-api-secret-token': 'not-the-secret' }, update)).status).toBe(401);
    expect((await post({}, update)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect((await chat.botEvents()).length).toBe(before);
    expect(fake.botTexts(fake.alice.id)).not.toContain('echo: forged');
  });

  it('answers 200 to a body that is not an update, so Telegram does not repeat it, and stays up', async () => {
    const response = await fetch(`${ingress}/bots/${chat.bot_uuid}`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': SECRET }, body: 'not json' });
    expect(response.status).toBe(200);
    await fake.userSays('still there?');
    await waitFor('the reply', () => fake.botTexts(fake.alice.id).includes('echo: still there?'));
  });

  it('keeps the secret out of the log and out of the shown config', async () => {
    const bot = await chat.call('bots', { method: 'get', args: { uuid: chat.bot_uuid } });
    expect(JSON.stringify(bot.adapter_config)).not.toContain(SECRET);
    expect(chat.logs.filter((line) => line.includes(SECRET) || line.includes(fake.token))).toEqual([]);
  });
});
