import { afterEach, describe, expect, it, vi } from 'vitest';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Kernel } from '../../kernel/kernel.js';
import { startTestKernel } from '../support/kernel-harness.js';

const REPO = resolve(import.meta.dirname, '../..');
const FIXTURES = join(REPO, 'test/fixtures/extensions-bots');

/** A built-in root holding copies (discovery skips symlinks) of sql.js storage, bots and the fixtures. */
function builtinRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'langbot-bots-ext-'));
  cpSync(join(REPO, 'extensions/storage/persistence-sqljs'), join(root, 'persistence-sqljs'), { recursive: true, preserveTimestamps: true });
  cpSync(join(REPO, 'extensions/core/bots'), join(root, 'bots'), { recursive: true, preserveTimestamps: true });
  for (const name of ['mock-adapter', 'recorder']) cpSync(join(FIXTURES, name), join(root, name), { recursive: true, preserveTimestamps: true });
  return root;
}

type Booted = Kernel & { dataDir: string; logs: string[] };
const kernels: Booted[] = [];
async function boot(options: { dataDir?: string; builtinRoot?: string } = {}): Promise<Booted> {
  const logs: string[] = [];
  const destination = new Writable({
    write: (chunk, _enc, cb) => {
      logs.push(String(chunk));
      cb();
    },
  });
  const kernel = await startTestKernel({
    watch: false,
    builtinRoot: options.builtinRoot ?? builtinRoot(),
    logging: { destination, level: 'debug' },
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  const booted = Object.assign(kernel, { logs });
  kernels.push(booted);
  return booted;
}

afterEach(async () => {
  await Promise.all(kernels.splice(0).map((k) => k.stop()));
});

const tool = (kernel: Kernel, name: string, method: string, args: Record<string, unknown> = {}) =>
  kernel.manager.invoke('tools', name, method, args, { timeoutMs: 15_000 }) as Promise<any>;
const bots = (kernel: Kernel, method: string, args: Record<string, unknown> = {}) => tool(kernel, 'mock-adapter', 'bots', { method, args });
const emit = (kernel: Kernel, event: Record<string, unknown>) => tool(kernel, 'mock-adapter', 'emit', { event });
const adapterCalls = (kernel: Kernel) => tool(kernel, 'mock-adapter', 'calls') as Promise<{ method: string; args: any }[]>;
const records = (kernel: Kernel) => tool(kernel, 'recorder', 'records') as Promise<{ handler: string; event: any; bot: any; config: any }[]>;

const alice = { id: 'u-1', nickname: 'Alice' };
function message(bot_uuid: string, message_id: string, chat_id = 'g-1') {
  return {
    type: 'message.received',
    timestamp: 1_700_000_000,
    bot_uuid,
    adapter_name: 'mock',
    message_id,
    message_chain: [{ type: 'Plain', text: `hello ${message_id}` }],
    sender: alice,
    chat_type: 'group',
    chat_id,
    group: { id: chat_id },
  };
}
const joined = (bot_uuid: string) => ({ type: 'group.member_joined', timestamp: 1_700_000_001, bot_uuid, adapter_name: 'mock', group: { id: 'g-1' }, member: alice });

const RULES = [
  { event_type: '*', handler_type: 'failing', priority: 0, handler_config: { pipeline_uuid: 'p-all' } },
  { event_type: 'message.received', handler_type: 'recorder', priority: 5, handler_config: { tag: 'messages' } },
  { event_type: 'group.*', handler_type: 'recorder', priority: 100, enabled: false },
  { event_type: 'message.*', handler_type: 'plugin', priority: 1 },
];

async function createBot(kernel: Kernel, extra: Record<string, unknown> = {}) {
  return bots(kernel, 'create', { name: 'Echo', adapter: 'mock', adapter_config: { token: 't-1' }, event_handlers: RULES, enable: true, ...extra });
}

describe('bots extension', () => {
  it('stores a new bot and starts its adapter with its config', async () => {
    const kernel = await boot();
    const bot = await createBot(kernel);
    expect(bot).toMatchObject({ name: 'Echo', adapter: 'mock', enable: true, adapter_config: { token: 't-1' }, status: { state: 'running' } });
    expect(bot.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(bot.event_handlers[1]).toEqual({ event_type: 'message.received', handler_type: 'recorder', priority: 5, handler_config: { tag: 'messages' }, enabled: true, description: '' });
    expect(await adapterCalls(kernel)).toEqual([{ method: 'start', args: { bot_uuid: bot.uuid, config: { token: 't-1' } } }]);
    expect((await bots(kernel, 'list')).map((b: { uuid: string }) => b.uuid)).toEqual([bot.uuid]);
    expect(await bots(kernel, 'status', { uuid: bot.uuid })).toEqual({ state: 'running' });
  });

  it('refuses malformed rules with VALIDATION_FAILED and stores nothing', async () => {
    const kernel = await boot();
    await expect(bots(kernel, 'create', { name: 'Bad', adapter: 'mock', event_handlers: [{ event_type: 'Not A Type', handler_type: 'x' }] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/event_type/),
    });
    expect(await bots(kernel, 'list')).toEqual([]);
  });

  it('routes by the highest-priority enabled rule, falls back to the plugin handler, and logs events newest last', async () => {
    const kernel = await boot();
    const bot = await createBot(kernel);
    expect(await emit(kernel, message(bot.uuid, 'm-1'))).toEqual({ accepted: true, handler_type: 'recorder', via: 'rule' });
    // The disabled `group.*` rule is ignored; `*` takes it.
    expect(await emit(kernel, joined(bot.uuid))).toEqual({ accepted: true, handler_type: 'failing', via: 'rule' });

    const plain = await bots(kernel, 'create', { name: 'Plain', adapter: 'mock', event_handlers: [{ event_type: 'friend.*', handler_type: 'recorder' }] });
    expect(await emit(kernel, message(plain.uuid, 'm-2'))).toEqual({ accepted: true, handler_type: 'plugin', via: 'fallback' });

    await vi.waitFor(async () => expect(await records(kernel)).toHaveLength(2), { timeout: 5_000 });
    const got = await records(kernel);
    expect(got[0]).toMatchObject({ handler: 'recorder', event: { type: 'message.received', message_id: 'm-1' }, bot: { uuid: bot.uuid, name: 'Echo', adapter: 'mock' }, config: { tag: 'messages' } });
    expect(got[1]).toMatchObject({ handler: 'plugin', event: { message_id: 'm-2' }, bot: { uuid: plain.uuid }, config: {} });

    // A failing handler is logged with bot, event type and reason.
    await vi.waitFor(() => expect(kernel.logs.join('')).toMatch(/Handler 'failing' failed on a group\.member_joined event of bot 'Echo': this handler always fails/), { timeout: 5_000 });

    await emit(kernel, message(bot.uuid, 'm-3', 'g-2'));
    const events = await bots(kernel, 'events', { uuid: bot.uuid });
    expect(events.map((e: { event: { type: string; message_id?: string } }) => e.event.message_id ?? e.event.type)).toEqual(['m-1', 'group.member_joined', 'm-3']);
    expect(events[0]).toMatchObject({ handler_type: 'recorder', via: 'rule', accepted: true });
    expect((await bots(kernel, 'events', { uuid: bot.uuid, limit: 1 })).map((e: { event: { message_id: string } }) => e.event.message_id)).toEqual(['m-3']);
  });

  it('refuses a malformed event with VALIDATION_FAILED naming the path, and does nothing else', async () => {
    const kernel = await boot();
    const bot = await createBot(kernel);
    const bad = { ...message(bot.uuid, 'm-1'), sender: { nickname: 'no id' } };
    await expect(emit(kernel, bad)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('/sender/id') });
    await expect(emit(kernel, { type: 'nope.nothing', bot_uuid: bot.uuid })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('/type') });
    expect(await bots(kernel, 'events', { uuid: bot.uuid })).toEqual([]);
    expect(await records(kernel)).toEqual([]);
  });

  it('shows a bot whose adapter refuses to start as failed, with the error', async () => {
    const kernel = await boot();
    const bot = await createBot(kernel, { adapter_config: { fail: 'token rejected by the platform' } });
    expect(bot.status).toMatchObject({ state: 'failed', last_error: expect.stringContaining('token rejected by the platform') });
    expect(await bots(kernel, 'status', { uuid: bot.uuid })).toMatchObject({ state: 'failed', last_error: expect.stringContaining('token rejected') });
    const fixed = await bots(kernel, 'update', { uuid: bot.uuid, adapter_config: { token: 'good' } });
    expect(fixed.status).toEqual({ state: 'running' });
    expect(await bots(kernel, 'stop', { uuid: bot.uuid })).toEqual({ state: 'stopped' });
    expect((await adapterCalls(kernel)).map((c) => c.method)).toEqual(['start', 'start', 'stop']);
  });

  it('routes a legacy bot with only use_pipeline_uuid to the pipeline handler, and logs that it failed', async () => {
    const kernel = await boot();
    await tool(kernel, 'mock-adapter', 'insertLegacyBot', { uuid: 'legacy-1', pipeline: 'p-legacy' });
    const bot = await bots(kernel, 'get', { uuid: 'legacy-1' });
    expect(bot.event_handlers).toMatchObject([
      { event_type: 'message.received', handler_type: 'pipeline', handler_config: { pipeline_uuid: 'p-legacy' } },
      { event_type: '*', handler_type: 'plugin' },
    ]);
    expect(await emit(kernel, message('legacy-1', 'm-1'))).toEqual({ accepted: true, handler_type: 'pipeline', via: 'legacy' });
    await vi.waitFor(() => expect(kernel.logs.join('')).toMatch(/Handler 'pipeline' failed on a message\.received event of bot 'Legacy'/), { timeout: 5_000 });
  });

  it('keeps bots across a kernel restart and starts the enabled ones again', async () => {
    const root = builtinRoot();
    const first = await boot({ builtinRoot: root });
    const bot = await createBot(first);
    await bots(first, 'create', { name: 'Off', adapter: 'mock', enable: false });
    await first.stop();
    kernels.splice(kernels.indexOf(first), 1);

    const second = await boot({ builtinRoot: root, dataDir: first.dataDir });
    const list = await bots(second, 'list');
    expect(list.map((b: { name: string }) => b.name)).toEqual(['Echo', 'Off']);
    expect(list[0]).toMatchObject({ uuid: bot.uuid, adapter_config: { token: 't-1' }, event_handlers: bot.event_handlers });
    await vi.waitFor(async () => expect(await bots(second, 'status', { uuid: bot.uuid })).toEqual({ state: 'running' }), { timeout: 5_000 });
    expect((await adapterCalls(second)).filter((c) => c.method === 'start').map((c) => c.args.bot_uuid)).toEqual([bot.uuid]);
    expect(await emit(second, message(bot.uuid, 'm-9'))).toMatchObject({ handler_type: 'recorder', via: 'rule' });
  });
});
