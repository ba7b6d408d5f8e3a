import { describe, expect, it } from 'vitest';
import type { ChatOptions } from '../../sdk/testing/index.js';
import { startFakeLangflow, type FakeLangflow, type FakeLangflowOptions } from '../support/fake-runners/langflow.js';
import { chunks, expectStreamedAsWritten, harness, runnerBot, stopLater, streamedReply } from './agent-platform-harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const fake = async (options?: FakeLangflowOptions) => stopLater(await startFakeLangflow(options));

/** A bot whose pipeline runs the flow `flow-1` on the fake server. */
const flowBot = (server: FakeLangflow, section: Record<string, unknown> = {}, options: ChatOptions = {}) =>
  runnerBot('langflow-api', { 'base-url': server.url, 'flow-id': 'flow-1', ...section }, options);

describe('langflow-api runner', () => {
  it('runs the flow and answers with its chat output, with the defaults of the pipeline form', async () => {
    const server = await fake({ script: [{ reply: 'Langflow on "{text}"' }] });
    const bot = await flowBot(server);
    expect(await bot.user('alice').says('hello')).toEqual(['Langflow on "hello"']);
    const [run] = server.runs;
    expect(run.path).toBe('/api/v1/run/flow-1');
    expect(run.query).toEqual({ stream: 'false' });
    // The form's placeholder key is not a key.
    expect(run.headers['x-api-key']).toBeUndefined();
    expect(run.body).toEqual({ input_value: 'hello', input_type: 'chat', output_type: 'chat', tweaks: {}, session_id: expect.stringMatching(UUID) });
  });

  it('sends the key, the input and output types and the tweaks it is configured with', async () => {
    const server = await fake({ apiKey: 'sk-lf-1', flows: ['my-flow'], script: [{ reply: 'tweaks {tweaks}' }] });
    const bot = await flowBot(server, { 'api-key': 'sk-lf-1', 'flow-id': 'my-flow', 'input-type': 'text', 'output-type': 'any', tweaks: '{"OpenAIModel-abc": {"temperature": 0.2}}' });
    expect(await bot.user('alice').says('hi')).toEqual(['tweaks {"OpenAIModel-abc":{"temperature":0.2}}']);
    const [run] = server.runs;
    expect(run.path).toBe('/api/v1/run/my-flow');
    expect(run.headers['x-api-key']).toBe('sk-lf-1');
    expect(run.body).toMatchObject({ input_type: 'text', output_type: 'any', tweaks: { 'OpenAIModel-abc': { temperature: 0.2 } } });
  });

  it('refuses tweaks that are not a JSON object, and a missing flow id, before calling Langflow', async () => {
    const server = await fake();
    const bot = await flowBot(server, { tweaks: '{temperature: 0.2}' });
    const [bad] = await bot.user('alice').says('hi');
    expect(bad).toMatch(/^Error: Langflow's tweaks are not valid JSON \(.+\): fix them in the pipeline's AI → langflow-api settings\.$/);
    await bot.configure({ ai: { 'langflow-api': { tweaks: '[1, 2]' } } });
    expect(await bot.user('alice').says('hi')).toEqual([`Error: Langflow's tweaks must be a JSON object such as {"Component-id": {"field": "value"}}: fix them in the pipeline's AI → langflow-api settings.`]);
    await bot.configure({ ai: { 'langflow-api': { tweaks: '{}', 'flow-id': 'your-flow-id' } } });
    expect(await bot.user('alice').says('hi')).toEqual([`Error: No Langflow flow is chosen: set flow-id in the pipeline's AI → langflow-api settings.`]);
    expect(server.requests).toHaveLength(0);
  });

  it('streams the tokens as Langflow writes them, the last chunk final', async () => {
    const server = await fake({ script: [{ chunks: ['Hel', 'lo ', 'there'] }] });
    const bot = await flowBot(server, {}, { streaming: true });
    const sent = await bot.user('alice').saysAndGet('hi');
    expect(chunks(sent)).toEqual(streamedReply('Hel', 'Hello ', 'Hello there'));
    expect(server.runs[0].query).toEqual({ stream: 'true' });
  });

  it('streams: the first chunk reaches the adapter before the flow has finished', async () => {
    const server = await fake({ script: [{ chunks: ['First', ' second', ' third'], chunkDelayMs: 300 }] });
    const bot = await flowBot(server, {}, { streaming: true });
    await expectStreamedAsWritten(bot, 'slowly', ['First', 'First second', 'First second third'], 400);
  });

  it('shows a whole message from a flow whose model does not stream', async () => {
    const server = await fake({ script: [{ reply: 'All at once.', unstreamed: true }] });
    const bot = await flowBot(server, {}, { streaming: true });
    const sent = await bot.user('alice').saysAndGet('hi');
    expect(chunks(sent)).toEqual(streamedReply('All at once.'));
  });

  it('uses the LangBot conversation as the Langflow session, across messages and across a restart', async () => {
    const server = await fake({ script: [{ reply: 'turn {turn}' }] });
    const first = await flowBot(server);
    expect(await first.user('alice').says('a')).toEqual(['turn 1']);
    expect(await first.user('alice').says('b')).toEqual(['turn 2']);
    expect(await first.user('bob').says('c')).toEqual(['turn 1']);
    await first.stop();
    const second = await harness({ dataDir: first.dataDir });
    expect(await second.user('alice').says('d')).toEqual(['turn 3']);
    const sessions = server.runs.map((r) => r.body.session_id);
    expect(new Set(sessions).size).toBe(2);
    expect([sessions[1], sessions[3]]).toEqual([sessions[0], sessions[0]]);
  });

  it('starts a new Langflow session when LangBot starts a new conversation', async () => {
    const server = await fake({ script: [{ reply: 'turn {turn}' }] });
    const bot = await flowBot(server);
    await bot.configure({ ai: { runner: { 'expire-time': 1 } } });
    expect(await bot.user('alice').says('a')).toEqual(['turn 1']);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await bot.user('alice').says('b')).toEqual(['turn 1']);
    expect(server.runs[1].body.session_id).not.toBe(server.runs[0].body.session_id);
  });

  it('reports a refused key without showing it, and an unknown flow', async () => {
    const server = await fake({ apiKey: 'sk-right', flows: ['flow-1'] });
    const bot = await flowBot(server, { 'api-key': 'sk-wrong-321' });
    const [refused] = await bot.user('alice').says('hi');
    expect(refused).toBe("Error: Langflow answered HTTP 403: Invalid or missing API key. Check the API key in the pipeline's AI → langflow-api settings.");
    expect(refused).not.toContain('sk-wrong-321');
    await bot.configure({ ai: { 'langflow-api': { 'api-key': 'sk-right', 'flow-id': 'flow-2' } } });
    expect(await bot.user('alice').says('hi')).toEqual(['Error: Langflow answered HTTP 404: Flow identifier flow-2 not found.']);
  });

  it('reports 401, 500, a stream error event, a flow without text and silence as clear errors', async () => {
    const server = await fake({
      script: [
        { match: 'expired', error: { status: 401, body: { detail: 'Could not validate credentials' } } },
        { match: 'crash', error: { status: 500, body: { detail: '{"message": "Error running graph: OpenAI quota exceeded"}' } } },
        { match: 'broken', chunks: ['Part'], streamError: 'Error building Component OpenAI: invalid model' },
        { match: 'mute', noOutput: true },
        { match: 'slow', hang: true },
      ],
    });
    const bot = await flowBot(server, { timeout: 1 }, { streaming: true });
    expect(await bot.user('alice').says('expired')).toEqual(["Error: Langflow answered HTTP 401: Could not validate credentials. Check the API key in the pipeline's AI → langflow-api settings."]);
    expect(await bot.user('alice').says('crash')).toEqual(['Error: Langflow answered HTTP 500: Error running graph: OpenAI quota exceeded.']);
    expect((await bot.user('alice').says('broken')).at(-1)).toBe('Error: Langflow failed to run the flow: Error building Component OpenAI: invalid model');
    expect(await bot.user('alice').says('mute')).toEqual(['Error: The Langflow flow finished without a text answer: does it end in a Chat Output (output-type chat)?']);
    const started = Date.now();
    expect(await bot.user('alice').says('slow')).toEqual([`Error: Langflow sent nothing for 1 s, so the request was given up (see "timeout" in the pipeline's AI → langflow-api settings).`]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a flow without text in a whole answer too', async () => {
    const server = await fake({ script: [{ noOutput: true }] });
    const bot = await flowBot(server);
    expect(await bot.user('alice').says('hi')).toEqual(['Error: The Langflow flow finished without a text answer: does it end in a Chat Output (output-type chat)?']);
  });

  it('reports an unreachable server with its address', async () => {
    const gone = await startFakeLangflow();
    await gone.close();
    const bot = await flowBot(gone);
    expect(await bot.user('alice').says('hi')).toEqual([
      `Error: Langflow is unreachable at ${gone.url}/api/v1/run/flow-1: connect ECONNREFUSED 127.0.0.1:${gone.port}. Check the address in the pipeline's AI → langflow-api settings.`,
    ]);
  });
});
