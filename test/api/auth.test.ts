import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startApiKernel, type ApiKernel } from '../support/api-harness.js';

const running: ApiKernel[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((k) => k.kernel.stop()));
});
async function boot(http?: Record<string, unknown>) {
  const k = await startApiKernel({ http });
  running.push(k);
  return k;
}

/** Routes anyone may call; everything else must refuse a caller without valid credentials. */
const PUBLIC = new Set([
  'GET /api/v1/system/info', 'GET /api/v1/user/init', 'POST /api/v1/user/init', 'POST /api/v1/user/auth', 'GET /api/v1/user/account-info', 'POST /api/v1/user/reset-password',
  // The embed widget's routes serve visitors of other sites, who cannot sign in: each checks the bot (web_page_bot,
  // enabled, with a pipeline), and history, reset and feedback need the visitor's session token (test/api/embed.test.ts).
  'GET /api/v1/embed/logo', 'GET /api/v1/embed/:bot_uuid/widget.js', 'POST /api/v1/embed/:bot_uuid/turnstile/verify',
  'GET /api/v1/embed/:bot_uuid/messages/:session_type', 'POST /api/v1/embed/:bot_uuid/reset/:session_type', 'POST /api/v1/embed/:bot_uuid/feedback',
]);
const fill = (url: string) => url.replace(/:(\w+)/g, 'x-$1');

describe('first run and sign-in', () => {
  it('creates the owner account once, refuses weak passwords, and signs in with the right password only', async () => {
    const { api } = await boot();
    expect((await api.get('/api/v1/user/init')).body).toEqual({ code: 0, msg: 'ok', data: { initialized: false } });
    const weak = await api.post('/api/v1/user/init', { user: 'me@example.com', password: 'short' });
    expect(weak).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining('8 characters') } });
    expect((await api.post('/api/v1/user/init', { user: 'not-an-email', password: 'long enough 1' })).status).toBe(400);
    expect((await api.post('/api/v1/user/init', { user: 'me@example.com', password: 'long enough 1' })).body).toEqual({ code: 0, msg: 'ok', data: {} });
    expect((await api.get('/api/v1/user/init')).body.data).toEqual({ initialized: true });
    expect((await api.post('/api/v1/user/init', { user: 'other@example.com', password: 'long enough 2' })).body).toEqual({ code: 1, msg: 'System already initialized' });

    expect(await api.post('/api/v1/user/auth', { user: 'me@example.com', password: 'wrong password 1' })).toMatchObject({ status: 401, body: { code: 1, msg: 'Invalid username or password' } });
    expect((await api.post('/api/v1/user/auth', { user: 'nobody@example.com', password: 'long enough 1' })).status).toBe(401);
    const login = await api.post('/api/v1/user/auth', { user: 'ME@example.com ', password: 'long enough 1' });
    expect(login.status).toBe(200);
    const token = login.body.data.token as string;
    expect((await api.get('/api/v1/user/info', { token })).body.data).toMatchObject({ user: 'me@example.com', account_type: 'local' });
    const refreshed = await api.get('/api/v1/user/check-token', { token });
    expect(refreshed.body.data.token).toEqual(expect.any(String));
  });

  it('changes the password only with the current one, and recovers it only with the configured recovery key', async () => {
    const { api } = await boot({ recoveryKey: 'recover-me-please' });
    const token = await api.signUp('me@example.com', 'first pass 1');
    expect((await api.post('/api/v1/user/change-password', { current_password: 'nope', new_password: 'second pass 2' }, { token })).status).toBe(400);
    expect((await api.post('/api/v1/user/change-password', { current_password: 'first pass 1', new_password: 'second pass 2' }, { token })).status).toBe(200);
    expect((await api.post('/api/v1/user/auth', { user: 'me@example.com', password: 'second pass 2' })).status).toBe(200);

    expect((await api.post('/api/v1/user/reset-password', { user: 'me@example.com', recovery_key: 'guess', new_password: 'third pass 3' })).status).toBe(400);
    expect((await api.post('/api/v1/user/reset-password', { user: 'me@example.com', recovery_key: 'recover-me-please', new_password: 'third pass 3' })).status).toBe(200);
    expect((await api.post('/api/v1/user/auth', { user: 'me@example.com', password: 'third pass 3' })).status).toBe(200);
  });

  it('turns password recovery off when no recovery key is configured', async () => {
    const { api } = await boot();
    await api.signUp();
    const res = await api.post('/api/v1/user/reset-password', { user: 'owner@example.com', recovery_key: '', new_password: 'whatever 12' });
    expect(res).toMatchObject({ status: 403, body: { code: 'recovery_disabled' } });
  });

  it('stores no password in clear text', async () => {
    const booted = await boot();
    await booted.api.signUp('me@example.com', 'plain text 123');
    // Stopping saves the database file; the account is in it, the password is not.
    await booted.kernel.stop();
    running.splice(running.indexOf(booted), 1);
    const files = readdirSync(booted.dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    const contents = files.map((f) => readFileSync(join(f.parentPath, f.name)));
    expect(contents.some((c) => c.includes('me@example.com'))).toBe(true);
    expect(contents.some((c) => c.includes('plain text 123'))).toBe(false);
  });
});

