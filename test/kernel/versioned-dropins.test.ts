import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Kernel } from '../../kernel/kernel.js';
import { followStateFile } from '../../kernel/status/state-sync.js';
import { startTestKernel, writeExtension } from '../support/kernel-harness.js';
import { extensionsService, greet, greeter, ID, installVersion, writeState } from './versions-support.js';

let kernel: (Kernel & { dataDir: string }) | undefined;
let closeSync: (() => void) | undefined;
afterEach(async () => {
  closeSync?.();
  closeSync = undefined;
  await kernel?.stop();
  kernel = undefined;
});

const freshData = () => mkdtempSync(join(tmpdir(), 'langbot-versions-'));
const kernelJson = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'kernel.json'), 'utf8'));

/** A kernel whose data folder has greeter 1.0.0 and 2.0.0 installed and 1.0.0 pointed at. */
async function kernelOnVersion1(extra: Record<string, unknown> = {}) {
  const dataDir = freshData();
  installVersion(dataDir, '1.0.0');
  installVersion(dataDir, '2.0.0');
  await writeState(dataDir, ID, { version: '1.0.0', approvedPermissions: { services: [] }, ...extra });
  kernel = await startTestKernel({ dataDir, builtinRoot: null });
  return kernel;
}

describe('versioned drop-ins <id>@<version>', () => {
  it('loads only the version kernel.json points at; other versions, unpointed ids and staging folders are ignored', async () => {
    const dataDir = freshData();
    installVersion(dataDir, '1.0.0');
    installVersion(dataDir, '2.0.0');
    writeExtension(join(dataDir, 'extensions'), 'acme.other@1.0.0', { ...greeter('1.0.0'), 'manifest.yaml': greeter('1.0.0')['manifest.yaml'].replace(ID, 'acme.other') });
    writeExtension(join(dataDir, 'extensions'), '.staging-abc', greeter('3.0.0'));
    await writeState(dataDir, ID, { version: '2.0.0' });
    kernel = await startTestKernel({ dataDir, builtinRoot: null });

    expect(kernel.manager.list().map((r) => `${r.id} ${basename(r.dir)}`)).toEqual([`${ID} ${ID}@2.0.0`]);
    expect(kernel.manager.get(ID)!.state).toBe('active');
    expect(await greet(kernel)).toBe('2.0.0: hello Ada');
  });

  it('switches the running code at runtime with extensions.activateVersion', async () => {
    await kernelOnVersion1({ config: { kept: true } });
    expect(await greet(kernel!)).toBe('1.0.0: hello Ada');

    const summary = await extensionsService(kernel!, 'activateVersion', { id: ID, version: '2.0.0', approvedPermissions: { services: [] } });
    expect(summary).toMatchObject({ id: ID, version: '2.0.0', installed_version: '2.0.0', state: 'active', approved_permissions: { services: [] } });
    expect(await greet(kernel!)).toBe('2.0.0: hello Ada');
    expect(kernelJson(kernel!.dataDir).extensions[ID]).toEqual({ version: '2.0.0', approvedPermissions: { services: [] }, config: { kept: true } });
    expect(kernel!.manager.get(ID)!.dir).toBe(join(kernel!.dataDir, 'extensions', `${ID}@2.0.0`));
  });

  it('keeps the old version running and the pointer unchanged when the new version throws in activate', async () => {
    await kernelOnVersion1();
    installVersion(kernel!.dataDir, '3.0.0', { broken: true });
    const before = kernelJson(kernel!.dataDir);

    await expect(extensionsService(kernel!, 'activateVersion', { id: ID, version: '3.0.0', approvedPermissions: { services: [] } })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('broken release'),
    });
    expect(kernel!.manager.get(ID)).toMatchObject({ state: 'active', dir: join(kernel!.dataDir, 'extensions', `${ID}@1.0.0`) });
    expect(await greet(kernel!)).toBe('1.0.0: hello Ada');
    expect(kernelJson(kernel!.dataDir)).toEqual(before);
    expect(kernel!.state.getExtension(ID)?.version).toBe('1.0.0');
  });

  it('changes nothing when the new version does not bundle, and names the problem', async () => {
    await kernelOnVersion1();
    installVersion(kernel!.dataDir, '3.0.0', { entry: 'export default { activate( {{{ ' });
    const running = kernel!.manager.get(ID);

    await expect(extensionsService(kernel!, 'activateVersion', { id: ID, version: '3.0.0', approvedPermissions: { services: [] } })).rejects.toThrow(/Could not bundle/);
    expect(kernel!.manager.get(ID)).toBe(running);
    expect(kernel!.state.getExtension(ID)?.version).toBe('1.0.0');
    expect(await greet(kernel!)).toBe('1.0.0: hello Ada');
  });

  it('refuses a version that is not installed, and a folder holding another version', async () => {
    await kernelOnVersion1();
    await expect(extensionsService(kernel!, 'activateVersion', { id: ID, version: '9.0.0', approvedPermissions: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    writeExtension(join(kernel!.dataDir, 'extensions'), `${ID}@4.0.0`, greeter('4.0.1'));
    await expect(extensionsService(kernel!, 'activateVersion', { id: ID, version: '4.0.0', approvedPermissions: {} })).rejects.toThrow(/holds acme\.greeter 4\.0\.1, not acme\.greeter 4\.0\.0/);
    expect(await greet(kernel!)).toBe('1.0.0: hello Ada');
  });

  it('activates a first install at once when it is eager, and with no previous version a failure leaves nothing behind', async () => {
    kernel = await startTestKernel({ builtinRoot: null });
    installVersion(kernel.dataDir, '1.0.0', { broken: true });
    await expect(extensionsService(kernel, 'activateVersion', { id: ID, version: '1.0.0', approvedPermissions: {} })).rejects.toThrow(/broken release/);
    expect(kernel.manager.get(ID)).toBeUndefined();
    expect(kernel.state.getExtension(ID)).toBeUndefined();

    installVersion(kernel.dataDir, '1.0.1');
    expect(await extensionsService(kernel, 'activateVersion', { id: ID, version: '1.0.1', approvedPermissions: {} })).toMatchObject({ state: 'active', installed_version: '1.0.1' });
    expect(await greet(kernel)).toBe('1.0.1: hello Ada');
  });

  it('deactivate stops and forgets the extension, keeping its configuration and its folders', async () => {
    await kernelOnVersion1({ config: { kept: true } });
    expect(await extensionsService(kernel!, 'deactivate', { id: ID })).toEqual({ id: ID, removed: true });
    expect(kernel!.manager.get(ID)).toBeUndefined();
    await expect(greet(kernel!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(kernelJson(kernel!.dataDir).extensions[ID]).toEqual({ config: { kept: true } });
    expect(readFileSync(join(kernel!.dataDir, 'extensions', `${ID}@1.0.0`, 'manifest.yaml'), 'utf8')).toContain('1.0.0');
    expect(await extensionsService(kernel!, 'deactivate', { id: ID })).toEqual({ id: ID, removed: false });
  });

  it('the drop-in watcher leaves versioned folders alone: a new version appears without being loaded', async () => {
    await kernelOnVersion1();
    const running = kernel!.manager.get(ID);
    installVersion(kernel!.dataDir, '5.0.0');
    await new Promise((r) => setTimeout(r, 600));
    expect(kernel!.manager.get(ID)).toBe(running);
    expect(await greet(kernel!)).toBe('1.0.0: hello Ada');
  });

  it('loads a symlinked drop-in folder (langbot-ext dev)', async () => {
    const project = mkdtempSync(join(tmpdir(), 'langbot-project-'));
    writeExtension(project, 'greeter', greeter('0.9.0'));
    const dataDir = freshData();
    mkdirSync(join(dataDir, 'extensions'), { recursive: true });
    symlinkSync(join(project, 'greeter'), join(dataDir, 'extensions', ID), 'dir');
    kernel = await startTestKernel({ dataDir, builtinRoot: null });
    expect(kernel.manager.get(ID)).toMatchObject({ state: 'active', source: 'dropin' });
    expect(await greet(kernel)).toBe('0.9.0: hello Ada');
  });

  it('follows a version pointer the CLI writes into kernel.json, and writes the old entry back when the switch fails', async () => {
    await kernelOnVersion1();
    closeSync = followStateFile(kernel!.manager, kernel!.state, kernel!.dataDir, 20).close;
    await writeState(kernel!.dataDir, ID, { version: '2.0.0', approvedPermissions: { services: [] } });
    await expect.poll(() => greet(kernel!), { timeout: 5000, interval: 50 }).toBe('2.0.0: hello Ada');

    installVersion(kernel!.dataDir, '3.0.0', { broken: true });
    await writeState(kernel!.dataDir, ID, { version: '3.0.0', approvedPermissions: { services: [] } });
    await expect.poll(() => kernelJson(kernel!.dataDir).extensions[ID].version, { timeout: 5000, interval: 50 }).toBe('2.0.0');
    expect(kernel!.manager.get(ID)!.reason).toMatch(/broken release/);
    expect(await greet(kernel!)).toBe('2.0.0: hello Ada');

    await writeState(kernel!.dataDir, ID, { approvedPermissions: { services: [] } });
    await expect.poll(() => kernel!.manager.get(ID), { timeout: 5000, interval: 50 }).toBeUndefined();
  });
});
