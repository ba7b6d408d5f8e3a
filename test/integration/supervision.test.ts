import { afterEach, describe, expect, it } from 'vitest';
import { processHost } from '../../kernel/hosts/process-host.js';
import { workerHost } from '../../kernel/hosts/worker-host.js';
import { Supervisor } from '../../kernel/hosts/supervisor.js';
import type { Host } from '../../kernel/hosts/types.js';
import { launchSpec, recordingKernel } from '../support/host-target.js';

const misbehave = (method: string, args: Record<string, unknown> = {}) => ({ point: 'tools', id: 'misbehave', method, args });
const conformance = (method: string, args: Record<string, unknown>) => ({ point: 'tools', id: 'conformance', method, args });
const activation = { config: {}, verify: () => {} };

/** Calls the healthy extension every 20 ms and records every failure. */
function keepCalling(healthy: Supervisor) {
  const failures: string[] = [];
  let calls = 0;
  const timer = setInterval(() => {
    calls++;
    healthy.invoke(conformance('add', { a: calls, b: 1 }), { timeoutMs: 1000 }).then(
      (r) => expect((r as { sum: number }).sum).toBe(calls + 1 - (calls - calls)),
      (e) => failures.push(String(e)),
    );
  }, 20);
  return { stop: () => clearInterval(timer), failures, calls: () => calls };
}

async function restartedWithin(supervisor: Supervisor, before: number): Promise<number> {
  const started = Date.now();
  await expect.poll(() => supervisor.health().restarts > before && supervisor.health().state === 'running', { timeout: 5000, interval: 20 }).toBe(true);
  return Date.now() - started;
}

describe.each([
  ['worker', workerHost],
  ['process', processHost],
] as [string, Host][])('supervision under the %s host', (_name, host) => {
  const supervisors: Supervisor[] = [];
  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  });

  async function start(fixture: string, id: string) {
    const supervisor = new Supervisor(host, await launchSpec(id, fixture, { memoryMb: 64 }), recordingKernel().api, activation);
    supervisors.push(supervisor);
    await supervisor.start();
    return supervisor;
  }

  it.each([
    ['crashes', 'crash', /exited with code 3|crashed/],
    ['busy-loops', 'spin', /hung/],
    // Under GC pressure a process may stop answering before V8 gives up: either detection counts.
    ['exceeds its memory limit', 'bomb', /memory limit of 64 MB exceeded|hung/],
  ])('an extension that %s is restarted within 2 s while another keeps answering', async (_what, method, reason) => {
    const bad = await start('misbehaving', 'test.misbehaving');
    const good = await start('conformance', 'test.conformance');
    const load = keepCalling(good);
    const before = bad.health().restarts;
    const triggered = Date.now();
    bad.invoke(misbehave(method), { timeoutMs: 0 }).catch(() => {});
    const took = await restartedWithin(bad, before);
    load.stop();
    expect(Date.now() - triggered).toBeLessThan(2000);
    expect(took).toBeLessThan(2000);
    expect(bad.health().lastError).toMatch(reason);
    expect(await bad.invoke(misbehave('ping'))).toEqual({ pong: true });
    expect(load.failures).toEqual([]);
    expect(load.calls()).toBeGreaterThan(5);
  });

  it('stops restarting after a crash loop and says so', async () => {
    const supervisor = new Supervisor(host, await launchSpec('test.misbehaving', 'misbehaving'), recordingKernel().api, activation, {}, {
      pingIntervalMs: 250,
      hangTimeoutMs: 750,
      backoffInitialMs: 10,
      backoffMaxMs: 50,
      crashLoopMax: 2,
      crashLoopWindowMs: 60_000,
    });
    supervisors.push(supervisor);
    await supervisor.start();
    for (let i = 0; i < 3; i++) {
      await expect.poll(() => supervisor.health().state, { timeout: 5000 }).toMatch(/running|crash-loop/);
      if (supervisor.health().state === 'crash-loop') break;
      supervisor.invoke(misbehave('crash')).catch(() => {});
      await expect.poll(() => supervisor.health().state, { timeout: 5000 }).not.toBe('running');
    }
    await expect.poll(() => supervisor.health().state, { timeout: 5000 }).toBe('crash-loop');
    expect(supervisor.health().lastError).toMatch(/crash loop: 3 crashes/);
    await expect(supervisor.invoke(misbehave('ping'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('reports health: state, restarts, RPC latency percentiles and memory', async () => {
    const good = await start('conformance', 'test.conformance');
    for (let i = 0; i < 50; i++) await good.invoke(conformance('add', { a: i, b: i }));
    await expect.poll(() => good.health().memoryBytes, { timeout: 3000 }).toBeGreaterThan(0);
    const health = good.health();
    expect(health).toMatchObject({ state: 'running', restarts: 0 });
    expect(health.rpcP50Ms).toBeGreaterThan(0);
    expect(health.rpcP99Ms).toBeGreaterThanOrEqual(health.rpcP50Ms!);
  });
});
