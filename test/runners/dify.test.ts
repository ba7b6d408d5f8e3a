import { describe, expect, it } from 'vitest';
import type { ChatOptions } from '../../sdk/testing/index.js';
import { sleep } from '../chat/support.js';
import { startFakeDify, type DifyMode, type DifyRule, type FakeDify } from '../support/fake-runners/dify.js';
import { PNG_BASE64, expectStreamedAsWritten, harness, runnerBot, stopLater } from './agent-platform-harness.js';

const fakeDify = async (script: DifyRule[], mode: DifyMode = 'chat') => stopLater(await startFakeDify({ script, mode }));

/** The pipeline's `ai.dify-service-api` section for the fake Dify. */
const difySection = (fake: FakeDify, section: Record<string, unknown> = {}) => ({ 'base-url': fake.url, 'api-key': fake.apiKey, 'app-type': 'chat', ...section });

/** A bot whose pipeline answers with the fake Dify; errors are shown to the user. */
const difyBot = (fake: FakeDify, section: Record<string, unknown> = {}, options: ChatOptions = {}) => runnerBot('dify-service-api', difySection(fake, section), options);

describe('dify-service-api runner: chat apps', () => {
  it('asks /chat-messages in streaming mode with the user, the inputs and the key, and answers with one message', async () => {
    const dify = await fakeDify([{ chunks: ['Hello ', 'from ', 'Dify'] }]);
    const bot = await difyBot(dify);
    expect(await bot.user('alice', 'Alice').inGroup('g1', 'Group One').says('@bot what is up?')).toEqual(['@Alice Hello from Dify']);

    const [request] = dify.calls('/chat-messages');
    expect(request.headers.authorization).toBe(`Bearer ${dify.apiKey}`);
    expect(request.body).toMatchObject({ query: 'what is up?', response_mode: 'streaming', user: 'group_g1', conversation_id: '' });
    expect(request.body.files).toBeUndefined();
    expect(request.body.inputs).toMatchObject({
      langbot_user_message_text: 'what is up?',
      langbot_session_id: 'group_g1',
      langbot_conversation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      langbot_msg_create_time: expect.any(Number),
      launcher_type: 'group',
      launcher_id: 'g1',
      sender_id: 'alice',
      sender_name: 'Alice',
      group_name: 'Group One',
    });
    expect(request.body.inputs.langbot_conversation_id).toBe(request.body.inputs.conversation_id);
  });

  it('streams: each delta reaches the adapter as it arrives, the last chunk final', async () => {
    const dify = await fakeDify([{ chunks: ['First', ' second', ' third'], chunkDelayMs: 300 }]);
    const bot = await difyBot(dify, {}, { streaming: true });
    // Three deltas 300 ms apart: the first was shown well before Dify had finished.
    await expectStreamedAsWritten(bot, 'tell me slowly', ['First', 'First second', 'First second third'], 400);
  });

  it('continues the Dify conversation across messages and across a restart, keyed by the LangBot conversation', async () => {
    const dify = await fakeDify([{ answer: 'turn {turn}: {query}' }]);
    const first = await difyBot(dify);
    expect(await first.user('alice').says('one')).toEqual(['turn 1: one']);
    expect(await first.user('alice').says('two')).toEqual(['turn 2: two']);
    // Another user has a conversation of their own.
    expect(await first.user('bob').says('hi')).toEqual(['turn 1: hi']);
    await first.stop();

    const second = await harness({ dataDir: first.dataDir });
    expect(await second.user('alice').says('three')).toEqual(['turn 3: three']);
    const aliceCalls = dify.calls('/chat-messages').filter((r) => r.body.user === 'person_alice');
    const remoteId = aliceCalls[1].body.conversation_id;
    expect(aliceCalls.map((r) => r.body.conversation_id)).toEqual(['', remoteId, remoteId]);
    expect(dify.conversations.get(remoteId)?.queries).toEqual(['one', 'two', 'three']);
  });

  it('starts a new Dify conversation when the LangBot conversation expires', async () => {
    const dify = await fakeDify([{ answer: 'turn {turn}' }]);
    const bot = await difyBot(dify);
    await bot.configure({ ai: { runner: { 'expire-time': 1 } } });
    expect(await bot.user('alice').says('a')).toEqual(['turn 1']);
    expect(await bot.user('alice').says('b')).toEqual(['turn 2']);
    await sleep(1_200);
    expect(await bot.user('alice').says('c')).toEqual(['turn 1']);
    const calls = dify.calls('/chat-messages');
    expect(calls[2].body.conversation_id).toBe('');
    expect(calls[2].body.inputs.conversation_id).not.toBe(calls[1].body.inputs.conversation_id);
  });

  it('starts afresh once when Dify no longer has the conversation', async () => {
    const dify = await fakeDify([{ answer: 'turn {turn}' }]);
    const bot = await difyBot(dify);
    expect(await bot.user('alice').says('a')).toEqual(['turn 1']);
    dify.conversations.clear();
    expect(await bot.user('alice').says('b')).toEqual(['turn 1']);
    expect(await bot.user('alice').says('c')).toEqual(['turn 2']);
    const ids = dify.calls('/chat-messages').map((r) => r.body.conversation_id);
    // The second message named the lost conversation (404), then went again without one.
    expect(ids).toEqual(['', expect.stringMatching(/.+/), '', expect.stringMatching(/.+/)]);
    expect(ids[3]).not.toBe(ids[1]);
  });

  it('answers from agent apps (agent_message events) in streaming mode on the wire even when the adapter does not stream', async () => {
    const dify = await fakeDify([{ chunks: ['Thinking done: ', '42'] }], 'agent-chat');
    const bot = await difyBot(dify, { 'app-type': 'agent' });
    expect(await bot.user('alice').says('meaning of life?')).toEqual(['Thinking done: 42']);
    expect(dify.calls('/chat-messages')[0].body.response_mode).toBe('streaming');
  });

  it('answers from chatflow apps, whose streams carry workflow events around the messages', async () => {
    const dify = await fakeDify([{ chunks: ['flow ', 'answer'] }], 'advanced-chat');
    const bot = await difyBot(dify);
    expect(await bot.user('alice').says('go')).toEqual(['flow answer']);
  });

  it('sends the images a tool made after the text', async () => {
    const dify = await fakeDify([{ answer: 'Here is your cat.', images: ['/files/tools/cat.png?sign=abc'] }], 'agent-chat');
    const bot = await difyBot(dify, { 'app-type': 'agent' });
    const [reply] = await bot.user('alice').saysAndGet('draw a cat');
    expect(reply.chain).toEqual([
      { type: 'Plain', text: 'Here is your cat.' },
      { type: 'Image', url: `${new URL(dify.url).origin}/files/tools/cat.png?sign=abc` },
    ]);
  });
});

