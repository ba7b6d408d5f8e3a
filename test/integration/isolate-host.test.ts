import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolateHost } from '../../kernel/hosts/isolate-host.js';
import { bundleFor } from '../../kernel/loader/bundler.js';
import type { KernelApi } from '../../kernel/hosts/runtime-core.js';
import type { LaunchSpec } from '../../kernel/hosts/types.js';
import { RpcError } from '../../kernel/rpc/errors.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/isolate/basic');
const cacheDir = join(mkdtempSync(join(tmpdir(), 'langbot-isolate-')), 'cache');
const base = { id: 'test.isolate', dir: FIXTURE, entryFile: join(FIXTURE, 'index.ts'), cacheDir };

let bundled: Promise<string> | undefined;
const isolateBundle = () => (bundled ??= bundleFor('isolate', base));

function fakeKernel() {
  const logs: { level: string; msg: string; data?: Record<string, unknown> }[] = [];
  const calls: { service: string; method: string; args: unknown }[] = [];
  const api: KernelApi = {
    call: async (service, method, args) => (calls.push({ service, method, args }), { value: `stored:${(args as { key: string }).key}` }),
    stream: async function* () {
      yield* [];
    },
    log: (level, msg, data) => void logs.push({ level, msg, data }),
    provided: () => {},
  };
  return { api, logs, calls };
}

async function launch(overrides: Partial<LaunchSpec> = {}) {
  const output: { line: string; stream: string }[] = [];
  const kernel = fakeKernel();
  const spec: LaunchSpec = {
    ...base,
    bundleFile: await isolateBundle(),
    version: '1.0.0',
    dataDir: join(cacheDir, 'data'),
    memoryMb: 32,
    cpuTimeMs: 500,
    maxFrameBytes: 256 * 1024,
    permissions: { fsRead: [], fsWrite: [], childProcess: false, worker: false },
    onOutput: (line, stream) => void output.push({ line, stream }),
    ...overrides,
  };
  const running = await isolateHost.launch(spec, kernel.api);
  const { provided } = await running.connection.activate({ id: spec.id, version: spec.version, dataDir: spec.dataDir, config: {} });
  const call = (method: string, args: Record<string, unknown> = {}, options = {}) =>
    running.connection.invoke({ point: 'tools', id: 'x', method, args }, options) as Promise<any>;
  const stream = (method: string, args: Record<string, unknown>) => running.connection.stream({ point: 'tools', id: 'x', method, args });
  return { running, provided, call, stream, output, ...kernel };
}

const rejection = (promise: Promise<unknown>): Promise<RpcError> =>
  promise.then(() => Promise.reject(new Error('expected the call to fail')), (e: RpcError) => e);

