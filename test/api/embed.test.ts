import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';
import { startChat, type ChatHarness } from '../../sdk/testing/index.js';
import { issueSessionToken, sessionKey, verifySessionToken, SESSION_TTL_SECONDS } from '../../extensions/adapters/web-page/session-token.js';
import { webPageAdapter } from '../../extensions/adapters/web-page/adapter.js';
import { readManifest } from '../../kernel/manifest/index.js';
import { BotRegistry, checkAdapterDeclarations } from '../../sdk/index.js';
import { ApiClient } from '../support/api-harness.js';

/** Cloudflare's siteverify, as a local fake: `good-token` passes for the secret `turnstile-secret`. */
class FakeTurnstile {
  readonly requests: URLSearchParams[] = [];
  down = false;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeTurnstile> {
    const server = createServer();
    const fake = new FakeTurnstile(server);
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        fake.requests.push(form);
        if (fake.down) return res.writeHead(503).end('unavailable');
        const success = form.get('secret') === 'turnstile-secret' && form.get('response') === 'good-token';
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(success ? { success: true } : { success: false, 'error-codes': ['invalid-input-response'] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/turnstile/v0/siteverify`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

type Frame = { type: string; [key: string]: any };

let chat: ChatHarness;
let api: ApiClient;
let owner: string;
let turnstile: FakeTurnstile;
let bot: string;

async function createBot(fields: { adapter_config?: Record<string, unknown>; enable?: boolean; event_handlers?: unknown[]; adapter?: string } = {}): Promise<string> {
  const res = await api.post(
    '/api/v1/platform/bots',
    {
      name: `Site bot ${randomUUID().slice(0, 4)}`,
      adapter: fields.adapter ?? 'web_page_bot',
      adapter_config: fields.adapter_config ?? {},
      enable: fields.enable ?? true,
      event_handlers: fields.event_handlers ?? [{ event_type: 'message.received', handler_type: 'pipeline', handler_config: { pipeline_uuid: chat.pipeline_uuid } }],
    },
    { token: owner },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.uuid;
}

async function sessionToken(uuid = bot, origin?: string): Promise<string> {
  const res = await api.post(`/api/v1/embed/${uuid}/turnstile/verify`, { token: '' }, origin ? { headers: { origin } } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.token;
}

function connect(uuid: string, session_id: string, options: { type?: 'person' | 'group'; origin?: string } = {}) {
  const url = `${api.url.replace(/^http/, 'ws')}/api/v1/embed/${uuid}/ws/connect?session_type=${options.type ?? 'person'}&session_id=${session_id}`;
  const ws = new WebSocket(url, options.origin ? { headers: { origin: options.origin } } : {});
  const frames: Frame[] = [];
  let closed: number | undefined;
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  ws.on('close', (code) => (closed = code));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = async (predicate: (frames: Frame[]) => boolean) => {
    await expect.poll(() => predicate(frames), { timeout: 8_000 }).toBe(true);
    return frames;
  };
  const send = (frame: unknown) => ws.send(JSON.stringify(frame));
  /** Opens, authenticates and waits for `connected`. */
  const ready = async (token: string) => {
    await opened;
    send({ type: 'authenticate', token });
    await until((f) => f.some((x) => x.type === 'connected'));
  };
  return { ws, frames, opened, until, send, ready, closed: () => closed };
}

const logsOf = async (uuid: string) => (await api.post(`/api/v1/platform/bots/${uuid}/logs`, { max_count: 100 }, { token: owner })).body.data.logs as { event: Record<string, any> }[];

beforeAll(async () => {
  turnstile = await FakeTurnstile.start();
  chat = await startChat({
    script: [{ match: '^count$', reply: 'earlier messages: {history}' }, { chunks: ['Hel', 'lo ', 'there'] }],
    config: { 'langbot.adapter-web-page': { turnstileVerifyUrl: turnstile.url } },
  });
  api = new ApiClient(await chat.httpUrl());
  owner = await api.signUp();
  bot = await createBot({ adapter_config: { title: 'Help </script> desk', language: 'zh_Hans', bubble_icon: 'robot', welcome_message: '你好！' } });
}, 60_000);
afterAll(async () => {
  await chat?.stop();
  await turnstile?.close();
});

describe('the widget script', () => {
  it('is valid JavaScript templated with the bot, its locale and settings, and a logo is served', async () => {
    const res = await fetch(`${api.url}/api/v1/embed/${bot}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    const src = await res.text();
    expect(() => new Function(src)).not.toThrow();
    expect(src).not.toMatch(/__LANGBOT_[A-Z_]+__/);
    expect(src).toContain(`var BOT_UUID = ${JSON.stringify(bot)};`);
    expect(src).toContain(`var LOCALE = "zh_Hans";`);
    expect(src).toContain(`var BASE_URL = ${JSON.stringify(api.url)};`);
    expect(src).toContain('var BUBBLE_ICON = "robot";');
    // A setting cannot close the <script> element or the string it is placed in.
    expect(src).toContain('var TITLE = "Help \\u003c/script> desk";');
    expect(src).not.toContain('</script>');

    const logo = await fetch(`${api.url}/api/v1/embed/logo`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await logo.text()).toContain('<svg');
  });
});

