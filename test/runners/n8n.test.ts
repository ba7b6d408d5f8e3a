import { describe, expect, it } from 'vitest';
import type { ChatOptions } from '../../sdk/testing/index.js';
import { startFakeN8n, type FakeN8n, type FakeN8nAuth, type N8nRule } from '../support/fake-runners/n8n.js';
import { expectStreamedAsWritten, harness, runnerBot, stopLater } from './agent-platform-harness.js';

const fakeN8n = async (script: N8nRule[], auth: FakeN8nAuth = { type: 'none' }) => stopLater(await startFakeN8n({ script, auth }));

/** The pipeline's `ai.n8n-service-api` section for the fake webhook. */
const n8nSection = (fake: FakeN8n, section: Record<string, unknown> = {}) => ({ 'webhook-url': fake.url, 'auth-type': 'none', ...section });

/** The pipeline's config to use the fake webhook with these settings. */
const n8nConfig = (fake: FakeN8n, section: Record<string, unknown> = {}) => ({ ai: { 'n8n-service-api': n8nSection(fake, section) } });

/** A bot whose pipeline answers with the fake n8n webhook; errors are shown to the user. */
const n8nBot = (fake: FakeN8n, section: Record<string, unknown> = {}, options: ChatOptions = {}) => runnerBot('n8n-service-api', n8nSection(fake, section), options);

describe('n8n-service-api runner: answers', () => {
  it('posts the message and its variables as JSON and answers with the output key', async () => {
    const n8n = await fakeN8n([{ json: { response: 'n8n says: {chatInput}' } }]);
    const bot = await n8nBot(n8n);
    expect(await bot.user('alice', 'Alice').says('hello')).toEqual(['n8n says: hello']);

    const [call] = n8n.accepted;
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers.authorization).toBeUndefined();
    expect(call.body).toMatchObject({
      chatInput: 'hello',
      message: 'hello',
      user_message_text: 'hello',
      conversation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      session_id: 'person_alice',
      user_id: 'person_alice',
      msg_create_time: expect.any(Number),
      launcher_type: 'person',
      launcher_id: 'alice',
      sender_id: 'alice',
      sender_name: 'Alice',
    });
    expect(call.body.sessionId).toBe(call.body.conversation_id);
  });

  it('passes the same conversation id for a conversation, across messages and across a restart', async () => {
    const n8n = await fakeN8n([{ json: { response: '{conversation_id}' } }]);
    const first = await n8nBot(n8n);
    const [id] = await first.user('alice').says('one');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await first.user('alice').says('two')).toEqual([id]);
    const [bobs] = await first.user('bob').says('hi');
    expect(bobs).not.toBe(id);
    await first.stop();

    const second = await harness({ dataDir: first.dataDir });
    expect(await second.user('alice').says('three')).toEqual([id]);
  });

  it('reads nested output keys, falls back to output and text, and takes the first item of a list', async () => {
    const n8n = await fakeN8n([
      { match: 'nested', json: { data: { reply: 'deep answer' } } },
      { match: 'output', json: { output: 'agent output' } },
      { match: 'text', json: { text: 'text field' } },
      { match: 'list', json: [{ reply: 'first item' }, { reply: 'second item' }] },
      { match: 'plain', text: 'just text' },
    ]);
    const bot = await n8nBot(n8n, { 'output-key': 'data.reply' });
    expect(await bot.user('alice').says('nested')).toEqual(['deep answer']);
    expect(await bot.user('alice').says('output')).toEqual(['agent output']);
    expect(await bot.user('alice').says('text')).toEqual(['text field']);
    expect(await bot.user('alice').says('plain')).toEqual(['just text']);
    await bot.configure(n8nConfig(n8n, { 'output-key': 'reply' }));
    expect(await bot.user('alice').says('list')).toEqual(['first item']);
  });

  it('says which fields the answer has when the output key is missing', async () => {
    const n8n = await fakeN8n([{ match: 'started', json: { message: 'Workflow was started' } }, { json: { result: 'x', status: 'ok' } }]);
    const bot = await n8nBot(n8n);
    expect(await bot.user('alice').says('hi')).toEqual([
      "Error: The n8n answer has no 'response' field (it has: result, status). Set the output key (AI → n8n workflow) to the field that holds the reply.",
    ]);
    expect(await bot.user('alice').says('started')).toEqual([
      'Error: The n8n answer has no \'response\' field (it has: message). The webhook answers as soon as the workflow starts: set its Respond option to "When Last Node Finishes" or use a Respond to Webhook node.',
    ]);
  });
});

