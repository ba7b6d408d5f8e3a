import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StateStore, type StateChange } from '../../kernel/config/state-store.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'langbot-state-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const readKernelJson = async () => JSON.parse(await readFile(path.join(dataDir, 'kernel.json'), 'utf8'));

describe('StateStore', () => {
  it('starts from defaults when kernel.json does not exist', async () => {
    const store = await StateStore.open(dataDir);
    expect(store.state).toEqual({ version: 1, settings: {}, extensions: {} });
    expect(store.recoveredFrom).toBeUndefined();
  });

  it('persists extensions and settings across reopen', async () => {
    const store = await StateStore.open(dataDir);
    await store.setExtension('acme.telegram', { enabled: true, config: { token: 't' } });
    await store.setSetting('http.port', 8080);

    const reopened = await StateStore.open(dataDir);
    expect(reopened.getExtension('acme.telegram')).toEqual({ enabled: true, config: { token: 't' } });
    expect(reopened.getSetting('http.port')).toBe(8080);
    expect(reopened.getSetting('http')).toEqual({ port: 8080 });
    expect(await readKernelJson()).toEqual(reopened.state);
  });

  it('merges a patch into the existing extension entry', async () => {
    const store = await StateStore.open(dataDir);
    await store.setExtension('x', { enabled: true, approvedPermissions: { services: [], network: true } });
    await store.setExtension('x', { config: { a: 1 } });
    expect(store.getExtension('x')).toEqual({ enabled: true, approvedPermissions: { services: [], network: true }, config: { a: 1 } });
  });

  it('removes an extension and deletes a setting set to undefined', async () => {
    const store = await StateStore.open(dataDir);
    await store.setExtension('x', { enabled: true });
    await store.setSetting('a.b', 1);
    await store.removeExtension('x');
    await store.setSetting('a.b', undefined);
    expect(store.getExtension('x')).toBeUndefined();
    expect(await readKernelJson()).toEqual({ version: 1, settings: { a: {} }, extensions: {} });
  });

  it('does not treat inherited object keys as extensions or settings', async () => {
    const store = await StateStore.open(dataDir);
    expect(store.getExtension('constructor')).toBeUndefined();
    expect(store.getSetting('toString')).toBeUndefined();
  });

  it('loses no update when 50 writes run concurrently', async () => {
    const store = await StateStore.open(dataDir);
    const ids = Array.from({ length: 50 }, (_, i) => `ext.${i}`);
    await Promise.all(ids.map((id, i) => store.setExtension(id, { enabled: i % 2 === 0 })));

    expect(Object.keys(store.state.extensions).sort()).toEqual([...ids].sort());
    const onDisk = await readKernelJson();
    expect(Object.keys(onDisk.extensions)).toHaveLength(50);
    expect(onDisk.extensions['ext.7']).toEqual({ enabled: false });
  });

  it('serializes reload with writes so a reload cannot drop a pending write', async () => {
    const store = await StateStore.open(dataDir);
    await Promise.all([store.setExtension('a', { enabled: true }), store.reload(), store.setExtension('b', {})]);
    await store.reload();
    expect(Object.keys(store.state.extensions).sort()).toEqual(['a', 'b']);
  });

  it('keeps earlier snapshots of state unchanged', async () => {
    const store = await StateStore.open(dataDir);
    const before = store.state;
    await store.setExtension('x', { enabled: true });
    expect(before.extensions).toEqual({});
  });

  it('moves a corrupt kernel.json aside, warns, reports it and starts from defaults', async () => {
    await writeFile(path.join(dataDir, 'kernel.json'), '{ "version": 1, "extensions": ');
    const warn = vi.fn();

    const store = await StateStore.open(dataDir, { warn });

    expect(store.state).toEqual({ version: 1, settings: {}, extensions: {} });
    expect(store.recoveredFrom).toMatch(/kernel\.json\.corrupt-/);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(store.recoveredFrom!));
    const files = await readdir(dataDir);
    expect(files).not.toContain('kernel.json');
    expect(await readFile(store.recoveredFrom!, 'utf8')).toBe('{ "version": 1, "extensions": ');

    await store.setExtension('x', { enabled: true });
    expect((await readKernelJson()).extensions).toEqual({ x: { enabled: true } });
  });

  it('treats a well-formed file of the wrong shape as corrupt', async () => {
    await writeFile(path.join(dataDir, 'kernel.json'), '{"version":1,"extensions":[1,2]}');
    const store = await StateStore.open(dataDir, { warn: () => {} });
    expect(store.recoveredFrom).toBeDefined();
  });

  it('moves aside a kernel.json of an unknown version rather than misreading it', async () => {
    await writeFile(path.join(dataDir, 'kernel.json'), '{"version":2}');
    const store = await StateStore.open(dataDir, { warn: () => {} });
    expect(store.recoveredFrom).toBeDefined();
    expect(await readFile(store.recoveredFrom!, 'utf8')).toBe('{"version":2}');
  });

  it('fails loudly on I/O errors other than corruption', async () => {
    await rm(dataDir, { recursive: true });
    await mkdir(path.join(dataDir, 'kernel.json'), { recursive: true }); // a directory: EISDIR
    await expect(StateStore.open(dataDir)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('notifies change listeners until disposed', async () => {
    const store = await StateStore.open(dataDir);
    const changes: StateChange[] = [];
    const dispose = store.onChange((state, change) => {
      changes.push(change);
      expect(state).toBe(store.state);
    });

    await store.setExtension('x', { enabled: true });
    await store.setSetting('log.level', 'debug');
    dispose();
    await store.removeExtension('x');

    expect(changes).toEqual([
      { kind: 'extension', id: 'x' },
      { kind: 'setting', path: 'log.level' },
    ]);
  });

  it('reload picks up changes another process wrote', async () => {
    const kernel = await StateStore.open(dataDir);
    const cli = await StateStore.open(dataDir);
    const listener = vi.fn();
    kernel.onChange(listener);

    await cli.setExtension('installed.by.cli', { enabled: false });
    await kernel.reload();

    expect(kernel.getExtension('installed.by.cli')).toEqual({ enabled: false });
    expect(listener).toHaveBeenCalledWith(kernel.state, { kind: 'reload' });

    await kernel.reload();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('reload keeps the current state when the file became corrupt', async () => {
    const warn = vi.fn();
    const store = await StateStore.open(dataDir, { warn });
    await store.setExtension('x', { enabled: true });
    await writeFile(path.join(dataDir, 'kernel.json'), 'not json');

    await store.reload();

    expect(store.getExtension('x')).toEqual({ enabled: true });
    expect(warn).toHaveBeenCalledOnce();
  });
});