describe('chatting over the WebSocket', () => {
  it('streams the reply under one id to every tab of the session, and the message goes through the web page bot', async () => {
    const token = await sessionToken();
    expect(token).toMatch(/^\d+\.[0-9a-f]{64}$/);
    const session_id = randomUUID();
    const tab = connect(bot, session_id);
    const other = connect(bot, session_id);
    await tab.ready(token);
    await other.ready(token);
    expect(tab.frames.find((f) => f.type === 'connected')).toMatchObject({ bot_uuid: bot, session_type: 'person', session_id });

    tab.send({ type: 'ping' });
    await tab.until((f) => f.some((x) => x.type === 'pong'));
    tab.send({ type: 'message', message: [{ type: 'Plain', text: 'hi' }], stream: true });
    const frames = await tab.until((f) => f.some((x) => x.type === 'response' && x.data.is_final));
    expect(frames.find((f) => f.type === 'user_message')?.data).toMatchObject({ role: 'user', content: 'hi', is_final: true });
    const responses = frames.filter((f) => f.type === 'response').map((f) => f.data);
    expect(responses.length).toBeGreaterThan(1);
    expect(new Set(responses.map((r) => r.id)).size).toBe(1);
    expect(responses.at(-1)).toMatchObject({ role: 'assistant', content: 'Hello there', is_final: true });
    await other.until((f) => f.some((x) => x.type === 'response' && x.data.is_final && x.data.content === 'Hello there'));

    const received = (await logsOf(bot)).map((l) => l.event).find((e) => e.type === 'message.received');
    expect(received).toMatchObject({ adapter_name: 'web_page_bot', chat_type: 'private', chat_id: `websocket_${session_id}`, sender: { id: `websocket_${session_id}` } });
    tab.ws.close();
    other.ws.close();
  });

  it('carries group sessions as group chats, and reports bad frames without closing', async () => {
    const session_id = randomUUID();
    const client = connect(bot, session_id, { type: 'group' });
    await client.ready(await sessionToken());
    expect(client.frames.find((f) => f.type === 'connected')?.session_type).toBe('group');
    client.ws.send('not json');
    client.send({ type: 'message', message: [{ type: 'Image', url: 'file:///etc/passwd' }] });
    client.send({ type: 'message', message: [{ type: 'Plain', text: 'x'.repeat(8_001) }] });
    await client.until((f) => f.filter((x) => x.type === 'error').length === 3);
    expect(client.frames.filter((f) => f.type === 'error').map((f) => f.message)).toEqual([
      'Invalid JSON format',
      expect.stringContaining('only text (Plain)'),
      expect.stringContaining('at most 8000'),
    ]);
    client.send({ type: 'message', message: [{ type: 'Plain', text: 'hello group' }] });
    await client.until((f) => f.some((x) => x.type === 'user_message' && x.session_type === 'group'));
    // Whether the bot answers is up to the pipeline's group response rules; the message reached it as a group chat.
    await expect
      .poll(async () => (await logsOf(bot)).map((l) => l.event).find((e) => e.type === 'message.received' && e.chat_type === 'group'), { timeout: 5_000 })
      .toMatchObject({ chat_id: `websocketgroup_${session_id}`, group: { id: `websocketgroup_${session_id}` }, sender: { id: `websocket_${session_id}` } });
    expect(client.closed()).toBeUndefined();
    client.ws.close();
  });

  it('refuses a first frame without a valid session token, and closes the socket', async () => {
    const [ts] = (await sessionToken()).split('.');
    for (const token of ['forged', `${ts}.${'0'.repeat(64)}`, undefined]) {
      const client = connect(bot, randomUUID());
      await client.opened;
      client.send({ type: 'authenticate', token });
      await client.until((f) => f.some((x) => x.type === 'error' && x.message === 'Unauthorized'));
      await expect.poll(() => client.closed(), { timeout: 5_000 }).toBe(1008);
      expect(client.frames.some((f) => f.type === 'connected')).toBe(false);
    }
  });

  it('answers 404 to a malformed socket URL', async () => {
    const bad = new WebSocket(`${api.url.replace(/^http/, 'ws')}/api/v1/embed/${bot}/ws/connect?session_id=not-a-uuid`);
    await expect(new Promise((resolve, reject) => (bad.once('open', resolve), bad.once('error', reject)))).rejects.toThrow(/404/);
  });
});

