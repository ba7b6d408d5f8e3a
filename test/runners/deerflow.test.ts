import { describe, expect, it } from 'vitest';
import type { ChatOptions } from '../../sdk/testing/index.js';
import { startFakeDeerFlow, type FakeDeerFlow, type FakeDeerFlowOptions } from '../support/fake-runners/deerflow.js';
import { chunks, expectStreamedAsWritten, harness, runnerBot, stopLater, streamedReply } from './agent-platform-harness.js';

const fake = async (options?: FakeDeerFlowOptions) => stopLater(await startFakeDeerFlow(options));

/** A bot whose pipeline runs DeerFlow on the fake server. */
const deerBot = (server: FakeDeerFlow, section: Record<string, unknown> = {}, options: ChatOptions = {}) =>
  runnerBot('deerflow-api', { 'api-base': server.url, ...section }, options);

describe('deerflow-api runner', () => {
  it('answers through a run on a new thread, with the defaults of the pipeline form', async () => {
    const server = await fake({ script: [{ reply: 'DeerFlow says hi to "{text}"' }] });
    const bot = await deerBot(server);
    expect(await bot.user('alice').says('hello')).toEqual(['DeerFlow says hi to "hello"']);
    expect(server.threadCreations).toHaveLength(1);
    const [thread] = server.threads.keys();
    const run = server.runs[0];
    expect(run.path).toBe(`/api/langgraph/threads/${thread}/runs/stream`);
    expect(run.headers.accept).toBe('text/event-stream');
    expect(run.headers.authorization).toBeUndefined();
    expect(run.body).toEqual({
      assistant_id: 'lead_agent',
      input: { messages: [{ role: 'user', content: 'hello' }] },
      stream_mode: ['values', 'messages-tuple', 'custom'],
      config: {
        recursion_limit: 1000,
        configurable: { thread_id: thread, thinking_enabled: false, is_plan_mode: false, subagent_enabled: false, max_concurrent_subagents: 3 },
      },
    });
  });

  it('sends every configured field: assistant, model, thinking, plan mode, subagents, recursion limit, key', async () => {
    const server = await fake({ authorization: 'Bearer df-key-123' });
    const bot = await deerBot(server, {
      'api-key': 'df-key-123',
      'assistant-id': 'researcher',
      'model-name': 'gpt-x',
      'thinking-enabled': true,
      'plan-mode': true,
      'subagent-enabled': true,
      'max-concurrent-subagents': 5,
      'recursion-limit': 50,
    });
    expect(await bot.user('alice').says('go')).toEqual(['echo: go']);
    const run = server.runs[0];
    expect(run.headers.authorization).toBe('Bearer df-key-123');
    expect(server.threadCreations[0].headers.authorization).toBe('Bearer df-key-123');
    expect(run.body.assistant_id).toBe('researcher');
    expect(run.body.config).toEqual({
      recursion_limit: 50,
      configurable: { thread_id: expect.any(String), model_name: 'gpt-x', thinking_enabled: true, is_plan_mode: true, subagent_enabled: true, max_concurrent_subagents: 5 },
    });
  });

  it('sends auth-header verbatim instead of the key', async () => {
    const server = await fake({ authorization: 'Token abc.def' });
    const bot = await deerBot(server, { 'api-key': 'ignored-key', 'auth-header': 'Token abc.def' });
    expect(await bot.user('alice').says('hi')).toEqual(['echo: hi']);
    expect(server.runs[0].headers.authorization).toBe('Token abc.def');
  });

  it('streams the answer as DeerFlow writes it, the last chunk final', async () => {
    const server = await fake({ script: [{ chunks: ['Hel', 'lo ', 'there'] }] });
    const bot = await deerBot(server, {}, { streaming: true });
    const sent = await bot.user('alice').saysAndGet('hi');
    expect(chunks(sent)).toEqual(streamedReply('Hel', 'Hello ', 'Hello there'));
  });

  it('streams: the first chunk reaches the adapter before DeerFlow has finished', async () => {
    const server = await fake({ script: [{ chunks: ['First', ' second', ' third'], chunkDelayMs: 300 }] });
    const bot = await deerBot(server, {}, { streaming: true });
    await expectStreamedAsWritten(bot, 'slowly', ['First', 'First second', 'First second third'], 400);
  });

  it('replaces what it showed when DeerFlow starts a new message after a tool call; whole runs give only the answer', async () => {
    const server = await fake({ script: [{ preamble: 'Let me search.', chunks: ['Found ', 'it.'] }] });
    const streaming = await deerBot(server, {}, { streaming: true });
    const sent = await streaming.user('alice').saysAndGet('find it');
    expect(chunks(sent)).toEqual(streamedReply('Let me search.', 'Found ', 'Found it.'));
    const whole = await deerBot(server);
    expect(await whole.user('bob').says('find it')).toEqual(['Found it.']);
  });

  it('keeps one thread per conversation, across messages and across a restart', async () => {
    const server = await fake({ script: [{ reply: 'turn {turn} on {thread}' }] });
    const first = await deerBot(server);
    const [one] = await first.user('alice').says('a');
    const [two] = await first.user('alice').says('b');
    const thread = [...server.threads.keys()][0];
    expect([one, two]).toEqual([`turn 1 on ${thread}`, `turn 2 on ${thread}`]);
    // Another chat gets its own thread.
    expect(await first.user('bob').says('c')).toEqual([expect.stringMatching(/^turn 1 on /)]);
    expect(server.threadCreations).toHaveLength(2);
    await first.stop();

    const second = await harness({ dataDir: first.dataDir });
    expect(await second.user('alice').says('d')).toEqual([`turn 3 on ${thread}`]);
    expect(server.threadCreations).toHaveLength(2);
    expect(server.runs.map((r) => r.body.config.configurable.thread_id).filter((id) => id === thread)).toHaveLength(3);
  });

  it('starts a new thread when LangBot starts a new conversation', async () => {
    const server = await fake({ script: [{ reply: 'turn {turn}' }] });
    const bot = await deerBot(server);
    await bot.configure({ ai: { runner: { 'expire-time': 1 } } });
    expect(await bot.user('alice').says('a')).toEqual(['turn 1']);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await bot.user('alice').says('b')).toEqual(['turn 1']);
    expect(server.threadCreations).toHaveLength(2);
  });

  it('keeps a thread per chat for the agent event handler, which has no LangBot conversation', async () => {
    const server = await fake({ script: [{ reply: 'turn {turn}' }] });
    const rule = { event_type: 'message.received', handler_type: 'agent', handler_config: { runner: 'deerflow-api', runner_config: { 'api-base': server.url } } };
    const bot = await harness({ event_handlers: [rule] });
    expect(await bot.user('alice').says('a')).toEqual(['turn 1']);
    expect(await bot.user('alice').says('b')).toEqual(['turn 2']);
    expect(await bot.user('bob').says('c')).toEqual(['turn 1']);
    expect(server.threadCreations).toHaveLength(2);
  });

  it('makes a new thread when DeerFlow has lost the stored one, and keeps using the new one', async () => {
    const server = await fake({ script: [{ reply: 'turn {turn}' }] });
    const bot = await deerBot(server);
    expect(await bot.user('alice').says('a')).toEqual(['turn 1']);
    server.forgetThreads();
    expect(await bot.user('alice').says('b')).toEqual(['turn 1']);
    expect(await bot.user('alice').says('c')).toEqual(['turn 2']);
    expect(server.threadCreations).toHaveLength(2);
    // The lost thread was tried once, answered 404, then the run went to the new one.
    const ids = server.runs.map((r) => r.body.config.configurable.thread_id);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[1]);
    expect(ids[3]).toBe(ids[2]);
  });

  it('answers with the question when DeerFlow asks for clarification', async () => {
    const server = await fake({ script: [{ clarification: 'Which city do you mean?' }] });
    const bot = await deerBot(server);
    expect(await bot.user('alice').says('weather?')).toEqual(['Which city do you mean?']);
  });

  it('says which subtasks failed when the run ends without an answer', async () => {
    const server = await fake({
      script: [
        { match: 'one', silent: true, taskFailures: [{ task_id: 't1', error: 'search quota exceeded' }] },
        { match: 'many', silent: true, taskFailures: [{ task_id: 't1', error: 'a' }, { task_id: 't2', error: 'b' }, { task_id: 't1', error: 'a' }] },
        { match: 'nothing', silent: true },
      ],
    });
    const bot = await deerBot(server);
    expect(await bot.user('alice').says('one')).toEqual(['DeerFlow subtask failed: t1: search quota exceeded']);
    expect(await bot.user('alice').says('many')).toEqual(['DeerFlow subtasks failed:\n- t1: a\n- t2: b']);
    expect(await bot.user('alice').says('nothing')).toEqual(['Error: DeerFlow finished the run without an answer.']);
  });

  it('reports a refused key without showing it', async () => {
    const server = await fake({ authorization: 'Bearer right-key' });
    const bot = await deerBot(server, { 'api-key': 'wrong-key-456' });
    const [reply] = await bot.user('alice').says('hi');
    expect(reply).toBe("Error: DeerFlow answered HTTP 401: Invalid or missing credentials. Check the API key in the pipeline's AI → deerflow-api settings.");
    expect(reply).not.toContain('wrong-key-456');
  });

  it('reports server failures, failed runs and silence as clear errors', async () => {
    const server = await fake({
      script: [
        { match: 'crash', error: { status: 500, body: { detail: 'checkpointer unavailable' } } },
        { match: 'recursion', chunks: ['Work', 'ing'], runError: { error: 'GraphRecursionError', message: 'Recursion limit of 1000 reached' } },
        { match: 'slow', hang: true },
      ],
    });
    const bot = await deerBot(server, { timeout: 1 });
    expect(await bot.user('alice').says('crash')).toEqual(['Error: DeerFlow answered HTTP 500: checkpointer unavailable.']);
    expect(await bot.user('alice').says('recursion')).toEqual(['Error: DeerFlow failed the run: GraphRecursionError: Recursion limit of 1000 reached']);
    const started = Date.now();
    expect(await bot.user('alice').says('slow')).toEqual(['Error: DeerFlow sent nothing for 1 s, so the request was given up (see "timeout" in the pipeline\'s AI → deerflow-api settings).']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports an unreachable server with its address', async () => {
    const gone = await startFakeDeerFlow();
    await gone.close();
    const bot = await deerBot(gone);
    expect(await bot.user('alice').says('hi')).toEqual([
      `Error: DeerFlow is unreachable at ${gone.url}/api/langgraph/threads: connect ECONNREFUSED 127.0.0.1:${gone.port}. Check the address in the pipeline's AI → deerflow-api settings.`,
    ]);
  });

  it('refuses an api-base that is not a URL', async () => {
    const server = await fake();
    const bot = await deerBot(server, { 'api-base': 'deerflow.local' });
    expect(await bot.user('alice').says('hi')).toEqual([`Error: DeerFlow's api-base "deerflow.local" is not an http(s) URL: fix it in the pipeline's AI → deerflow-api settings.`]);
    expect(server.requests).toHaveLength(0);
  });
});
