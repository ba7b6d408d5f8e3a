/**
 * `npm run bench:http`: requests per second and latency of the HTTP server in a real kernel (headless profile,
 * sql.js), against upstream's control-plane gates: p95 ≤ 500 ms for `GET /healthz` and ≤ 1 s for
 * `GET /api/v1/system/info`, with no errors. `GET /api/v1/platform/bots` with a sign-in token (JWT check, account
 * lookup, three bots with their state) is measured for context, without a gate.
 *
 * Each route is loaded by keep-alive clients in closed loop, 1 (the baseline) and 50 at a time, from a worker
 * thread (scripts/bench/http/load-worker.ts), for a warm-up and then a fixed window. An answer is an error unless it
 * is a 200 with the success envelope. Prints a table and writes bench-results/http.json. `--quick` shortens the
 * windows.
 */
import { mkdtempSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { StateStore } from '../../kernel/config/state-store.js';
import { Kernel, REPO_ROOT } from '../../kernel/kernel.js';
import { buildNodeEntry } from './build-entry.js';
import type { LoadJob, LoadResult } from './http/load-worker.js';
import { table } from './table.js';

interface Target {
  name: string;
  path: string;
  auth: boolean;
  /** Upstream's p95 gate in ms, if any. */
  gateMs?: number;
}

const TARGETS: Target[] = [
  { name: 'GET /healthz', path: '/healthz', auth: false, gateMs: 500 },
  { name: 'GET /api/v1/system/info', path: '/api/v1/system/info', auth: false, gateMs: 1000 },
  { name: 'GET /api/v1/platform/bots (token)', path: '/api/v1/platform/bots', auth: true },
];
const CONCURRENCY = [1, 50];

interface Row {
  route: string;
  concurrency: number;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  firstError?: string;
  /** CPU time of the kernel's main thread (HTTP server, in-process extensions) per request, µs. */
  serverCpuUsPerReq?: number;
  gateMs?: number;
  pass?: boolean;
}

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Run time (ns) of this process's main thread, from the scheduler (Linux); undefined elsewhere. */
async function mainThreadNs(): Promise<number | undefined> {
  try {
    return Number((await readFile(`/proc/self/task/${process.pid}/schedstat`, 'utf8')).split(' ')[0]);
  } catch {
    return undefined;
  }
}

async function startKernel(dataDir: string): Promise<{ kernel: Kernel; url: string; token: string }> {
  const state = await StateStore.open(dataDir);
  await state.setExtension('langbot.http', { config: { host: '127.0.0.1', port: 0 } });
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const kernel = await Kernel.start({ dataDir, profile: 'headless', watch: false, logging: { destination: sink, level: 'warn' }, bundleCacheDir: join(os.tmpdir(), 'langbot-test-bundles') });
  const { url } = (await kernel.manager.invoke('services', 'http', 'info', {})) as { url: string };
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const json = (await res.json()) as { code: unknown; data?: any };
    if (res.status !== 200 || json.code !== 0) throw new Error(`POST ${path} failed: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const account = { user: 'bench@example.com', password: 'bench password 1' };
  await post('/api/v1/user/init', account);
  const { token } = await post('/api/v1/user/auth', account);
  // Disabled bots: listed with their config (secrets masked) and state, and never connect anywhere.
  for (let i = 1; i <= 3; i++) await post('/api/v1/platform/bots', { name: `Bench bot ${i}`, adapter: 'telegram', adapter_config: { token: `${i}23456:bench-token` }, enable: false }, token);
  return { kernel, url, token };
}

function load(entry: string, job: LoadJob): Promise<LoadResult> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(entry, { workerData: job });
    worker.once('message', (result: LoadResult) => resolvePromise(result));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`The load worker exited with code ${code}.`)));
  });
}

export async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const warmupMs = quick ? 300 : 1000;
  const durationMs = quick ? 1000 : 4000;
  // Other work on the machine shows in the latencies; the load average before the run says how much there was.
  const loadBefore = os.loadavg()[0];
  const dataDir = mkdtempSync(join(os.tmpdir(), 'langbot-bench-http-'));
  const buildDir = mkdtempSync(join(os.tmpdir(), 'langbot-bench-http-build-'));
  const entry = await buildNodeEntry(join(REPO_ROOT, 'scripts/bench/http/load-worker.ts'), buildDir, 'load-worker');
  const { kernel, url, token } = await startKernel(dataDir);
  const rows: Row[] = [];
  try {
    for (const target of TARGETS) {
      for (const concurrency of CONCURRENCY) {
        const cpu0 = await mainThreadNs();
        const result = await load(entry, { url: `${url}${target.path}`, headers: target.auth ? { authorization: `Bearer ${token}` } : {}, concurrency, warmupMs, durationMs });
        const cpu1 = await mainThreadNs();
        const sorted = result.latencies.sort();
        const ms = (us: number) => us / 1000;
        const p95Ms = ms(percentile(sorted, 95));
        rows.push({
          route: target.name,
          concurrency,
          requests: sorted.length,
          reqPerSec: sorted.length / (result.elapsedMs / 1000),
          p50Ms: ms(percentile(sorted, 50)),
          p95Ms,
          p99Ms: ms(percentile(sorted, 99)),
          maxMs: ms(sorted[sorted.length - 1]),
          errors: result.errors,
          ...(result.firstError ? { firstError: result.firstError } : {}),
          // Over the worker's whole run, warm-up included.
          ...(cpu0 !== undefined && cpu1 !== undefined ? { serverCpuUsPerReq: (cpu1 - cpu0) / 1000 / result.total } : {}),
          ...(target.gateMs !== undefined ? { gateMs: target.gateMs, pass: p95Ms <= target.gateMs && result.errors === 0 } : {}),
        });
      }
    }
  } finally {
    await kernel.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(buildDir, { recursive: true, force: true });
  }

  const cpus = os.cpus();
  const machine = { cpuModel: cpus[0]?.model ?? 'unknown', cpuCount: cpus.length, node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage1m: Number(loadBefore.toFixed(2)) };
  console.log(`HTTP benchmark — ${machine.cpuModel}, ${machine.cpuCount} CPU(s), Node ${machine.node}; headless profile, sql.js; keep-alive clients in a worker thread; load average ${machine.loadAverage1m} before the run.`);
  console.log(`Upstream's gates: p95 ≤ 500 ms for /healthz, ≤ 1 s for /api/v1/system/info, no errors. Window ${durationMs / 1000} s after ${warmupMs / 1000} s of warm-up.\n`);
  console.log(
    table(
      ['route', 'clients', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'server CPU µs/req', 'gate p95', 'pass'],
      rows.map((r) => [
        r.route,
        r.concurrency,
        r.requests,
        Math.round(r.reqPerSec),
        r.p50Ms.toFixed(2),
        r.p95Ms.toFixed(2),
        r.p99Ms.toFixed(2),
        r.maxMs.toFixed(1),
        r.errors,
        r.serverCpuUsPerReq === undefined ? '-' : Math.round(r.serverCpuUsPerReq),
        r.gateMs !== undefined ? `≤ ${r.gateMs} ms` : '-',
        r.pass === undefined ? '-' : r.pass ? 'pass' : 'FAIL',
      ]),
      [false, true, true, true, true, true, true, true, true, true, false, false],
    ),
  );
  for (const r of rows) if (r.firstError) console.log(`${r.route} × ${r.concurrency}: first error: ${r.firstError}`);
  const out = resolve(REPO_ROOT, 'bench-results');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'http.json'), JSON.stringify({ date: new Date().toISOString(), machine, warmupMs, durationMs, results: rows }, null, 2));
  console.log(`\nWrote ${join(out, 'http.json')}`);
  return rows.every((r) => r.pass !== false) ? 0 : 1;
}
