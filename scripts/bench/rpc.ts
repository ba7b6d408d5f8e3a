/**
 * RPC benchmark: bare transports, RpcPeer over each transport, the conformance extension under every host, and
 * the kernel's cold start. Prints tables and writes bench-results/rpc.json.
 *
 *   node scripts/run-ts.mjs scripts/bench/rpc.ts [--quick] [--no-coldstart] [--rebuild] [--no-splits | --splits]
 *                                                    [--only=<row key part>|coldstart]
 *
 * Exits 0 even when targets are missed (it is a benchmark); 1 when a measurement crashes.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { coldStart, type ColdStartResult } from './coldstart.js';
import { buildNodeEntry } from './build-entry.js';
import { hostTarget } from './hosts.js';
import { DEFAULT_MEASURE, measureRound, pool, type MeasureOptions, type Pooled, type Round } from './measure.js';
import { peerMemory, peerMessagePort, peerStdio, peerWebSocket } from './peers.js';
import { FRAME, rawIsolateBridge, rawIsolateSync, rawMessagePort, rawStdio, rawWebSocket, type Target } from './raw.js';
import { timingSplits, type SplitsReport } from './splits.js';
import { fmtRate, fmtRatio, fmtUs, table } from './table.js';

const BENCH_DIR = import.meta.dirname;
const ROOT = resolve(BENCH_DIR, '..', '..');

interface RowSpec {
  key: string;
  group: 'raw' | 'rpc' | 'host';
  name: string;
  /** A row whose target may legitimately be absent (isolated-vm, the isolate host). */
  optional?: boolean;
  setup(): Promise<Target>;
}

interface RowResult {
  key: string;
  group: string;
  name: string;
  status: 'ok' | 'unavailable' | 'error';
  error?: string;
  note?: string;
  setupMs?: number;
  /** All rounds pooled. */
  result?: Pooled;
  roundP50Us?: number[];
}

interface RatioResult {
  host: string;
  baseline: string;
  hostP50Us?: number;
  baselineP50Us?: number;
  ratio?: number;
  /** Host p50 / baseline p50 within each round (measured close together in time). */
  roundRatios?: number[];
  target: string;
  verdict: 'PASS' | 'MISS' | 'N/A';
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms))),
  ]);
}

function machine() {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    platform: os.platform(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    totalMemoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
  };
}

