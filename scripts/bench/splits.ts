/**
 * Where a round trip's time goes, measured rather than guessed:
 *  1. the ladder: the RPC stack built up one layer at a time, in one thread (pure CPU) and across a worker port;
 *  2. per-call costs of the individual pieces RpcPeer and the in-process host add (ns per operation);
 *  3. a CPU profile of RpcPeer round trips in one thread, self time grouped by module;
 *  4. the process host's Node flags (permission model, heap limit) on the same stdio RpcPeer;
 *  5. the isolate: async `apply` alone vs the bridge.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Session } from 'node:inspector';
import { MessageChannel, Worker } from 'node:worker_threads';
import { CancellationTokenSource, ProgressType, createMessageConnection } from 'vscode-jsonrpc';
import { Type } from '@sinclair/typebox';
import { RpcPeer, createStreamTransport, decodeFrame, LatencyWindow, checkerFor } from '../../kernel/rpc/index.js';
import { ExtInvoke } from '../../kernel/hosts/protocol.js';
import { BenchEcho } from './echo-method.js';
import { STEPS, applyAblations, clientRung, memoryPorts, serveRung, type Ablation } from './ladder.js';
import { hostTarget } from './hosts.js';
import { measure, measureRound, pool, type MeasureOptions, type Pooled, type Round } from './measure.js';
import { FRAME, rawIsolateBridge } from './raw.js';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './profile.js';
import { fmtUs, table } from './table.js';

export interface SplitsReport {
  text: string;
  data: unknown;
}

export interface SplitsContext {
  quick: boolean;
  /** Bundled scripts/bench/ladder-entry.ts and peer-entry.ts. */
  ladderEntry: string;
  peerEntry: string;
}

const short = (quick: boolean): Partial<MeasureOptions> => ({
  warmupCalls: quick ? 500 : 1500,
  warmupBudgetMs: 500,
  sequentialCalls: quick ? 2000 : 6000,
  sequentialBudgetMs: quick ? 500 : 1200,
  concurrentCalls: quick ? 5000 : 20_000,
  concurrentBudgetMs: quick ? 250 : 500,
});

// ---------------------------------------------------------------- 1. ladder

async function ladder(ctx: SplitsContext) {
  // Everything is set up first and measured in interleaved rounds (the port figures drift with the machine's state).
  const steps: { step: (typeof STEPS)[number]; memory: ReturnType<typeof clientRung>; port: ReturnType<typeof clientRung>; worker: Worker; rounds: { memory: Round[]; port: Round[] } }[] = [];
  try {
    for (const step of STEPS) {
      // One thread: both ends here, so the round trip is pure CPU (plus microtask/setImmediate hops).
      const [a, b] = memoryPorts();
      serveRung(step.rung, b);
      const memory = clientRung(step.rung, a);
      // Across a worker port; the worker applies the same ablations to itself.
      const worker = new Worker(ctx.ladderEntry, { workerData: { rung: step.rung, ablate: step.ablate }, env: {}, execArgv: [] });
      await once(worker, 'online');
      steps.push({ step, memory, port: clientRung(step.rung, worker), worker, rounds: { memory: [], port: [] } });
    }
    const rounds = ctx.quick ? 1 : 3;
    for (let round = 0; round < rounds; round++) {
      const o = { ...short(ctx.quick), warmupCalls: round === 0 ? (ctx.quick ? 500 : 1500) : 200, sequentialCalls: ctx.quick ? 2000 : 1500, sequentialBudgetMs: 400, concurrentCalls: 5000, concurrentBudgetMs: 150 };
      for (const s of steps) {
        const undo = applyAblations(s.step.ablate);
        try {
          s.rounds.memory.push(await measureRound(s.memory.call, o));
          s.rounds.port.push(await measureRound(s.port.call, o));
        } finally {
          undo();
        }
      }
    }
  } finally {
    for (const s of steps) {
      s.memory.close();
      s.port.close();
      await s.worker.terminate();
    }
  }
  return steps.map((s) => ({ ...s.step, memory: pool(s.rounds.memory), port: pool(s.rounds.port) }));
}

