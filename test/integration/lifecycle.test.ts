import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kernel } from '../../kernel/kernel.js';
import { startTestKernel, writeExtension, helloExtension } from '../support/kernel-harness.js';

const kernels: Kernel[] = [];
async function boot(...args: Parameters<typeof startTestKernel>) {
  const kernel = await startTestKernel(...args);
  kernels.push(kernel);
  return kernel;
}
afterEach(async () => {
  await Promise.all(kernels.splice(0).map((k) => k.stop()));
});

describe('extension lifecycle', () => {
  it('reports an invalid manifest as failed, naming the file, the JSON path and what is wrong', async () => {
    const kernel = await boot({ watch: false });
    const record = kernel.manager.get('invalid:invalid-manifest')!;
    expect(record.state).toBe('failed');
    expect(record.reason).toContain('invalid-manifest/manifest.yaml');
    expect(record.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['/id', '/version']));
    expect(record.issues.find((i) => i.message.includes("'isolaton'"))?.message).toMatch(/did you mean 'isolation'/);
  });

  it('marks an extension that throws during activation as failed with the reason, without affecting others', async () => {
    const kernel = await boot({ watch: false });
    const record = kernel.manager.get('test.throws-on-activate')!;
    expect(record.state).toBe('failed');
    expect(record.reason).toContain('database password missing');
    expect(await kernel.manager.invoke('tools', 'conformance', 'add', { a: 1, b: 2 })).toEqual({ sum: 3 });
  });

  it('activates an onUse extension on first use: pending → loading → active', async () => {
    const kernel = await boot({ watch: false });
    const seen: string[] = [];
    kernel.manager.onStateChange((r) => r.id === 'test.conformance' && seen.push(r.state));
    expect(kernel.manager.get('test.conformance')!.state).toBe('pending');
    expect(kernel.manager.get('test.conformance')!.reason).toMatch(/first use/);
    expect(await kernel.manager.invoke('tools', 'conformance', 'echo', { value: 'hi' })).toEqual({ value: 'hi' });
    expect(seen).toEqual(['loading', 'active']);
  });

  it('lets calls that arrive while an extension is starting wait for it', async () => {
    const kernel = await boot({ watch: false });
    const calls = Array.from({ length: 5 }, (_, i) => kernel.manager.invoke('tools', 'conformance', 'add', { a: i, b: 1 }));
    expect(kernel.manager.get('test.conformance')!.state).toBe('loading');
    expect((await Promise.all(calls)).map((r) => (r as { sum: number }).sum)).toEqual([1, 2, 3, 4, 5]);
  });

  it('checks kernel services against the caller’s declared permissions on every call', async () => {
    const kernel = await boot({ watch: false });
    await expect(kernel.manager.invoke('tools', 'kernel-bridge', 'callKernel', { service: 'kv', method: 'get', args: { key: 'a' } })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    const granted = await kernel.manager.invoke('tools', 'misbehave', 'flood', { bytes: 10, times: 2 });
    expect(granted).toEqual({ results: ['sent', 'sent'] });
  });

  it('survives an extension flooding oversized messages: each is refused with a typed error', async () => {
    const kernel = await boot({ watch: false });
    const overValueLimit = (await kernel.manager.invoke('tools', 'misbehave', 'flood', { bytes: 2 * 1024 * 1024, times: 10 }, { timeoutMs: 20_000 })) as { results: string[] };
    expect(new Set(overValueLimit.results)).toEqual(new Set(['PAYLOAD_TOO_LARGE']));
    const overFrameLimit = (await kernel.manager.invoke('tools', 'misbehave', 'flood', { bytes: 17 * 1024 * 1024, times: 3 }, { timeoutMs: 30_000 })) as { results: string[] };
    expect(overFrameLimit.results).toEqual(['PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE']);
    expect(await kernel.manager.invoke('tools', 'misbehave', 'ping', {})).toEqual({ pong: true });
  });

  it('keeps a process-isolated extension inside its allowed paths', async () => {
    const kernel = await boot({ watch: false });
    const secret = join(mkdtempSync(join(tmpdir(), 'secret-')), 'secret.txt');
    writeFileSync(secret, 'top secret');
    await expect(kernel.manager.invoke('tools', 'misbehave', 'readFile', { path: secret })).rejects.toMatchObject({
      message: expect.stringMatching(/restricted|ERR_ACCESS_DENIED/),
    });
    const dir = writeExtension(join(kernel.dataDir, 'extensions'), 'reader', {
      ...helloExtension({ id: 'demo.reader', greeting: 'x', isolation: 'process', extra: 'permissions: { fs: { read: ["./public.txt"] } }' }),
      'public.txt': 'public words',
      'index.ts': `import { readFileSync } from 'node:fs';
        export default { activate(ctx: any) { ctx.provide('tools', 'hello', { call: (a: { path: string }) => readFileSync(a.path, 'utf8') }); } };`,
    });
    const reader = await kernel.manager.replace(undefined, { dir, source: 'dropin' });
    await kernel.manager.enable(reader.id);
    expect(await kernel.manager.invoke('tools', 'hello', 'call', { path: join(dir, 'public.txt') })).toBe('public words');
    await expect(kernel.manager.invoke('tools', 'hello', 'call', { path: secret })).rejects.toMatchObject({ message: expect.stringMatching(/restricted|ERR_ACCESS_DENIED/) });
  });

  it('lets an extension consume another’s contribution points, with the permission and only then', async () => {
    const kernel = await boot({ watch: false });
    const consumer = (id: string, permitted: boolean) =>
      writeExtension(join(kernel.dataDir, 'extensions'), id, {
        'manifest.yaml': `id: demo.${id}\nversion: 1.0.0\ndisplayName: ${id}\nengines: { langbot: "^0.1.0" }\nentry: ./index.ts\nisolation: worker\n` +
          (permitted ? 'permissions: { services: [contributions] }\n' : '') +
          `contributes: { tools: [{ name: ${id}, description: Consumes., parameters: { type: object } }] }\n`,
        'index.ts': `export default { activate(ctx: any) { ctx.provide('tools', '${id}', {
          list: () => ctx.call('contributions', 'list', { point: 'tools' }),
          echo: (a: { value: unknown }) => ctx.call('contributions', 'invoke', { point: 'tools', id: 'conformance', method: 'echo', args: a }),
          service: () => ctx.call('contributions', 'invoke', { point: 'services', id: 'kv', method: 'list' }),
        }); } };`,
      });
    for (const [id, permitted] of [['allowed', true], ['refused', false]] as const) {
      await kernel.manager.replace(undefined, { dir: consumer(id, permitted), source: 'dropin' });
      await kernel.manager.enable(`demo.${id}`);
    }
    expect(await kernel.manager.invoke('tools', 'allowed', 'echo', { value: 42 })).toEqual({ value: 42 });
    const tools = (await kernel.manager.invoke('tools', 'allowed', 'list', {})) as { key: string; owner: string }[];
    expect(tools).toContainEqual(expect.objectContaining({ key: 'conformance', owner: 'test.conformance', state: 'active' }));
    await expect(kernel.manager.invoke('tools', 'allowed', 'service', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(kernel.manager.invoke('tools', 'refused', 'echo', { value: 1 })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('gives every extension its own writable data folder', async () => {
    const kernel = await boot({ watch: false });
    const dir = writeExtension(join(kernel.dataDir, 'extensions'), 'writer', {
      ...helloExtension({ id: 'demo.writer', greeting: 'x', isolation: 'inprocess' }),
      'index.ts': `import { writeFileSync, readFileSync } from 'node:fs';
        import { join } from 'node:path';
        export default { activate(ctx: any) { ctx.provide('tools', 'hello', { call: () => {
          writeFileSync(join(ctx.dataDir, 'note.txt'), 'kept');
          return { dir: ctx.dataDir, text: readFileSync(join(ctx.dataDir, 'note.txt'), 'utf8') };
        } }); } };`,
    });
    await kernel.manager.replace(undefined, { dir, source: 'dropin' });
    expect(await kernel.manager.invoke('tools', 'hello', 'call', {})).toEqual({ dir: join(kernel.dataDir, 'extension-data', 'demo.writer'), text: 'kept' });
  });

  it('keeps each extension’s recent logs, tagged with its id, for the console', async () => {
    const kernel = await boot({ watch: false });
    await kernel.manager.invoke('tools', 'kernel-bridge', 'log', { msg: 'hello from the worker' });
    await expect.poll(() => kernel.logging.recent('test.conformance').map((e) => e.msg)).toContain('hello from the worker');
    const entry = kernel.logging.recent('test.conformance').find((e) => e.msg === 'hello from the worker')!;
    expect(entry).toMatchObject({ level: 'info', ext: 'test.conformance', data: { from: 'fixture' } });
    expect(kernel.logging.recent('test.misbehaving')).toEqual([]);
  });

  it('disables and re-enables at runtime; disposal leaves nothing registered', async () => {
    const kernel = await boot({ watch: false });
    await kernel.manager.invoke('tools', 'conformance', 'add', { a: 1, b: 1 });
    const record = kernel.manager.get('test.conformance')!;
    const scope = record.scope!;
    expect(scope.container.isRegistered('extension.id')).toBe(true);
    expect(kernel.manager.contributions.ownedBy('test.conformance').length).toBe(2);

    await kernel.manager.disable('test.conformance');
    expect(record.state).toBe('disposed');
    expect(scope.isDisposed).toBe(true);
    expect(scope.size).toBe(0);
    expect(() => scope.container.resolve('extension.id')).toThrow(/disposed/);
    expect(kernel.manager.contributions.ownedBy('test.conformance')).toEqual([]);
    expect(kernel.state.getExtension('test.conformance')?.enabled).toBe(false);
    await expect(kernel.manager.invoke('tools', 'conformance', 'add', { a: 1, b: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await kernel.manager.enable('test.conformance');
    expect(await kernel.manager.invoke('tools', 'conformance', 'add', { a: 2, b: 2 })).toEqual({ sum: 4 });
  });

  it('keeps a dependent pending until the service it requires is provided', async () => {
    const kernel = await boot({ watch: false });
    const root = join(kernel.dataDir, 'extensions');
    const consumerDir = writeExtension(root, 'consumer', helloExtension({ id: 'demo.consumer', greeting: 'hi', extra: 'services: { requires: [greeter] }' }));
    const consumer = await kernel.manager.replace(undefined, { dir: consumerDir, source: 'dropin' });
    await kernel.manager.enable(consumer.id);
    expect(consumer.state).toBe('pending');
    expect(consumer.reason).toMatch(/required service 'greeter'/);

    const providerDir = writeExtension(root, 'provider', {
      'manifest.yaml': 'id: demo.provider\nversion: 1.0.0\ndisplayName: Provider\nengines: { langbot: "^0.1.0" }\nentry: ./index.ts\nisolation: inprocess\nservices: { provides: [greeter] }\n',
      'index.ts': "export default { activate(ctx: any) { ctx.provideService('greeter', { greet: () => 'hello' }); } };",
    });
    const provider = await kernel.manager.replace(undefined, { dir: providerDir, source: 'dropin' });
    await kernel.manager.enable(provider.id);
    await expect.poll(() => consumer.state).toBe('active');

    await kernel.manager.disable(provider.id);
    await expect.poll(() => consumer.state).toBe('pending');
    expect(consumer.reason).toMatch(/greeter/);
  });

  it('starts providers before the extensions that require or optionally use their services', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'langbot-order-'));
    const root = join(dataDir, 'extensions');
    const eager = (id: string, services: string, activate: string) => ({
      'manifest.yaml': `id: ${id}\nversion: 1.0.0\ndisplayName: ${id}\nengines: { langbot: "^0.1.0" }\nentry: ./index.ts\nisolation: inprocess\nactivation: eager\nservices: ${services}\n`,
      'index.ts': `export default { async activate(ctx: any) { ${activate} } };`,
    });
    // Folder names sort the dependents first, so discovery order alone would start them first.
    writeExtension(root, 'a-consumer', eager('demo.consumer', '{ requires: [greeter] }', ''));
    writeExtension(root, 'b-optional', eager('demo.optional', '{ optional: [greeter] }', ''));
    writeExtension(root, 'c-provider', eager('demo.provider', '{ provides: [greeter] }', "await new Promise((r) => setTimeout(r, 150)); ctx.provideService('greeter', { greet: () => 'hi' });"));
    const kernel = await boot({ watch: false, builtinRoot: null, dataDir });
    for (const id of ['demo.provider', 'demo.consumer', 'demo.optional']) expect(kernel.manager.get(id)?.state).toBe('active');
    const since = (id: string) => kernel.manager.get(id)!.since;
    expect(since('demo.provider')).toBeLessThanOrEqual(since('demo.consumer'));
    expect(since('demo.provider')).toBeLessThanOrEqual(since('demo.optional'));
  });
});
