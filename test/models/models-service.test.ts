import { describe, expect, it } from 'vitest';
import { fakeLlm, kernel, modelsOf, textOf } from './support.js';

describe('models service', () => {
  it('stores providers with masked keys; a masked key sent back keeps the stored one', async () => {
    const harness = await kernel();
    const models = modelsOf(harness);
    const created = await models.call('createProvider', { name: 'OpenAI', requester: 'openai-chat-completions', api_keys: ['sk-live-abcdef123456'] });
    expect(created.api_keys).toEqual(['sk-l…3456']);
    expect(JSON.stringify(await models.call('listProviders'))).not.toContain('abcdef');
    const updated = await models.call('updateProvider', { uuid: created.uuid, api_keys: ['sk-l…3456', 'sk-second-key-9999'] });
    expect(updated.api_keys).toEqual(['sk-l…3456', 'sk-s…9999']);
    expect((await models.call('listProviders'))[0]).toMatchObject({ llm_count: 0, embedding_count: 0, rerank_count: 0 });
  });

  it('validates models and refuses to delete a provider still in use', async () => {
    const harness = await kernel();
    const models = modelsOf(harness);
    const provider = await models.call('createProvider', { name: 'P', requester: 'openai-chat-completions' });
    await expect(models.call('createModel', { type: 'llm', name: 'm', provider_uuid: provider.uuid, abilities: ['telepathy'] })).rejects.toMatchObject({ message: expect.stringContaining('Unknown abilities: telepathy') });
    await expect(models.call('createModel', { type: 'llm', name: 'm', provider_uuid: provider.uuid, reasoning_config: { level: 'ultra' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(models.call('createModel', { type: 'llm', name: 'm', provider_uuid: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(models.call('createModel', { type: 'llm', name: 'm', provider_uuid: provider.uuid, reasoning_config: { level: 'high' }, extra_args: { extra_body: { enable_thinking: true } } })).rejects.toMatchObject({
      message: expect.stringContaining('Reasoning is set twice'),
    });
    const model = await models.call('createModel', { type: 'llm', name: 'gpt', provider_uuid: provider.uuid, abilities: ['vision', 'func_call'], context_length: 128000 });
    await expect(models.call('deleteProvider', { uuid: provider.uuid })).rejects.toMatchObject({ message: expect.stringContaining('used by 1 model(s): gpt') });
    await models.call('deleteModel', { type: 'llm', uuid: model.uuid });
    expect(await models.call('deleteProvider', { uuid: provider.uuid })).toEqual({ deleted: true });
  });

  it('rotates API keys and moves to the next key when one is refused', async () => {
    const fake = await fakeLlm({ apiKeys: ['sk-good-000000002'], script: [{ reply: 'ok' }] });
    const harness = await kernel();
    const models = modelsOf(harness);
    const provider = await models.call('createProvider', { name: 'P', requester: 'openai-chat-completions', base_url: fake.url, api_keys: ['sk-bad-0000000001', 'sk-good-000000002'] });
    const model = await models.call('createModel', { type: 'llm', name: 'm', provider_uuid: provider.uuid });
    for (let i = 0; i < 3; i++) expect(textOf(await models.chat({ model: model.uuid, messages: [{ role: 'user', content: 'hi' }] }))).toBe('ok');
    const keys = fake.requests.map((r) => String(r.headers.authorization));
    // Turns alternate which key goes first; the refused key is followed by the good one.
    expect(keys).toEqual(['Bearer sk-bad-0000000001', 'Bearer sk-good-000000002', 'Bearer sk-good-000000002', 'Bearer sk-bad-0000000001', 'Bearer sk-good-000000002']);
  });

  it('tries fallback models in order until one answers, and says which one did', async () => {
    const fake = await fakeLlm({ script: [{ model: 'broken', error: { status: 500, message: 'down' } }, { model: 'missing', error: { status: 404, code: 'model_not_found' } }, { reply: 'from {model}' }] });
    const harness = await kernel();
    const models = modelsOf(harness);
    const provider = await models.call('createProvider', { name: 'P', requester: 'openai-chat-completions', base_url: fake.url });
    const broken = await models.call('createModel', { type: 'llm', name: 'broken', provider_uuid: provider.uuid });
    const missing = await models.call('createModel', { type: 'llm', name: 'missing', provider_uuid: provider.uuid });
    const good = await models.call('createModel', { type: 'llm', name: 'good', provider_uuid: provider.uuid });
    const items = await models.chat({ model: { primary: broken.uuid, fallbacks: [missing.uuid, good.uuid] }, messages: [{ role: 'user', content: 'hi' }] });
    expect(items[0]).toMatchObject({ type: 'model', name: 'good' });
    expect(textOf(items)).toBe('from good');
    // A model's own fallbacks apply when the request names none.
    await models.call('updateModel', { type: 'llm', uuid: broken.uuid, fallbacks: [good.uuid] });
    expect(textOf(await models.chat({ model: broken.uuid, messages: [{ role: 'user', content: 'hi' }] }))).toBe('from good');
    // All failing: one error listing each model's reason.
    await expect(models.chat({ model: { primary: broken.uuid, fallbacks: [missing.uuid] }, messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      message: expect.stringMatching(/Every model failed\. broken: .*HTTP 500.* \| missing: .*does not know the model 'missing'/),
    });
  });

  it('commits to a model once its stream has started, and gives tools only to models that can call them', async () => {
    const fake = await fakeLlm({ script: [{ model: 'flaky', chunks: ['a', 'b', 'c'], chunkDelayMs: 100, dropAfterChunks: 1 }, { reply: 'fallback' }] });
    const harness = await kernel();
    const models = modelsOf(harness);
    const provider = await models.call('createProvider', { name: 'P', requester: 'openai-chat-completions', base_url: fake.url });
    const flaky = await models.call('createModel', { type: 'llm', name: 'flaky', provider_uuid: provider.uuid });
    const other = await models.call('createModel', { type: 'llm', name: 'other', provider_uuid: provider.uuid });
    await expect(models.chat({ model: { primary: flaky.uuid, fallbacks: [other.uuid] }, messages: [{ role: 'user', content: 'hi' }], stream: true })).rejects.toBeDefined();
    expect(fake.requests.filter((r) => r.body.model === 'other')).toHaveLength(0);
    await models.chat({ model: other.uuid, messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 't', description: 'd', parameters: { type: 'object' } }] });
    expect(fake.requests.at(-1)!.body.tools).toBeUndefined();
  });

  it('tests a model and records LLM calls for monitoring', async () => {
    const fake = await fakeLlm({ script: [{ reply: 'pong' }] });
    const harness = await kernel();
    const models = modelsOf(harness);
    const provider = await models.call('createProvider', { name: 'P', requester: 'openai-chat-completions', base_url: fake.url });
    const model = await models.call('createModel', { type: 'llm', name: 'm', provider_uuid: provider.uuid });
    expect(await models.call('testModel', { type: 'llm', uuid: model.uuid })).toMatchObject({ ok: true, reply: 'pong' });
    const dead = await models.call('createProvider', { name: 'D', requester: 'openai-chat-completions', base_url: 'http://127.0.0.1:9/v1' });
    const deadModel = await models.call('createModel', { type: 'llm', name: 'd', provider_uuid: dead.uuid });
    expect(await models.call('testModel', { type: 'llm', uuid: deadModel.uuid })).toMatchObject({ ok: false, code: 'PROVIDER_UNAVAILABLE' });
    const rows = (await harness.kernel.manager.invoke('services', 'persistence', 'execute', { sql: 'select model_name, status from monitoring_llm_calls order by timestamp' })) as { rows: { model_name: string; status: string }[] };
    expect(rows.rows).toEqual([
      { model_name: 'm', status: 'success' },
      { model_name: 'd', status: 'error' },
    ]);
  });
});