describe('dify-service-api runner: images', () => {
  it('uploads the images of a message as the same user and references them in files', async () => {
    const dify = await fakeDify([{ answer: 'I see {query}' }]);
    const bot = await difyBot(dify);
    expect(await bot.user('alice').says('this picture', { type: 'Image', base64: `data:image/png;base64,${PNG_BASE64}` })).toEqual(['I see this picture']);

    expect(dify.uploads).toHaveLength(1);
    const [upload] = dify.uploads;
    expect(upload).toMatchObject({ user: 'person_alice', name: 'image-1.png', type: 'image/png' });
    expect(upload.bytes.equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true);
    expect(dify.calls('/files/upload')[0].headers.authorization).toBe(`Bearer ${dify.apiKey}`);
    expect(dify.calls('/chat-messages')[0].body.files).toEqual([{ type: 'image', transfer_method: 'local_file', upload_file_id: upload.id }]);
  });

  it('asks the base prompt when the message is only an image', async () => {
    const dify = await fakeDify([{ answer: 'Q: {query}' }]);
    const bot = await difyBot(dify, { 'base-prompt': 'Describe the image.' });
    expect(await bot.user('alice').says({ type: 'Image', base64: `data:image/jpeg;base64,${PNG_BASE64}` })).toEqual(['Q: Describe the image.']);
    // The bytes say PNG, whatever the data URI claimed: Dify checks the extension.
    expect(dify.uploads[0].name).toBe('image-1.png');
  });
});

describe('dify-service-api runner: workflow apps', () => {
  it('runs /workflows/run and answers with the answer output, streaming text chunks meanwhile', async () => {
    const dify = await fakeDify([{ chunks: ['draft ', 'text'], outputs: { answer: 'Final answer', other: 'x' } }], 'workflow');
    const bot = await difyBot(dify, { 'app-type': 'workflow' }, { streaming: true });
    const sent = await bot.user('alice').saysAndGet('summarise');
    expect(sent.map((m) => [m.text, m.args.is_final])).toEqual([
      ['draft ', false],
      ['draft text', false],
      ['Final answer', true],
    ]);
    const [run] = dify.calls('/workflows/run');
    expect(run.body).toMatchObject({ response_mode: 'streaming', user: 'person_alice', inputs: { langbot_user_message_text: 'summarise', langbot_session_id: 'person_alice' } });
    expect(run.body.query).toBeUndefined();
    expect(dify.calls('/chat-messages')).toHaveLength(0);
  });

  it('takes the first text output when there is no answer output', async () => {
    const dify = await fakeDify([{ outputs: { count: 3, summary: 'Three items.' } }], 'workflow');
    const bot = await difyBot(dify, { 'app-type': 'workflow' });
    expect(await bot.user('alice').says('count')).toEqual(['Three items.']);
  });

  it('reports a failed workflow with its error', async () => {
    const dify = await fakeDify([{ workflowError: 'Variable #llm.text# not found' }], 'workflow');
    const bot = await difyBot(dify, { 'app-type': 'workflow' });
    expect(await bot.user('alice').says('go')).toEqual(['Error: The Dify workflow failed: Variable #llm.text# not found.']);
  });
});

