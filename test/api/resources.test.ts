import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, startFakeLlm, type ChatHarness, type FakeLlm } from '../../sdk/testing/index.js';
import { ApiClient } from '../support/api-harness.js';

let chat: ChatHarness;
let fake: FakeLlm;
let api: ApiClient;
let token: string;

beforeAll(async () => {
  fake = await startFakeLlm({ script: [{ reply: 'pong' }] });
  chat = await startChat();
  api = new ApiClient(await chat.httpUrl());
  token = await api.signUp();
}, 60_000);
afterAll(async () => {
  await chat?.stop();
  await fake?.close();
});

describe('API: adapters and bots', () => {
  it('lists adapters with their events, APIs and config form', async () => {
    const res = await api.get('/api/v1/platform/adapters', { token });
    const debug = res.body.data.adapters.find((a: { name: string }) => a.name === 'debug-chat');
    expect(debug).toMatchObject({ extension: 'langbot.adapter-debug-chat', supported_events: ['message.received'], streaming: true, webhook: false, config: expect.any(Object) });
    expect((await api.get('/api/v1/platform/adapters/nope', { token })).status).toBe(404);
  });

  it('lists the event handlers a bot rule can name, with their config forms from the manifests', async () => {
    const handlers = (await api.get('/api/v1/platform/event-handlers', { token })).body.data.handlers;
    const pipeline = handlers.find((h: { type: string }) => h.type === 'pipeline');
    expect(pipeline).toMatchObject({ extension: 'langbot.pipeline', label: { en_US: expect.any(String) } });
    expect(pipeline.config.properties).toHaveProperty('pipeline_uuid');
  });

  it('creates, reads, updates and deletes a bot, with its state and recent events', async () => {
    const created = await api.post('/api/v1/platform/bots', { name: 'API bot', adapter: 'harness', adapter_config: { account_id: 'b-9' }, enable: true }, { token });
    expect(created.status).toBe(200);
    const uuid = created.body.data.uuid;
    const got = await api.get(`/api/v1/platform/bots/${uuid}`, { token });
    expect(got.body.data.bot).toMatchObject({ name: 'API bot', status: { state: 'running', account_id: 'b-9' }, adapter_runtime_values: { bot_account_id: 'b-9' } });
    expect((await api.put(`/api/v1/platform/bots/${uuid}`, { name: 'Renamed' }, { token })).body.data.bot.name).toBe('Renamed');
    expect((await api.post(`/api/v1/platform/bots/${uuid}/logs`, { max_count: 5 }, { token })).body.data).toEqual({ logs: [], total_count: 0 });
    expect((await api.delete(`/api/v1/platform/bots/${uuid}`, { token })).status).toBe(200);
    expect((await api.get(`/api/v1/platform/bots/${uuid}`, { token })).status).toBe(404);
  });
});

describe('API: pipelines', () => {
  it('serves metadata for forms, and creates, copies, edits, binds extensions and deletes pipelines', async () => {
    const meta = (await api.get('/api/v1/pipelines/_/metadata', { token })).body.data;
    expect(meta.configs.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['trigger', 'safety', 'ai', 'output']));
    const created = await api.post('/api/v1/pipelines', { name: 'From API' }, { token });
    const uuid = created.body.data.uuid;
    expect(created.body.data.pipeline.config.ai).toBeDefined();
    const copy = await api.post(`/api/v1/pipelines/${uuid}/copy`, {}, { token });
    expect(copy.body.data.pipeline.name).toBe('From API (copy)');
    const bad = await api.put(`/api/v1/pipelines/${uuid}`, { config: { trigger: { misc: { 'combine-quote-message': 'maybe' } } } }, { token });
    expect(bad).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining('combine-quote-message') } });
    expect((await api.put(`/api/v1/pipelines/${uuid}`, { name: 'Renamed' }, { token })).body.data.pipeline.name).toBe('Renamed');
    const bound = await api.put(`/api/v1/pipelines/${uuid}/extensions`, { enable_all_mcp_servers: false, bound_mcp_servers: ['docs'] }, { token });
    expect(bound.body.data).toMatchObject({ enable_all_mcp_servers: false, bound_mcp_servers: ['docs'], enable_all_plugins: true });
    const list = (await api.get('/api/v1/pipelines?sort_by=name&sort_order=ASC', { token })).body.data.pipelines.map((p: { name: string }) => p.name);
    expect(list).toEqual([...list].sort());
    expect((await api.delete(`/api/v1/pipelines/${copy.body.data.uuid}`, { token })).status).toBe(200);
  });
});

describe('API: providers and models', () => {
  it('stores a provider with its key masked, adds a model and tests it against the provider', async () => {
    const requesters = (await api.get('/api/v1/provider/requesters', { token })).body.data.requesters;
    expect(requesters.length).toBeGreaterThan(1);
    const provider = await api.post('/api/v1/provider/providers', { name: 'Fake', requester: 'openai-chat-completions', base_url: fake.url, api_keys: ['sk-secret-123456'] }, { token });
    expect(provider.status, JSON.stringify(provider.body)).toBe(200);
    expect(JSON.stringify(provider.body)).not.toContain('sk-secret-123456');
    const providerUuid = provider.body.data.uuid;
    const model = await api.post('/api/v1/provider/models/llm', { name: 'fake-model', provider_uuid: providerUuid, abilities: ['func_call'] }, { token });
    expect(model.status, JSON.stringify(model.body)).toBe(200);
    const tested = await api.post(`/api/v1/provider/models/llm/${model.body.data.uuid}/test`, {}, { token });
    expect(tested.status, JSON.stringify(tested.body)).toBe(200);
    expect(fake.requests.at(-1)?.headers?.authorization).toBe('Bearer sk-secret-123456');
    expect((await api.get(`/api/v1/provider/models/llm?provider_uuid=${providerUuid}`, { token })).body.data.models).toHaveLength(1);
    expect((await api.get('/api/v1/provider/providers', { token })).body.data.providers[0]).toMatchObject({ llm_count: 1 });
    // Upstream's body names the fallbacks `fallback_models`.
    const backup = await api.post('/api/v1/provider/models/llm', { name: 'backup-model', provider_uuid: providerUuid, fallback_models: [model.body.data.uuid] }, { token });
    expect((await api.get(`/api/v1/provider/models/llm/${backup.body.data.uuid}`, { token })).body.data.model.fallbacks).toEqual([model.body.data.uuid]);
    await api.delete(`/api/v1/provider/models/llm/${backup.body.data.uuid}`, { token });
    expect((await api.delete(`/api/v1/provider/models/llm/${model.body.data.uuid}`, { token })).status).toBe(200);
  });
});

