import { describe, expect, it } from 'vitest';
import type { ChatOptions } from '../../sdk/testing/index.js';
import { startFakeWeKnora, type FakeWeKnora, type FakeWeKnoraOptions } from '../support/fake-runners/weknora.js';
import { chunks, expectStreamedAsWritten, harness, runnerBot, stopLater, streamedReply } from './agent-platform-harness.js';

const fake = async (options?: FakeWeKnoraOptions) => stopLater(await startFakeWeKnora(options));

/** A bot whose pipeline runs WeKnora on the fake server. */
const weKnoraBot = (server: FakeWeKnora, section: Record<string, unknown> = {}, options: ChatOptions = {}) =>
  runnerBot('weknora-api', { 'base-url': server.url, ...section }, options);

describe('weknora-api runner', () => {
  it('answers through agent chat in a new session, with the defaults of the pipeline form', async () => {
    const server = await fake({ script: [{ reply: 'WeKnora on "{text}"' }] });
    const bot = await weKnoraBot(server);
    expect(await bot.user('alice').says('what is a comet?')).toEqual(['WeKnora on "what is a comet?"']);
    expect(server.sessionCreations.map((r) => r.body)).toEqual([{ title: 'IM Chat - person_alice' }]);
    const [session] = server.sessions.keys();
    const [chat] = server.chats;
    expect(chat.path).toBe(`/api/v1/agent-chat/${session}`);
    expect(chat.headers['x-api-key']).toBeUndefined();
    expect(chat.body).toEqual({ query: 'what is a comet?', agent_enabled: true, channel: 'im', agent_id: 'builtin-smart-reasoning' });
  });

  it('sends the key, agent, knowledge bases and web search it is configured with', async () => {
    const server = await fake({ apiKey: 'sk-weknora-1' });
    const bot = await weKnoraBot(server, { 'api-key': 'sk-weknora-1', 'agent-id': 'my-agent', 'knowledge-base-ids': ['kb-1', 'kb-2'], 'web-search-enabled': true });
    expect(await bot.user('alice').says('hi')).toEqual(['echo: hi']);
    expect(server.sessionCreations[0].headers['x-api-key']).toBe('sk-weknora-1');
    expect(server.chats[0].headers['x-api-key']).toBe('sk-weknora-1');
    expect(server.chats[0].body).toEqual({ query: 'hi', agent_enabled: true, channel: 'im', agent_id: 'my-agent', knowledge_base_ids: ['kb-1', 'kb-2'], web_search_enabled: true });
  });

  it('uses knowledge-base chat in chat mode, with its own default agent unless another is named', async () => {
    const server = await fake();
    const bot = await weKnoraBot(server, { 'app-type': 'chat', 'knowledge-base-ids': ['kb-9'], 'web-search-enabled': true });
    expect(await bot.user('alice').says('hi')).toEqual(['echo: hi']);
    expect(server.chats[0].path).toMatch(/^\/api\/v1\/knowledge-chat\//);
    expect(server.chats[0].body).toEqual({ query: 'hi', channel: 'im', agent_id: 'builtin-quick-answer', knowledge_base_ids: ['kb-9'] });
    await bot.configure({ ai: { 'weknora-api': { 'agent-id': 'faq-agent' } } });
    await bot.user('alice').says('again');
    expect(server.chats[1].body.agent_id).toBe('faq-agent');
  });

  it('asks the base prompt when the message has no text', async () => {
    const server = await fake();
    const bot = await weKnoraBot(server, { 'base-prompt': 'Describe it.' });
    expect(await bot.user('alice').says({ type: 'Image', url: 'https://example.com/cat.png' })).toEqual(['echo: Describe it.']);
    expect(server.chats[0].body.query).toBe('Describe it.');
  });

  it('streams the answer as WeKnora writes it, the last chunk final, and stops at the done event', async () => {
    const server = await fake({ script: [{ chunks: ['Comets ', 'have ', 'tails.'] }] });
    const bot = await weKnoraBot(server, {}, { streaming: true });
    const sent = await bot.user('alice').saysAndGet('comets?');
    expect(chunks(sent)).toEqual(streamedReply('Comets ', 'Comets have ', 'Comets have tails.'));
  });

  it('streams: the first chunk reaches the adapter before WeKnora has finished', async () => {
    const server = await fake({ script: [{ chunks: ['First', ' second', ' third'], chunkDelayMs: 300 }] });
    const bot = await weKnoraBot(server, {}, { streaming: true });
    await expectStreamedAsWritten(bot, 'slowly', ['First', 'First second', 'First second third'], 400);
  });

  it('gives the whole answer at once to an adapter that cannot stream', async () => {
    const server = await fake({ script: [{ chunks: ['Comets ', 'have ', 'tails.'] }] });
    const bot = await weKnoraBot(server);
    expect(await bot.user('alice').says('comets?')).toEqual(['Comets have tails.']);
  });

  it('keeps one session per conversation, across messages and across a restart', async () => {
    const server = await fake({ script: [{ reply: 'question {turn} in {session}' }] });
    const first = await weKnoraBot(server);
    const [one] = await first.user('alice').says('a');
    const session = [...server.sessions.keys()][0];
    expect(one).toBe(`question 1 in ${session}`);
    expect(await first.user('alice').says('b')).toEqual([`question 2 in ${session}`]);
    expect(await first.user('bob').says('c')).toEqual([expect.stringMatching(/^question 1 in /)]);
    expect(server.sessionCreations.map((r) => r.body.title)).toEqual(['IM Chat - person_alice', 'IM Chat - person_bob']);
    await first.stop();

    const second = await harness({ dataDir: first.dataDir });
    expect(await second.user('alice').says('d')).toEqual([`question 3 in ${session}`]);
    expect(server.sessionCreations).toHaveLength(2);
  });

  it('starts a new session when LangBot starts a new conversation', async () => {
    const server = await fake({ script: [{ reply: 'question {turn}' }] });
    const bot = await weKnoraBot(server);
    await bot.configure({ ai: { runner: { 'expire-time': 1 } } });
    expect(await bot.user('alice').says('a')).toEqual(['question 1']);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await bot.user('alice').says('b')).toEqual(['question 1']);
    expect(server.sessionCreations).toHaveLength(2);
  });

  it('makes a new session when WeKnora has lost the stored one', async () => {
    const server = await fake({ script: [{ reply: 'question {turn}' }] });
    const bot = await weKnoraBot(server);
    expect(await bot.user('alice').says('a')).toEqual(['question 1']);
    server.forgetSessions();
    expect(await bot.user('alice').says('b')).toEqual(['question 1']);
    expect(await bot.user('alice').says('c')).toEqual(['question 2']);
    expect(server.sessionCreations).toHaveLength(2);
    const sessions = server.chats.map((r) => r.path.split('/').at(-1));
    expect(sessions[1]).toBe(sessions[0]);
    expect(sessions[2]).not.toBe(sessions[1]);
    expect(sessions[3]).toBe(sessions[2]);
  });

  it('reports a refused key without showing it', async () => {
    const server = await fake({ apiKey: 'sk-right' });
    const bot = await weKnoraBot(server, { 'api-key': 'sk-wrong-789' });
    const [reply] = await bot.user('alice').says('hi');
    expect(reply).toBe("Error: WeKnora answered HTTP 401: Unauthorized: invalid or missing API key. Check the API key in the pipeline's AI → weknora-api settings.");
    expect(reply).not.toContain('sk-wrong-789');
  });

  it('reports server failures, error events, an empty answer and silence as clear errors', async () => {
    const server = await fake({
      script: [
        { match: 'crash', error: { status: 500, message: 'model service unavailable' } },
        { match: 'broken', chunks: ['Partial'], streamError: 'LLM call failed: quota exceeded' },
        { match: 'empty', silent: true },
        { match: 'slow', hang: true },
      ],
    });
    const bot = await weKnoraBot(server, { timeout: 1 });
    expect(await bot.user('alice').says('crash')).toEqual(['Error: WeKnora answered HTTP 500: model service unavailable.']);
    expect(await bot.user('alice').says('broken')).toEqual(['Error: WeKnora reported an error: LLM call failed: quota exceeded']);
    expect(await bot.user('alice').says('empty')).toEqual(['Error: WeKnora finished without an answer.']);
    const started = Date.now();
    expect(await bot.user('alice').says('slow')).toEqual([`Error: WeKnora sent nothing for 1 s, so the request was given up (see "timeout" in the pipeline's AI → weknora-api settings).`]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports an unreachable server with its address', async () => {
    const gone = await startFakeWeKnora();
    await gone.close();
    const bot = await weKnoraBot(gone);
    expect(await bot.user('alice').says('hi')).toEqual([
      `Error: WeKnora is unreachable at ${gone.url}/sessions: connect ECONNREFUSED 127.0.0.1:${gone.port}. Check the address in the pipeline's AI → weknora-api settings.`,
    ]);
  });
});
