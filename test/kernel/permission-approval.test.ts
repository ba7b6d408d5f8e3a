import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const NEEDS_MORE = '{ services: [kv], network: true }';
const WAITING = 'Waiting for approval of new permissions: service:kv, network.';
const kernelJson = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'kernel.json'), 'utf8'));

/** A kernel with greeter 1.0.0 (no permissions) running, approved for nothing, and 2.0.0 (kv + network) installed. */
async function approvedForNothing() {
  const dataDir = mkdtempSync(join(tmpdir(), 'langbot-approval-'));
  installVersion(dataDir, '1.0.0');
  installVersion(dataDir, '2.0.0', { permissions: NEEDS_MORE });
  await writeState(dataDir, ID, { version: '1.0.0', approvedPermissions: { services: [] } });
  kernel = await startTestKernel({ dataDir, builtinRoot: null });
  return kernel;
}

describe('permission approval gate', () => {
  it('keeps a version asking for unapproved permissions pending, unregistered, with the reason; approving starts it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'langbot-approval-'));
    writeExtension(join(dataDir, 'extensions'), 'greeter', greeter('2.0.0', { permissions: NEEDS_MORE }));
    await writeState(dataDir, ID, { approvedPermissions: { services: [] } });
    kernel = await startTestKernel({ dataDir, builtinRoot: null });

    expect(kernel.manager.get(ID)).toMatchObject({ state: 'pending', reason: WAITING });
    expect(kernel.manager.contributions.get('tools:greet')).toBeUndefined();
    await expect(greet(kernel)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const summary = await extensionsService(kernel, 'approvePermissions', { id: ID, permissions: { services: ['kv'], network: true } });
    expect(summary).toMatchObject({ state: 'active', approved_permissions: { services: ['kv'], network: true } });
    expect(await greet(kernel)).toBe('2.0.0: hello Ada');
  });

  it('adds approvals rather than replacing them: approving part of the request leaves the rest pending', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'langbot-approval-'));
    writeExtension(join(dataDir, 'extensions'), 'greeter', greeter('2.0.0', { permissions: NEEDS_MORE }));
    await writeState(dataDir, ID, { approvedPermissions: { services: [] } });
    kernel = await startTestKernel({ dataDir, builtinRoot: null });

    expect(await extensionsService(kernel, 'approvePermissions', { id: ID, permissions: { services: ['kv'] } })).toMatchObject({
      state: 'pending',
      reason: 'Waiting for approval of new permissions: network.',
    });
    expect(await extensionsService(kernel, 'approvePermissions', { id: ID, permissions: { network: true } })).toMatchObject({ state: 'active' });
    expect(kernelJson(dataDir).extensions[ID].approvedPermissions).toEqual({ services: ['kv'], network: true });
  });

  it('does not gate an extension for which no approval was ever recorded', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'langbot-approval-'));
    writeExtension(join(dataDir, 'extensions'), 'greeter', greeter('2.0.0', { permissions: NEEDS_MORE }));
    kernel = await startTestKernel({ dataDir, builtinRoot: null });
    expect(kernel.manager.get(ID)!.state).toBe('active');
  });

  it('refuses activateVersion when the given approvals do not cover the new version, changing nothing', async () => {
    await approvedForNothing();
    const before = kernelJson(kernel!.dataDir);
    await expect(extensionsService(kernel!, 'activateVersion', { id: ID, version: '2.0.0', approvedPermissions: { services: ['kv'] } })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: 'Waiting for approval of new permissions: network.',
      details: { missing: ['network'] },
    });
    expect(kernelJson(kernel!.dataDir)).toEqual(before);
    expect(await greet(kernel!)).toBe('1.0.0: hello Ada');

    expect(await extensionsService(kernel!, 'activateVersion', { id: ID, version: '2.0.0', approvedPermissions: { services: ['kv'], network: true } })).toMatchObject({ state: 'active' });
    expect(await greet(kernel!)).toBe('2.0.0: hello Ada');
  });

  it('rejects malformed approvals with a validation error naming the field', async () => {
    await approvedForNothing();
    await expect(extensionsService(kernel!, 'approvePermissions', { id: ID, permissions: { network: 'yes' } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('network'),
    });
  });

  it('follows approvals the CLI writes into kernel.json: granting starts a waiting version, revoking stops a running one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'langbot-approval-'));
    writeExtension(join(dataDir, 'extensions'), 'greeter', greeter('2.0.0', { permissions: NEEDS_MORE }));
    await writeState(dataDir, ID, { approvedPermissions: { services: [] } });
    kernel = await startTestKernel({ dataDir, builtinRoot: null });
    closeSync = followStateFile(kernel.manager, kernel.state, dataDir, 20).close;

    await writeState(dataDir, ID, { approvedPermissions: { services: ['kv'], network: true } });
    await expect.poll(() => kernel!.manager.get(ID)!.state, { timeout: 5000, interval: 50 }).toBe('active');
    expect(await greet(kernel)).toBe('2.0.0: hello Ada');

    await writeState(dataDir, ID, { approvedPermissions: { services: ['kv'] } });
    await expect.poll(() => kernel!.manager.get(ID)!.reason, { timeout: 5000, interval: 50 }).toBe('Waiting for approval of new permissions: network.');
    expect(kernel.manager.get(ID)!.state).toBe('pending');
    await expect(greet(kernel)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