describe('API: extensions', () => {
  it('lists extensions with state and health, shows settings with secrets masked, and reads logs', async () => {
    const list = (await api.get('/api/v1/extensions', { token })).body.data.extensions;
    const debug = list.find((e: { id: string }) => e.id === 'langbot.adapter-debug-chat');
    expect(debug).toMatchObject({ state: 'active', enabled: true, isolation: 'inprocess', contributes: { adapters: ['debug-chat'] }, has_config: true });
    const details = (await api.get('/api/v1/extensions/langbot.adapter-debug-chat', { token })).body.data.extension;
    expect(details.config_form.properties.token.secret).toBe(true);
    const logs = await api.get('/api/v1/extensions/langbot.bots/logs?limit=5', { token });
    expect(logs.status).toBe(200);
    expect(Array.isArray(logs.body.data.logs)).toBe(true);
    expect((await api.get('/api/v1/extensions/no.such', { token })).status).toBe(404);
  });

  it('configures an extension (validated, secret masked, restarted), and disables and re-enables it', async () => {
    const bad = await api.put('/api/v1/extensions/langbot.adapter-debug-chat/config', { config: { port: 99999 } }, { token });
    expect(bad).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining('port') } });
    const saved = await api.put('/api/v1/extensions/langbot.adapter-debug-chat/config', { config: { token: 'debug-secret-1' } }, { token });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data.extension).toMatchObject({ state: 'active', config: { token: '******' } });
    const again = await api.put('/api/v1/extensions/langbot.adapter-debug-chat/config', { config: { ...saved.body.data.extension.config, host: '127.0.0.1' } }, { token });
    expect(again.status).toBe(200);
    expect(JSON.stringify((await api.get('/api/v1/extensions/langbot.adapter-debug-chat', { token })).body)).not.toContain('debug-secret-1');

    expect((await api.post('/api/v1/extensions/langbot.adapter-debug-chat/disable', {}, { token })).body.data.extension).toMatchObject({ enabled: false, state: 'disposed' });
    const adapters = (await api.get('/api/v1/platform/adapters', { token })).body.data.adapters.map((a: { name: string }) => a.name);
    expect(adapters).not.toContain('debug-chat');
    expect((await api.post('/api/v1/extensions/langbot.adapter-debug-chat/enable', {}, { token })).body.data.extension).toMatchObject({ enabled: true, state: 'active' });
    expect((await api.post('/api/v1/extensions/langbot.http/disable', {}, { token })).status).toBe(400);
  });
});

describe('API: MCP servers and tools', () => {
  it('adds a remote MCP server, masks its secret header, lists its tools in the catalog, tests and removes it', async () => {
    const { startMcpHttpServer } = await import('../support/mcp-http-server.js');
    const mcp = await startMcpHttpServer({ token: 'mcp-token-123' });
    try {
      const probe = await api.post('/api/v1/mcp/servers/_/test', { name: 'probe', mode: 'http', extra_args: { url: mcp.url, headers: { Authorization: 'Bearer mcp-token-123' } } }, { token });
      expect(probe.body.data).toMatchObject({ ok: true, tools: expect.arrayContaining([expect.objectContaining({ name: 'get_weather' })]) });
      const created = await api.post('/api/v1/mcp/servers', { name: 'weather', mode: 'http', enable: true, extra_args: { url: mcp.url, headers: { Authorization: 'Bearer mcp-token-123' } } }, { token });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      expect(JSON.stringify(created.body)).not.toContain('mcp-token-123');
      const uuid = created.body.data.uuid;
      await expect.poll(async () => (await api.get(`/api/v1/mcp/servers/${uuid}`, { token })).body.data.server.status, { timeout: 10_000 }).toBe('connected');
      expect((await api.get(`/api/v1/mcp/servers/${uuid}/tools`, { token })).body.data.tools.map((t: { name: string }) => t.name)).toContain('get_weather');
      const catalog = (await api.get('/api/v1/tools', { token })).body.data.tools;
      const weather = catalog.find((t: { original_name: string }) => t.original_name === 'get_weather');
      expect(weather).toMatchObject({ source: 'mcp' });
      expect((await api.get(`/api/v1/tools/${weather.name}`, { token })).body.data.tool.name).toBe(weather.name);
      expect((await api.get(`/api/v1/mcp/servers/${uuid}/logs`, { token })).status).toBe(200);
      expect((await api.delete(`/api/v1/mcp/servers/${uuid}`, { token })).status).toBe(200);
      expect((await api.get(`/api/v1/mcp/servers/${uuid}`, { token })).status).toBe(404);
    } finally {
      await mcp.close();
    }
  });
});
