import { join } from 'node:path';
import { StateStore, type ExtensionState } from '../../kernel/config/state-store.js';
import type { Kernel } from '../../kernel/kernel.js';
import { callService } from '../../kernel/loader/kernel-api.js';
import type { ExtensionRecord } from '../../kernel/loader/record.js';
import { writeExtension } from '../support/kernel-harness.js';

export const ID = 'acme.greeter';

/** A version of acme.greeter whose `greet` tool answers `<version>: hello <name>`; `broken` throws during activation. */
export function greeter(version: string, opts: { broken?: boolean; permissions?: string; entry?: string; activation?: string } = {}) {
  return {
    'manifest.yaml': [
      `id: ${ID}`,
      `version: ${version}`,
      'displayName: { en_US: Greeter, zh_Hans: 问候 }',
      'engines: { langbot: "^0.1.0" }',
      'entry: ./index.ts',
      'isolation: inprocess',
      `activation: ${opts.activation ?? 'eager'}`,
      `permissions: ${opts.permissions ?? '{}'}`,
      'contributes: { tools: [{ name: greet, description: Greets., parameters: { type: object } }] }',
    ].join('\n'),
    'index.ts':
      opts.entry ??
      (opts.broken
        ? "export default { activate() { throw new Error('broken release'); } };"
        : `export default { activate(ctx: any) { ctx.provide('tools', 'greet', { call: (a: { name: string }) => ${JSON.stringify(`${version}: hello `)} + a.name }); } };`),
  };
}

/** Writes `<data>/extensions/acme.greeter@<version>/`, as the marketplace installer does. */
export const installVersion = (dataDir: string, version: string, opts: Parameters<typeof greeter>[1] = {}) =>
  writeExtension(join(dataDir, 'extensions'), `${ID}@${version}`, greeter(version, opts));

export const greet = (kernel: Kernel, name = 'Ada') => kernel.manager.invoke('tools', 'greet', 'call', { name });

/** Writes kernel.json entries before a kernel starts, or as the CLI does while one runs (another store, same file). */
export async function writeState(dataDir: string, id: string, entry: ExtensionState | undefined): Promise<void> {
  const store = await StateStore.open(dataDir);
  await store.putExtension(id, entry);
}

/** Calls the kernel's `extensions` service the way an extension does: arguments checked against the method's schema. */
export function extensionsService(kernel: Kernel, method: string, args: Record<string, unknown>): Promise<any> {
  const caller = { id: 'test.caller', manifest: { permissions: { services: ['extensions'] } } } as unknown as ExtensionRecord;
  return callService(kernel.manager, caller, 'extensions', method, args);
}
