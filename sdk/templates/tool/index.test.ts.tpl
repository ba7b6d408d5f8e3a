import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, startFakeLlm, type ChatHarness, type FakeLlm } from '@langbot-ts/sdk/testing';

// A real kernel with this extension installed, a bot, and a fake model that calls the tool.
let chat: ChatHarness;
let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm({
    script: [
      // "greet Ada": the model calls the tool with {"name": "Ada"}, then answers with what the tool returned.
      { match: '^greet (\\w+)', toolRounds: 0, tool_calls: [{ name: '{{key}}', arguments: '{"name": "$1"}' }] },
      { toolRounds: 1, reply: 'The tool says: {tool_result}' },
    ],
  });
  chat = await startChat({ extensions: [import.meta.dirname] });
  const models = (method: string, args: Record<string, unknown>) => chat.kernel.manager.invoke('services', 'models', method, args) as Promise<{ uuid: string }>;
  const provider = await models('createProvider', { name: 'Fake', requester: 'openai-chat-completions', base_url: llm.url, api_keys: ['sk-test'] });
  const model = await models('createModel', { type: 'llm', name: 'fake-model', provider_uuid: provider.uuid, abilities: ['func_call'] });
  await chat.configure({ ai: { runner: { runner: 'local-agent' }, 'local-agent': { model: { primary: model.uuid, fallbacks: [] } } } });
});

afterAll(async () => {
  await chat?.stop();
  await llm?.close();
});

describe('{{key}}', () => {
  it('is called by the model, and its answer reaches the user', async () => {
    expect(await chat.user('alice').says('greet Ada')).toEqual(['The tool says: {"text":"Hello, Ada!"}']);
  });

  it('is offered to the model with the description from the manifest', async () => {
    const request = llm.requests.find((r) => r.body.tools);
    expect(request?.body.tools.map((t: { function: { name: string; description: string } }) => t.function)).toContainEqual(
      expect.objectContaining({ name: '{{key}}', description: 'Greets someone by name.' }),
    );
  });
});