export async function main(argv: string[]): Promise<number> {
  const flag = (name: string) => argv.includes(`--${name}`);
  const only = argv.find((a) => a.startsWith('--only='))?.slice(7);
  const quick = flag('quick');
  const rounds = quick ? 2 : 5;
  const options: Partial<MeasureOptions> = quick
    ? { warmupCalls: 500, sequentialCalls: 2000, sequentialBudgetMs: 1000, concurrentCalls: 10_000, concurrentBudgetMs: 500 }
    : {};
  const started = performance.now();
  const log = (line: string) => console.error(`[bench] ${line}`);
  const info = machine();
  const loadBefore = os.loadavg()[0];
  log(`${info.os}, ${info.cpuCount}× ${info.cpuModel}, ${info.totalMemoryGb} GB, Node ${info.node}`);

  const scratch = await mkdtemp(join(os.tmpdir(), 'langbot-bench-'));
  let crashed = false;
  try {
    const [peerEntry, ladderEntry] = await Promise.all([
      buildNodeEntry(join(BENCH_DIR, 'peer-entry.ts'), scratch, 'peer-entry'),
      buildNodeEntry(join(BENCH_DIR, 'ladder-entry.ts'), scratch, 'ladder-entry'),
    ]);
    const rows: RowSpec[] = [
      { key: 'raw.port', group: 'raw', name: 'bare MessagePort (worker thread)', setup: rawMessagePort },
      { key: 'raw.stdio', group: 'raw', name: 'bare stdio (child process)', setup: rawStdio },
      { key: 'raw.ws', group: 'raw', name: 'bare WebSocket 127.0.0.1', setup: rawWebSocket },
      { key: 'raw.isolate', group: 'raw', name: 'bare isolate bridge (apply + Callback)', optional: true, setup: rawIsolateBridge },
      { key: 'raw.isolate-sync', group: 'raw', name: 'isolate applySync (reference only)', optional: true, setup: rawIsolateSync },
      { key: 'rpc.memory', group: 'rpc', name: 'RpcPeer memory pair', setup: peerMemory },
      { key: 'rpc.port', group: 'rpc', name: 'RpcPeer MessagePort (worker)', setup: () => peerMessagePort(peerEntry) },
      { key: 'rpc.stdio', group: 'rpc', name: 'RpcPeer stdio (child process)', setup: () => peerStdio(peerEntry) },
      { key: 'rpc.ws', group: 'rpc', name: 'RpcPeer WebSocket 127.0.0.1', setup: peerWebSocket },
      { key: 'host.inprocess', group: 'host', name: 'host inprocess', setup: () => hostTarget('inprocess') },
      { key: 'host.worker', group: 'host', name: 'host worker', setup: () => hostTarget('worker') },
      { key: 'host.process', group: 'host', name: 'host process', setup: () => hostTarget('process') },
      { key: 'host.isolate', group: 'host', name: 'host isolate', optional: true, setup: () => hostTarget('isolate') },
    ];

    // Set every target up first, then measure in interleaved rounds: a host and its baseline are measured close
    // together in time, so load from elsewhere on the machine hits both rather than skewing one ratio.
    const results: RowResult[] = [];
    const live: { row: RowSpec; result: RowResult; target: Target; rounds: Round[] }[] = [];
    for (const row of rows) {
      if (only && !row.key.includes(only)) continue;
      const result: RowResult = { key: row.key, group: row.group, name: row.name, status: 'ok' };
      results.push(result);
      const t0 = performance.now();
      try {
        const target = await withTimeout(row.setup(), 60_000, `setting up ${row.key}`);
        result.setupMs = performance.now() - t0;
        result.note = target.note;
        live.push({ row, result, target, rounds: [] });
      } catch (e) {
        result.status = row.optional ? 'unavailable' : 'error';
        result.error = (e as Error).message.split('\n')[0].slice(0, 300);
        if (!row.optional) crashed = true;
        log(`${row.key}: ${row.optional ? 'unavailable' : 'FAILED'}: ${result.error}`);
      }
    }
    const m = { ...DEFAULT_MEASURE, ...options };
    // Within a round, each host is measured right after its baseline (and the RpcPeer row between them).
    const order = ['raw.port', 'rpc.port', 'host.worker', 'raw.stdio', 'rpc.stdio', 'host.process', 'raw.isolate', 'host.isolate', 'raw.isolate-sync', 'rpc.memory', 'host.inprocess', 'raw.ws', 'rpc.ws'];
    const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
    const measureOrder = [...live].sort((a, b) => rank(a.row.key) - rank(b.row.key));
    for (let round = 0; round < rounds; round++) {
      const perRound: Partial<MeasureOptions> = {
        ...m,
        warmupCalls: round === 0 ? m.warmupCalls : Math.min(300, m.warmupCalls),
        sequentialCalls: Math.ceil(m.sequentialCalls / rounds),
        sequentialBudgetMs: m.sequentialBudgetMs / rounds,
        concurrentCalls: Math.ceil(m.concurrentCalls / rounds),
        concurrentBudgetMs: m.concurrentBudgetMs / rounds,
      };
      for (const entry of measureOrder) {
        if (entry.result.status !== 'ok') continue;
        try {
          const r = await withTimeout(measureRound(entry.target.call, perRound), 30_000, `measuring ${entry.row.key}`);
          entry.rounds.push(r);
          log(`round ${round + 1}/${rounds} ${entry.row.key}: p50 ${fmtUs(r.p50Us)} µs, p99 ${fmtUs(r.p99Us)} µs, x${r.concurrency} ${fmtRate(r.concCallsPerSec)}/s`);
        } catch (e) {
          entry.result.status = 'error';
          entry.result.error = (e as Error).message.split('\n')[0].slice(0, 300);
          crashed = true;
          log(`${entry.row.key}: FAILED: ${entry.result.error}`);
        }
      }
    }
    for (const entry of live) {
      await withTimeout(entry.target.close(), 10_000, `closing ${entry.row.key}`).catch((e) => log(`${entry.row.key}: close: ${(e as Error).message}`));
      if (entry.result.status !== 'ok') continue;
      entry.result.result = pool(entry.rounds);
      entry.result.roundP50Us = entry.rounds.map((r) => r.p50Us);
    }

    const byKey = new Map(results.map((r) => [r.key, r]));
    const p50 = (key: string) => (byKey.get(key)?.status === 'ok' ? byKey.get(key)!.result!.p50Us : undefined);
    const ratios: RatioResult[] = [];
    const inproc = p50('host.inprocess');
    ratios.push({
      host: 'inprocess',
      baseline: '(absolute)',
      hostP50Us: inproc,
      target: 'p50 ≤ 2 µs',
      verdict: inproc === undefined ? 'N/A' : inproc <= 2 ? 'PASS' : 'MISS',
    });
    for (const [host, raw] of [
      ['worker', 'raw.port'],
      ['process', 'raw.stdio'],
      ['isolate', 'raw.isolate'],
    ] as const) {
      const h = p50(`host.${host}`);
      const b = p50(raw);
      const ratio = h !== undefined && b !== undefined ? h / b : undefined;
      const hr = byKey.get(`host.${host}`)?.roundP50Us;
      const br = byKey.get(raw)?.roundP50Us;
      ratios.push({
        host,
        baseline: byKey.get(raw)?.name ?? raw,
        hostP50Us: h,
        baselineP50Us: b,
        ratio,
        roundRatios: hr && br && ratio !== undefined ? hr.map((x, i) => x / br[i]) : undefined,
        target: '≤ 1.5×',
        verdict: ratio === undefined ? 'N/A' : ratio <= 1.5 ? 'PASS' : 'MISS',
      });
    }
    // Not targets: how much the RPC layer alone adds on each transport.
    const layer = (
      [
        ['rpc.port', 'raw.port'],
        ['rpc.stdio', 'raw.stdio'],
        ['rpc.ws', 'raw.ws'],
      ] as const
    ).map(([rpc, raw]) => {
      const a = p50(rpc);
      const b = p50(raw);
      return { rpc, raw, rpcP50Us: a, rawP50Us: b, ratio: a !== undefined && b !== undefined ? a / b : undefined, addedUs: a !== undefined && b !== undefined ? a - b : undefined };
    });

    let splits: SplitsReport | undefined;
    const missed = ratios.some((r) => r.verdict === 'MISS');
    if (flag('splits') || (!flag('no-splits') && missed && !only)) {
      log('a host target was missed: measuring where the time goes …');
      try {
        splits = await withTimeout(timingSplits({ quick, peerEntry, ladderEntry }), 90_000, 'timing splits');
      } catch (e) {
        log(`timing splits failed: ${(e as Error).stack}`);
        crashed = true;
      }
    }

    let cold: ColdStartResult | undefined;
    let coldError: string | undefined;
    if (!flag('no-coldstart') && (!only || only === 'coldstart')) {
      log('cold start …');
      try {
        cold = await withTimeout(coldStart(ROOT, BENCH_DIR, log, { runs: quick ? 3 : 5, freshRuns: quick ? 1 : 3, rebuild: flag('rebuild') }), 150_000, 'cold start');
      } catch (e) {
        coldError = (e as Error).message.slice(0, 500);
        log(`cold start failed: ${coldError}`);
        crashed = true;
      }
    }

    // ---- report ----
    const out: string[] = [];
    out.push(`LangBot RPC benchmark — ${info.date}`);
    out.push(`${info.os} ${info.arch}; ${info.cpuCount}× ${info.cpuModel}; ${info.totalMemoryGb} GB RAM; Node ${info.node} (V8 ${info.v8})`);
    out.push(
      `Payload: echo { value: 'ping' } (raw rows: a ${Buffer.byteLength(FRAME)}-byte JSON-RPC-sized string). Per row: warm-up ${m.warmupCalls} calls, ` +
        `then ≤ ${m.sequentialCalls} sequential calls (≤ ${m.sequentialBudgetMs / 1000} s) and ${m.concurrency}-in-flight throughput (≤ ${m.concurrentBudgetMs / 1000} s), ` +
        `split over ${rounds} interleaved rounds and pooled.`,
    );
    out.push(`Load average (1 min) before/after: ${loadBefore.toFixed(2)} / ${os.loadavg()[0].toFixed(2)}${loadBefore > 0.5 ? ' — other work was running; cross-thread and cross-process rows are the most affected' : ''}.`);
    out.push('');
    out.push(
      table(
        ['group', 'row', 'n', 'seq calls/s', 'p50 µs', 'p90 µs', 'p99 µs', `x${m.concurrency} calls/s`, 'CPU µs/call main|threads|child', 'note'],
        results.map((r) => {
          if (r.status !== 'ok') return [r.group, r.name, '-', '-', '-', '-', '-', '-', '-', `${r.status.toUpperCase()}: ${r.error}`];
          const x = r.result!;
          const c = x.cpuPerCall;
          return [
            r.group,
            r.name,
            x.n,
            fmtRate(x.seqCallsPerSec),
            fmtUs(x.p50Us),
            fmtUs(x.p90Us),
            fmtUs(x.p99Us),
            fmtRate(x.concCallsPerSec),
            `${fmtUs(c.mainUs)} | ${fmtUs(c.otherThreadsUs)} | ${c.childrenUs > 0 ? fmtUs(c.childrenUs) : '-'}`,
            r.note,
          ];
        }),
        [false, false, true, true, true, true, true, true, true, false],
      ),
    );
    out.push(
      "CPU columns: scheduler run time per sequential call (/proc schedstat) of this process's main thread | its other threads (worker, isolate, V8/libuv helpers) | child processes.",
    );
    const waits = results.filter((r) => r.status === 'ok' && r.result!.cpuPerCall.mainRunqueueWaitUs > 0.1 * r.result!.meanUs);
    if (waits.length) {
      out.push(
        `Contention: the main thread waited for a CPU for > 10% of the mean round trip in ${waits.map((r) => r.key).join(', ')} — other work was running on this ${info.cpuCount}-core machine.`,
      );
    }
    out.push('');
    out.push('Host overhead vs its bare transport (p50):');
    out.push(
      table(
        ['host', 'host p50 µs', 'baseline', 'baseline p50 µs', 'ratio', 'per round', 'target', 'result'],
        ratios.map((r) => [
          r.host,
          fmtUs(r.hostP50Us),
          r.baseline,
          fmtUs(r.baselineP50Us),
          fmtRatio(r.ratio),
          r.roundRatios?.map((x) => x.toFixed(2)).join(' / '),
          r.target,
          r.verdict,
        ]),
        [false, true, false, true, true, false, false, false],
      ),
    );
    out.push('');
    out.push('RPC layer alone (RpcPeer vs bare transport, p50; not a target):');
    out.push(
      table(
        ['transport', 'RpcPeer p50 µs', 'bare p50 µs', 'added µs', 'ratio'],
        layer.map((l) => [l.raw.slice(4), fmtUs(l.rpcP50Us), fmtUs(l.rawP50Us), fmtUs(l.addedUs), fmtRatio(l.ratio)]),
        [false, true, true, true, true],
      ),
    );
    const coldTargets: { name: string; value?: number; unit: string; target: number; verdict: 'PASS' | 'MISS' | 'N/A' }[] = [];
    if (cold || coldError) {
      out.push('');
      out.push('Cold start:');
      if (cold) {
        out.push(`  command: ${cold.command} (${cold.kind})`);
        for (const note of cold.notes) out.push(`  note: ${note}`);
        out.push(
          `  runs on one data folder (ms): ${cold.runsMs.map((x) => x.toFixed(0)).join(', ')} (after 1 untimed start that prepares it)` +
            (cold.kernelReportedMs ? `; the kernel's own 'ms' at ready: ${cold.kernelReportedMs.join(', ')}` : ''),
        );
        if (cold.freshRunsMs.length) out.push(`  runs on a new data folder each (ms): ${cold.freshRunsMs.map((x) => x.toFixed(0)).join(', ')} (median ${cold.freshMedianMs!.toFixed(0)})`);
        coldTargets.push({ name: 'spawn → Kernel ready (median)', value: cold.medianMs, unit: 'ms', target: 300, verdict: cold.medianMs <= 300 ? 'PASS' : 'MISS' });
        coldTargets.push({
          name: `idle RSS after ${cold.idleAfterMs / 1000} s (VmRSS)`,
          value: cold.idleRssMb,
          unit: 'MB',
          target: 60,
          verdict: cold.idleRssMb === undefined ? 'N/A' : cold.idleRssMb <= 60 ? 'PASS' : 'MISS',
        });
        out.push(
          table(
            ['measure', 'value', 'target', 'result'],
            coldTargets.map((t) => [t.name, t.value === undefined ? '-' : `${t.value.toFixed(1)} ${t.unit}`, `≤ ${t.target} ${t.unit}`, t.verdict]),
            [false, true, true, false],
          )
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n'),
        );
        const bd = cold.breakdown;
        out.push(
          `  breakdown: bare \`node -e 0\` ${bd.nodeBareMs?.toFixed(0) ?? '-'} ms` +
            (bd.cliHelpMs !== undefined ? `; \`node dist/langbot.mjs --help\` (Node + loading the CLI bundle) ${bd.cliHelpMs.toFixed(0)} ms` : '') +
            `; so Kernel.start ≈ ${bd.cliHelpMs !== undefined ? (cold.medianMs - bd.cliHelpMs).toFixed(0) : '?'} ms. Idle RSS of a bare \`node\`: ${bd.nodeBareIdleRssMb?.toFixed(1) ?? '-'} MB.`,
        );
        if (bd.profile) {
          out.push(`  CPU profile of one start (${bd.profile.busyMs.toFixed(0)} ms sampled on the main thread, self time):`);
          out.push(
            table(
              ['module', 'ms', 'share'],
              bd.profile.groups.map((g) => [g.name.slice(0, 70), g.ms.toFixed(1), `${(g.share * 100).toFixed(1)}%`]),
              [false, true, true],
            )
              .split('\n')
              .map((l) => `    ${l}`)
              .join('\n'),
          );
        }
      } else out.push(`  FAILED: ${coldError}`);
    }
    if (splits) {
      out.push('');
      out.push(splits.text);
    }
    const all = [
      ...ratios.map((r) => ({ name: `${r.host} (${r.target})`, verdict: r.verdict })),
      ...coldTargets.map((t) => ({ name: `${t.name} (≤ ${t.target} ${t.unit})`, verdict: t.verdict })),
    ];
    const met = all.filter((t) => t.verdict === 'PASS');
    const miss = all.filter((t) => t.verdict === 'MISS');
    const na = all.filter((t) => t.verdict === 'N/A');
    out.push('');
    out.push(
      `Targets: ${met.length} met, ${miss.length} missed${na.length ? `, ${na.length} not measured` : ''}.` +
        (miss.length ? ` Missed: ${miss.map((t) => t.name).join('; ')}.` : '') +
        (na.length ? ` Not measured: ${na.map((t) => t.name).join('; ')}.` : ''),
    );
    const totalS = (performance.now() - started) / 1000;
    out.push(`Total bench time ${totalS.toFixed(1)} s.`);
    console.log(out.join('\n'));

    // A partial run (--only) doesn't overwrite the full results.
    const file = join(ROOT, 'bench-results', only ? 'rpc-partial.json.tmp' : 'rpc.json');
    await mkdir(join(ROOT, 'bench-results'), { recursive: true });
    await writeFile(
      file,
      JSON.stringify(
        {
          machine: { ...info, loadAverage1mBefore: loadBefore, loadAverage1mAfter: os.loadavg()[0] },
          settings: { ...m, quick },
          rows: results,
          hostRatios: ratios,
          rpcLayer: layer,
          coldStart: cold ?? (coldError ? { error: coldError } : undefined),
          coldStartTargets: coldTargets,
          splits: splits?.data,
          summary: { met: met.map((t) => t.name), missed: miss.map((t) => t.name), notMeasured: na.map((t) => t.name), crashed, totalSeconds: totalS },
        },
        null,
        2,
      ) + '\n',
    );
    console.log(`\nJSON: ${relative(process.cwd(), file) || file}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
    // The kernel bundles its worker/process entries per kernel process (kernel/hosts/runtime-files.ts): ours.
    for (const name of ['worker-entry', 'process-entry']) await rm(join(os.tmpdir(), 'langbot-ts', `${name}-${process.pid}.mjs`), { force: true });
  }
  return crashed ? 1 : 0;
}
