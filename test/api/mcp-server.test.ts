import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startChat, type ChatHarness } from '../../sdk/testing/index.js';
import { ApiClient } from '../support/api-harness.js';

let chat: ChatHarness;
let api: ApiClient;
let token: string;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  chat = await startChat({ config: { 'langbot.http': { host: '127.0.0.1', port: 0, globalApiKey: 'global-key-for-mcp-tests' } } });
  url = await chat.httpUrl();
  api = new ApiClient(url);
  token = await api.signUp();
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await chat?.stop();
});

const newKey = async (scopes: string[]) => (await api.post('/api/v1/apikeys', { name: `mcp ${scopes.join(' ')}`, scopes }, { token })).body.data.key as string;

async function connect(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

/** Calls a tool; answers its JSON, or `{ error }` with the API's `{code, msg}` when the tool failed. */
async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = (await client.callTool({ name, arguments: args })) as { content: { type: string; text: string }[]; isError?: boolean };
  const text = result.content[0]?.text ?? '';
  if (!result.isError) return JSON.parse(text);
  try {
    return { error: JSON.parse(text) };
  } catch {
    return { error: { msg: text } };
  }
}

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const postRaw = (headers: Record<string, string>) =>
  fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(initialize) });

describe('MCP server at /mcp', () => {
  it('offers the platform’s tools, read-only ones marked, with the fields of each object to send', async () => {
    const client = await connect({ 'x-api-key': await newKey(['resource.view']) });
    expect(client.getServerVersion()?.name).toBe('LangBot');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'get_system_info',
        'list_bots',
        'get_bot',
        'create_bot',
        'update_bot',
        'delete_bot',
        'list_pipelines',
        'get_pipeline',
        'create_pipeline',
        'update_pipeline',
        'delete_pipeline',
        'list_llm_models',
        'get_llm_model',
        'list_embedding_models',
        'list_model_providers',
        'list_mcp_servers',
      ].sort(),
    );
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.list_bots.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.delete_bot.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.update_bot.inputSchema.required).toEqual(['bot_uuid', 'bot_data']);
    expect((byName.create_bot.inputSchema.properties as any).bot_data.description).toContain('adapter (string, required)');
    expect(await call(client, 'get_system_info')).toMatchObject({ edition: 'community', version: expect.any(String) });
  });

  it('lists bots, and creates, reads, changes and deletes pipelines with a key that may manage resources', async () => {
    const key = await newKey(['resource.view', 'resource.manage']);
    const client = await connect({ authorization: `Bearer ${key}` });
    const { bots } = await call(client, 'list_bots');
    expect(bots).toEqual([expect.objectContaining({ uuid: chat.bot_uuid, name: 'Test bot', status: expect.objectContaining({ state: 'running' }) })]);

    const created = await call(client, 'create_pipeline', { pipeline_data: { name: 'Made over MCP', description: 'by an agent' } });
    expect(created).toMatchObject({ uuid: expect.any(String), pipeline: { name: 'Made over MCP', description: 'by an agent' } });
    const { pipeline } = await call(client, 'get_pipeline', { pipeline_uuid: created.uuid });
    expect(pipeline).toMatchObject({ uuid: created.uuid, name: 'Made over MCP', config: { ai: expect.any(Object), trigger: expect.any(Object) } });
    expect((await api.get(`/api/v1/pipelines/${created.uuid}`, { token })).body.data.pipeline).toEqual(pipeline);

    expect((await call(client, 'update_pipeline', { pipeline_uuid: created.uuid, pipeline_data: { name: 'Renamed over MCP' } })).pipeline.name).toBe('Renamed over MCP');
    expect((await call(client, 'list_pipelines')).pipelines.map((p: { name: string }) => p.name)).toContain('Renamed over MCP');
    await call(client, 'delete_pipeline', { pipeline_uuid: created.uuid });
    expect((await call(client, 'get_pipeline', { pipeline_uuid: created.uuid })).error).toMatchObject({ code: 'resource_not_found' });
  });

  it('masks a secret of a bot’s adapter config in every answer, as the REST API does', async () => {
    const client = await connect({ 'x-api-key': 'global-key-for-mcp-tests' });
    const secret = '123456:VERY-SECRET-telegram-token';
    const created = await call(client, 'create_bot', { bot_data: { name: 'Telegram over MCP', adapter: 'telegram', adapter_config: { token: secret }, enable: false } });
    expect(created.bot.adapter_config.token).toBe('******');
    const got = await call(client, 'get_bot', { bot_uuid: created.uuid });
    expect(got.bot).toMatchObject({ name: 'Telegram over MCP', adapter_config: { token: '******' } });
    const listed = await call(client, 'list_bots');
    expect(JSON.stringify([created, got, listed])).not.toContain(secret);
    expect((await api.get(`/api/v1/platform/bots/${created.uuid}`, { token })).body.data.bot.adapter_config).toEqual(got.bot.adapter_config);
    // The masked value sent back keeps the stored secret.
    expect((await call(client, 'update_bot', { bot_uuid: created.uuid, bot_data: { name: 'Still Telegram', adapter_config: got.bot.adapter_config } })).bot.name).toBe('Still Telegram');
    await call(client, 'delete_bot', { bot_uuid: created.uuid });
  });

  it('refuses a tool whose REST route needs a scope the key lacks, and changes nothing', async () => {
    const client = await connect({ 'x-api-key': await newKey(['resource.view']) });
    const before = (await call(client, 'list_pipelines')).pipelines.length;
    const refused = await call(client, 'create_pipeline', { pipeline_data: { name: 'Not allowed' } });
    expect(refused.error).toMatchObject({ code: 'permission_denied', msg: expect.stringContaining('resource.manage') });
    expect((await call(client, 'delete_bot', { bot_uuid: chat.bot_uuid })).error).toMatchObject({ code: 'permission_denied' });
    expect((await call(client, 'list_pipelines')).pipelines).toHaveLength(before);
    expect((await call(client, 'list_bots')).bots).toHaveLength(1);

    const modelsOnly = await connect({ 'x-api-key': await newKey(['runtime.operate']) });
    expect((await call(modelsOnly, 'list_llm_models')).error).toMatchObject({ code: 'permission_denied', msg: expect.stringContaining('resource.view') });
  });

  it('answers bad arguments with a tool error naming the field, checked by the REST route’s schema', async () => {
    const client = await connect({ 'x-api-key': 'global-key-for-mcp-tests' });
    const bad = await call(client, 'create_pipeline', { pipeline_data: { name: 7 } });
    expect(bad.error).toMatchObject({ code: 'bad_request', msg: expect.stringContaining('pipeline_data.name') });
    const missing = await call(client, 'create_bot', { bot_data: { name: 'No adapter' } });
    expect(missing.error).toMatchObject({ code: 'bad_request', msg: expect.stringContaining('bot_data.adapter') });
    expect((await call(client, 'get_bot', {})).error.msg).toContain('bot_uuid');
    expect((await call(client, 'get_llm_model', { model_uuid: 'nope' })).error).toMatchObject({ code: 'resource_not_found' });
    expect(await call(client, 'list_llm_models')).toEqual({ models: [] });
    expect(await call(client, 'list_embedding_models')).toEqual({ models: [] });
    expect(await call(client, 'list_model_providers')).toEqual({ providers: [] });
    expect(await call(client, 'list_mcp_servers')).toEqual({ servers: [] });
  });

  it('answers 401 with WWW-Authenticate: Bearer without an API key, and takes no sign-in token', async () => {
    const none = await postRaw({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toMatchObject({ code: 'invalid_authentication' });
    const withToken = await postRaw({ authorization: `Bearer ${token}` });
    expect(withToken.status).toBe(401);
    expect(withToken.headers.get('www-authenticate')).toBe('Bearer');
    await expect(connect({})).rejects.toThrow();
    expect((await postRaw({ 'x-api-key': 'global-key-for-mcp-tests' })).status).toBe(200);
  });

  it('is stateless: GET and DELETE are answered 405, and no session id is handed out', async () => {
    const key = { 'x-api-key': 'global-key-for-mcp-tests' };
    const initialized = await postRaw(key);
    expect(initialized.headers.get('mcp-session-id')).toBeNull();
    expect(initialized.headers.get('content-type')).toContain('application/json');
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${url}/mcp`, { method, headers: { accept: 'text/event-stream', ...key } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });
});
