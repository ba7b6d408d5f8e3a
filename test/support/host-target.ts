import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Host, LaunchSpec, RunningExtension } from '../../kernel/hosts/types.js';
import { bundleFor } from '../../kernel/loader/bundler.js';
import type { KernelApi } from '../../kernel/hosts/runtime-core.js';
import type { ConformanceTarget } from '../conformance/rpc-suite.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/extensions');

export async function launchSpec(id: string, fixture: string, overrides: Partial<LaunchSpec> = {}, isolation = 'process'): Promise<LaunchSpec> {
  const dir = join(FIXTURES, fixture);
  const scratch = mkdtempSync(join(tmpdir(), 'langbot-host-'));
  const base = { id, dir, entryFile: join(dir, 'index.ts'), cacheDir: join(scratch, 'cache') };
  return {
    ...base,
    bundleFile: await bundleFor(isolation, base),
    version: '1.0.0',
    dataDir: join(scratch, 'data'),
    memoryMb: 64,
    cpuTimeMs: 1000,
    maxFrameBytes: 256 * 1024,
    permissions: { fsRead: [], fsWrite: [], childProcess: false, worker: false },
    onOutput: () => {},
    ...overrides,
  };
}

export function recordingKernel(overrides: Partial<KernelApi> = {}) {
  const logs: { level: string; msg: string; data?: Record<string, unknown> }[] = [];
  const api: KernelApi = {
    call: async (service, method, args) => ({ service, method, args }),
    stream: async function* (service, method, args) {
      yield { service, method, args };
    },
    log: (level, msg, data) => void logs.push({ level, msg, data }),
    provided: () => {},
    ...overrides,
  };
  return { api, logs };
}

export async function hostTarget(host: Host, given?: LaunchSpec): Promise<ConformanceTarget & { running: RunningExtension }> {
  const spec = given ?? (await launchSpec('test.conformance', 'conformance', {}, host.isolation));
  const running = await host.launch(spec, recordingKernel().api);
  await running.connection.activate({ id: spec.id, version: spec.version, dataDir: spec.dataDir, config: {} });
  const invocation = (method: string, args: Record<string, unknown>) => ({ point: 'tools', id: 'conformance', method, args });
  return {
    running,
    maxFrameBytes: spec.maxFrameBytes,
    call: (method, args, options) => running.connection.invoke(invocation(method, args), options) as Promise<any>,
    stream: (method, args, options) => running.connection.stream(invocation(method, args), options),
    close: async () => {
      running.kill();
      await running.exited;
    },
  };
}
