import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, startFakeLlm, type ChatHarness, type FakeLlm } from '@langbot-ts/sdk/testing';

// A real kernel with this extension installed, a fake OpenAI-compatible provider, and a model that uses this
// requester to reach it.
let chat: ChatHarness;
let llm: FakeLlm;
let provider: { uuid: string };
const models = (method: string, args: Record<string, unknown> = {}) => chat.kernel.manager.invoke('services', 'models', method, args) as Promise<any>;

beforeAll(async () => {
  llm = await startFakeLlm({ models: ['fake-large', 'fake-small'], script: [{ match: 'weather', reply: 'Sunny, {text}' }, { reply: 'Hi, {text}!' }] });
  chat = await startChat({ extensions: [import.meta.dirname] });
  provider = await models('createProvider', { name: 'Fake', requester: '{{key}}', base_url: llm.url, api_keys: ['sk-test'] });
  const model = await models('createModel', { type: 'llm', name: 'fake-large', provider_uuid: provider.uuid });
  await chat.configure({ ai: { runner: { runner: 'local-agent' }, 'local-agent': { model: { primary: model.uuid, fallbacks: [] }, prompt: [{ role: 'system', content: 'Be brief.' }] } } });
});

afterAll(async () => {
  await chat?.stop();
  await llm?.close();
});

describe('{{key}} requester', () => {
  it('carries the conversation to the provider and its answer back to the user', async () => {
    expect(await chat.user('alice').says('hello')).toEqual(['Hi, hello!']);
    expect(await chat.user('alice').says('weather today?')).toEqual(['Sunny, weather today?']);
    const last = llm.requests.at(-1)!;
    expect(last.headers.authorization).toBe('Bearer sk-test');
    expect(last.body.model).toBe('fake-large');
    expect(last.body.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['system', 'Be brief.'],
      ['user', 'hello'],
      ['assistant', 'Hi, hello!'],
      ['user', 'weather today?'],
    ]);
  });

  it("lists the provider's models", async () => {
    const { models: found } = await models('scanModels', { uuid: provider.uuid });
    expect(found.map((m: { id: string }) => m.id)).toEqual(['fake-large', 'fake-small']);
  });
});