/** The in-process host with the same ablations: what its ≈2 µs goes to. */
async function inprocessAblations(quick: boolean) {
  const target = await hostTarget('inprocess');
  const out: { name: string; m: Pooled }[] = [];
  try {
    for (const [name, ablate] of [
      ['as is', []],
      ['cheap AbortSignal', ['signal']],
      ['cheap AbortSignal + no deadline timer', ['signal', 'timer']],
    ] as [string, Ablation[]][]) {
      const undo = applyAblations(ablate);
      try {
        out.push({ name, m: await measure(target.call, { ...short(quick), concurrentCalls: 0 }) });
      } finally {
        undo();
      }
    }
  } finally {
    await target.close();
  }
  return out;
}

// ---------------------------------------------------------------- 2. per-operation costs

// Results go somewhere observable so the optimiser cannot drop the measured work.
export let sink: unknown;

function perOp(fn: () => unknown, n: number): number {
  for (let i = 0; i < Math.min(n, 20_000); i++) sink = fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = fn();
  return Number(process.hrtime.bigint() - t0) / n;
}

async function perAsyncOp(fn: () => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < Math.min(n, 5000); i++) await fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / n;
}

async function operationCosts(quick: boolean) {
  const n = quick ? 50_000 : 200_000;
  const request = JSON.parse(FRAME);
  const invocation = { point: 'tools', id: 'conformance', method: 'echo', args: { value: 'ping' } };
  const checkEcho = checkerFor(BenchEcho.params);
  const checkInvocation = checkerFor(ExtInvoke.params);
  const checkAny = checkerFor(Type.Any());
  const conn = createMessageConnection(
    { listen: () => ({ dispose() {} }), onError: () => ({ dispose() {} }), onClose: () => ({ dispose() {} }), onPartialMessage: () => ({ dispose() {} }), dispose() {} } as never,
    { write: async () => {}, onError: () => ({ dispose() {} }), onClose: () => ({ dispose() {} }), end() {}, dispose() {} } as never,
  );
  const progressType = new ProgressType<unknown>();
  const latency = new LatencyWindow();
  let seq = 0;
  const noop = () => {};
  const ops: { name: string; where: string; ns: number; perRoundTrip: number }[] = [];
  const add = (name: string, where: string, ns: number, perRoundTrip: number) => ops.push({ name, where, ns, perRoundTrip });

  add('JSON.stringify(request, 170 B)', 'FrameWriter.write', perOp(() => JSON.stringify(request), n), 2);
  add('JSON.parse(request frame)', 'decodeFrame', perOp(() => JSON.parse(FRAME), n), 2);
  add('decodeFrame (parse + envelope checks)', 'FrameReader.push', perOp(() => decodeFrame(FRAME, 16 * 1024 * 1024), n), 2);
  add('ajv: params { value } (BenchEcho)', 'RpcPeer.admit', perOp(() => checkEcho({ value: 'ping' }), n), 1);
  add('ajv: Invocation params (ext.invoke)', 'RpcPeer.admit (hosts)', perOp(() => checkInvocation(invocation), n), 1);
  add('ajv: result Type.Any()', 'RpcPeer.call', perOp(() => checkAny({ value: 'ping' }), n), 1);
  add('new AbortController + listener (signalFrom)', 'RpcPeer.dispatch', perOp(() => {
    const c = new AbortController();
    c.signal.addEventListener('abort', noop, { once: true });
    return c;
  }, n / 4), 1);
  add('new AbortController (runDirect)', 'inprocess host', perOp(() => new AbortController(), n / 4), 1);
  add('setTimeout(30 s) + clearTimeout (inactivity timer)', 'RpcPeer.call / runDirect', perOp(() => clearTimeout(setTimeout(noop, 30_000)), n / 4), 1);
  add('new CancellationTokenSource().token', 'RpcPeer.call', perOp(() => new CancellationTokenSource().token, n), 1);
  add('connection.onProgress(…) + dispose', 'RpcPeer.call', perOp(() => conn.onProgress(progressType, `t:${++seq}`, noop).dispose(), n), 1);
  add('progress token string `${id}:${n}`', 'RpcPeer.call', perOp(() => `12345.1:${++seq}`, n), 1);
  add('{ ...params, _meta } + delete _meta', 'RpcPeer.call / admit', perOp(() => {
    const wire: Record<string, unknown> = { ...invocation, _meta: { progressToken: 'x' } };
    delete wire._meta;
    return wire;
  }, n), 1);
  add('performance.now()', 'RpcPeer.call / runDirect', perOp(() => performance.now(), n), 2);
  add('LatencyWindow.record', 'RpcPeer.call / runDirect', perOp(() => latency.record(0.01), n), 1);
  add('new Promise + resolve', 'everywhere', perOp(() => new Promise<void>((r) => r()), n), 4);
  add('await (microtask hop)', 'everywhere', await perAsyncOp(() => Promise.resolve(), n / 4), 4);
  add('setImmediate hop (idle loop)', 'vscode-jsonrpc message queue', await perAsyncOp(() => new Promise<void>((r) => setImmediate(r)), quick ? 5000 : 20_000), 2);
  add('queueMicrotask hop', 'memory transport', await perAsyncOp(() => new Promise<void>((r) => queueMicrotask(r)), n / 4), 2);
  conn.dispose();
  return ops;
}