describe('history, reset and feedback', () => {
  it('keeps the session history for the session token, and reset forgets it', async () => {
    const token = await sessionToken();
    const session_id = randomUUID();
    const client = connect(bot, session_id);
    await client.ready(token);
    client.send({ type: 'message', message: [{ type: 'Plain', text: 'remember me' }] });
    await client.until((f) => f.some((x) => x.type === 'response' && x.data.is_final));
    client.ws.close();

    const history = await api.get(`/api/v1/embed/${bot}/messages/person?session_id=${session_id}`, { token });
    expect(history.status).toBe(200);
    expect(history.body.data.messages).toEqual([
      expect.objectContaining({ role: 'user', content: 'remember me', is_final: true }),
      expect.objectContaining({ role: 'assistant', content: 'Hello there', is_final: true }),
    ]);
    // Another session, and the other session type, are other histories.
    expect((await api.get(`/api/v1/embed/${bot}/messages/person?session_id=${randomUUID()}`, { token })).body.data.messages).toEqual([]);
    expect((await api.get(`/api/v1/embed/${bot}/messages/group?session_id=${session_id}`, { token })).body.data.messages).toEqual([]);
    expect((await api.get(`/api/v1/embed/${bot}/messages/person?session_id=nope`, { token })).status).toBe(400);
    expect((await api.get(`/api/v1/embed/${bot}/messages/room?session_id=${session_id}`, { token })).status).toBe(400);

    const reset = await api.post(`/api/v1/embed/${bot}/reset/person?session_id=${session_id}`, undefined, { token });
    expect(reset.body).toEqual({ code: 0, msg: 'ok', data: { session_id, removed: true } });
    expect((await api.get(`/api/v1/embed/${bot}/messages/person?session_id=${session_id}`, { token })).body.data.messages).toEqual([]);
    const told = (await logsOf(bot)).map((l) => l.event).find((e) => e.type === 'platform.specific');
    expect(told).toMatchObject({ action: 'session_reset', data: { session_id, session_type: 'person' } });
  });

  it('records like, dislike and cancel as feedback of the bot, one id per message', async () => {
    const token = await sessionToken();
    const session_id = randomUUID();
    const like = await api.post(`/api/v1/embed/${bot}/feedback`, { feedback_type: 1, message_id: 'reply-1', session_id }, { token });
    expect(like.status).toBe(200);
    expect(like.body.data.feedback_id).toMatch(/^embed_[0-9a-f]{12}$/);
    const cancel = await api.post(`/api/v1/embed/${bot}/feedback`, { feedback_type: 3, message_id: 'reply-1', session_id }, { token });
    expect(cancel.body.data.feedback_id).toBe(like.body.data.feedback_id);
    const other = await api.post(`/api/v1/embed/${bot}/feedback`, { feedback_type: 2, message_id: 'reply-2', session_id }, { token });
    expect(other.body.data.feedback_id).not.toBe(like.body.data.feedback_id);

    const bad = await api.post(`/api/v1/embed/${bot}/feedback`, { feedback_type: 4, message_id: 'reply-1', session_id }, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.msg).toContain('feedback_type');
    expect((await api.post(`/api/v1/embed/${bot}/feedback`, { feedback_type: 1, session_id }, {})).status).toBe(401);

    const feedback = (await logsOf(bot)).map((l) => l.event).filter((e) => e.type === 'feedback.received');
    expect(feedback).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ feedback_id: like.body.data.feedback_id, feedback_type: 1, message_id: 'reply-1', session_id: `websocket_${session_id}` }),
        expect.objectContaining({ feedback_id: like.body.data.feedback_id, feedback_type: 3 }),
      ]),
    );
  });
});

