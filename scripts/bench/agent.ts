/**
 * `npm run bench:agent`: how much time the kernel adds to an LLM answer, against a fake OpenAI-compatible
 * provider on localhost that streams 8 chunks 5 ms apart.
 *
 * - direct: the `openai` SDK streaming from the provider (the baseline).
 * - models service: the same request through `models.chat` (requester extension, key rotation, monitoring).
 * - full path: an inbound message through the pipeline and the local agent to the adapter's streamed reply.
 *
 * For each: time to the first token and to the last, p50 / p99 over the runs, and what the kernel adds at p50.
 * Target: ≤ 2 ms added to the first token at p50. Prints a table and writes bench-results/agent.json.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { StateStore } from '../../kernel/config/state-store.js';
import { Kernel, REPO_ROOT } from '../../kernel/kernel.js';
import { FakeLlm } from '../../sdk/testing/fake-llm.js';
import { table } from './table.js';

interface Probe {
  call(service: string, method: string, args?: Record<string, unknown>): Promise<any>;
  stream(service: string, method: string, args?: Record<string, unknown>): AsyncIterable<any>;
  emit(event: Record<string, unknown>): Promise<{ accepted: boolean; reason?: string }>;
  onChunk?(args: { event: { message_id: string }; is_final?: boolean }): void;
}

const CHUNKS = ['The ', 'quick ', 'brown ', 'fox ', 'jumps ', 'over ', 'the ', 'dog.'];
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

interface Timing {
  first: number;
  total: number;
}

async function direct(url: string, runs: number): Promise<Timing[]> {
  const client = new OpenAI({ baseURL: url, apiKey: 'sk-bench', maxRetries: 0 });
  const out: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    let first = 0;
    const stream = await client.chat.completions.create({ model: 'bench', messages: [{ role: 'user', content: `hi ${i}` }], stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) if (!first && chunk.choices[0]?.delta?.content) first = performance.now() - t0;
    out.push({ first, total: performance.now() - t0 });
  }
  return out;
}

async function viaModels(probe: Probe, model: string, runs: number): Promise<Timing[]> {
  const out: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    let first = 0;
    for await (const item of probe.stream('models', 'chat', { model, messages: [{ role: 'user', content: `hi ${i}` }], stream: true })) if (!first && item.type === 'delta' && item.content) first = performance.now() - t0;
    out.push({ first, total: performance.now() - t0 });
  }
  return out;
}

async function viaPipeline(probe: Probe, bot_uuid: string, runs: number): Promise<Timing[]> {
  const out: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    const id = `m-${i}-${Math.random()}`;
    const t0 = performance.now();
    let first = 0;
    const done = new Promise<void>((resolve) => {
      probe.onChunk = (args) => {
        if (args.event.message_id !== id) return;
        if (!first) first = performance.now() - t0;
        if (args.is_final) resolve();
      };
    });
    const event = { type: 'message.received', timestamp: Date.now() / 1000, bot_uuid, adapter_name: 'bench-stream', message_id: id, message_chain: [{ type: 'Plain', text: `hi ${i}` }], sender: { id: `u${i % 50}` }, chat_type: 'private', chat_id: `u${i % 50}` };
    const accepted = await probe.emit(event);
    if (!accepted.accepted) throw new Error(`Refused: ${accepted.reason}`);
    await done;
    out.push({ first, total: performance.now() - t0 });
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const runs = argv.includes('--quick') ? 60 : 300;
  const fake = await new FakeLlm({ script: [{ chunks: CHUNKS, chunkDelayMs: 5 }] }).start();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'langbot-bench-agent-'));
  cpSync(join(REPO_ROOT, 'scripts/bench/pipeline-extension'), join(dataDir, 'extensions', 'bench-probe'), { recursive: true, preserveTimestamps: true });
  const state = await StateStore.open(dataDir);
  await state.setExtension('langbot.tools', { config: { policy: [] } });
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const kernel = await Kernel.start({ dataDir, profile: 'headless', watch: false, logging: { destination: sink, level: 'warn' }, bundleCacheDir: join(os.tmpdir(), 'langbot-test-bundles') });
  const results: Record<string, Timing[]> = {};
  try {
    const probe = (globalThis as { __langbotBenchProbe?: Probe }).__langbotBenchProbe!;
    const provider = await probe.call('models', 'createProvider', { name: 'Bench', requester: 'openai-chat-completions', base_url: fake.url, api_keys: ['sk-bench'] });
    const model = await probe.call('models', 'createModel', { type: 'llm', name: 'bench', provider_uuid: provider.uuid });
    const config = await probe.call('pipelines', 'defaultConfig');
    config.ai.runner.runner = 'local-agent';
    config.ai['local-agent'] = { ...config.ai['local-agent'], model: { primary: model.uuid, fallbacks: [] }, 'enable-all-tools': false, tools: [] };
    config.safety['rate-limit'] = { 'window-length': 60, limitation: 1_000_000_000, strategy: 'drop' };
    const pipeline = await probe.call('pipelines', 'create', { name: 'Bench', config });
    const bot = await probe.call('bots', 'create', { name: 'Bench', adapter: 'bench-stream', enable: true, event_handlers: [{ event_type: 'message.received', handler_type: 'pipeline', handler_config: { pipeline_uuid: pipeline.uuid } }] });

    // Warm-up: JIT, connections, module loading.
    await direct(fake.url, 30);
    await viaModels(probe, model.uuid, 30);
    await viaPipeline(probe, bot.uuid, 30);
    // Interleaved rounds, so drift on a noisy machine hits all three alike.
    results.direct = [];
    results.models = [];
    results.pipeline = [];
    const rounds = 5;
    for (let r = 0; r < rounds; r++) {
      results.direct.push(...(await direct(fake.url, runs / rounds)));
      results.models.push(...(await viaModels(probe, model.uuid, runs / rounds)));
      results.pipeline.push(...(await viaPipeline(probe, bot.uuid, runs / rounds)));
    }
  } finally {
    await kernel.stop();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const base = results.direct;
  const row = (name: string, label: string) => {
    const t = results[name];
    const first50 = pct(t.map((x) => x.first), 50);
    const total50 = pct(t.map((x) => x.total), 50);
    return {
      path: label,
      runs: t.length,
      firstP50: first50,
      firstP99: pct(t.map((x) => x.first), 99),
      totalP50: total50,
      totalP99: pct(t.map((x) => x.total), 99),
      addedFirstP50: name === 'direct' ? 0 : first50 - pct(base.map((x) => x.first), 50),
      addedTotalP50: name === 'direct' ? 0 : total50 - pct(base.map((x) => x.total), 50),
    };
  };
  const rows = [row('direct', 'direct (openai SDK)'), row('models', 'models service'), row('pipeline', 'full path: adapter → pipeline → local agent → adapter')];
  const cpus = os.cpus();
  const machine = { cpuModel: cpus[0]?.model ?? 'unknown', cpuCount: cpus.length, node: process.version };
  console.log(`Agent benchmark — ${machine.cpuModel}, ${machine.cpuCount} CPU(s), Node ${machine.node}. Fake provider: ${CHUNKS.length} chunks 5 ms apart.`);
  console.log('Target: ≤ 2 ms added to the first token at p50.\n');
  const f = (n: number) => n.toFixed(2);
  console.log(
    table(
      ['path', 'runs', 'first p50', 'first p99', 'done p50', 'done p99', '+first p50', '+done p50'],
      rows.map((r) => [r.path, r.runs, f(r.firstP50), f(r.firstP99), f(r.totalP50), f(r.totalP99), f(r.addedFirstP50), f(r.addedTotalP50)]),
      [false, true, true, true, true, true, true, true],
    ),
  );
  console.log('(milliseconds)');
  const out = resolve(REPO_ROOT, 'bench-results');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'agent.json'), JSON.stringify({ date: new Date().toISOString(), machine, chunks: CHUNKS.length, chunkDelayMs: 5, results: rows }, null, 2));
  console.log(`\nWrote ${join(out, 'agent.json')}`);
  return 0;
}