describe('n8n-service-api runner: streaming', () => {
  it('streams the items of a streamed answer as they arrive, the last chunk final', async () => {
    const n8n = await fakeN8n([{ stream: ['First', ' second', ' third'], chunkDelayMs: 300 }]);
    const bot = await n8nBot(n8n, {}, { streaming: true });
    await expectStreamedAsWritten(bot, 'tell me slowly', ['First', 'First second', 'First second third'], 400);
  });

  it('sends a streamed answer as one message to an adapter that cannot stream', async () => {
    const n8n = await fakeN8n([{ stream: ['Hel', 'lo'] }]);
    const bot = await n8nBot(n8n);
    expect(await bot.user('alice').says('hi')).toEqual(['Hello']);
  });

  it('sends a JSON answer as one final chunk to a streaming adapter', async () => {
    const n8n = await fakeN8n([{ json: { response: 'whole' } }]);
    const bot = await n8nBot(n8n, {}, { streaming: true });
    const sent = await bot.user('alice').saysAndGet('hi');
    expect(sent.map((m) => [m.api, m.text, m.args.is_final])).toEqual([['reply_message_chunk', 'whole', true]]);
  });

  it('reports an error item in the middle of a stream', async () => {
    const n8n = await fakeN8n([{ stream: ['partial'], streamError: 'The AI Agent node failed: model overloaded' }]);
    const bot = await n8nBot(n8n, {}, { streaming: true });
    const sent = await bot.user('alice').saysAndGet('hi');
    expect(sent.at(-1)!.text).toBe('Error: The n8n workflow stopped with an error: The AI Agent node failed: model overloaded.');
  });
});

describe('n8n-service-api runner: authentication', () => {
  it('sends basic auth the webhook accepts, and says when the password is wrong (without showing it)', async () => {
    const n8n = await fakeN8n([{ json: { response: 'welcome' } }], { type: 'basic', username: 'langbot', password: 's3cret-pass' });
    const bot = await n8nBot(n8n, { 'auth-type': 'basic', 'basic-username': 'langbot', 'basic-password': 's3cret-pass' });
    expect(await bot.user('alice').says('hi')).toEqual(['welcome']);
    expect(n8n.accepted[0].headers.authorization).toBe(`Basic ${Buffer.from('langbot:s3cret-pass').toString('base64')}`);

    await bot.configure(n8nConfig(n8n, { 'auth-type': 'basic', 'basic-username': 'langbot', 'basic-password': 'wrong-pass' }));
    const [reply] = await bot.user('alice').says('hi');
    expect(reply).toBe('Error: The n8n webhook refused the credentials (HTTP 403: Authorization data is wrong!). Check the authentication in the pipeline (AI → n8n workflow).');
    expect(bot.logs.join('\n')).not.toContain('wrong-pass');
    expect(n8n.accepted).toHaveLength(1);
  });

  it('signs a JWT the webhook verifies (HS256 and HS512), with the user as subject', async () => {
    const n8n = await fakeN8n([{ json: { response: 'token ok' } }], { type: 'jwt', secret: 'jwt-passphrase' });
    const bot = await n8nBot(n8n, { 'auth-type': 'jwt', 'jwt-secret': 'jwt-passphrase' });
    expect(await bot.user('alice').says('hi')).toEqual(['token ok']);
    const { header, claims } = n8n.accepted[0].jwt!;
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(claims).toMatchObject({ iss: 'langbot', sub: 'person_alice' });
    expect(claims.exp as number).toBeGreaterThan(Date.now() / 1000);

    n8n.setAuth({ type: 'jwt', secret: 'jwt-passphrase', algorithm: 'HS512' });
    await bot.configure(n8nConfig(n8n, { 'auth-type': 'jwt', 'jwt-secret': 'jwt-passphrase', 'jwt-algorithm': 'HS512' }));
    expect(await bot.user('alice').says('hi')).toEqual(['token ok']);
    expect(n8n.accepted[1].jwt!.header.alg).toBe('HS512');

    await bot.configure(n8nConfig(n8n, { 'auth-type': 'jwt', 'jwt-secret': 'another-secret', 'jwt-algorithm': 'HS512' }));
    expect(await bot.user('alice').says('hi')).toEqual(['Error: The n8n webhook refused the credentials (HTTP 403: Authorization data is wrong!). Check the authentication in the pipeline (AI → n8n workflow).']);
    expect(n8n.accepted).toHaveLength(2);
  });

  it('sends the custom header the webhook checks, and says when credentials are missing', async () => {
    const n8n = await fakeN8n([{ json: { response: 'header ok' } }], { type: 'header', name: 'X-N8N-Key', value: 'header-value-1' });
    const bot = await n8nBot(n8n, { 'auth-type': 'header', 'header-name': 'X-N8N-Key', 'header-value': 'header-value-1' });
    expect(await bot.user('alice').says('hi')).toEqual(['header ok']);
    expect(n8n.accepted[0].headers['x-n8n-key']).toBe('header-value-1');

    n8n.setAuth({ type: 'basic', username: 'u', password: 'p' });
    await bot.configure(n8nConfig(n8n, { 'auth-type': 'none' }));
    expect(await bot.user('alice').says('hi')).toEqual(['Error: The n8n webhook asks for credentials (HTTP 401: Authorization is required!). Check the authentication in the pipeline (AI → n8n workflow).']);
  });

  it('refuses settings that cannot work before calling n8n', async () => {
    const n8n = await fakeN8n([{ json: { response: 'never' } }]);
    const bot = await n8nBot(n8n, { 'auth-type': 'jwt', 'jwt-secret': '' });
    expect(await bot.user('alice').says('hi')).toEqual(['Error: n8n JWT auth needs the secret of the webhook’s JWT credential (AI → n8n workflow → JWT secret).']);
    await bot.configure(n8nConfig(n8n, { 'webhook-url': 'http://your-n8n-webhook-url' }));
    expect(await bot.user('alice').says('hi')).toEqual(['Error: n8n has no webhook URL: set it in the pipeline (AI → n8n workflow → Webhook URL).']);
    expect(n8n.requests).toHaveLength(0);
  });
});

