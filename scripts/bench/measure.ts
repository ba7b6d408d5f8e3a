/** Round-trip measurement shared by every row: warm-up, sequential latency, then concurrent throughput. */
import { readdirSync, readFileSync } from 'node:fs';

export type Call = () => Promise<unknown>;

export interface MeasureOptions {
  warmupCalls: number;
  warmupBudgetMs: number;
  sequentialCalls: number;
  sequentialBudgetMs: number;
  concurrency: number;
  concurrentCalls: number;
  concurrentBudgetMs: number;
}

export const DEFAULT_MEASURE: MeasureOptions = {
  warmupCalls: 2000,
  warmupBudgetMs: 1500,
  sequentialCalls: 10_000,
  sequentialBudgetMs: 3000,
  concurrency: 64,
  concurrentCalls: 40_000,
  concurrentBudgetMs: 1000,
};

export interface Measurement {
  warmup: number;
  /** Sequential calls: one outstanding at a time. */
  n: number;
  seqCallsPerSec: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  /** Concurrent throughput with `concurrency` calls in flight. */
  concurrency: number;
  concN: number;
  concCallsPerSec: number;
}

/** CPU time spent during the sequential calls, per call (µs), from the scheduler's per-thread run time. */
export interface CpuPerCall {
  /** This process's main thread. */
  mainUs: number;
  /** This process's other threads: worker threads, isolated-vm, V8 and libuv helpers. */
  otherThreadsUs: number;
  /** Direct child processes. */
  childrenUs: number;
  /** Time the main thread was runnable but waiting for a CPU (other load on the machine). */
  mainRunqueueWaitUs: number;
}

export type Pooled = Measurement & { cpuPerCall: CpuPerCall };

interface CpuTotals {
  mainNs: number;
  mainWaitNs: number;
  processNs: number;
  childrenNs: number;
}

/** One round's result plus its raw samples (µs, sorted), so rounds can be pooled. */
export interface Round extends Measurement {
  samples: Float64Array;
  seqMs: number;
  concMs: number;
  /** CPU totals over the round's sequential calls. */
  cpu: CpuTotals;
}

/** /proc/<pid>/task/<tid>/schedstat: run time and run-queue wait time in ns (Linux). */
function schedstat(path: string): [number, number] {
  try {
    const [run, wait] = readFileSync(path, 'utf8').split(' ');
    return [Number(run), Number(wait)];
  } catch {
    return [0, 0];
  }
}

/** Run time (ns) of each thread of a process, keyed by thread id. */
function threadRunNs(pid: number | 'self', into: Map<string, number>, prefix = ''): Map<string, number> {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) into.set(prefix + tid, schedstat(`/proc/${pid}/task/${tid}/schedstat`)[0]);
  } catch {
    // gone, or not Linux
  }
  return into;
}

function childPids(): number[] {
  const out: number[] = [];
  let dirs: string[] = [];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const d of dirs) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // After the parenthesised command name: state, then ppid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

interface CpuSnapshot {
  main: [number, number];
  threads: Map<string, number>;
  children: Map<string, number>;
}

function cpuNow(children: number[]): CpuSnapshot {
  const children_ = new Map<string, number>();
  for (const pid of children) threadRunNs(pid, children_, `${pid}/`);
  return { main: schedstat(`/proc/self/task/${process.pid}/schedstat`), threads: threadRunNs('self', new Map()), children: children_ };
}

/** Per-thread differences, so a thread that ends during the window doesn't subtract its whole life. */
function cpuDelta(a: CpuSnapshot, b: CpuSnapshot): CpuTotals {
  const sum = (x: Map<string, number>, y: Map<string, number>) => {
    let total = 0;
    for (const [k, v] of y) total += Math.max(0, v - (x.get(k) ?? 0));
    return total;
  };
  return { mainNs: b.main[0] - a.main[0], mainWaitNs: b.main[1] - a.main[1], processNs: sum(a.threads, b.threads), childrenNs: sum(a.children, b.children) };
}

const now = () => process.hrtime.bigint();
const msSince = (t: bigint) => Number(now() - t) / 1e6;

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