// ---------------------------------------------------------------- 3. CPU profile

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));
}

/** Profiles this (main) thread while `call` runs sequentially for `budgetMs`. */
async function profileCalls(call: () => Promise<unknown>, budgetMs: number, limit = 16) {
  for (let i = 0; i < 3000; i++) await call();
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 25 });
  await post(session, 'Profiler.start');
  const budget = BigInt(Math.round(budgetMs * 1e6));
  const t0 = process.hrtime.bigint();
  let calls = 0;
  while (process.hrtime.bigint() - t0 < budget) {
    await call();
    calls++;
  }
  const wallUs = Number(process.hrtime.bigint() - t0) / 1e3;
  const { profile } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
  session.disconnect();
  // Samples inside the inspector's own calls (starting/stopping the profiler) are not round trips.
  const summary = summarizeProfile(profile, { skip: (n) => n.callFrame.url === 'node:inspector', limit });
  const perCall = (list: ProfileSummary['groups']) => list.map((g) => ({ name: g.name, share: g.share, usPerCall: g.us / calls }));
  return { calls, wallUsPerCall: wallUs / calls, busyUsPerCall: summary.busyUs / calls, groups: perCall(summary.groups), functions: perCall(summary.functions) };
}

async function cpuProfile(quick: boolean) {
  const [a, b] = memoryPorts();
  serveRung('peer', b);
  const client = clientRung('peer', a);
  try {
    return await profileCalls(client.call, quick ? 600 : 1500);
  } finally {
    client.close();
  }
}

/** The kernel side of the worker and isolate hosts: what the main thread is doing during a call. */
async function hostProfiles(quick: boolean) {
  const out: { host: string; profile?: Awaited<ReturnType<typeof profileCalls>>; error?: string }[] = [];
  for (const isolation of ['worker', 'isolate'] as const) {
    try {
      const target = await hostTarget(isolation);
      try {
        out.push({ host: isolation, profile: await profileCalls(target.call, quick ? 400 : 1000, 8) });
      } finally {
        await target.close();
      }
    } catch (e) {
      out.push({ host: isolation, error: (e as Error).message.slice(0, 200) });
    }
  }
  const raw = await rawIsolateBridge().catch(() => undefined);
  if (raw) {
    try {
      out.push({ host: 'bare isolate bridge', profile: await profileCalls(raw.call, quick ? 400 : 1000, 8) });
    } finally {
      await raw.close();
    }
  }
  return out;
}

/** Node's MessagePort machinery without a second thread: both ports of a MessageChannel in this thread. */
async function sameThreadChannel(quick: boolean) {
  const { port1, port2 } = new MessageChannel();
  port2.on('message', (m) => port2.postMessage(m));
  const waiting: ((v: unknown) => void)[] = [];
  port1.on('message', (m) => waiting.shift()!(m));
  const m = await measure(() => new Promise((resolve) => (waiting.push(resolve), port1.postMessage(FRAME))), { ...short(quick), concurrentCalls: 0 });
  port1.close();
  return m;
}

// ---------------------------------------------------------------- 4. process host flags

