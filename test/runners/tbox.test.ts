import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from '../../kernel/config/state-store.js';
import type { ChatHarness, ChatOptions, SentMessage } from '../../sdk/testing/index.js';
import { chat, sleep } from '../chat/support.js';
import { startFakeTbox, type FakeTbox, type TboxRule } from '../support/fake-runners/tbox.js';

const RUNNER_EXTENSION = 'langbot.runner-tbox';
const KEY = 'tbox-secret-token';
// A 1×1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const fakes: FakeTbox[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeTbox(script: TboxRule[]): Promise<FakeTbox> {
  const fake = await startFakeTbox({ apiKey: KEY, script });
  fakes.push(fake);
  return fake;
}

/**
 * A data folder where the runner is turned on. It is a built-in extension (found under extensions/) that the
 * test profile leaves off, so a drop-in copy would clash with it.
 */
async function dataDirWithRunner(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'langbot-tbox-'));
  await (await StateStore.open(dataDir)).setExtension(RUNNER_EXTENSION, { enabled: true });
  return dataDir;
}

async function tboxBot(fake: FakeTbox, options: ChatOptions = {}, settings: Record<string, unknown> = {}): Promise<ChatHarness> {
  const bot = await chat({ ...options, dataDir: await dataDirWithRunner() });
  await bot.configure({ ai: { runner: { runner: 'tbox-app-api' }, 'tbox-app-api': { 'base-url': fake.url, 'api-key': KEY, 'app-id': 'app-9', ...settings } } });
  return bot;
}