describe('every API route requires authentication except the public ones', () => {
  it('refuses callers without credentials, with a forged or foreign token, and with a revoked or expired key', async () => {
    const { api, tool } = await boot();
    const token = await api.signUp();
    const routes = (await tool('httpRoutes')) as { method: string; url: string; auth: string }[];
    expect(routes.length).toBeGreaterThan(10);
    const forged = await new SignJWT({ user: 'owner@example.com' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('langbot-core').setAudience('langbot-instance:other').setExpirationTime('1h').sign(new TextEncoder().encode('not-the-secret'));
    const revoked = (await api.post('/api/v1/apikeys', { name: 'soon revoked' }, { token })).body.data;
    await api.put(`/api/v1/apikeys/${revoked.uuid}`, { status: 'revoked' }, { token });

    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      const call = (cred: Record<string, string>) => api.request(route.method, fill(route.url), { ...cred, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} }) });
      if (PUBLIC.has(name)) {
        expect(route.auth, name).toBe('none');
        continue;
      }
      expect(route.auth, `${name} is not in the public list`).not.toBe('none');
      for (const [label, cred] of [
        ['no credentials', {}],
        ['a forged token', { token: forged }],
        ['garbage', { token: 'garbage' }],
        ['a revoked key', { key: revoked.key }],
      ] as const) {
        const res = await call(cred as Record<string, string>);
        expect(res.status, `${name} with ${label}`).toBe(401);
        expect(res.body.code, `${name} with ${label}`).toBe('invalid_authentication');
      }
    }
  });
});

describe('the MCP server at /mcp takes API keys only', () => {
  it('refuses no credentials, a forged or sign-in token, garbage and a revoked key with 401 and WWW-Authenticate', async () => {
    const { api } = await boot();
    const token = await api.signUp();
    const forged = await new SignJWT({ user: 'owner@example.com' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('langbot-core').setAudience('langbot-instance:other').setExpirationTime('1h').sign(new TextEncoder().encode('not-the-secret'));
    const revoked = (await api.post('/api/v1/apikeys', { name: 'soon revoked' }, { token })).body.data;
    await api.put(`/api/v1/apikeys/${revoked.uuid}`, { status: 'revoked' }, { token });
    const valid = (await api.post('/api/v1/apikeys', { name: 'agent', scopes: ['resource.view'] }, { token })).body.data.key;
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'auth-test', version: '1' } } };
    const call = (method: string, cred: Record<string, string>) =>
      api.request(method, '/mcp', { ...cred, headers: { accept: 'application/json, text/event-stream' }, ...(method === 'POST' ? { body: initialize } : {}) });

    for (const method of ['POST', 'GET', 'DELETE']) {
      for (const [label, cred] of [
        ['no credentials', {}],
        ['a forged token', { token: forged }],
        ['a sign-in token', { token }],
        ['garbage', { key: 'garbage' }],
        ['a revoked key', { key: revoked.key }],
      ] as const) {
        const res = await call(method, cred as Record<string, string>);
        expect(res.status, `${method} /mcp with ${label}`).toBe(401);
        expect(res.body.code, `${method} /mcp with ${label}`).toBe('invalid_authentication');
        expect(res.headers.get('www-authenticate'), `${method} /mcp with ${label}`).toBe('Bearer');
      }
    }
    expect((await call('POST', { key: valid })).status).toBe(200);
  });
});