describe('n8n-service-api runner: failures', () => {
  it('names the status and n8n’s message for an unknown webhook and a failing workflow', async () => {
    const n8n = await fakeN8n([{ status: 500, body: { message: 'Error in workflow' } }]);
    const bot = await n8nBot(n8n, { 'webhook-url': n8n.url.replace(/\/webhook\/.*/, '/webhook/missing') });
    expect(await bot.user('alice').says('hi')).toEqual([
      'Error: n8n has no such webhook (HTTP 404: The requested webhook "POST missing" is not registered. The workflow must be active for a production URL to run successfully.). Check the webhook URL and that the workflow is active.',
    ]);
    await bot.configure(n8nConfig(n8n));
    expect(await bot.user('alice').says('hi')).toEqual(['Error: The n8n workflow failed (HTTP 500: Error in workflow).']);
  });

  it('gives up when the workflow stays silent past the timeout, but not while it keeps streaming', async () => {
    const n8n = await fakeN8n([
      { match: 'slow', delayMs: 1_500, json: { response: 'too late' } },
      { match: 'steady', stream: ['a', 'b', 'c', 'd'], chunkDelayMs: 400 },
    ]);
    const bot = await n8nBot(n8n, { timeout: 1 });
    const started = Date.now();
    expect(await bot.user('alice').says('slow')).toEqual(['Error: The n8n workflow did not answer within 1 s (the timeout in AI → n8n workflow).']);
    expect(Date.now() - started).toBeLessThan(1_450);
    expect(await bot.user('alice').says('steady')).toEqual(['abcd']);
  });

  it('says when n8n cannot be reached, and shows the default hint when errors are hidden', async () => {
    const n8n = await startFakeN8n();
    await n8n.close();
    const bot = await n8nBot(n8n);
    expect(await bot.user('alice').says('hi')).toEqual([`Error: Could not reach the n8n webhook at ${new URL(n8n.url).origin} (ECONNREFUSED).`]);
    await bot.configure({ output: { misc: { 'exception-handling': 'show-hint' } } });
    expect(await bot.user('alice').says('hi')).toEqual(['Request failed.']);
  });
});