describe('dify-service-api runner: failures', () => {
  it('says the API key was refused on 401, without showing the key', async () => {
    const dify = await fakeDify([{ answer: 'never' }]);
    const bot = await difyBot(dify, { 'api-key': 'app-wrong-key-123' });
    const [reply] = await bot.user('alice').says('hi');
    expect(reply).toBe('Error: Dify refused the API key (HTTP 401 unauthorized: Access token is invalid). Check the key in the pipeline (AI → Dify Service API → API key).');
    expect(reply).not.toContain('app-wrong-key-123');
    expect(bot.logs.join('\n')).not.toContain('app-wrong-key-123');
  });

  it('refuses to run without a key, and the default hint is shown when errors are hidden', async () => {
    const dify = await fakeDify([{ answer: 'never' }]);
    const bot = await difyBot(dify, { 'api-key': 'your-api-key' });
    expect(await bot.user('alice').says('hi')).toEqual(['Error: Dify has no API key: set one in the pipeline (AI → Dify Service API → API key).']);
    await bot.configure({ output: { misc: { 'exception-handling': 'show-hint' } } });
    expect(await bot.user('alice').says('hi')).toEqual(['Request failed.']);
    expect(dify.requests).toHaveLength(0);
  });

  it('names the HTTP status and Dify’s message on 500, and the timeout when Dify is silent', async () => {
    const dify = await fakeDify([
      { match: 'crash', status: 500, code: 'internal_server_error', message: 'The server encountered an internal error.' },
      { match: 'slow', delayMs: 1_500, answer: 'too late' },
    ]);
    const bot = await difyBot(dify, { timeout: 1 });
    expect(await bot.user('alice').says('crash')).toEqual(['Error: Dify failed to answer POST /chat-messages (HTTP 500 internal_server_error: The server encountered an internal error.).']);
    const started = Date.now();
    expect(await bot.user('alice').says('slow')).toEqual(['Error: Dify did not answer POST /chat-messages within 1 s (the timeout in AI → Dify Service API).']);
    expect(Date.now() - started).toBeLessThan(1_450);
  });

  it('keeps streaming as long as Dify keeps writing, even past the timeout', async () => {
    const dify = await fakeDify([{ chunks: ['a', 'b', 'c', 'd'], chunkDelayMs: 400 }]);
    const bot = await difyBot(dify, { timeout: 1 });
    expect(await bot.user('alice').says('go')).toEqual(['abcd']);
  });

  it('reports an error event in the middle of the stream', async () => {
    const dify = await fakeDify([{ chunks: ['partial'], streamError: { status: 400, code: 'provider_quota_exceeded', message: 'Your quota has been exceeded.' } }]);
    const bot = await difyBot(dify);
    expect(await bot.user('alice').says('hi')).toEqual([
      "Error: Dify stopped with an error while answering (HTTP 400 provider_quota_exceeded: Your quota has been exceeded.; the model's quota in Dify is used up).",
    ]);
  });

  it('tells a wrong app type and a wrong base URL apart', async () => {
    const dify = await fakeDify([{ answer: 'x' }], 'workflow');
    const bot = await difyBot(dify, { 'app-type': 'chat' });
    expect(await bot.user('alice').says('hi')).toEqual([
      "Error: Dify refused POST /chat-messages (HTTP 400 not_chat_app: Please check if your app mode matches the right API route.; set the app type to 'workflow' for a Dify workflow app).",
    ]);
    await bot.configure({ ai: { 'dify-service-api': { 'base-url': dify.url.replace(/\/v1$/, '/api') } } });
    const [reply] = await bot.user('alice').says('hi');
    expect(reply).toMatch(/^Error: Dify has no POST \/chat-messages \(HTTP 404 not_found: .*\)\. Check the base URL \(http:\/\/127\.0\.0\.1:\d+\/api; it usually ends in \/v1\) and the app type\.$/);
  });

  it('says when Dify cannot be reached', async () => {
    const dify = await startFakeDify();
    await dify.close();
    const bot = await difyBot(dify);
    expect(await bot.user('alice').says('hi')).toEqual([`Error: Could not reach Dify at ${dify.url} (ECONNREFUSED).`]);
  });
});
