import { afterEach, describe, expect, it } from 'vitest';
import { startApiKernel, type ApiKernel } from '../support/api-harness.js';

const running: ApiKernel[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((k) => k.kernel.stop()));
});

async function boot() {
  const booted = await startApiKernel();
  running.push(booted);
  const bots = (method: string, args: Record<string, unknown> = {}) => booted.tool('bots', { method, args });
  return { ...booted, bots, url: booted.api.url };
}

describe('bot adapter config', () => {
  it('is checked against the adapter’s form: the missing field is named and nothing is stored', async () => {
    const { bots } = await boot();
    await expect(bots('create', { name: 'Hook', adapter: 'mock-hook', adapter_config: {} })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('adapter_config') });
    await expect(bots('create', { name: 'Hook', adapter: 'mock-hook', adapter_config: { token: 'x', retries: -1 } })).rejects.toMatchObject({ message: expect.stringContaining('adapter_config.retries') });
    expect(await bots('list')).toEqual([]);
  });

  it('refuses an adapter nobody installed, listing the ones that are', async () => {
    const { bots } = await boot();
    await expect(bots('create', { name: 'X', adapter: 'nope' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/No adapter 'nope'.*mock-hook/) });
  });

  it('fills in defaults, masks secrets in every answer, and keeps the stored secret when the mask comes back', async () => {
    const { bots, tool } = await boot();
    const created = await bots('create', { name: 'Hook', adapter: 'mock-hook', adapter_config: { token: 'hook-secret' }, enable: true });
    expect(created.adapter_config).toEqual({ token: '******', mode: 'polling', retries: 3 });
    expect(JSON.stringify(await bots('list'))).not.toContain('hook-secret');
    const updated = await bots('update', { uuid: created.uuid, adapter_config: { ...created.adapter_config, mode: 'webhook' } });
    expect(updated.adapter_config).toEqual({ token: '******', mode: 'webhook', retries: 3 });
    const starts = (await tool('calls')).filter((c: { method: string }) => c.method === 'start');
    expect(starts.at(-1).args.config).toEqual({ token: 'hook-secret', mode: 'webhook', retries: 3 });
  });
});

describe('webhook ingress /bots/<uuid>', () => {
  it('hands the exact request bytes to the bot’s adapter and sends back its answer', async () => {
    const { bots, tool, url } = await boot();
    const bot = await bots('create', { name: 'Hook', adapter: 'mock-hook', adapter_config: { token: 'hook-secret' }, enable: true });
    const body = '{"b": 1,  "a": "ü"}';
    const res = await fetch(`${url}/bots/${bot.uuid}/sync?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Sig': 'abc' }, body });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-mock')).toBe('yes');
    expect(await res.json()).toEqual({ code: 0, msg: 'accepted', data: { length: Buffer.byteLength(body), token_ok: true } });
    const call = (await tool('calls')).find((c: { method: string }) => c.method === 'handle_webhook');
    expect(call.args).toMatchObject({ bot_uuid: bot.uuid, method: 'POST', path: '/sync', query: { x: '1' }, headers: { 'x-sig': 'abc' } });
    expect(Buffer.from(call.args.body, 'base64').toString('utf8')).toBe(body);
  });

  it('answers 404 for an unknown bot or an adapter without webhooks, and 503 for a stopped bot', async () => {
    const { bots, url } = await boot();
    expect((await fetch(`${url}/bots/nobody`, { method: 'POST', body: '{}' })).status).toBe(404);
    const plain = await bots('create', { name: 'Plain', adapter: 'mock', enable: true });
    expect((await fetch(`${url}/bots/${plain.uuid}`, { method: 'POST', body: '{}' })).status).toBe(404);
    const off = await bots('create', { name: 'Off', adapter: 'mock-hook', adapter_config: { token: 'hook-secret' }, enable: false });
    const res = await fetch(`${url}/bots/${off.uuid}`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { msg: string }).msg).toContain('not running');
  });

  it('serves /healthz without authentication', async () => {
    const { url } = await boot();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 0, msg: 'ok' });
  });
});
