import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chat, sleep } from './support.js';

/** A real local HTTP endpoint that answers each request with the next scripted response. */
interface Received {
  headers: IncomingMessage['headers'];
  body: any;
  raw: string;
}
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});
async function endpoint(responses: Array<{ status?: number; body?: unknown; delayMs?: number }>) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      received.push({ headers: req.headers, body: JSON.parse(raw), raw });
      const next = responses[Math.min(received.length - 1, responses.length - 1)];
      if (next.delayMs) await sleep(next.delayMs);
      res.writeHead(next.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(next.body ?? {}));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const webhookRule = (config: Record<string, unknown>, event_type = '*') => [{ event_type, handler_type: 'webhook', handler_config: { backoff_ms: 20, ...config } }];

describe('webhook handler', () => {
  it('posts {event, bot} with headers and a signature, then runs the reply action it answers with', async () => {
    const hook = await endpoint([{ body: { actions: [{ action: 'reply', params: { message: 'Hello from the webhook' } }] } }]);
    const bot = await chat({ event_handlers: webhookRule({ url: hook.url, headers: { authorization: 'Bearer t0k' }, secret: 's3cret' }) });
    expect(await bot.user('alice').says('ping')).toEqual(['Hello from the webhook']);
    const [request] = hook.received;
    expect(request.body.event).toMatchObject({ type: 'message.received', message_chain: [{ type: 'Plain', text: 'ping' }] });
    expect(request.body.bot).toMatchObject({ uuid: bot.bot_uuid, adapter: 'harness', account_id: 'bot-1' });
    expect(request.headers.authorization).toBe('Bearer t0k');
    // A group message is delivered the same way, with its group.
    expect(await bot.user('carol').inGroup('g7', 'Seven').says('in a group')).toEqual(['Hello from the webhook']);
    expect(hook.received[1].body.event).toMatchObject({ chat_type: 'group', chat_id: 'g7', group: { id: 'g7', name: 'Seven' } });
    expect(request.headers['x-langbot-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(request.raw).digest('hex')}`);
  });

  it('retries 5xx answers with backoff and runs platform actions for non-message events', async () => {
    const hook = await endpoint([{ status: 503 }, { status: 500 }, { body: { actions: [{ action: 'approve_friend_request', params: { request_id: 'req-9', approve: true } }, { action: 'call_platform_api', params: { action: 'pin_message', params: { id: 1 } } }] } }]);
    const bot = await chat({ event_handlers: webhookRule({ url: hook.url, retries: 3 }) });
    await bot.emit({ type: 'friend.request_received', request_id: 'req-9', user: { id: 'stranger' } });
    await bot.idle();
    expect(hook.received.map((r) => r.headers['x-langbot-attempt'])).toEqual(['1', '2', '3']);
    const sent = await bot.sent();
    expect(sent.map((s) => s.api)).toEqual(['approve_friend_request', 'call_platform_api']);
    expect(sent[0].args).toMatchObject({ request_id: 'req-9', approve: true, bot_uuid: bot.bot_uuid });
    expect(sent[1].args).toMatchObject({ action: 'pin_message', params: { id: 1 } });
  });

  it('gives up after the retries when the endpoint is too slow, and logs why', async () => {
    const hook = await endpoint([{ delayMs: 400 }]);
    const bot = await chat({ event_handlers: webhookRule({ url: hook.url, timeout_ms: 100, retries: 1 }) });
    await bot.user('alice').says('anyone?');
    expect(hook.received).toHaveLength(2);
    await expect.poll(() => bot.logs.join('\n')).toMatch(/failed after 2 attempt\(s\): no answer within 100 ms/);
  });

  it('does not retry a 4xx refusal, and reports an action the adapter does not offer', async () => {
    const refusing = await endpoint([{ status: 403, body: { error: 'nope' } }]);
    const bot = await chat({ event_handlers: webhookRule({ url: refusing.url }) });
    await bot.user('alice').says('hi');
    expect(refusing.received).toHaveLength(1);
    await expect.poll(() => bot.logs.join('\n')).toMatch(/refused the event \(HTTP 403/);
    const unsupported = await endpoint([{ body: { actions: [{ action: 'set_group_name', params: { group_id: 'g', name: 'x' } }, { action: 'reply', params: { message: 'still here' } }] } }]);
    await bot.call('bots', { method: 'update', args: { uuid: bot.bot_uuid, event_handlers: webhookRule({ url: unsupported.url }) } });
    expect(await bot.user('alice').says('hi')).toEqual(['still here']);
    await expect.poll(() => bot.logs.join('\n')).toMatch(/Webhook action 'set_group_name' failed: API not supported by this adapter: set_group_name/);
  });
});

describe('event-handler rules', () => {
  it('are checked against the handler they name: installed, and config fitting its form', async () => {
    const bot = await chat();
    const update = (event_handlers: unknown) => bot.call('bots', { method: 'update', args: { uuid: bot.bot_uuid, event_handlers } });
    await expect(update([{ event_type: '*', handler_type: 'carrier-pigeon' }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/event_handlers\[0\]: no handler 'carrier-pigeon'.*available: agent, pipeline, plugin, webhook/) });
    await expect(update([{ event_type: '*', handler_type: 'webhook', handler_config: { url: 'ftp://x' } }])).rejects.toMatchObject({ message: expect.stringContaining('event_handlers[0] (webhook)') });
    const saved = await update([{ event_type: '*', handler_type: 'webhook', handler_config: { url: 'http://127.0.0.1:1/x' } }]);
    expect(saved.event_handlers[0].handler_config).toMatchObject({ url: 'http://127.0.0.1:1/x', retries: 3, timeout_ms: 10_000 });
  });
});

describe('agent handler', () => {
  const agentRule = (event_type: string, config: Record<string, unknown> = {}) => ({ event_type, handler_type: 'agent', handler_config: { runner: 'scripted', ...config } });

  it('answers a message with the runner directly, in groups and in private, no pipeline triggers involved', async () => {
    const bot = await chat({ event_handlers: [agentRule('message.received', { system_prompt: 'Be nice.' })], script: [{ reply: 'agent says {text} / {prompt}' }] });
    expect(await bot.user('alice').inGroup('g1').says('hello')).toEqual(['agent says hello / Be nice.']);
    const [reply] = await bot.user('bob').saysAndGet('hi there');
    expect(reply).toMatchObject({ api: 'reply_message', text: 'agent says hi there / Be nice.' });
    expect((reply.args.event as { chat_type: string }).chat_type).toBe('private');
  });

  it('describes other events to the runner with the template and posts the answer to the group', async () => {
    const bot = await chat({ event_handlers: [agentRule('group.*', { event_template: '{user} joined {group}' })], script: [{ reply: 'Welcome! ({text})' }] });
    await bot.emit({ type: 'group.member_joined', group: { id: 'g1', name: 'Readers' }, member: { id: 'u7', nickname: 'Neo' } });
    await bot.idle();
    const [sent] = await bot.sent();
    expect(sent.api).toBe('send_message');
    expect(sent.args).toMatchObject({ target_type: 'group', target_id: 'g1' });
    expect(sent.text).toBe('Welcome! (Neo joined Readers)');
  });
});

describe('platform API gateway (bots.api)', () => {
  it('reaches declared APIs, and refuses undeclared ones and undeclared platform actions with NOT_SUPPORTED', async () => {
    const bot = await chat();
    const api = (name: string, args: Record<string, unknown>) => bot.call('bots', { method: 'api', args: { bot_uuid: bot.bot_uuid, api: name, args } });
    expect(await api('get_group_info', { group_id: 'g1' })).toEqual({ id: 'g1', name: 'Group g1' });
    expect(await api('call_platform_api', { action: 'pin_message', params: {} })).toEqual({ ok: true, action: 'pin_message' });
    await expect(api('set_group_name', { group_id: 'g1', name: 'x' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await expect(api('call_platform_api', { action: 'self_destruct' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringContaining('self_destruct') });
    await expect(api('reply_message_chunk', {})).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await expect(api('rm_rf', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await api('is_stream_output_supported', {})).toBe(false);
  });
});