describe('who may use the embed routes', () => {
  it('refuses forged, malformed, missing and other bots’ session tokens with 401', async () => {
    const session_id = randomUUID();
    const path = `/api/v1/embed/${bot}/messages/person?session_id=${session_id}`;
    const [ts] = (await sessionToken()).split('.');
    const otherBot = await createBot();
    const foreign = await sessionToken(otherBot);
    for (const token of [undefined, 'garbage', `${ts}.${'a'.repeat(64)}`, `${Number(ts) + 1}.${(await sessionToken()).split('.')[1]}`, foreign]) {
      const res = await api.get(path, token ? { token } : {});
      expect(res.status, String(token)).toBe(401);
      expect(res.body.code).toBe('invalid_authentication');
    }
    expect((await api.get(path, { token: foreign })).status).toBe(401);
    expect((await api.get(`/api/v1/embed/${otherBot}/messages/person?session_id=${session_id}`, { token: foreign })).status).toBe(200);
  });

  it('refuses unknown bots and bots of another adapter (404), disabled bots and bots without a pipeline (403)', async () => {
    const disabled = await createBot({ enable: false });
    const noPipeline = await createBot({ event_handlers: [] });
    const cases: [string, number, RegExp][] = [
      [randomUUID(), 404, /No bot/],
      [chat.bot_uuid, 404, /not a web page bot/],
      [disabled, 403, /disabled/],
      [noPipeline, 403, /no pipeline/],
    ];
    for (const [uuid, status, msg] of cases) {
      for (const res of [await api.get(`/api/v1/embed/${uuid}/widget.js`), await api.post(`/api/v1/embed/${uuid}/turnstile/verify`, { token: '' })]) {
        expect(res.status, uuid).toBe(status);
        expect(res.body.msg).toMatch(msg);
      }
    }
    const socket = connect(chat.bot_uuid, randomUUID());
    await socket.opened;
    socket.send({ type: 'authenticate', token: await sessionToken() });
    await socket.until((f) => f.some((x) => x.type === 'error' && /not a web page bot/.test(x.message)));
    await expect.poll(() => socket.closed(), { timeout: 5_000 }).toBe(1008);
  });

  it('answers CORS for the bot’s allowed origins and refuses pages of other sites', async () => {
    const shop = await createBot({ adapter_config: { allowed_origins: ['https://shop.example'] } });
    const preflight = await api.request('OPTIONS', `/api/v1/embed/${shop}/feedback`, { headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const allowed = await api.post(`/api/v1/embed/${shop}/turnstile/verify`, { token: '' }, { headers: { origin: 'https://shop.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    // The envelope of a refusal is readable by the allowed page too.
    const refused = await api.get(`/api/v1/embed/${shop}/messages/person?session_id=${randomUUID()}`, { headers: { origin: 'https://shop.example' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://shop.example');

    const evil = await api.request('OPTIONS', `/api/v1/embed/${shop}/feedback`, { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect((await api.post(`/api/v1/embed/${shop}/turnstile/verify`, { token: '' }, { headers: { origin: 'https://evil.example' } })).status).toBe(403);

    const anyone = await api.post(`/api/v1/embed/${bot}/turnstile/verify`, { token: '' }, { headers: { origin: 'https://evil.example' } });
    expect(anyone.headers.get('access-control-allow-origin')).toBe('*');

    const token = allowed.body.data.token;
    const fromShop = connect(shop, randomUUID(), { origin: 'https://shop.example' });
    await fromShop.ready(token);
    fromShop.ws.close();
    const fromEvil = connect(shop, randomUUID(), { origin: 'https://evil.example' });
    await fromEvil.opened;
    fromEvil.send({ type: 'authenticate', token });
    await fromEvil.until((f) => f.some((x) => x.type === 'error' && /evil\.example/.test(x.message)));
    await expect.poll(() => fromEvil.closed(), { timeout: 5_000 }).toBe(1008);
  });
});

describe('Turnstile', () => {
  it('issues a session token only for a response Cloudflare accepts, when the bot has a secret', async () => {
    const guarded = await createBot({ adapter_config: { turnstile_site_key: 'site-key-1', turnstile_secret_key: 'turnstile-secret' } });
    const shown = await api.get(`/api/v1/platform/bots/${guarded}`, { token: owner });
    expect(JSON.stringify(shown.body)).not.toContain('turnstile-secret');
    const widget = await (await fetch(`${api.url}/api/v1/embed/${guarded}/widget.js`)).text();
    expect(widget).toContain('var TURNSTILE_SITE_KEY = "site-key-1";');
    expect(widget).not.toContain('turnstile-secret');

    const missing = await api.post(`/api/v1/embed/${guarded}/turnstile/verify`, {});
    expect(missing).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    const failed = await api.post(`/api/v1/embed/${guarded}/turnstile/verify`, { token: 'bad-token' });
    expect(failed).toMatchObject({ status: 403, body: { code: 'turnstile_failed', msg: expect.stringContaining('invalid-input-response') } });
    const passed = await api.post(`/api/v1/embed/${guarded}/turnstile/verify`, { token: 'good-token' });
    expect(passed.status).toBe(200);
    expect(turnstile.requests.at(-1)?.get('secret')).toBe('turnstile-secret');
    expect(turnstile.requests.at(-1)?.get('response')).toBe('good-token');
    expect(turnstile.requests.at(-1)?.get('remoteip')).toBe('127.0.0.1');
    const session_id = randomUUID();
    expect((await api.get(`/api/v1/embed/${guarded}/messages/person?session_id=${session_id}`, { token: passed.body.data.token })).status).toBe(200);
    // A token signed without the Turnstile secret (as for a bot without one) is not accepted here.
    expect((await api.get(`/api/v1/embed/${guarded}/messages/person?session_id=${session_id}`, { token: await sessionToken() })).status).toBe(401);

    turnstile.down = true;
    try {
      const unreachable = await api.post(`/api/v1/embed/${guarded}/turnstile/verify`, { token: 'good-token' });
      expect(unreachable).toMatchObject({ status: 502, body: { code: 'turnstile_unavailable' } });
    } finally {
      turnstile.down = false;
    }
    // A bot without a secret never calls Cloudflare.
    const before = turnstile.requests.length;
    await sessionToken();
    expect(turnstile.requests.length).toBe(before);
  });
});

describe('the widget in a browser', () => {
  const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

  it('opens from the keyboard, streams a reply, takes feedback, keeps the session across reloads and resets it', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH.`);
    // The page is on another origin than LangBot, as on a customer's site.
    const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><body><h1>Shop</h1><script src="${api.url}/api/v1/embed/${bot}/widget.js" async></script></body></html>`));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const page = await (await browser.newContext()).newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.setDefaultTimeout(10_000);
      await page.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);

      const bubble = page.getByRole('button', { name: '打开对话' });
      await bubble.focus();
      await page.keyboard.press('Enter');
      const panel = page.getByRole('dialog', { name: 'Help </script> desk' });
      await panel.waitFor();
      await expect.poll(() => page.evaluate(() => (globalThis as any).document.querySelector('[data-langbot-embed]')?.shadowRoot?.activeElement?.id)).toBe('lb-input');
      await expect.poll(() => panel.locator('.lb-welcome').textContent()).toBe('你好！');

      await page.keyboard.type('hi');
      await page.keyboard.press('Enter');
      const reply = panel.locator('.lb-assistant').filter({ hasText: 'Hello there' });
      await reply.waitFor();
      await expect.poll(() => panel.locator('.lb-user').textContent()).toContain('hi');

      const like = reply.getByRole('button', { name: '有帮助', exact: true });
      await like.click();
      await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
      await expect.poll(async () => (await logsOf(bot)).some((l) => l.event.type === 'feedback.received' && l.event.feedback_type === 1)).toBe(true);

      const stored = () => page.evaluate((key) => (globalThis as any).localStorage.getItem(key) as string | null, `langbot-embed:${bot}:session_id`);
      const session_id = await stored();
      expect(session_id).toMatch(/^[0-9a-f-]{36}$/);

      await page.keyboard.press('Escape');
      await expect.poll(() => panel.isVisible()).toBe(false);
      await page.reload();
      await page.getByRole('button', { name: '打开对话' }).click();
      await panel.locator('.lb-assistant').filter({ hasText: 'Hello there' }).waitFor();
      expect(await stored()).toBe(session_id);

      await panel.getByRole('button', { name: '开始新对话' }).click();
      await expect.poll(() => panel.locator('.lb-notice').textContent()).toBe('已开始新的对话。');
      expect(await panel.locator('.lb-assistant').count()).toBe(0);
      expect(await stored()).not.toBe(session_id);
      expect((await api.get(`/api/v1/embed/${bot}/messages/person?session_id=${session_id}`, { token: await sessionToken() })).body.data.messages).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await new Promise((resolve) => site.close(resolve));
    }
  }, 60_000);
});

describe('the web_page_bot adapter', () => {
  it('declares in its manifest exactly what its code implements, and every event it emits', async () => {
    const read = await readManifest(new URL('../../extensions/adapters/web-page', import.meta.url).pathname);
    if (!read.ok) throw new Error('the manifest does not validate');
    const declared = read.manifest.contributes?.adapters?.find((a) => a.id === 'web_page_bot');
    expect(declared).toBeDefined();
    const impl = webPageAdapter({ call: async () => undefined, log: { debug() {}, info() {}, warn() {}, error() {} } } as never, new BotRegistry('web_page_bot'), () => 100);
    const emitted = (await logsOf(bot)).map((l) => String(l.event.type));
    expect(new Set(emitted)).toEqual(new Set(['message.received', 'platform.specific', 'feedback.received']));
    expect(checkAdapterDeclarations(declared!, impl, { emittedEvents: emitted })).toEqual([]);
  });
});

describe('session tokens', () => {
  it('are valid for 24 hours, for the key that signed them only', () => {
    const key = sessionKey('secret', 'bot-a');
    const now = Date.parse('2025-01-01T00:00:00Z');
    const { token, expires_at } = issueSessionToken(key, now);
    expect(expires_at).toBe(now / 1000 + SESSION_TTL_SECONDS);
    expect(verifySessionToken(key, token, now)).toBe(true);
    expect(verifySessionToken(key, token, now + (SESSION_TTL_SECONDS - 1) * 1000)).toBe(true);
    expect(verifySessionToken(key, token, now + (SESSION_TTL_SECONDS + 1) * 1000)).toBe(false);
    expect(verifySessionToken(key, token, now - 120_000)).toBe(false);
    expect(verifySessionToken(sessionKey('secret', 'bot-b'), token, now)).toBe(false);
    expect(verifySessionToken(sessionKey('other', 'bot-a'), token, now)).toBe(false);
    expect(verifySessionToken(key, `${token}0`, now)).toBe(false);
    expect(verifySessionToken(key, 42, now)).toBe(false);
  });
});
