import { describe, expect, it } from 'vitest';
import type { ChatOptions } from '../../sdk/testing/index.js';
import { startFakeTbox, type FakeTbox, type TboxRule } from '../support/fake-runners/tbox.js';
import { PNG_BASE64, expectStreamedAsWritten, runnerBot, stopLater, expectConversationKept } from './agent-platform-harness.js';

const KEY = 'tbox-secret-token';

const fakeTbox = async (script: TboxRule[]) => stopLater(await startFakeTbox({ apiKey: KEY, script }));

/** A bot whose pipeline answers with the fake Tbox agent; errors are shown to the user. */
const tboxBot = (fake: FakeTbox, options: ChatOptions = {}, settings: Record<string, unknown> = {}) =>
  runnerBot('tbox-app-api', { 'base-url': fake.url, 'api-key': KEY, 'app-id': 'app-9', ...settings }, options);

describe('tbox-app-api runner', () => {
  it("streams the agent's reasoning and answer to the adapter while they are written, the last chunk final", async () => {
    const fake = await fakeTbox([{ thinking: ['Look', 'ing.'], chunks: ['Sunny', ' today'], chunkDelayMs: 250 }]);
    const bot = await tboxBot(fake, { streaming: true });
    // Five frames 250 ms apart: the reasoning was shown long before the answer was complete.
    await expectStreamedAsWritten(bot, 'weather?', ['<think>\nLook', '<think>\nLooking.', '<think>\nLooking.\n</think>\nSunny', '<think>\nLooking.\n</think>\nSunny today'], 500);
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
    await expectConversationKept(first, () => fake.chats.map((c) => [c.text, c.body.conversationId]));
    // Every chat of the bot is the same Tbox user.
    expect(new Set(fake.chats.map((c) => c.body.userId))).toEqual(new Set([first.bot_uuid]));
  });

  it('uploads images first and sends them as files with the text as the query', async () => {
    const fake = await fakeTbox([{ match: 'what is this', reply: 'a pixel' }]);
    const bot = await tboxBot(fake);
    expect(await bot.user('alice').says({ type: 'Image', base64: `data:image/png;base64,${PNG_BASE64}` }, 'what is this?')).toEqual(['a pixel']);
    expect(fake.uploads).toEqual([expect.objectContaining({ name: 'image.png', type: 'image/png', bytes: Buffer.from(PNG_BASE64, 'base64') })]);
    expect(fake.uploads[0].headers.authorization).toBe(KEY);
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
