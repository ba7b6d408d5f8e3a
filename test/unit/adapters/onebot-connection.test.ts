/**
 * The OneBot adapter's connections, driven directly (no kernel) against the fake implementation: access tokens in
 * both directions, the bot's QQ number, CQ-code messages over the wire, reconnection, and fail-fast actions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotRegistry, type ExtensionContext, type UnifiedEvent } from '../../../sdk/index.js';
import { oneBotAdapter } from '../../../extensions/adapters/onebot/adapter.js';
import type { OneBotBot } from '../../../extensions/adapters/onebot/bot.js';
import { FakeOneBot, freePort } from '../../support/fake-platforms/onebot/index.js';
import { waitFor } from '../../conformance/adapters/suite.js';

const TOKEN = 'unit-onebot-secret-8d1e';

function harness() {
  const events: UnifiedEvent[] = [];
  const logs: string[] = [];
  const record = (level: string) => (msg: string, data?: Record<string, unknown>) => void logs.push(`${level} ${msg} ${data ? JSON.stringify(data) : ''}`);
  const ctx: Pick<ExtensionContext, 'call' | 'log'> = {
    call: (async (_service: string, method: string, args?: Record<string, unknown>) => void (method === 'emit' && events.push(args!.event as UnifiedEvent))) as ExtensionContext['call'],
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
  const registry = new BotRegistry<OneBotBot>('OneBot');
  return { events, logs, registry, adapter: oneBotAdapter(ctx, registry) };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function reverseBot(token = TOKEN) {
  const h = harness();
  const port = await freePort();
  cleanups.push(() => h.registry.stopAll());
  const started = h.adapter.start({ bot_uuid: 'bot-r', config: { 'connection-mode': 'reverse', host: '127.0.0.1', port, 'access-token': token, 'action-timeout': 2 } });
  return { ...h, port, started };
}

async function fake(options: ConstructorParameters<typeof Object>[0]) {
  const f = await FakeOneBot.start(options as never);
  cleanups.push(() => f.close());
  return f;
}

describe('reverse WebSocket', () => {
  it('reports the QQ number from X-Self-ID and converts a CQ-code string message', async () => {
    const bot = await reverseBot();
    const implementation = await fake({ mode: 'reverse', token: TOKEN, url: `ws://127.0.0.1:${bot.port}/ws`, selfId: 4242 });
    expect(await bot.started).toEqual({ account_id: '4242' });
    await implementation.waitConnected();
    implementation.says(10001, '[CQ:at,qq=4242] price &#91;USD&#93;: 5 &amp; up[CQ:face,id=14]', { format: 'string', group: 20001 });
    const message = await waitFor('the message', () => bot.events.find((e) => e.type === 'message.received'));
    expect(message).toMatchObject({
      chat_type: 'group',
      chat_id: 20001,
      message_chain: [{ type: 'Source' }, { type: 'At', target: 4242 }, { type: 'Plain', text: ' price [USD]: 5 & up' }, { type: 'Face', face_id: 14 }],
    });
  });

  it('refuses a wrong token (403) and a missing one (401), and logs it without the token', async () => {
    const bot = await reverseBot();
    const wrong = await fake({ mode: 'reverse', token: 'not-the-right-one', url: `ws://127.0.0.1:${bot.port}/onebot/v11/ws` });
    const none = await fake({ mode: 'reverse', url: `ws://127.0.0.1:${bot.port}/` });
    await bot.started;
    await waitFor('both refusals', () => wrong.refusals.length > 0 && none.refusals.length > 0);
    expect(wrong.refusals[0]).toBe(403);
    expect(none.refusals[0]).toBe(401);
    expect(wrong.connections + none.connections).toBe(0);
    expect(bot.logs.some((l) => l.includes('wrong access token'))).toBe(true);
    expect(bot.logs.some((l) => l.includes('no access token'))).toBe(true);
    expect(bot.logs.filter((l) => l.includes(TOKEN) || l.includes('not-the-right-one'))).toEqual([]);
  });

  it('fails actions at once while no implementation is connected', async () => {
    const bot = await reverseBot();
    expect(await bot.started).toEqual({});
    const began = Date.now();
    await expect(bot.adapter.send_message({ bot_uuid: 'bot-r', target_type: 'private', target_id: 10001, message: [{ type: 'Plain', text: 'hi' }] })).rejects.toThrow(/not connected/);
    expect(Date.now() - began).toBeLessThan(500);
  }, 10_000);

  it('uses the newest connection when a second implementation connects', async () => {
    const bot = await reverseBot();
    const first = await fake({ mode: 'reverse', token: TOKEN, url: `ws://127.0.0.1:${bot.port}/ws`, selfId: 111 });
    await bot.started;
    await first.waitConnected();
    const second = await fake({ mode: 'reverse', token: TOKEN, url: `ws://127.0.0.1:${bot.port}/ws`, selfId: 222 });
    await second.waitConnected();
    await waitFor('the newer connection to take over', () => bot.logs.some((l) => l.includes('QQ 222')));
    await bot.adapter.send_message({ bot_uuid: 'bot-r', target_type: 'private', target_id: 10001, message: [{ type: 'Plain', text: 'to the newest' }] });
    expect(second.botTexts(10001)).toEqual(['to the newest']);
    expect(first.botTexts(10001)).toEqual([]);
    expect(bot.logs.some((l) => l.includes('logged in as 222') && l.includes('newest connection is used'))).toBe(true);
    await second.close();
    await first.close();
  });

  it('accepts split API and Event connections: events on one, actions on the other', async () => {
    const bot = await reverseBot();
    const implementation = await fake({ mode: 'reverse', token: TOKEN, url: `ws://127.0.0.1:${bot.port}/ws`, splitRoles: true, selfId: 777 });
    expect(await bot.started).toEqual({ account_id: '777' });
    await implementation.waitConnected(5_000, 2);
    implementation.says(10001, 'over the event connection');
    await waitFor('the message', () => bot.events.some((e) => e.type === 'message.received'));
    await bot.adapter.send_message({ bot_uuid: 'bot-r', target_type: 'private', target_id: 10001, message: [{ type: 'Plain', text: 'over the API connection' }] });
    expect(implementation.botTexts(10001)).toEqual(['over the API connection']);
  });

  it('closes its port when the bot stops', async () => {
    const bot = await reverseBot();
    await bot.started;
    await bot.registry.stop('bot-r');
    const implementation = await fake({ mode: 'reverse', token: TOKEN, url: `ws://127.0.0.1:${bot.port}/ws` });
    await new Promise((r) => setTimeout(r, 300));
    expect(implementation.connections).toBe(0);
  });
});

describe('forward WebSocket', () => {
  const forwardConfig = (port: number, token = TOKEN) => ({ 'connection-mode': 'forward', 'forward-url': `ws://127.0.0.1:${port}`, 'access-token': token, 'action-timeout': 2 });

  it('connects with the token and reports the QQ number', async () => {
    const implementation = await fake({ mode: 'forward', token: TOKEN, selfId: 5151 });
    const h = harness();
    cleanups.push(() => h.registry.stopAll());
    expect(await h.adapter.start({ bot_uuid: 'bot-f', config: forwardConfig(implementation.port) })).toEqual({ account_id: '5151' });
    await waitFor('get_login_info', () => implementation.state.calls('get_login_info').length === 1);
  });

  it('fails to start with a clear error when the implementation refuses the token, without showing it', async () => {
    const implementation = await fake({ mode: 'forward', token: TOKEN });
    const h = harness();
    cleanups.push(() => h.registry.stopAll());
    const failure = await h.adapter.start({ bot_uuid: 'bot-f', config: forwardConfig(implementation.port, 'wrong-token-value') }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/refused the access token \(HTTP 403\)/);
    expect((failure as Error).message).not.toContain('wrong-token-value');
    expect(implementation.refusals).toEqual([403]);
    await new Promise((r) => setTimeout(r, 800));
    expect(implementation.refusals, 'no retries after a refused token').toEqual([403]);
  });

  it('starts while the implementation is down, then connects once it is up, and reconnects after it restarts', async () => {
    const port = await freePort();
    const h = harness();
    cleanups.push(() => h.registry.stopAll());
    expect(await h.adapter.start({ bot_uuid: 'bot-f', config: forwardConfig(port) })).toEqual({});
    let implementation = await fake({ mode: 'forward', token: TOKEN, listenPort: port });
    await implementation.waitConnected(10_000);
    implementation.says(10001, 'first');
    await waitFor('the first message', () => h.events.some((e) => e.type === 'message.received'));

    await implementation.close();
    implementation = await fake({ mode: 'forward', token: TOKEN, listenPort: port });
    await implementation.waitConnected(10_000);
    implementation.says(10001, 'second');
    await waitFor('the message after the restart', () => h.events.filter((e) => e.type === 'message.received').length === 2);
    expect(h.logs.some((l) => l.includes('dropped; reconnecting'))).toBe(true);
  }, 20_000);
});

describe('platform API over the wire', () => {
  async function connected() {
    const bot = await reverseBot();
    const implementation = await fake({ mode: 'reverse', token: TOKEN, url: `ws://127.0.0.1:${bot.port}/ws`, selfId: 9090 });
    await bot.started;
    await implementation.waitConnected();
    return { ...bot, implementation, uuid: 'bot-r' };
  }
  const forward = { type: 'Forward' as const, node_list: [{ sender_id: 10001, sender_name: 'Alice', message_chain: [{ type: 'Plain' as const, text: 'one' }] }] };

  it('sends a Forward as a merged-forward message, and as text where the implementation lacks the action', async () => {
    const { adapter, implementation, uuid } = await connected();
    await adapter.send_message({ bot_uuid: uuid, target_type: 'group', target_id: 20001, message: [forward] });
    expect(implementation.state.calls('send_group_forward_msg')[0].params).toEqual({
      group_id: 20001,
      messages: [{ type: 'node', data: { user_id: '10001', nickname: 'Alice', content: [{ type: 'text', data: { text: 'one' } }] } }],
    });

    implementation.state.unsupported.add('send_group_forward_msg');
    await adapter.send_message({ bot_uuid: uuid, target_type: 'group', target_id: 20001, message: [forward] });
    expect(implementation.botTexts(20001, 'group')).toEqual(['Alice: one']);
  });

  it('mutes for the longest time QQ allows when no duration is given', async () => {
    const { adapter, implementation, uuid } = await connected();
    await adapter.mute_member({ bot_uuid: uuid, group_id: 20001, user_id: 10002 });
    expect(implementation.state.calls('set_group_ban')[0].params).toEqual({ group_id: 20001, user_id: 10002, duration: 30 * 24 * 3600 });
  });

  it('reports failed actions with their retcode, unknown ones as NOT_SUPPORTED, and bad ids as validation errors', async () => {
    const { adapter, uuid } = await connected();
    await expect(adapter.get_group_info({ bot_uuid: uuid, group_id: 99999 })).rejects.toThrow(/get_group_info' failed \(retcode 100\): group not found/);
    await expect(adapter.call_platform_api({ bot_uuid: uuid, action: 'set_restart', params: {} })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await expect(adapter.send_message({ bot_uuid: uuid, target_type: 'private', target_id: 'alice', message: [{ type: 'Plain', text: 'x' }] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(adapter.send_message({ bot_uuid: uuid, target_type: 'private', target_id: 10001, message: [{ type: 'Source', id: 1, time: 0 }] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('fills a quote in an incoming message from get_msg', async () => {
    const { events, implementation } = await connected();
    const original = implementation.says(10002, 'the original', { group: 20001 });
    implementation.says(10001, [{ type: 'reply', data: { id: String(original) } }, { type: 'text', data: { text: 'I agree' } }], { group: 20001 });
    const reply = await waitFor('the reply', () => events.find((e) => e.type === 'message.received' && e.message_chain.some((c) => c.type === 'Quote')));
    expect(reply).toMatchObject({ message_chain: [{ type: 'Source' }, { type: 'Quote', id: original, sender_id: 10002, origin: [{ type: 'Plain', text: 'the original' }] }, { type: 'Plain', text: 'I agree' }] });
  });
});
