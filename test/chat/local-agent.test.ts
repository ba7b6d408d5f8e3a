import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlm, type ChatHarness, type FakeLlm, type FakeRule } from '../../sdk/testing/index.js';
import { FIXTURES, chat } from './support.js';
import { afterEach } from 'vitest';

const fakes: FakeLlm[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const service = (bot: ChatHarness, name: string, method: string, args: Record<string, unknown> = {}) => bot.kernel.manager.invoke('services', name, method, args, { timeoutMs: 30_000 }) as Promise<any>;

/** A bot whose pipeline runs the local agent on a fake provider with the given script. */
async function agentBot(script: FakeRule[], options: Parameters<typeof chat>[0] = {}, agent: Record<string, unknown> = {}) {
  const fake = await startFakeLlm({ script });
  fakes.push(fake);
  const bot = await chat(options);
  const provider = await service(bot, 'models', 'createProvider', { name: 'Fake', requester: 'openai-chat-completions', base_url: fake.url, api_keys: ['sk-fake'] });
  const model = await service(bot, 'models', 'createModel', { type: 'llm', name: 'fake-model', provider_uuid: provider.uuid, abilities: ['func_call'] });
  await bot.configure({ ai: { runner: { runner: 'local-agent' }, 'local-agent': { model: { primary: model.uuid, fallbacks: [] }, ...agent } } });
  return { bot, fake, model };
}

describe('local agent', () => {
  it('answers with the model, given the pipeline prompt and the conversation', async () => {
    const { bot, fake } = await agentBot([{ reply: 'Hi {text}!' }], {}, { prompt: [{ role: 'system', content: 'You are terse.' }] });
    expect(await bot.user('alice').says('Alice here')).toEqual(['Hi Alice here!']);
    expect(await bot.user('alice').says('again')).toEqual(['Hi again!']);
    const messages = fake.requests.at(-1)!.body.messages;
    expect(messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['system', 'You are terse.'],
      ['user', 'Alice here'],
      ['assistant', 'Hi Alice here!'],
      ['user', 'again'],
    ]);
  });

  it('completes a multi-round tool conversation with an extension tool running in a worker host', async () => {
    const ask = 'weather in Paris and Oslo?';
    const { bot, fake } = await agentBot(
      [
        { match: 'Paris and Oslo', toolRounds: 0, tool_calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { match: 'Paris and Oslo', toolRounds: 1, tool_calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
        { match: 'Paris and Oslo', toolRounds: 2, reply: 'Here you go: {tool_results}' },
      ],
      { extensions: [join(FIXTURES, 'weather-tool')] },
      { 'enable-all-tools': false, tools: ['get_weather'] },
    );
    const [answer] = await bot.user('alice').says(ask);
    const results = answer.replace('Here you go: ', '').split(' | ').map((r) => JSON.parse(r));
    expect(results.map((r) => [r.city, r.weather])).toEqual([
      ['Paris', 'sunny, 21°C'],
      ['Oslo', 'snow, -3°C'],
    ]);
    // threadId 0 is the main thread: the tool ran in a worker.
    expect(results[0].thread).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests[0].body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['get_weather']);
    // The tool calls and results stay in the conversation for the next message.
    await bot.user('alice').says('thanks');
    expect(fake.requests.at(-1)!.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'user']);
  });

  it('uses a real MCP server from npm (server-filesystem) over stdio', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'langbot-mcp-'));
    writeFileSync(join(dir, 'note.txt'), 'Buy milk and bread.');
    const { bot, fake } = await agentBot([
      { match: 'my note', toolRounds: 0, tool_calls: [{ name: 'read_text_file', arguments: { path: join(dir, 'note.txt') } }] },
      { match: 'my note', toolRounds: 1, reply: 'Your note says: {tool_result}' },
    ]);
    const script = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
    const server = await service(bot, 'mcp', 'create', { name: 'files', mode: 'stdio', extra_args: { command: process.execPath, args: [script, dir] } });
    expect(server).toMatchObject({ status: 'connected', name: 'files' });
    expect(server.tool_count).toBeGreaterThan(5);
    expect(await bot.user('alice').says('what is in my note?')).toEqual(['Your note says: Buy milk and bread.']);
    expect(fake.requests[0].body.tools.map((t: { function: { name: string } }) => t.function.name)).toContain('read_text_file');
    const calls = (await service(bot, 'persistence', 'execute', { sql: "select tool_name, tool_source, status from monitoring_tool_calls" })).rows;
    expect(calls).toEqual([{ tool_name: 'read_text_file', tool_source: 'mcp', status: 'success' }]);
  });

  it('streams: the first chunk reaches the adapter before the provider has finished', async () => {
    const { bot } = await agentBot([{ chunks: ['First', ' second', ' third'], chunkDelayMs: 300 }], { streaming: true });
    const alice = bot.user('alice');
    const started = Date.now();
    await bot.emit(alice.message('tell me slowly'));
    await expect.poll(async () => (bot as any).__first ??= (await bot.sent()).find((m) => m.api === 'reply_message_chunk'), { timeout: 5_000, interval: 20 }).toBeDefined();
    const firstAt = Date.now() - started;
    await bot.idle();
    const all = Date.now() - started;
    // Three chunks 300 ms apart: the first arrived well before the last was written.
    expect(firstAt).toBeLessThan(all - 400);
    expect(((bot as any).__first as { text: string }).text).toBe('First');
  });
});
