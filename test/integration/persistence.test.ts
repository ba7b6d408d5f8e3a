import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Kernel } from '../../kernel/kernel.js';
import { CORE_TABLES } from '../../sdk/persistence/index.js';
import { startTestKernel } from '../support/kernel-harness.js';

const REPO = resolve(import.meta.dirname, '../..');
const FIXTURES = join(REPO, 'test/fixtures/extensions-persistence');
const PROVIDER = 'langbot.persistence-sqljs';

/** A built-in root holding copies (discovery skips symlinks) of the sql.js extension and the consumer fixtures. */
function builtinRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'langbot-persistence-ext-'));
  cpSync(join(REPO, 'extensions/storage/persistence-sqljs'), join(root, 'persistence-sqljs'), { recursive: true });
  for (const name of ['consumer', 'consumer-denied']) cpSync(join(FIXTURES, name), join(root, name), { recursive: true });
  return root;
}

const kernels: Kernel[] = [];
async function boot(options: { dataDir?: string; builtinRoot?: string } = {}) {
  const kernel = await startTestKernel({ watch: false, builtinRoot: options.builtinRoot ?? builtinRoot(), ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  kernels.push(kernel);
  return kernel;
}

afterEach(async () => {
  await Promise.all(kernels.splice(0).map((k) => k.stop()));
});

const consumer = (kernel: Kernel, method: string, args: Record<string, unknown> = {}) =>
  kernel.manager.invoke('tools', 'persistence-consumer', method, args, { timeoutMs: 15_000 }) as Promise<any>;

describe('persistence (sql.js)', () => {
  it('waits for first use, then migrates every core table into a file in its data folder', async () => {
    const kernel = await boot();
    expect(kernel.manager.get(PROVIDER)?.state).toBe('pending');
    const tables: string[] = await consumer(kernel, 'tables');
    expect(tables).toEqual(expect.arrayContaining([...CORE_TABLES, 'langbot_migrations']));
    expect(kernel.manager.get(PROVIDER)?.state).toBe('active');
    expect(existsSync(join(kernel.dataDir, 'extension-data', PROVIDER, 'langbot.sqlite'))).toBe(true);
  });

  it('writes and reads back through a worker extension, with JSON columns and defaults', async () => {
    const kernel = await boot();
    expect(await consumer(kernel, 'insertBot', { uuid: 'b-1', name: 'Beta' })).toEqual({ inserted: 1 });
    expect(await consumer(kernel, 'insertBot', { uuid: 'b-2', name: 'Alpha' })).toEqual({ inserted: 1 });
    expect(await consumer(kernel, 'listBots')).toEqual([
      { uuid: 'b-2', name: 'Alpha', adapter_config: { token: 'x' }, enable: 0 },
      { uuid: 'b-1', name: 'Beta', adapter_config: { token: 'x' }, enable: 0 },
    ]);
  });

  it('leaves nothing behind when a transaction fails halfway, and serves statements afterwards', async () => {
    const kernel = await boot();
    await consumer(kernel, 'insertBot', { uuid: 'keep', name: 'Keep' });
    const outcome = await consumer(kernel, 'failingTransaction', { prefix: 'tx' });
    expect(outcome).toMatchObject({ failed: true, code: 'SQL_ERROR', message: expect.stringMatching(/UNIQUE/) });
    expect(await consumer(kernel, 'count', { table: 'bots' })).toEqual({ count: 1 });
    expect(await consumer(kernel, 'insertBot', { uuid: 'after', name: 'After' })).toEqual({ inserted: 1 });
  });

  it('keeps data across a restart on the same data folder, and migrating again applies nothing', async () => {
    const root = builtinRoot();
    const first = await boot({ builtinRoot: root });
    await consumer(first, 'insertBot', { uuid: 'persisted', name: 'Persisted' });
    expect(await consumer(first, 'migrate')).toEqual({ core: [], own: ['0001_notes'] });
    expect(await consumer(first, 'migrate')).toEqual({ core: [], own: [] });
    await first.stop();
    kernels.splice(kernels.indexOf(first), 1);

    const second = await boot({ builtinRoot: root, dataDir: first.dataDir });
    expect((await consumer(second, 'listBots')).map((b: { uuid: string }) => b.uuid)).toEqual(['persisted']);
    expect(await consumer(second, 'migrate')).toEqual({ core: [], own: [] });
    expect(await consumer(second, 'count', { table: 'langbot_migrations' })).toEqual({ count: 3 });
  });

  it('refuses an extension whose manifest does not list the service with PERMISSION_DENIED', async () => {
    const kernel = await boot();
    await expect(kernel.manager.invoke('tools', 'persistence-denied', 'listBots', {})).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
