import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kernel } from '../../kernel/kernel.js';
import { startTestKernel, writeExtension } from '../support/kernel-harness.js';

const kernels: Kernel[] = [];
afterEach(async () => {
  await Promise.all(kernels.splice(0).map((k) => k.stop()));
});

/** A provider of a streaming service and a streaming contribution, and one consumer per isolation mode. */
function extensionsRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'langbot-streams-'));
  writeExtension(root, 'counter', {
    'manifest.yaml': [
      'id: demo.counter',
      'version: 1.0.0',
      'displayName: Counter',
      'engines: { langbot: "^0.1.0" }',
      'entry: ./index.ts',
      'isolation: worker',
      'activation: eager',
      'services: { provides: [counter] }',
      'contributes:',
      '  runners:',
      '    - id: counting',
      '      displayName: Counting',
    ].join('\n'),
    'index.ts': `
      async function* count(args: { to: number }) { for (let i = 1; i <= args.to; i++) yield { n: i }; }
      export default {
        activate(ctx: any) {
          ctx.provideService('counter', { count, total: async (args: { to: number }) => args.to });
          ctx.provide('runners', 'counting', { run: count });
        },
      };
    `,
  });
  for (const isolation of ['inprocess', 'worker', 'process', 'isolate']) {
    writeExtension(root, `consumer-${isolation}`, {
      'manifest.yaml': [
        `id: demo.consumer-${isolation}`,
        'version: 1.0.0',
        'displayName: Consumer',
        'engines: { langbot: "^0.1.0" }',
        'entry: ./index.ts',
        `isolation: ${isolation}`,
        'activation: eager',
        isolation === 'inprocess' ? 'permissions: { services: [contributions] }' : 'permissions: { services: [counter, contributions] }',
        'contributes:',
        '  tools:',
        `    - name: consume-${isolation}`,
        '      description: Streams from the counter.',
        '      parameters: { type: object }',
      ].join('\n'),
      'index.ts': `
        export default {
          activate(ctx: any) {
            const collect = async (items: AsyncIterable<any>, stopAt?: number) => {
              const seen: number[] = [];
              for await (const item of items) { seen.push(item.n); if (stopAt && seen.length >= stopAt) break; }
              return seen;
            };
            ctx.provide('tools', 'consume-${isolation}', {
              service: (a: { to: number; stopAt?: number }) => collect(ctx.stream('counter', 'count', { to: a.to }), a.stopAt),
              contribution: (a: { to: number }) =>
                collect(ctx.stream('contributions', 'stream', { point: 'runners', id: 'counting', method: 'run', args: { to: a.to } })),
              callStreaming: () => ctx.call('contributions', 'stream', { point: 'runners', id: 'counting', method: 'run', args: { to: 1 } }),
              streamPlain: () => collect(ctx.stream('counter', 'total', { to: 2 })),
            });
          },
        };
      `,
    });
  }
  return root;
}

describe('streaming service calls (ctx.stream)', () => {
  it.each(['inprocess', 'worker', 'process', 'isolate'])('lets a %s extension stream a service and a contribution, in order', async (isolation) => {
    const kernel = await startTestKernel({ watch: false, builtinRoot: extensionsRoot(), profile: 'full' });
    kernels.push(kernel);
    const tool = (method: string, args: Record<string, unknown> = {}) => kernel.manager.invoke('tools', `consume-${isolation}`, method, args, { timeoutMs: 20_000 });
    if (isolation === 'inprocess') {
      // Without `counter` in permissions.services the stream is refused like a call would be.
      await expect(tool('service', { to: 3 })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    } else {
      expect(await tool('service', { to: 50 })).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await tool('service', { to: 1000, stopAt: 3 })).toEqual([1, 2, 3]);
      await expect(tool('streamPlain')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    }
    expect(await tool('contribution', { to: 5 })).toEqual([1, 2, 3, 4, 5]);
    await expect(tool('callStreaming')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('ctx.stream') });
  }, 60_000);
});