async function concurrent(call: Call, width: number, total: number, budgetMs: number): Promise<{ n: number; ms: number }> {
  let started = 0;
  let done = 0;
  const t0 = now();
  const deadline = t0 + BigInt(Math.round(budgetMs * 1e6));
  const lane = async () => {
    // The clock is read every 64 completions so that reading it stays out of the way.
    while (started < total) {
      started++;
      await call();
      done++;
      if ((done & 63) === 0 && now() > deadline) break;
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return { n: done, ms: msSince(t0) };
}

function summarize(sorted: Float64Array, warmup: number, seqMs: number, concurrency: number, concN: number, concMs: number): Measurement {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return {
    warmup,
    n,
    seqCallsPerSec: n / (seqMs / 1000),
    p50Us: percentile(sorted, 50),
    p90Us: percentile(sorted, 90),
    p99Us: percentile(sorted, 99),
    maxUs: sorted[n - 1],
    meanUs: sum / n,
    concurrency,
    concN,
    concCallsPerSec: concMs > 0 ? concN / (concMs / 1000) : 0,
  };
}

/** Warm-up, then sequential round trips (latency), then `concurrency` in flight (throughput). */
export async function measureRound(call: Call, given: Partial<MeasureOptions> = {}): Promise<Round> {
  const o = { ...DEFAULT_MEASURE, ...given };
  // Warm-up: sequential calls here; the concurrent path gets its own short burst right before it is measured
  // (so background GC from that burst doesn't land in the sequential CPU figures).
  let warm = 0;
  const w0 = now();
  while (warm < o.warmupCalls && msSince(w0) < o.warmupBudgetMs) {
    await call();
    warm++;
  }
  const samples = new Float64Array(o.sequentialCalls);
  let n = 0;
  const children = childPids();
  const c0 = cpuNow(children);
  const s0 = now();
  const deadline = s0 + BigInt(o.sequentialBudgetMs * 1e6);
  while (n < o.sequentialCalls) {
    const t = now();
    await call();
    const t1 = now();
    samples[n++] = Number(t1 - t) / 1e3;
    if (t1 > deadline) break;
  }
  const seqMs = msSince(s0);
  const cpu = cpuDelta(c0, cpuNow(children));
  const sorted = samples.slice(0, n).sort();
  let conc = { n: 0, ms: 0 };
  if (o.concurrentCalls > 0) {
    await concurrent(call, o.concurrency, o.concurrency * 16, 300);
    conc = await concurrent(call, o.concurrency, o.concurrentCalls, o.concurrentBudgetMs);
  }
  return { ...summarize(sorted, warm, seqMs, o.concurrency, conc.n, conc.ms), samples: sorted, seqMs, concMs: conc.ms, cpu };
}

export async function measure(call: Call, given: Partial<MeasureOptions> = {}): Promise<Pooled> {
  const r = await measureRound(call, given);
  return { ...pool([r]) };
}

/** Pools rounds: percentiles over all samples, rates and CPU over the summed time. */
export function pool(rounds: Round[]): Pooled {
  const total = rounds.reduce((n, r) => n + r.samples.length, 0);
  const all = new Float64Array(total);
  let at = 0;
  for (const r of rounds) {
    all.set(r.samples, at);
    at += r.samples.length;
  }
  all.sort();
  const sum = (f: (r: Round) => number) => rounds.reduce((s, r) => s + f(r), 0);
  const main = sum((r) => r.cpu.mainNs);
  const perCall = (ns: number) => ns / 1000 / total;
  const cpuPerCall: CpuPerCall = {
    mainUs: perCall(main),
    otherThreadsUs: perCall(Math.max(0, sum((r) => r.cpu.processNs) - main)),
    childrenUs: perCall(sum((r) => r.cpu.childrenNs)),
    mainRunqueueWaitUs: perCall(sum((r) => r.cpu.mainWaitNs)),
  };
  return { ...summarize(all, sum((r) => r.warmup), sum((r) => r.seqMs), rounds[0]?.concurrency ?? 0, sum((r) => r.concN), sum((r) => r.concMs)), cpuPerCall };
}

/** Resolves echoes in the order they come back (every raw transport here preserves order). */
export class FifoEcho {
  private readonly waiting: ((value: string) => void)[] = [];
  private head = 0;

  expect(): Promise<string> {
    return new Promise<string>((resolve) => this.waiting.push(resolve));
  }

  settle(value: string): void {
    const resolve = this.waiting[this.head++];
    if (this.head > 4096 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    resolve?.(value);
  }
}
