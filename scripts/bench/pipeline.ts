/**
 * `npm run bench:pipeline`: messages per second and the kernel's overhead from an inbound event to the reply, through
 * the whole message core (events service → query pool → router → pipeline stages → runner → platform gateway →
 * adapter) with an instant runner and persistence on (sql.js: monitoring rows, conversation and session writes).
 *
 * Scenarios:
 * - 1 chat, closed loop: each message is sent when the previous reply arrived (latency = overhead).
 * - 1,000 chats, paced: messages round-robin over 1,000 chats at 1,000 msg/s and at half the measured capacity
 *   (latency = overhead with 1,000 live sessions, without queueing behind a backlog).
 * - 1,000 chats, burst: all messages at once; messages/s at saturation.
 * Prints a table and writes bench-results/pipeline.json.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Kernel, REPO_ROOT } from '../../kernel/kernel.js';
import { StateStore } from '../../kernel/config/state-store.js';
import { table } from './table.js';

interface Probe {
  call(service: string, method: string, args?: Record<string, unknown>): Promise<any>;
  emit(event: Record<string, unknown>): Promise<{ accepted: boolean; reason?: string }>;
  onReply?(args: { event: { message_id: string } }): void;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startKernel(dataDir: string) {
  cpSync(join(REPO_ROOT, 'scripts/bench/pipeline-extension'), join(dataDir, 'extensions', 'bench-probe'), { recursive: true, preserveTimestamps: true });
  const state = await StateStore.open(dataDir);
  // Room for a burst: every chat may queue its share of the burst.
  await state.setExtension('langbot.bots', { config: { concurrency: 64, queueLimit: 1000 } });
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const kernel = await Kernel.start({ dataDir, profile: 'headless', watch: false, logging: { destination: sink, level: 'warn' }, bundleCacheDir: join(os.tmpdir(), 'langbot-test-bundles') });
  const probe = (globalThis as { __langbotBenchProbe?: Probe }).__langbotBenchProbe;
  if (!probe) throw new Error('The benchmark probe extension did not start.');
  const defaults = await probe.call('pipelines', 'defaultConfig');
  defaults.ai.runner.runner = 'instant';
  // The default rate limit (60 per minute per chat) would be what is measured.
  defaults.safety['rate-limit'] = { 'window-length': 60, limitation: 1_000_000_000, strategy: 'drop' };
  const pipeline = await probe.call('pipelines', 'create', { name: 'Bench', config: defaults, is_default: true });
  const bot = await probe.call('bots', 'create', {
    name: 'Bench bot',
    adapter: 'bench',
    enable: true,
    event_handlers: [{ event_type: 'message.received', handler_type: 'pipeline', handler_config: { pipeline_uuid: pipeline.uuid } }],
  });
  return { kernel, probe, bot_uuid: bot.uuid as string };
}

function eventFor(bot_uuid: string, id: number, chat: number) {
  return {
    type: 'message.received',
    timestamp: Date.now() / 1000,
    bot_uuid,
    adapter_name: 'bench',
    message_id: String(id),
    message_chain: [{ type: 'Plain', text: `message ${id}` }],
    sender: { id: `u${chat}`, nickname: `User ${chat}` },
    chat_type: 'private',
    chat_id: `u${chat}`,
  };
}

interface Scenario {
  name: string;
  chats: number;
  messages: number;
  msgPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cpuUserMs: number;
  note: string;
}

async function run(probe: Probe, bot_uuid: string, name: string, chats: number, count: number, mode: 'closed' | 'paced' | 'burst', rate = 0): Promise<Scenario> {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  let next = 0;
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const base = Math.floor(Math.random() * 1e9);
  const send = async (i: number) => {
    const id = base + i;
    sent.set(String(id), performance.now());
    const result = await probe.emit(eventFor(bot_uuid, id, i % chats));
    if (!result.accepted) throw new Error(`Message refused: ${result.reason}`);
  };
  probe.onReply = (args) => {
    const t0 = sent.get(args.event.message_id);
    if (t0 === undefined) return;
    latencies.push(performance.now() - t0);
    if (++done === count) finish();
    else if (mode === 'closed' && next < count) void send(next++);
  };
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  if (mode === 'closed') void send(next++);
  else if (mode === 'burst') for (; next < count; next++) void send(next);
  else {
    const interval = 1000 / rate;
    for (; next < count; next++) {
      const due = started + next * interval;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      void send(next);
    }
  }
  await finished;
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  probe.onReply = undefined;
  latencies.sort((a, b) => a - b);
  return {
    name,
    chats,
    messages: count,
    msgPerSec: (count / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1)!,
    cpuUserMs: (cpu.user + cpu.system) / 1000,
    note: mode === 'paced' ? `${rate} msg/s offered` : mode === 'burst' ? 'all sent at once; latency includes queueing' : 'next sent on reply',
  };
}

export async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const dataDir = mkdtempSync(join(os.tmpdir(), 'langbot-bench-pipeline-'));
  const { kernel, probe, bot_uuid } = await startKernel(dataDir);
  const results: Scenario[] = [];
  try {
    await run(probe, bot_uuid, 'warm-up', 50, quick ? 300 : 2_000, 'burst');
    results.push(await run(probe, bot_uuid, '1 chat, closed loop', 1, quick ? 500 : 3_000, 'closed'));
    const burst = await run(probe, bot_uuid, '1,000 chats, burst', 1_000, quick ? 2_000 : 20_000, 'burst');
    // Every chat sending a message a second, then half the measured capacity.
    results.push(await run(probe, bot_uuid, '1,000 chats, 1 msg/s each', 1_000, quick ? 1_000 : 5_000, 'paced', 1_000));
    const paced = Math.max(100, Math.round(burst.msgPerSec / 2 / 100) * 100);
    results.push(await run(probe, bot_uuid, '1,000 chats, paced at half capacity', 1_000, quick ? 1_000 : Math.min(10_000, paced * 4), 'paced', paced));
    results.push(burst);
  } finally {
    await kernel.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  const machine = { cpuModel: cpus[0]?.model ?? 'unknown', cpuCount: cpus.length, node: process.version, platform: `${os.platform()} ${os.release()}` };
  console.log(`Pipeline benchmark — ${machine.cpuModel}, ${machine.cpuCount} CPU(s), Node ${machine.node}; sql.js persistence; instant runner.`);
  console.log('Targets: ≥ 5,000 msg/s on one core; kernel overhead p99 ≤ 5 ms.\n');
  console.log(
    table(
      ['scenario', 'messages', 'msg/s', 'p50 ms', 'p99 ms', 'max ms', 'CPU ms/msg', 'note'],
      results.map((r) => [r.name, r.messages, Math.round(r.msgPerSec), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), r.maxMs.toFixed(1), (r.cpuUserMs / r.messages).toFixed(3), r.note]),
      [false, true, true, true, true, true, true, false],
    ),
  );
  const out = resolve(REPO_ROOT, 'bench-results');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'pipeline.json'), JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2));
  console.log(`\nWrote ${join(out, 'pipeline.json')}`);
  return 0;
}
