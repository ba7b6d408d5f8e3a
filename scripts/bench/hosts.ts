/** The conformance fixture under each host, called the way the kernel calls it: `connection.invoke`. */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Host, Isolation } from '../../kernel/hosts/types.js';
import { inprocessHost } from '../../kernel/hosts/inprocess-host.js';
import { processHost } from '../../kernel/hosts/process-host.js';
import { workerHost } from '../../kernel/hosts/worker-host.js';
import { launchSpec, recordingKernel } from '../../test/support/host-target.js';
import type { Target } from './raw.js';

const INVOCATION = { point: 'tools', id: 'conformance', method: 'echo', args: { value: 'ping' } };

export async function hostFor(isolation: Isolation): Promise<Host> {
  switch (isolation) {
    case 'inprocess':
      return inprocessHost;
    case 'worker':
      return workerHost;
    case 'process':
      return processHost;
    case 'isolate':
      return (await import('../../kernel/hosts/isolate-host.js')).isolateHost;
  }
}

export async function hostTarget(isolation: Isolation): Promise<Target> {
  const host = await hostFor(isolation);
  const output: string[] = [];
  const spec = await launchSpec('bench.conformance', 'conformance', { onOutput: (line) => void output.push(line) }, isolation);
  const scratch = dirname(spec.cacheDir);
  const running = await host.launch(spec, recordingKernel().api).catch(async (e) => {
    await rm(scratch, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}${output.length ? ` (output: ${output.slice(-3).join(' | ')})` : ''}`);
  });
  const close = async () => {
    running.kill();
    await running.exited;
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    await running.connection.activate({ id: spec.id, version: spec.version, dataDir: spec.dataDir, config: {} });
    const first = (await running.connection.invoke(INVOCATION)) as { value?: unknown };
    if (first?.value !== 'ping') throw new Error(`echo returned ${JSON.stringify(first)}`);
  } catch (e) {
    await close();
    throw e;
  }
  return { call: () => running.connection.invoke(INVOCATION), close };
}
