/**
 * The HTTP bot against a fake client system: signed requests into the kernel's webhook ingress, replies checked on
 * a callback receiver that verifies their signatures.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatHarness } from '../../../sdk/testing/chat.js';
import { REPO_ROOT } from '../../../kernel/kernel.js';
import { FakeHttpBotPlatform, OUTBOUND_SECRET, textMessage, textOf } from '../../support/fake-platforms/http-bot/index.js';
import { describeAdapterConformance, waitFor } from './suite.js';

const SESSION = 'user-1';

describeAdapterConformance<FakeHttpBotPlatform>({
  adapter: 'http_bot',
  extensionDir: join(REPO_ROOT, 'extensions/adapters/http-bot'),
  startFake: () => FakeHttpBotPlatform.start({ outboundSecret: OUTBOUND_SECRET }),
  botConfig: (fake, ingress, bot_uuid) => {
    fake.connect(ingress, bot_uuid);
    return {
      inbound_secret: fake.inboundSecret,
      outbound_secret: OUTBOUND_SECRET,
      callback_url: fake.receiver.url,
      callback_timeout: 2,
      callback_max_retries: 6,
      callback_retry_backoff: 0.1,
    };
  },
  connected: async () => undefined,
  secrets: (fake) => [fake.inboundSecret, OUTBOUND_SECRET],
  userSays: async (fake, text) => {
    const answer = await fake.says(SESSION, text);
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  },
  botTexts: (fake) => fake.receiver.texts(SESSION),
  edits: (fake) => fake.receiver.streamUpdates(),
  produce: {
    'message.received': async (fake) => {
      const answer = await fake.send(textMessage('group-9', 'hi all', { session_type: 'group', sender: { id: 'u-7', name: 'Ann' } }));
      expect(answer.status).toBe(202);
    },
    'platform.specific': async (fake) => {
      const answer = await fake.send({ session_id: 'user-2' }, { path: '/reset' });
      expect(answer.status).toBe(200);
    },
  },
  apis: {
    send_message: {
      args: () => ({ target_type: 'private', target_id: SESSION, message: [{ type: 'Plain', text: 'a notice' }] }),
      check: async (fake) => {
        const got = await waitFor('the sent message', () => fake.receiver.delivered.find((r) => textOf(r.payload.message) === 'a notice'));
        expect(got.payload).toMatchObject({ session_id: SESSION, reply_to: null, is_final: true, stream: false });
      },
    },
    reply_message: {
      args: (_fake, last) => ({ event: last, message: [{ type: 'Plain', text: 'a reply' }, { type: 'Image', url: 'https://example.com/a.png' }] }),
      check: async (fake) => {
        const got = await waitFor('the reply', () => fake.receiver.delivered.find((r) => textOf(r.payload.message) === 'a reply'));
        expect(got.payload.message).toEqual([{ type: 'Plain', text: 'a reply' }, { type: 'Image', url: 'https://example.com/a.png' }]);
        expect(String(got.payload.reply_to)).toMatch(/^in_/);
      },
    },
  },
  platformApis: {},
  unknownInputs: [
    {
      name: 'a segment of an unknown type',
      send: async (fake) => void (await fake.send({ session_id: SESSION, message: [{ type: 'Sticker', sticker_id: 'x1' }, { type: 'Plain', text: 'see sticker' }] })),
      becomes: 'Unknown',
    },
    { name: 'a body that is not JSON', send: async (fake) => expect((await fake.send('{not json')).status).toBe(400), becomes: 'nothing' },
    { name: 'a message that is not an array', send: async (fake) => expect((await fake.send({ session_id: SESSION, message: 'hello' })).status).toBe(400), becomes: 'nothing' },
    { name: 'a bad signature', send: async (fake) => expect((await fake.send(textMessage(SESSION, 'forged'), { signature: 'sha256=00' })).status).toBe(401), becomes: 'nothing' },
    { name: 'no signature at all', send: async (fake) => expect((await fake.send(textMessage(SESSION, 'unsigned'), { secret: null })).status).toBe(401), becomes: 'nothing' },
  ],
  dropConnection: async (fake) => {
    await fake.receiver.down();
    // The reply to the next message meets a refused connection, then a 503, and is retried until it is delivered.
    setTimeout(() => {
      fake.receiver.failNext(503);
      void fake.receiver.up();
    }, 600);
  },
});

describe('http_bot through the kernel: /sync and /reset', () => {
  let fake: FakeHttpBotPlatform;
  let chat: ChatHarness;

  beforeAll(async () => {
    fake = await FakeHttpBotPlatform.start();
    chat = await ChatHarness.start({ adapter: { name: 'http_bot', config: {} }, script: [{ match: '^stream', chunks: ['Stre', 'aming ', 'done'] }, { reply: 'echo: {text}' }] });
    fake.connect(await chat.httpUrl(), chat.bot_uuid);
    const config = { inbound_secret: fake.inboundSecret, callback_url: fake.receiver.url, callback_timeout: 2, callback_retry_backoff: 0.1 };
    const updated = await chat.call('bots', { method: 'update', args: { uuid: chat.bot_uuid, adapter_config: config } });
    expect(updated.status).toMatchObject({ state: 'running' });
  }, 60_000);

  afterAll(async () => {
    await chat?.stop();
    await fake?.close();
  });

  it('/sync answers with the pipeline reply in the HTTP response', async () => {
    const answer = await fake.send(textMessage('sync-1', 'are you there'), { path: '/sync' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ code: 0, msg: 'ok', data: { session_id: 'sync-1', message: [{ type: 'Plain', text: 'echo: are you there' }] } });
    expect(fake.receiver.texts('sync-1')).toEqual([]);
  });

  it('/sync collects a streamed reply with its final text', async () => {
    const answer = await fake.send(textMessage('sync-2', 'stream it'), { path: '/sync' });
    expect(answer.body.data).toMatchObject({ message: [{ type: 'Plain', text: 'Streaming done' }] });
  });

  it('a streamed reply reaches the callback URL as stream callbacks with increasing sequence numbers', async () => {
    expect((await fake.says('stream-1', 'stream now')).status).toBe(202);
    await waitFor('the final stream callback', () => fake.receiver.delivered.find((r) => r.payload.session_id === 'stream-1' && r.payload.is_final));
    const got = fake.receiver.delivered.filter((r) => r.payload.session_id === 'stream-1');
    expect(got.every((r) => r.payload.stream && r.verified)).toBe(true);
    expect(got.map((r) => r.payload.sequence)).toEqual(got.map((_, i) => i + 1));
    expect(fake.receiver.texts('stream-1')).toEqual(['Streaming done']);
  });

  it('/reset answers through the ingress and is recorded as a platform.specific event', async () => {
    const answer = await fake.send({ session_id: 'stream-1' }, { path: '/reset' });
    expect(answer).toMatchObject({ status: 200, body: { code: 0, data: { session_id: 'stream-1', removed: true } } });
    const events = await chat.botEvents();
    expect(events.some((e) => e.type === 'platform.specific' && e.action === 'session_reset')).toBe(true);
  });

  it('error answers keep their codes through the ingress', async () => {
    expect(await fake.says('x', 'forged', { signature: 'sha256=bad' })).toMatchObject({ status: 401, body: { code: 40101 } });
    expect(await fake.send('[', {})).toMatchObject({ status: 400, body: { code: 40001 } });
    expect(await fake.says('x', 'y'.repeat(1024 * 1024 + 10))).toMatchObject({ status: 413, body: { code: 41301 } });
  });
});