describe('API keys', () => {
  it('shows the secret once, stores only its hash, and honours scopes, revocation and expiry', async () => {
    const { api } = await boot();
    const token = await api.signUp();
    const created = await api.post('/api/v1/apikeys', { name: 'reader', scopes: ['resource.view'] }, { token });
    expect(created.status).toBe(200);
    const { key, uuid } = created.body.data;
    expect(key).toMatch(/^lbk_[\w-]{40,}$/);
    const listed = await api.get('/api/v1/apikeys', { token });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.data.keys).toEqual([expect.objectContaining({ uuid, name: 'reader', scopes: ['resource.view'], status: 'active' })]);

    expect((await api.get('/api/v1/platform/bots', { key })).status).toBe(200);
    expect((await api.get('/api/v1/platform/bots', { token: key })).status).toBe(200);
    const denied = await api.post('/api/v1/platform/bots', { name: 'b', adapter: 'mock' }, { key });
    expect(denied).toMatchObject({ status: 403, body: { code: 'permission_denied', msg: expect.stringContaining('resource.manage') } });
    // Keys manage nothing about keys: that takes a signed-in user.
    expect((await api.get('/api/v1/apikeys', { key })).status).toBe(401);
    expect((await api.get('/api/v1/apikeys', { token })).body.data.keys[0].last_used_at).toEqual(expect.any(String));

    await api.put(`/api/v1/apikeys/${uuid}`, { status: 'revoked' }, { token });
    expect((await api.get('/api/v1/platform/bots', { key })).status).toBe(401);

    const past = await api.post('/api/v1/apikeys', { name: 'old', expires_at: '2001-01-01T00:00:00Z' }, { token });
    expect(past.status).toBe(400);
    expect((await api.delete(`/api/v1/apikeys/${uuid}`, { token })).status).toBe(200);
    expect((await api.delete(`/api/v1/apikeys/${uuid}`, { token })).status).toBe(404);
  });

  it('sends messages only with an API key holding runtime.operate', async () => {
    const { api, tool } = await boot();
    const token = await api.signUp();
    const bot = (await api.post('/api/v1/platform/bots', { name: 'Echo', adapter: 'mock', enable: true }, { token })).body.data;
    const body = { target_type: 'group', target_id: 'g-1', message_chain: [{ type: 'Plain', text: 'hi' }] };
    expect((await api.post(`/api/v1/platform/bots/${bot.uuid}/send_message`, body, { token })).status).toBe(401);
    const reader = (await api.post('/api/v1/apikeys', { name: 'reader', scopes: ['resource.view'] }, { token })).body.data.key;
    expect((await api.post(`/api/v1/platform/bots/${bot.uuid}/send_message`, body, { key: reader })).status).toBe(403);
    const operator = (await api.post('/api/v1/apikeys', { name: 'op', scopes: ['runtime.operate'] }, { token })).body.data.key;
    expect((await api.post(`/api/v1/platform/bots/${bot.uuid}/send_message`, body, { key: operator })).body).toEqual({ code: 0, msg: 'ok', data: { sent: true } });
    const sent = (await tool('calls')).filter((c: { method: string }) => c.method === 'send_message');
    expect(sent.at(-1).args).toMatchObject({ target_type: 'group', target_id: 'g-1', message: [{ type: 'Plain', text: 'hi' }] });
  });

  it('accepts the configured global key with every permission', async () => {
    const { api } = await boot({ globalApiKey: 'global-key-for-automation' });
    await api.signUp();
    expect((await api.post('/api/v1/platform/bots', { name: 'b', adapter: 'mock' }, { key: 'global-key-for-automation' })).status).toBe(200);
    expect((await api.get('/api/v1/platform/bots', { key: 'global-key-for-automatioN' })).status).toBe(401);
  });
});

describe('request validation and the OpenAPI document', () => {
  it('answers a malformed body with 400 naming the field, and an unknown route with 404, in the envelope', async () => {
    const { api } = await boot();
    const token = await api.signUp();
    const bad = await api.post('/api/v1/apikeys', { name: 7 }, { token });
    expect(bad).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining('name') } });
    expect(await api.get('/api/v1/nothing-here', { token })).toMatchObject({ status: 404, body: { code: 'resource_not_found' } });
    const adapterErr = await api.post('/api/v1/platform/bots', { name: 'x', adapter: 'nope' }, { token });
    expect(adapterErr).toMatchObject({ status: 400, body: { code: 'bad_request', msg: expect.stringContaining("No adapter 'nope'") } });
  });

  it('publishes /api/openapi.json generated from the schemas that validate requests', async () => {
    const { api } = await boot();
    const doc = (await api.get('/api/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    const create = doc.paths['/api/v1/apikeys'].post;
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(create.requestBody.content['application/json'].schema.required).toContain('name');
    expect(doc.paths['/api/v1/platform/bots/{uuid}'].get.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
    expect(doc.paths['/api/v1/user/auth'].post.security).toEqual([]);
  });
});