describe('tbox-app-api runner', () => {
  it("streams the agent's reasoning and answer to the adapter while they are written, the last chunk final", async () => {
    const fake = await fakeTbox([{ thinking: ['Look', 'ing.'], chunks: ['Sunny', ' today'], chunkDelayMs: 250 }]);
    const bot = await tboxBot(fake, { streaming: true });
    const started = Date.now();
    await bot.emit(bot.user('alice').message('weather?'));
    const sent: SentMessage[] = [];
    await expect.poll(async () => (sent.push(...(await bot.sent())), sent.length), { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
    const firstAt = Date.now() - started;
    await bot.idle();
    sent.push(...(await bot.sent()));
    // Five frames 250 ms apart: the reasoning was shown long before the answer was complete.
    expect(firstAt).toBeLessThan(Date.now() - started - 500);
    expect(sent.map((m) => [m.api, m.text, m.args.is_final])).toEqual([
      ['reply_message_chunk', '<think>\nLook', false],
      ['reply_message_chunk', '<think>\nLooking.', false],
      ['reply_message_chunk', '<think>\nLooking.\n</think>\nSunny', false],
      ['reply_message_chunk', '<think>\nLooking.\n</think>\nSunny today', false],
      ['reply_message_chunk', '<think>\nLooking.\n</think>\nSunny today', true],
    ]);
    const [request] = fake.chats;
    expect(request.headers.authorization).toBe(KEY);
    expect(request.body).toEqual({ appId: 'app-9', query: 'weather?', userId: bot.bot_uuid, stream: true });
  });

  it('asks for a whole answer when the adapter cannot stream', async () => {
    const fake = await fakeTbox([{ thinking: ['Two and two.'], chunks: ['4', '.'] }]);
    const bot = await tboxBot(fake);
    expect(await bot.user('alice').says('2+2?')).toEqual(['<think>\nTwo and two.\n</think>\n4.']);
    expect(fake.chats[0].body.stream).toBe(false);
    await bot.configure({ output: { misc: { 'remove-think': true } } });
    expect(await bot.user('alice').says('2+2 again?')).toEqual(['4.']);
  });

  it('continues the Tbox conversation across messages and a restart; a new LangBot conversation starts a new one', async () => {
    const fake = await fakeTbox([{ reply: 'ok {text}' }]);
    const first = await tboxBot(fake, { streaming: true });
    const last = async (bot: ChatHarness, user: string, text: string) => (await bot.user(user).saysAndGet(text)).at(-1)?.text;
    expect(await last(first, 'alice', 'one')).toBe('ok one');
    expect(await last(first, 'alice', 'two')).toBe('ok two');
    expect(await last(first, 'bob', 'hello')).toBe('ok hello');
    await first.stop();

    const second = await chat({ dataDir: first.dataDir });
    expect(await last(second, 'alice', 'three')).toBe('ok three');
    expect(fake.chats.map((c) => [c.text, c.body.conversationId])).toEqual([
      ['one', undefined],
      ['two', 'conv-1'],
      ['hello', undefined],
      ['three', 'conv-1'],
    ]);
    // Every chat of the bot is the same Tbox user.
    expect(new Set(fake.chats.map((c) => c.body.userId))).toEqual(new Set([first.bot_uuid]));

    await second.configure({ ai: { runner: { 'expire-time': 1 } } });
    await sleep(1_100);
    expect(await last(second, 'alice', 'four')).toBe('ok four');
    expect(await last(second, 'alice', 'five')).toBe('ok five');
    expect(fake.chats.slice(4).map((c) => c.body.conversationId)).toEqual([undefined, 'conv-3']);
  });

  it('uploads images first and sends them as files with the text as the query', async () => {
    const fake = await fakeTbox([{ match: 'what is this', reply: 'a pixel' }]);
    const bot = await tboxBot(fake);
    expect(await bot.user('alice').says({ type: 'Image', base64: `data:image/png;base64,${PNG}` }, 'what is this?')).toEqual(['a pixel']);
    expect(fake.uploads).toHaveLength(1);
    const [upload] = fake.uploads;
    expect(upload.headers.authorization).toBe(KEY);
    expect(upload).toMatchObject({ name: 'image.png', type: 'image/png' });
    expect(upload.bytes.equals(Buffer.from(PNG, 'base64'))).toBe(true);
    expect(fake.chats[0].body).toMatchObject({ query: 'what is this?', files: [{ type: 'IMAGE', fileId: 'file-1' }] });
  });

  it('reports a refused key, HTTP errors, refusals, stream errors and timeouts as clear messages', async () => {
    const fake = await fakeTbox([
      { match: 'crash', error: { status: 500, errorCode: 'SYSTEM_ERROR', errorMsg: 'system busy' } },
      { match: 'unpublished', refuse: { errorCode: 'APP_NOT_PUBLISHED', errorMsg: 'the agent is not published' } },
      { match: 'oops', chunks: ['Half'], streamError: { errorCode: 'LLM_ERROR', errorMsg: 'model call failed' } },
      { match: 'slow', delayMs: 3_000, reply: 'too late' },
    ]);
    const bot = await tboxBot(fake, { streaming: true, pipeline: { output: { misc: { 'exception-handling': 'show-error' } } } }, { timeout: 1 });
    const alice = bot.user('alice');
    const lastText = async (text: string) => (await alice.saysAndGet(text)).at(-1)?.text;
    expect(await lastText('crash')).toBe('Error: Tbox failed (HTTP 500: SYSTEM_ERROR: system busy, trace trace-1). Try again later.');
    expect(await lastText('unpublished')).toBe("Error: Tbox rejected the request (APP_NOT_PUBLISHED: the agent is not published, trace trace-2). Check the pipeline's settings (AI → Tbox).");
    expect(await lastText('oops')).toBe("Error: Tbox rejected the request (LLM_ERROR: model call failed, trace trace-3). Check the pipeline's settings (AI → Tbox).");
    const started = Date.now();
    expect(await lastText('slow')).toBe('Error: Tbox did not answer within 1 s. Try again, or raise the timeout if the agent needs longer.');
    expect(Date.now() - started).toBeLessThan(2_500);

    await bot.configure({ ai: { 'tbox-app-api': { 'api-key': 'tbox-wrong-token' } } });
    const refused = await lastText('hello');
    expect(refused).toBe('Error: Tbox refused the API key (HTTP 401: UNAUTHORIZED: invalid authorization token, trace trace-5). Check the API key in the pipeline (AI → Tbox).');
    expect(refused).not.toContain('tbox-wrong-token');
    // Neither key reaches the logs.
    for (const key of [KEY, 'tbox-wrong-token']) expect(bot.logs.join('\n')).not.toContain(key);

    await bot.configure({ ai: { 'tbox-app-api': { 'app-id': '' } } });
    expect(await lastText('hello')).toBe('Error: Tbox has no app ID: set the AppID of a published Tbox agent in the pipeline (AI → Tbox → App ID).');
  });
});
