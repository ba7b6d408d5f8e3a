/**
 * The SDK's host API client, used by an extension running in a child process: "user says !host … → bot replies
 * with what the kernel service answered". The model is a fake provider speaking the OpenAI wire format.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, startFakeLlm, type ChatHarness, type FakeLlm } from '../../sdk/testing/index.js';

let chat: ChatHarness;
let llm: FakeLlm;

beforeAll(async () => {
  llm = await startFakeLlm({ dimensions: 8, script: [{ reply: 'hello there friend', chunks: ['hello ', 'there ', 'friend'] }] });
  chat = await startChat({ extensions: [join(import.meta.dirname, '../fixtures/host-api-user')] });
  const models = (method: string, args: Record<string, unknown>) => chat.kernel.manager.invoke('services', 'models', method, args) as Promise<{ uuid: string }>;
  const provider = await models('createProvider', { name: 'Fake', requester: 'openai-chat-completions', base_url: llm.url, api_keys: ['sk-test'] });
  await models('createModel', { type: 'llm', name: 'fake-chat', provider_uuid: provider.uuid, abilities: [] });
  await models('createModel', { type: 'embedding', name: 'fake-embedding', provider_uuid: provider.uuid });
}, 60_000);

afterAll(async () => {
  await chat?.stop();
  await llm?.close();
});

describe('hostApi(ctx) in an extension', () => {
  it('invokes an LLM and gets the whole answer with the model that gave it', async () => {
    expect(await chat.user('alice').says('!host llm hi')).toEqual(['[bot] fake-chat: hello there friend (stop)']);
  });

  it('streams an LLM answer piece by piece', async () => {
    expect(await chat.user('alice').says('!host stream hi')).toEqual(['[bot] 3 deltas: hello |there |friend']);
  });

  it('embeds texts', async () => {
    expect(await chat.user('alice').says('!host embed some text')).toEqual(['[bot] 2 vectors of 8']);
  });

  it('keeps values in its own storage', async () => {
    expect(await chat.user('alice').says('!host store remember me')).toEqual(['[bot] remember me in last; after delete: null']);
  });

  it('lists and calls tools', async () => {
    expect(await chat.user('alice').says('!host tools quiet')).toEqual(['[bot] shout listed; {"content":"{\\"text\\":\\"QUIET\\"}"}']);
  });

  it('sends a message through a bot to another chat', async () => {
    const sent = await chat.user('alice').saysAndGet('!host send Meeting at noon');
    expect(sent.map((m) => m.text)).toContainEqual(expect.stringMatching(/^\[bot\] sent via /));
    expect(sent).toContainEqual(expect.objectContaining({ api: 'send_message', text: 'Meeting at noon', args: expect.objectContaining({ target_type: 'group', target_id: 'g-announce' }) }));
  });
});