const timerCount = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('isolate host', () => {
  let ext: Awaited<ReturnType<typeof launch>>;
  beforeAll(async () => void (ext = await launch()));
  afterAll(async () => {
    ext?.running.kill();
    await ext?.running.exited;
  });

  it('activates and reports what the extension provided', () => {
    expect(ext.provided).toHaveLength(1);
    expect(ext.provided[0]).toMatchObject({ point: 'tools', id: 'x' });
    expect(ext.provided[0].methods).toEqual(expect.arrayContaining(['echo', 'add', 'count', 'env', 'busy']));
  });

  it('round-trips calls with JSON values intact', async () => {
    const value = { text: 'héllo 你好 🙂', n: 1.5, nested: [1, null, { t: true }] };
    expect(await ext.call('echo', { value })).toEqual({ value });
    expect(await ext.call('add', { a: 2, b: 40 })).toEqual({ sum: 42 });
    const sums = await Promise.all(Array.from({ length: 100 }, (_, i) => ext.call('add', { a: i, b: i })));
    expect(sums.map((s) => s.sum)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i));
  });

  it('keeps typed error codes and details from the extension', async () => {
    const error = await rejection(ext.call('fail', { code: 'QUOTA_EXCEEDED', message: 'too many', details: { limit: 3 } }));
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', message: 'too many', details: { limit: 3 } });
    expect((await rejection(ext.call('crash'))).code).toBe('INTERNAL');
    expect((await rejection(ext.call('add', { a: 'x', b: 1 }))).code).toBe('VALIDATION_FAILED');
  });

  it('streams 100 items in order, and breaking out stops the producer', async () => {
    const items: number[] = [];
    for await (const item of ext.stream('count', { n: 100 })) items.push((item as { i: number }).i);
    expect(items).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for await (const item of ext.stream('count', { n: 10_000 })) if ((item as { i: number }).i === 5) break;
    await new Promise((r) => setTimeout(r, 150));
    expect((await ext.call('produced')).produced).toBeLessThan(64);
  });

  it('delivers cancellation to the extension', async () => {
    const controller = new AbortController();
    const pending = ext.call('hang', {}, { signal: controller.signal, timeoutMs: 0 });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect((await rejection(pending)).code).toBe('CANCELLED');
    await expect.poll(async () => (await ext.call('lastAborted')).aborted, { timeout: 2000 }).toBe(true);
  });

  it('keeps a long call alive while it reports progress (timers run inside the isolate)', async () => {
    const seen: unknown[] = [];
    const result = await ext.call('slow', { steps: 8, intervalMs: 60 }, { timeoutMs: 200, onProgress: (p: unknown) => seen.push(p) });
    expect(result).toEqual({ done: true });
    expect(seen).toHaveLength(8);
    expect((await rejection(ext.call('hang', {}, { timeoutMs: 150 }))).code).toBe('TIMEOUT');
  });

  it('lets the extension call the kernel, log and print', async () => {
    expect(await ext.call('callKernel', { key: 'k1' })).toEqual({ value: 'stored:k1' });
    expect(ext.calls).toContainEqual({ service: 'storage', method: 'get', args: { key: 'k1' } });
    expect(await ext.call('log', { msg: 'hello kernel' })).toEqual({ ok: true });
    await expect.poll(() => ext.logs).toContainEqual({ level: 'info', msg: 'hello kernel', data: { from: 'isolate' } });
    expect(ext.output).toContainEqual({ line: 'console says hello kernel {"n":1}', stream: 'stdout' });
  });

  it('reports uncaught errors as output and keeps running', async () => {
    await ext.call('unhandled');
    await expect.poll(() => ext.output.some((o) => o.stream === 'stderr' && o.line.includes('nobody catches me'))).toBe(true);
    await expect.poll(() => ext.output.some((o) => o.stream === 'stderr' && o.line.includes('thrown in a timer'))).toBe(true);
    await ext.call('fakeTimeout');
    await expect.poll(() => ext.output.some((o) => o.line.includes('Uncaught Error: Script execution timed out.'))).toBe(true);
    expect(await ext.call('add', { a: 1, b: 1 })).toEqual({ sum: 2 });
  });

  it('gives the extension no Node APIs', async () => {
    const hidden = { process: 'undefined', require: 'undefined', Buffer: 'undefined', fetch: 'undefined', bridge: 'undefined' };
    expect(await ext.call('env')).toEqual({ ...hidden, setTimeout: 'function', AbortController: 'function' });
  });

  it('reports heap usage and has a fast round trip', async () => {
    expect((await ext.running.connection.stats()).heapUsedBytes).toBeGreaterThan(0);
    const n = 500;
    const started = performance.now();
    for (let i = 0; i < n; i++) await ext.call('add', { a: i, b: 1 });
    const perCall = (performance.now() - started) / n;
    console.info(`isolate host: ${perCall.toFixed(3)} ms per sequential call`);
    expect(perCall).toBeLessThan(5);
  });
});

describe('isolate host limits', () => {
  it.each(['busy', 'busyLater'])('stops a busy loop (%s) at the CPU time limit while the kernel stays responsive', async (method) => {
    const ext = await launch({ cpuTimeMs: 200 });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    const error = await rejection(ext.call(method, {}, { timeoutMs: 0 }));
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect((await ext.running.exited).reason).toBe('cpu time limit of 200 ms exceeded');
    expect(elapsed).toBeLessThan(2000);
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('stops a memory bomb at the memory limit', async () => {
    const ext = await launch({ memoryMb: 16, cpuTimeMs: 5000 });
    const error = await rejection(ext.call('bomb', {}, { timeoutMs: 0 }));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect((await ext.running.exited).reason).toBe('memory limit of 16 MB exceeded');
  });

  it('kill() settles exited, fails pending calls and clears the isolate timers', async () => {
    const before = timerCount();
    const ext = await launch();
    await ext.call('startTicking');
    await expect.poll(async () => (await ext.call('ticks')).ticks).toBeGreaterThan(3);
    const pending = ext.call('hang', {}, { timeoutMs: 0 });
    ext.running.kill();
    expect(await ext.running.exited).toMatchObject({ reason: 'killed' });
    expect((await rejection(pending)).code).toBe('CONNECTION_CLOSED');
    await new Promise((r) => setTimeout(r, 20));
    expect(timerCount()).toBeLessThanOrEqual(before);
  });
});
