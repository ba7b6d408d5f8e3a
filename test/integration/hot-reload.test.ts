import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kernel } from '../../kernel/kernel.js';
import { helloExtension, startTestKernel, writeExtension } from '../support/kernel-harness.js';

let kernel: (Kernel & { dataDir: string }) | undefined;
afterEach(async () => {
  await kernel?.stop();
  kernel = undefined;
});

const hello = (name: string) => kernel!.manager.invoke('tools', 'hello', 'call', { name }) as Promise<{ text: string }>;

describe('drop-in extensions', () => {
  it('activates a TypeScript extension dropped into data/extensions within 2 s, without a restart', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    const dropped = Date.now();
    writeExtension(join(kernel.dataDir, 'extensions'), 'hello', helloExtension({ greeting: 'Hello' }));
    await expect.poll(() => kernel!.manager.get('demo.hello')?.state, { timeout: 2000, interval: 25 }).toBe('active');
    expect(Date.now() - dropped).toBeLessThan(2000);
    expect(await hello('Ada')).toEqual({ text: 'Hello, Ada' });
  });

  it('hot-reloads an edited extension, alone', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    const root = join(kernel.dataDir, 'extensions');
    writeExtension(root, 'hello', helloExtension({ greeting: 'Hello' }));
    writeExtension(root, 'other', {
      'manifest.yaml': 'id: demo.other\nversion: 1.0.0\ndisplayName: Other\nengines: { langbot: "^0.1.0" }\nentry: ./index.ts\nisolation: inprocess\nactivation: eager\ncontributes: { tools: [{ name: other, description: Other., parameters: { type: object } }] }\n',
      'index.ts': "let started = Date.now(); export default { activate(ctx: any) { ctx.provide('tools', 'other', { started: () => started }); } };",
    });
    await expect.poll(() => kernel!.manager.get('demo.hello')?.state, { timeout: 3000 }).toBe('active');
    await expect.poll(() => kernel!.manager.get('demo.other')?.state, { timeout: 3000 }).toBe('active');
    const otherStarted = await kernel.manager.invoke('tools', 'other', 'started', {});

    writeFileSync(join(root, 'hello', 'index.ts'), helloExtension({ greeting: 'Bonjour' })['index.ts']);
    await expect.poll(() => hello('Ada').then((r) => r.text), { timeout: 3000, interval: 50 }).toBe('Bonjour, Ada');
    expect(await kernel.manager.invoke('tools', 'other', 'started', {})).toBe(otherStarted);
  });

  it('keeps the running version when an edit does not compile, and says why', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    const root = join(kernel.dataDir, 'extensions');
    writeExtension(root, 'hello', helloExtension({ greeting: 'Hello' }));
    await expect.poll(() => kernel!.manager.get('demo.hello')?.state, { timeout: 3000 }).toBe('active');
    writeFileSync(join(root, 'hello', 'index.ts'), 'export default { activate( {{{ ');
    await expect.poll(() => kernel!.manager.get('demo.hello')?.reason, { timeout: 3000 }).toMatch(/rejected/);
    expect(kernel.manager.get('demo.hello')?.state).toBe('active');
    expect(await hello('Ada')).toEqual({ text: 'Hello, Ada' });
  });

  it('keeps the running version when the edited manifest is invalid, naming file, path and reason', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    const root = join(kernel.dataDir, 'extensions');
    writeExtension(root, 'hello', helloExtension({ greeting: 'Hello' }));
    await expect.poll(() => kernel!.manager.get('demo.hello')?.state, { timeout: 3000 }).toBe('active');
    const manifest = join(root, 'hello', 'manifest.yaml');
    writeFileSync(manifest, helloExtension({ greeting: 'Hello' })['manifest.yaml'].replace('isolation: worker', 'isolation: sandbox'));
    await expect.poll(() => kernel!.manager.get('demo.hello')?.reason, { timeout: 3000 }).toMatch(/rejected/);
    const reason = kernel.manager.get('demo.hello')!.reason;
    expect(reason).toContain(manifest);
    expect(reason).toContain('/isolation');
    expect(await hello('Ada')).toEqual({ text: 'Hello, Ada' });
  });

  it('rolls back to the previous version when the new one fails to activate', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    const root = join(kernel.dataDir, 'extensions');
    writeExtension(root, 'hello', helloExtension({ greeting: 'Hello' }));
    await expect.poll(() => kernel!.manager.get('demo.hello')?.state, { timeout: 3000 }).toBe('active');
    writeFileSync(join(root, 'hello', 'index.ts'), "export default { activate() { throw new Error('broken release'); } };");
    await expect.poll(() => kernel!.manager.get('demo.hello')?.reason, { timeout: 4000 }).toMatch(/rolled back to version 1.0.0/);
    expect(kernel.manager.get('demo.hello')!.reason).toContain('broken release');
    expect(kernel.manager.get('demo.hello')!.state).toBe('active');
    expect(await hello('Ada')).toEqual({ text: 'Hello, Ada' });
  });

  it('removes an extension whose folder is deleted', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    const root = join(kernel.dataDir, 'extensions');
    writeExtension(root, 'hello', helloExtension({ greeting: 'Hello' }));
    await expect.poll(() => kernel!.manager.get('demo.hello')?.state, { timeout: 3000 }).toBe('active');
    rmSync(join(root, 'hello'), { recursive: true });
    await expect.poll(() => kernel!.manager.get('demo.hello'), { timeout: 3000 }).toBeUndefined();
    await expect(hello('Ada')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('fixing a broken drop-in', () => {
  it('activates the extension once its invalid manifest is corrected, without a restart', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    const root = join(kernel.dataDir, 'extensions');
    const files = helloExtension({ greeting: 'Hello' });
    writeExtension(root, 'hello', { ...files, 'manifest.yaml': files['manifest.yaml'].replace('version: 1.0.0', 'version: one') });
    await expect.poll(() => kernel!.manager.get('invalid:hello')?.state, { timeout: 3000 }).toBe('failed');
    writeFileSync(join(root, 'hello', 'manifest.yaml'), files['manifest.yaml']);
    await expect.poll(() => kernel!.manager.get('demo.hello')?.state, { timeout: 3000 }).toBe('active');
    expect(kernel.manager.get('invalid:hello')).toBeUndefined();
    expect(await hello('Ada')).toEqual({ text: 'Hello, Ada' });
  });

  it('reports each rejected edit once, not an ever-growing reason', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    const root = join(kernel.dataDir, 'extensions');
    writeExtension(root, 'hello', helloExtension({ greeting: 'Hello' }));
    await expect.poll(() => kernel!.manager.get('demo.hello')?.state, { timeout: 3000 }).toBe('active');
    let previousReason = kernel.manager.get('demo.hello')!.reason;
    // Two different syntax errors (on different lines), so each rejection has its own message.
    for (const broken of ['export default { activate( {{{ ', '\n\n\nexport default { activate( ((( ']) {
      writeFileSync(join(root, 'hello', 'index.ts'), broken);
      await expect.poll(() => kernel!.manager.get('demo.hello')?.reason, { timeout: 3000 }).not.toBe(previousReason);
      previousReason = kernel.manager.get('demo.hello')!.reason;
    }
    expect(previousReason).toMatch(/:4:/);
    expect(kernel.manager.get('demo.hello')!.reason.match(/rejected/g)).toHaveLength(1);
  });
});
