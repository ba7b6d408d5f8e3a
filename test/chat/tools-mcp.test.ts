import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ChatHarness } from '../../sdk/testing/index.js';
import { startMcpHttpServer } from '../support/mcp-http-server.js';
import { FIXTURES, chat } from './support.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const service = (bot: ChatHarness, name: string, method: string, args: Record<string, unknown> = {}) => bot.kernel.manager.invoke('services', name, method, args, { timeoutMs: 30_000 }) as Promise<any>;

async function remote(token?: string) {
  const server = await startMcpHttpServer({ token });
  closers.push(() => server.close());
  return server;
}

describe('tools service', () => {
  it('lists extension tools and MCP tools; a name taken already is qualified by its server, with a warning', async () => {
    const mcp = await remote();
    const bot = await chat({ extensions: [join(FIXTURES, 'weather-tool')] });
    const server = await service(bot, 'mcp', 'create', { name: 'weather-mcp', mode: 'remote', extra_args: { url: mcp.url } });
    expect(server).toMatchObject({ status: 'connected', tool_count: 2, resource_count: 1 });
    const tools = await service(bot, 'tools', 'list', {});
    const names = tools.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['get_weather', 'weather-mcp__get_weather', 'explode', 'langbot_mcp_list_resources', 'langbot_mcp_read_resource']));
    expect(tools.find((t: { name: string }) => t.name === 'get_weather')).toMatchObject({ source: 'extension', owner: 'test.weather-tool' });
    expect(tools.find((t: { name: string }) => t.name === 'weather-mcp__get_weather')).toMatchObject({ source: 'mcp', original_name: 'get_weather', namespace: 'weather-mcp' });
    expect(bot.logs.join('\n')).toMatch(/Two tools are named 'get_weather' \(from test.weather-tool and langbot.mcp\); the second is offered as 'weather-mcp__get_weather'/);

    expect(await service(bot, 'tools', 'call', { name: 'weather-mcp__get_weather', arguments: { city: 'Lyon' } })).toEqual({ content: 'MCP says Lyon is rainy' });
    expect((await service(bot, 'tools', 'call', { name: 'get_weather', arguments: { city: 'Paris' } })).content).toContain('sunny');
    expect(await service(bot, 'tools', 'call', { name: 'explode', arguments: {} })).toEqual({ content: 'kaboom', is_error: true });
    expect((await service(bot, 'tools', 'call', { name: 'langbot_mcp_read_resource', arguments: { uri: 'note://today' } })).content).toBe('Remember the meeting at 10.');
  });

  it('tells the model about bad arguments instead of calling the tool, and refuses unknown tools', async () => {
    const bot = await chat({ extensions: [join(FIXTURES, 'weather-tool')] });
    const bad = await service(bot, 'tools', 'call', { name: 'get_weather', arguments: { town: 'Paris' } });
    expect(bad).toMatchObject({ is_error: true, content: expect.stringContaining("must have required property 'city'") });
    await expect(service(bot, 'tools', 'call', { name: 'nope', arguments: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const rows = (await service(bot, 'persistence', 'execute', { sql: 'select tool_name, status from monitoring_tool_calls' })).rows;
    expect(rows).toEqual([{ tool_name: 'get_weather', status: 'error' }]);
  });

  it('applies one permission policy to listing and calling', async () => {
    const policy = [
      { tools: ['get_*'], effect: 'deny', callers: ['pipeline:locked'] },
      { tools: ['explode'], effect: 'deny' },
    ];
    const mcp = await remote();
    const bot = await chat({ extensions: [join(FIXTURES, 'weather-tool')], config: { 'langbot.tools': { policy } } });
    await service(bot, 'mcp', 'create', { name: 'm', mode: 'http', extra_args: { url: mcp.url } });
    const open = (await service(bot, 'tools', 'list', { context: { pipeline_uuid: 'open' } })).map((t: { name: string }) => t.name);
    const locked = (await service(bot, 'tools', 'list', { context: { pipeline_uuid: 'locked' } })).map((t: { name: string }) => t.name);
    expect(open).toContain('get_weather');
    expect(open).not.toContain('explode');
    expect(locked).not.toContain('get_weather');
    await expect(service(bot, 'tools', 'call', { name: 'get_weather', arguments: { city: 'Paris' }, context: { pipeline_uuid: 'locked' } })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(service(bot, 'tools', 'call', { name: 'explode', arguments: {} })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});

describe('per-pipeline selection', () => {
  it('limits extension tools to chosen extensions and MCP tools to chosen servers', async () => {
    const mcp = await remote();
    const bot = await chat({ extensions: [join(FIXTURES, 'weather-tool')] });
    await service(bot, 'mcp', 'create', { name: 'a', mode: 'http', extra_args: { url: mcp.url } });
    await service(bot, 'mcp', 'create', { name: 'b', mode: 'http', extra_args: { url: mcp.url } });
    const names = async (preferences: Record<string, unknown>) => (await service(bot, 'tools', 'list', { preferences })).map((t: { name: string }) => t.name).sort();
    expect(await names({})).toEqual(expect.arrayContaining(['get_weather', 'a__get_weather', 'b__get_weather', 'explode', 'b__explode']));
    const onlyB = await names({ enable_all_mcp_servers: false, mcp_servers: ['b'], enable_all_plugins: false, plugins: [] });
    expect(onlyB).not.toContain('get_weather');
    expect(onlyB).not.toContain('explode');
    expect(onlyB).toEqual(expect.arrayContaining(['b__get_weather', 'b__explode']));
    expect(await names({ enable_all_plugins: false, plugins: ['test.weather-tool'], enable_all_mcp_servers: false, mcp_servers: [] })).toEqual(['get_weather']);
  });
});

describe('MCP server management', () => {
  it('tests a server before saving it, masks secret headers, and reports a refused connection with logs', async () => {
    const mcp = await remote('s3cret');
    const bot = await chat();
    const ok = await service(bot, 'mcp', 'test', { name: 'probe', mode: 'http', extra_args: { url: mcp.url, headers: { Authorization: 'Bearer s3cret' } } });
    expect(ok).toMatchObject({ ok: true, resources: 1 });
    expect(ok.tools.map((t: { name: string }) => t.name).sort()).toEqual(['explode', 'get_weather']);
    const refused = await service(bot, 'mcp', 'test', { name: 'probe', mode: 'http', extra_args: { url: mcp.url, timeout: 3 } });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/401|nauthorized/) });

    const saved = await service(bot, 'mcp', 'create', { name: 'secure', mode: 'http', extra_args: { url: mcp.url, headers: { Authorization: 'Bearer s3cret' } } });
    expect(saved.extra_args.headers).toEqual({ Authorization: '***' });
    expect(saved.status).toBe('connected');
    // Sending the masked value back keeps the secret; the server stays reachable.
    const updated = await service(bot, 'mcp', 'update', { uuid: saved.uuid, readme: 'notes', extra_args: { url: mcp.url, headers: { Authorization: '***' } } });
    expect(updated.status).toBe('connected');
  });

  it('disables and re-enables a server, and keeps its servers across a restart', async () => {
    const mcp = await remote();
    const first = await chat();
    const server = await service(first, 'mcp', 'create', { name: 'w', mode: 'remote', extra_args: { url: mcp.url } });
    expect((await service(first, 'mcp', 'update', { uuid: server.uuid, enable: false })).status).toBe('disabled');
    expect((await service(first, 'tools', 'list', {})).map((t: { name: string }) => t.name)).not.toContain('explode');
    expect((await service(first, 'mcp', 'update', { uuid: server.uuid, enable: true })).status).toBe('connected');
    expect((await service(first, 'mcp', 'logs', { uuid: server.uuid })).map((l: { line: string }) => l.line).join('\n')).toMatch(/Connected: 2 tool\(s\), 1 resource\(s\)/);
    await first.stop();
    const second = await chat({ dataDir: first.dataDir });
    await expect.poll(async () => (await service(second, 'mcp', 'get', { uuid: server.uuid })).status, { timeout: 5_000 }).toBe('connected');
  });

  it('refuses bad definitions with clear messages, and stdio when it is turned off', async () => {
    const bot = await chat({ config: { 'langbot.mcp': { stdioEnabled: false } } });
    await expect(service(bot, 'mcp', 'create', { name: 'has space', mode: 'stdio', extra_args: { command: 'x' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('`name`') });
    await expect(service(bot, 'mcp', 'create', { name: 'a', mode: 'carrier-pigeon', extra_args: {} })).rejects.toMatchObject({ message: expect.stringContaining('`mode` must be one of') });
    await expect(service(bot, 'mcp', 'create', { name: 'a', mode: 'remote', extra_args: {} })).rejects.toMatchObject({ message: expect.stringContaining('needs `extra_args.url`') });
    const stdio = await service(bot, 'mcp', 'create', { name: 'local', mode: 'stdio', extra_args: { command: 'node' } });
    expect(stdio).toMatchObject({ status: 'failed', last_error: expect.stringContaining('turned off') });
  });
});