async function stdioPeer(entry: string, flags: string[]) {
  const child = spawn(process.execPath, [...flags, entry], { stdio: ['pipe', 'pipe', 'inherit'], env: {} });
  const exited = once(child, 'exit');
  const peer = new RpcPeer(createStreamTransport(child.stdout!, child.stdin!), { name: 'flags' });
  const close = async () => {
    peer.close();
    child.stdin!.end();
    const t = setTimeout(() => child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(t);
  };
  await peer.handshake().catch(async (e) => {
    await close();
    throw e;
  });
  return { call: () => peer.call(BenchEcho, { value: 'ping' }), close };
}

async function processFlags(ctx: SplitsContext) {
  const permission = ['--experimental-permission', `--allow-fs-read=${ctx.peerEntry}`, '--no-warnings=ExperimentalWarning'];
  const variants: { name: string; flags: string[] }[] = [
    { name: 'no flags (as the RpcPeer stdio row)', flags: [] },
    { name: '--max-old-space-size=64', flags: ['--max-old-space-size=64'] },
    { name: '--experimental-permission (+ allow-fs-read)', flags: permission },
    { name: 'both (as the process host)', flags: [...permission, '--max-old-space-size=64'] },
  ];
  // All four children run at once and are measured in interleaved rounds, so a change in the machine's state
  // doesn't masquerade as a flag's effect.
  const live: { name: string; flags: string[]; target: Awaited<ReturnType<typeof stdioPeer>>; rounds: Round[] }[] = [];
  try {
    for (const v of variants) live.push({ ...v, target: await stdioPeer(ctx.peerEntry, v.flags), rounds: [] });
    const rounds = ctx.quick ? 1 : 3;
    for (let round = 0; round < rounds; round++) {
      for (const l of live) {
        l.rounds.push(await measureRound(l.target.call, { ...short(ctx.quick), warmupCalls: round === 0 ? 1000 : 200, sequentialCalls: 1500, sequentialBudgetMs: 400, concurrentCalls: 0 }));
      }
    }
  } finally {
    for (const l of live) await l.target.close();
  }
  return live.map((l) => ({ name: l.name, flags: l.flags, m: pool(l.rounds) }));
}

// ---------------------------------------------------------------- 5. isolate

async function isolateApply(quick: boolean) {
  const { default: ivm } = await import('isolated-vm');
  const isolate = new ivm.Isolate({ memoryLimit: 64 });
  const context = await isolate.createContext();
  const fn: import('isolated-vm').Reference<(s: string) => string> = await context.eval('(s) => s', { reference: true });
  const opts = { ...short(quick), concurrentCalls: 0 };
  const applyAsync = await measure(() => fn.apply(undefined, [FRAME], { arguments: { copy: true }, result: { copy: true } }), opts);
  const heap = perOp(() => isolate.getHeapStatisticsSync().used_heap_size, quick ? 5000 : 20_000);
  fn.release();
  context.release();
  isolate.dispose();
  return { applyAsync, heapStatsNs: heap };
}

// ---------------------------------------------------------------- report

export async function timingSplits(ctx: SplitsContext): Promise<SplitsReport> {
  const text: string[] = ['Where the time goes', '==================='];
  const data: Record<string, unknown> = {};

  const steps = await ladder(ctx);
  data.ladder = steps.map((s) => ({ name: s.name, rung: s.rung, ablate: s.ablate, memory: s.memory, port: s.port }));
  text.push(
    '',
    'Ladder: the stack built up one layer at a time, then RpcPeer with pieces swapped for cheap stand-ins (on both sides).',
    '"one thread" = both ends in this thread (pure CPU); "worker port" = across a MessagePort, with CPU per call on each side.',
  );
  text.push(
    table(
      ['step', '1 thread p50', 'Δ', 'x64/s', 'worker p50', 'Δ', 'x64/s', 'CPU main|worker µs'],
      steps.map((s, i) => {
        const before = i === 0 ? undefined : steps[i - 1];
        const d = (now: number, prev?: number) => (prev === undefined ? '' : `${now - prev >= 0 ? '+' : ''}${fmtUs(now - prev)}`);
        return [
          s.name,
          fmtUs(s.memory.p50Us),
          d(s.memory.p50Us, before?.memory.p50Us),
          Math.round(s.memory.concCallsPerSec).toLocaleString('en-US'),
          fmtUs(s.port.p50Us),
          d(s.port.p50Us, before?.port.p50Us),
          Math.round(s.port.concCallsPerSec).toLocaleString('en-US'),
          `${fmtUs(s.port.cpuPerCall.mainUs)} | ${fmtUs(s.port.cpuPerCall.otherThreadsUs)}`,
        ];
      }),
      [false, true, true, true, true, true, true, true],
    ),
  );

  const channel = await sameThreadChannel(ctx.quick);
  data.sameThreadMessageChannel = { p50Us: channel.p50Us, p99Us: channel.p99Us };
  text.push(
    '',
    `MessageChannel with both ports in one thread (Node's port machinery, no thread wake-up): p50 ${fmtUs(channel.p50Us)} µs per round trip ` +
      `(two messages); the rest of the bare worker round trip is waking the other thread.`,
  );

  const inproc = await inprocessAblations(ctx.quick);
  data.inprocess = inproc.map((x) => ({ name: x.name, p50Us: x.m.p50Us, meanUs: x.m.meanUs }));
  text.push('', `In-process host ablations (p50): ${inproc.map((x) => `${x.name} ${fmtUs(x.m.p50Us)} µs`).join('; ')}.`);

  const ops = await operationCosts(ctx.quick);
  data.operations = ops;
  text.push('', 'Per-operation costs (ns; ×n = times per round trip, both sides together):');
  text.push(
    table(
      ['operation', 'where', 'ns/op', '×n', 'ns/round trip'],
      ops.map((o) => [o.name, o.where, o.ns.toFixed(0), o.perRoundTrip, (o.ns * o.perRoundTrip).toFixed(0)]),
      [false, false, true, true, true],
    ),
  );

  const prof = await cpuProfile(ctx.quick);
  data.cpuProfile = prof;
  text.push(
    '',
    `CPU profile: RpcPeer round trips in one thread (${prof.calls.toLocaleString('en-US')} calls; ${fmtUs(prof.wallUsPerCall)} µs wall, ${fmtUs(prof.busyUsPerCall)} µs sampled CPU per call, sampling inflates both):`,
  );
  text.push(
    table(
      ['self time by module', 'share', 'µs/call'],
      prof.groups.map((g) => [g.name, `${(g.share * 100).toFixed(1)}%`, fmtUs(g.usPerCall)]),
      [false, true, true],
    ),
  );
  text.push(
    table(
      ['top functions (self)', 'share', 'µs/call'],
      prof.functions.map((g) => [g.name.slice(0, 90), `${(g.share * 100).toFixed(1)}%`, fmtUs(g.usPerCall)]),
      [false, true, true],
    ),
  );

  const hosts = await hostProfiles(ctx.quick);
  data.hostProfiles = hosts;
  text.push('', 'Main (kernel) thread during host calls — sampled wall time, so native calls that block (locks, wake-ups) count too:');
  for (const h of hosts) {
    if (!h.profile) {
      text.push(`  ${h.host}: not measured (${h.error})`);
      continue;
    }
    text.push(
      `  ${h.host}: ${fmtUs(h.profile.wallUsPerCall)} µs per call, ${fmtUs(h.profile.busyUsPerCall)} µs sampled on this thread: ` +
        h.profile.functions
          .slice(0, 6)
          .map((f) => `${f.name.replace(/ \[.*\]$/, '')} ${fmtUs(f.usPerCall)}`)
          .join(', '),
    );
  }

  const flags = await processFlags(ctx);
  data.processFlags = flags.map((f) => ({ name: f.name, flags: f.flags, p50Us: f.m.p50Us, p99Us: f.m.p99Us, seqCallsPerSec: f.m.seqCallsPerSec }));
  text.push('', 'Process host flags on the same stdio RpcPeer child (p50 µs):');
  text.push(
    table(
      ['child flags', 'p50 µs', 'p99 µs', 'seq calls/s'],
      flags.map((f) => [f.name, fmtUs(f.m.p50Us), fmtUs(f.m.p99Us), Math.round(f.m.seqCallsPerSec).toLocaleString('en-US')]),
      [false, true, true, true],
    ),
  );

  try {
    const iso = await isolateApply(ctx.quick);
    data.isolate = { applyAsyncP50Us: iso.applyAsync.p50Us, applyAsyncP99Us: iso.applyAsync.p99Us, heapStatsNs: iso.heapStatsNs };
    text.push(
      '',
      `Isolate: async Reference.apply round trip p50 ${fmtUs(iso.applyAsync.p50Us)} µs (p99 ${fmtUs(iso.applyAsync.p99Us)}); ` +
        `getHeapStatisticsSync ${iso.heapStatsNs.toFixed(0)} ns per delivery.`,
    );
  } catch (e) {
    text.push('', `Isolate: not measured (${(e as Error).message})`);
  }
  return { text: text.join('\n'), data };
}
