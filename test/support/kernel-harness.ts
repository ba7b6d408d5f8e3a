import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Kernel, type KernelOptions } from '../../kernel/kernel.js';
import { FIXTURES } from './host-target.js';

export const FAST_POLICY = { pingIntervalMs: 200, hangTimeoutMs: 600, backoffInitialMs: 50, backoffMaxMs: 500, crashLoopMax: 5, crashLoopWindowMs: 60_000 };

/** A kernel on a fresh data folder, logging into memory, with the test fixtures as its built-in extensions. */
export async function startTestKernel(options: Partial<KernelOptions> = {}): Promise<Kernel & { dataDir: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'langbot-kernel-'));
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const kernel = await Kernel.start({
    dataDir,
    profile: 'full',
    builtinRoot: FIXTURES,
    policy: FAST_POLICY,
    logging: { destination: sink, level: 'debug' },
    bundleCacheDir: join(tmpdir(), 'langbot-test-bundles'),
    ...options,
  });
  return Object.assign(kernel, { dataDir });
}

/** Writes an extension folder (manifest.yaml + files) into `root/<name>`. */
export function writeExtension(root: string, name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

export function helloExtension(opts: { id?: string; greeting: string; isolation?: string; activation?: string; extra?: string }) {
  return {
    'manifest.yaml': [
      `id: ${opts.id ?? 'demo.hello'}`,
      'version: 1.0.0',
      'displayName: Hello',
      'engines: { langbot: "^0.1.0" }',
      'entry: ./index.ts',
      `isolation: ${opts.isolation ?? 'worker'}`,
      `activation: ${opts.activation ?? 'eager'}`,
      opts.extra ?? '',
      'contributes:',
      '  tools:',
      '    - name: hello',
      '      description: Says hello.',
      '      parameters: { type: object }',
    ].join('\n'),
    'index.ts': `
      interface Args { name: string }
      export default {
        activate(ctx: any) {
          ctx.provide('tools', 'hello', { call: (args: Args) => ({ text: ${JSON.stringify(opts.greeting)} + ', ' + args.name }) });
        },
      };
    `,
  };
}
