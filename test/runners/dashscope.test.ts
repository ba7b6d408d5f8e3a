import { describe, expect, it } from 'vitest';
import type { ChatOptions } from '../../sdk/testing/index.js';
import { startFakeDashScope, type DashScopeRule, type FakeDashScope } from '../support/fake-runners/dashscope.js';
import { expectStreamedAsWritten, runnerBot, stopLater, expectConversationKept } from './agent-platform-harness.js';

const KEY = 'sk-secret-key';

const fakeDashScope = async (script: DashScopeRule[]) => stopLater(await startFakeDashScope({ apiKey: KEY, script }));

/** A bot whose pipeline answers with the fake DashScope application; errors are shown to the user. */
const dashScopeBot = (fake: FakeDashScope, options: ChatOptions = {}, settings: Record<string, unknown> = {}) =>
  runnerBot('dashscope-app-api', { 'base-url': fake.url, 'api-key': KEY, 'app-id': 'app-42', ...settings }, options);

describe('dashscope-app-api runner', () => {
  it("streams an agent's reasoning and answer to the adapter while they are written, the last chunk final", async () => {
    const fake = await fakeDashScope([{ thoughts: ['Think', 'ing.'], chunks: ['Hello', ' there'], chunkDelayMs: 250 }]);
    const bot = await dashScopeBot(fake, { streaming: true });
    // Five events 250 ms apart: the reasoning was shown long before the answer was complete.
    await expectStreamedAsWritten(bot, 'hi', ['<think>\nThink', '<think>\nThinking.', '<think>\nThinking.\n</think>\nHello', '<think>\nThinking.\n</think>\nHello there'], 700);
    const [call] = fake.calls;
    expect(call.appId).toBe('app-42');
    expect(call.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(call.headers['x-dashscope-sse']).toBe('enable');
    expect(call.body).toEqual({ input: { prompt: 'hi' }, parameters: { incremental_output: true, has_thoughts: true, enable_thinking: true }, debug: {} });
  });

  it('answers in one message when the adapter cannot stream, and the pipeline can strip the reasoning', async () => {
    const fake = await fakeDashScope([{ thoughts: ['Two and two.'], chunks: ['4', '.'] }]);
    const bot = await dashScopeBot(fake);
    expect(await bot.user('alice').says('2+2?')).toEqual(['<think>\nTwo and two.\n</think>\n4.']);
    await bot.configure({ output: { misc: { 'remove-think': true } } });
    expect(await bot.user('alice').says('2+2 again?')).toEqual(['4.']);
  });

  it('continues the DashScope session across messages and a restart; a new LangBot conversation starts a new one', async () => {
    const fake = await fakeDashScope([{ reply: 'ok {text}' }]);
    await expectConversationKept(await dashScopeBot(fake), () => fake.calls.map((c) => [c.text, c.body.input.session_id]));
  });

  it('passes the query variables to a workflow as biz_params', async () => {
    const fake = await fakeDashScope([{ match: 'run', chunks: ['Workflow ', 'done'] }]);
    const bot = await dashScopeBot(fake, { pipeline: { trigger: { 'group-respond-rules': { at: false, prefix: [], regexp: [], random: 1 } } } }, { 'app-type': 'workflow' });
    expect(await bot.user('alice', 'Alice').says('run it')).toEqual(['Workflow done']);
    expect(await bot.user('carol', 'Carol').inGroup('g7', 'Seven').says('run in the group')).toEqual(['@Carol Workflow done']);
    const [direct, group] = fake.calls;
    expect(direct.body.parameters).toEqual({ incremental_output: true, flow_stream_mode: 'agent_format' });
    expect(direct.body.input.biz_params).toMatchObject({
      launcher_type: 'person',
      launcher_id: 'alice',
      sender_id: 'alice',
      session_id: 'person_alice',
      sender_name: 'Alice',
      group_name: '',
      user_message_text: 'run it',
    });
    expect(direct.body.input.biz_params.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof direct.body.input.biz_params.msg_create_time).toBe('number');
    expect(Object.keys(direct.body.input.biz_params).filter((k) => k.startsWith('_'))).toEqual([]);
    expect(group.body.input.biz_params).toMatchObject({ launcher_type: 'group', launcher_id: 'g7', sender_id: 'carol', group_name: 'Seven', user_message_text: 'run in the group' });
  });

  it('sends image URLs in image_list; an inline image is not sent, and the log says so', async () => {
    const fake = await fakeDashScope([{ reply: 'seen' }]);
    const bot = await dashScopeBot(fake);
    const inline = 'data:image/png;base64,iVBORw0KGgo=';
    expect(await bot.user('alice').says({ type: 'Image', url: 'https://img.example/cat.png' }, { type: 'Image', base64: inline }, 'look')).toEqual(['seen']);
    expect(fake.calls[0].body.input).toEqual({ prompt: 'look', image_list: ['https://img.example/cat.png'] });
    await expect.poll(() => bot.logs.join('\n')).toMatch(/DashScope takes images by public URL only: 1 attachment\(s\) of this message were not sent/);
  });

  it('resolves citations and appends the cited documents after references_quote', async () => {
    const script: DashScopeRule[] = [
      {
        chunks: ['xUnit is a family', ' of test frameworks<ref>[1]</', 'ref> with patterns<ref>[2]</ref>.'],
        references: [
          { index_id: '1', doc_name: 'Testing.pdf' },
          { index_id: '2', doc_name: 'Testing.pdf' },
          { index_id: '3', doc_name: 'Patterns.md' },
        ],
      },
    ];
    const fake = await fakeDashScope(script);
    const bot = await dashScopeBot(fake, { streaming: true });
    const sent = await bot.user('alice').saysAndGet('what is xUnit?');
    expect(sent.map((m) => m.text)).toEqual([
      'xUnit is a family',
      // Half a marker is held back until it is complete.
      'xUnit is a family of test frameworks',
      'xUnit is a family of test frameworks[1] with patterns[2].\n\n参考资料来自:\n[1][2] Testing.pdf\n[3] Patterns.md',
      'xUnit is a family of test frameworks[1] with patterns[2].\n\n参考资料来自:\n[1][2] Testing.pdf\n[3] Patterns.md',
    ]);
    await bot.configure({ ai: { 'dashscope-app-api': { references_quote: 'Sources:' } } });
    const [last] = (await bot.user('alice').saysAndGet('again')).slice(-1);
    expect(last.text).toBe('xUnit is a family of test frameworks[1] with patterns[2].\n\nSources:\n[1][2] Testing.pdf\n[3] Patterns.md');
  });

  it('reports a refused key, HTTP errors, stream errors and timeouts as clear messages', async () => {
    const fake = await fakeDashScope([
      { match: 'crash', error: { status: 500, code: 'InternalError', message: 'An internal error has occured, please try again later.' } },
      { match: 'busy', error: { status: 429, code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded, please try again later.' } },
      { match: 'invalid', chunks: ['Half'], streamError: { status: 400, code: 'InvalidParameter', message: 'Role must be user or assistant and Content length must be greater than 0' } },
      { match: 'cut', chunks: ['Half'], cutOff: true },
      { match: 'slow', delayMs: 3_000, reply: 'too late' },
    ]);
    const bot = await dashScopeBot(fake, { pipeline: { output: { misc: { 'exception-handling': 'show-error' } } } }, { timeout: 1 });
    const alice = bot.user('alice');
    const [crash] = await alice.says('crash');
    expect(crash).toMatch(/^Error: DashScope failed \(HTTP 500: InternalError: An internal error has occured, please try again later\., request [0-9a-f-]{36}\)\. Try again later\.$/);
    const [busy] = await alice.says('busy');
    expect(busy).toMatch(/^Error: DashScope rate limit or quota was reached \(HTTP 429: Throttling\.RateQuota: Requests rate limit exceeded/);
    const [invalid] = await alice.says('invalid');
    expect(invalid).toMatch(/^Error: DashScope rejected the request \(InvalidParameter: Role must be user or assistant and Content length must be greater than 0, request [0-9a-f-]{36}\)\. Check the pipeline's settings \(AI → DashScope\)\.$/);
    expect(await alice.says('cut')).toEqual(['Error: DashScope stopped the stream before the answer was complete. Try again.']);
    const started = Date.now();
    expect(await alice.says('slow')).toEqual(['Error: DashScope did not answer within 1 s. Try again, or raise the timeout if the agent needs longer.']);
    expect(Date.now() - started).toBeLessThan(2_500);

    await bot.configure({ ai: { 'dashscope-app-api': { 'api-key': 'sk-wrong-key' } } });
    const [refused] = await alice.says('hello');
    expect(refused).toMatch(/^Error: DashScope refused the API key \(HTTP 401: InvalidApiKey: Invalid API-key provided\., request [0-9a-f-]{36}\)\. Check the API key in the pipeline \(AI → DashScope\)\.$/);
    expect(refused).not.toContain('sk-wrong-key');
    // Neither key reaches the logs.
    for (const key of [KEY, 'sk-wrong-key']) expect(bot.logs.join('\n')).not.toContain(key);

    // The form's placeholder is not a key.
    await bot.configure({ ai: { 'dashscope-app-api': { 'api-key': 'your-api-key' } } });
    expect(await alice.says('hello')).toEqual(['Error: DashScope has no API key: set one in the pipeline (AI → DashScope → API key).']);
    expect(fake.calls.map((c) => c.text)).not.toContain('hello');
  });
});
