import { describe, expect, it } from 'vitest';
import type { ChatOptions } from '../../sdk/testing/index.js';
import { startFakeCoze, type CozeRule, type FakeCoze } from '../support/fake-runners/coze.js';
import { PNG_BASE64, expectStreamedAsWritten, runnerBot, stopLater, expectConversationKept } from './agent-platform-harness.js';

const KEY = 'pat-secret-key';

const fakeCoze = async (script: CozeRule[]) => stopLater(await startFakeCoze({ apiKey: KEY, script }));

/** A bot whose pipeline answers with the fake Coze; errors are shown to the user. */
const cozeBot = (fake: FakeCoze, options: ChatOptions = {}, settings: Record<string, unknown> = {}) =>
  runnerBot('coze-api', { 'api-base': fake.url, 'api-key': KEY, 'bot-id': 'bot-7', ...settings }, options);

describe('coze-api runner', () => {
  it('streams the answer to the adapter while Coze writes it, the last chunk final', async () => {
    const fake = await fakeCoze([{ chunks: ['Hel', 'lo ', 'there'], chunkDelayMs: 250 }]);
    const bot = await cozeBot(fake, { streaming: true });
    // Eight events 250 ms apart: the first chunk was shown long before Coze finished.
    await expectStreamedAsWritten(bot, 'hi', ['Hel', 'Hello ', 'Hello there'], 800);
    const [request] = fake.chats;
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.query).toEqual({});
    expect(request.body).toEqual({
      bot_id: 'bot-7',
      user_id: 'alice_alice',
      stream: true,
      auto_save_history: true,
      additional_messages: [{ role: 'user', type: 'question', content: 'hi', content_type: 'text' }],
    });
  });

  it('answers in one message when the adapter cannot stream, with the reasoning in a <think> block', async () => {
    const fake = await fakeCoze([
      { match: '2\\+2', reasoning: ['Two and ', 'two.'], chunks: ['4', '.'] },
      { match: 'whole', reply: 'sent whole', completedOnly: true },
    ]);
    const bot = await cozeBot(fake, {}, { 'auto-save-history': false });
    expect(await bot.user('alice').says('2+2?')).toEqual(['<think>\nTwo and two.\n</think>\n4.']);
    expect(await bot.user('alice').says('whole please')).toEqual(['sent whole']);
    expect(fake.chats[0].body).toMatchObject({ stream: true, auto_save_history: false });
    // The pipeline's remove-think option strips the reasoning.
    await bot.configure({ output: { misc: { 'remove-think': true } } });
    expect(await bot.user('alice').says('2+2 again')).toEqual(['4.']);
  });

  it('continues the Coze conversation across messages and a restart; a new LangBot conversation starts a new one', async () => {
    const fake = await fakeCoze([{ reply: 'ok {text}' }]);
    await expectConversationKept(await cozeBot(fake), () => fake.chats.map((c) => [c.text, c.query.conversation_id]));
  });

  it('uploads images first and sends them with the text as an object_string', async () => {
    const fake = await fakeCoze([{ match: 'what is this', reply: 'a pixel' }]);
    const bot = await cozeBot(fake);
    expect(await bot.user('alice').says({ type: 'Image', base64: `data:image/png;base64,${PNG_BASE64}` }, 'what is this?')).toEqual(['a pixel']);
    expect(fake.uploads).toEqual([expect.objectContaining({ name: 'image.png', type: 'image/png', bytes: Buffer.from(PNG_BASE64, 'base64') })]);
    expect(fake.uploads[0].headers.authorization).toBe(`Bearer ${KEY}`);
    const [message] = fake.chats[0].body.additional_messages;
    expect(message.content_type).toBe('object_string');
    expect(JSON.parse(message.content)).toEqual([
      { type: 'image', file_id: 'file-1' },
      { type: 'text', text: 'what is this?' },
    ]);
  });

  it('reports a refused key, HTTP errors, refusals, failed chats and timeouts as clear messages', async () => {
    const fake = await fakeCoze([
      { match: 'crash', error: { status: 500, code: 5000, msg: 'internal server error' } },
      { match: 'unpublished', refuse: { code: 4015, msg: 'The bot has not been published to the API channel' } },
      { match: 'broke', chunks: ['Half an '], fail: { code: 5001, msg: 'model overloaded' } },
      { match: 'oops', chunks: ['Half an '], streamError: { code: 4000, msg: 'invalid request' } },
      { match: 'cut', chunks: ['Half an '], cutOff: true },
      { match: 'slow', delayMs: 3_000, reply: 'too late' },
    ]);
    const bot = await cozeBot(fake, { pipeline: { output: { misc: { 'exception-handling': 'show-error' } } } }, { timeout: 1 });
    const alice = bot.user('alice');
    expect(await alice.says('crash')).toEqual(['Error: Coze failed (HTTP 500: code 5000: internal server error). Try again later.']);
    expect(await alice.says('unpublished')).toEqual([
      "Error: Coze rejected the request (code 4015: The bot has not been published to the API channel). Check the pipeline's settings (AI → Coze API).",
    ]);
    expect(await alice.says('broke')).toEqual(['Error: Coze failed to answer (code 5001: model overloaded).']);
    expect(await alice.says('oops')).toEqual(["Error: Coze rejected the request (code 4000: invalid request). Check the pipeline's settings (AI → Coze API)."]);
    expect(await alice.says('cut')).toEqual(['Error: Coze stopped the stream before the answer was complete. Try again.']);
    const started = Date.now();
    expect(await alice.says('slow')).toEqual(['Error: Coze did not answer within 1 s. Try again, or raise the timeout if the agent needs longer.']);
    expect(Date.now() - started).toBeLessThan(2_500);

    await bot.configure({ ai: { 'coze-api': { 'api-key': 'pat-wrong-key' } } });
    const [refused] = await alice.says('hello');
    expect(refused).toBe('Error: Coze refused the API key (HTTP 401: code 4100: authentication is invalid). Check the API key in the pipeline (AI → Coze API).');
    expect(refused).not.toContain('pat-wrong-key');
    // Neither key reaches the logs.
    for (const key of [KEY, 'pat-wrong-key']) expect(bot.logs.join('\n')).not.toContain(key);

    await bot.configure({ ai: { 'coze-api': { 'api-key': '' } } });
    expect(await alice.says('hello')).toEqual(['Error: Coze has no API key: set one in the pipeline (AI → Coze API → API key).']);
    // With the default exception handling the user sees only the hint.
    await bot.configure({ output: { misc: { 'exception-handling': 'show-hint' } }, ai: { 'coze-api': { 'api-key': KEY } } });
    expect(await alice.says('crash')).toEqual(['Request failed.']);
  });

  it('cannot reach a Coze that is not there', async () => {
    const gone = await startFakeCoze({ apiKey: KEY });
    const bot = await cozeBot(gone);
    await gone.close();
    const [reply] = await bot.user('alice').says('anyone?');
    expect(reply).toMatch(/^Error: Could not reach Coze at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\.$/);
  });
});
