/**
 * The installer's file-system transaction against real signed registry folders and packages. The kernel side is
 * a small in-test Activator that records its calls (the installer with the real kernel is tested by the
 * marketplace service's tests).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Permissions } from '../../kernel/manifest/index.js';
import { addPackage } from '../../marketplace/builder.js';
import { RegistryClient } from '../../marketplace/client/index.js';
import { MarketError } from '../../marketplace/errors.js';
import { Installer, type Activator, type InstallStep } from '../../marketplace/installer/index.js';
import { makeRegistry, samplePackage, tempDirs, type SamplePackage } from './client-helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

const ID = 'acme.weather';
const NONE: Permissions = { services: [] };

/** Records what the kernel was asked to do; can fail or hold an activation. */
class RecordingActivator implements Activator {
  calls: string[] = [];
  approved: Permissions[] = [];
  /** What the activation saw on disk: the version folders of the id and any staging folders. */
  seen: string[][] = [];
  failWith?: string;
  hold?: Promise<void>;

  constructor(private readonly extensionsDir: string) {}

  async activate(id: string, version: string, approvedPermissions: Permissions): Promise<void> {
    this.calls.push(`activate ${id}@${version}`);
    this.approved.push(approvedPermissions);
    this.seen.push(await listFolders(this.extensionsDir));
    await this.hold;
    if (this.failWith) throw new MarketError('activation_failed', this.failWith);
  }

  async deactivate(id: string): Promise<void> {
    this.calls.push(`deactivate ${id}`);
  }
}

const listFolders = async (dir: string) => (existsSync(dir) ? (await readdir(dir)).sort() : []);

async function setup(packages: SamplePackage[] = [{ id: ID, version: '1.0.0' }]) {
  const reg = await makeRegistry(await temp.make(), packages);
  const dataDir = await temp.make('langbot-data-');
  const extensionsDir = join(dataDir, 'extensions');
  const client = new RegistryClient({ mirrors: [reg.dir], trustedKeys: [reg.publicKey], cacheDir: join(dataDir, 'market', 'cache') });
  const activator = new RecordingActivator(extensionsDir);
  const installer = new Installer({ dataDir, client, activator, kernelApiVersion: '0.1.0' });
  const publish = async (p: SamplePackage) => addPackage(reg.dir, await samplePackage(p));
  const installedFile = async () => JSON.parse(await readFile(join(dataDir, 'market', 'installed.json'), 'utf8'));
  return { reg, dataDir, extensionsDir, client, activator, installer, publish, installedFile, folders: () => listFolders(extensionsDir) };
}

async function caught(promise: Promise<unknown>): Promise<MarketError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MarketError);
  return error as MarketError;
}

describe('install', () => {
  it('stages <id>@<version>, activates it with the approved permissions and records it', async () => {
    const t = await setup([{ id: ID, version: '1.0.0', permissions: { network: true, services: ['llm'] } }]);
    const approved: Permissions = { services: ['llm'], network: true };
    const steps: InstallStep[] = [];
    const record = await t.installer.install(ID, { approvedPermissions: approved, onProgress: (p) => steps.at(-1) !== p.step && steps.push(p.step) });

    expect(steps).toEqual(['resolve', 'download', 'verify', 'stage', 'activate', 'cleanup', 'done']);
    expect(t.activator.calls).toEqual([`activate ${ID}@1.0.0`]);
    expect(t.activator.approved).toEqual([approved]);
    // The kernel is asked to switch only once the complete folder is in place under its final name.
    expect(t.activator.seen).toEqual([[`${ID}@1.0.0`]]);
    const dir = join(t.extensionsDir, `${ID}@1.0.0`);
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ id: ID, version: '1.0.0' });
    expect(await readFile(join(dir, 'dist/extension.js'), 'utf8')).toContain('"1.0.0"');
    expect(record).toMatchObject({ id: ID, version: '1.0.0', previous: [], approvedPermissions: approved, mirror: t.reg.dir });
    expect(await t.installedFile()).toEqual({ format: 'langbot-installed/1', extensions: { [ID]: record } });
    expect(await t.installer.installed()).toEqual([record]);
  });

  it('picks the newest version that works with this kernel and refuses an incompatible one by name', async () => {
    const t = await setup([
      { id: ID, version: '1.0.0' },
      { id: ID, version: '2.0.0', engines: '^9.0.0' },
    ]);
    expect((await t.installer.install(ID, { approvedPermissions: NONE })).version).toBe('1.0.0');
    const error = await caught(t.installer.install(ID, { version: '2.0.0', approvedPermissions: NONE }));
    expect(error.code).toBe('incompatible');
    expect(error.message).toContain('^9.0.0');
    expect((await caught(t.installer.install(ID, { version: '3.0.0', approvedPermissions: NONE }))).code).toBe('not_found');
    expect((await caught(t.installer.install('acme.nothing', { approvedPermissions: NONE }))).code).toBe('not_found');
  });

  it('refuses permissions that were not approved before downloading anything', async () => {
    const t = await setup([{ id: ID, version: '1.0.0', permissions: { network: true, services: ['llm'], fs: { read: ['./cache'] } } }]);
    const error = await caught(t.installer.install(ID, { approvedPermissions: { services: ['llm'] } }));
    expect(error.code).toBe('permissions_not_approved');
    expect(error.details?.missing).toEqual(['network', 'fs.read:./cache']);
    expect(t.activator.calls).toEqual([]);
    expect(await t.folders()).toEqual([]);
    expect(await listFolders(join(t.dataDir, 'market', 'cache', 'packages'))).toEqual([]);
  });

  it('leaves nothing behind when the first activation fails', async () => {
    const t = await setup();
    t.activator.failWith = 'the entry module threw';
    const error = await caught(t.installer.install(ID, { approvedPermissions: NONE }));
    expect(error).toMatchObject({ code: 'activation_failed', message: 'the entry module threw' });
    expect(await t.folders()).toEqual([]);
    expect(await t.installer.installed()).toEqual([]);
  });
});

describe('update', () => {
  it('keeps the previous version folder and record when the new version fails to activate', async () => {
    const t = await setup();
    const first = await t.installer.install(ID, { approvedPermissions: NONE });
    await t.publish({ id: ID, version: '1.1.0' });
    t.activator.failWith = 'port already in use';
    const error = await caught(t.installer.update(ID, {}));
    expect(error.code).toBe('activation_failed');
    expect(t.activator.calls).toEqual([`activate ${ID}@1.0.0`, `activate ${ID}@1.1.0`]);
    expect(await t.folders()).toEqual([`${ID}@1.0.0`]);
    expect(await t.installer.installed()).toEqual([first]);
  });

  it('does not switch to a version asking for new permissions until they are approved', async () => {
    const t = await setup([{ id: ID, version: '1.0.0', permissions: { services: ['llm'] } }]);
    await t.installer.install(ID, { approvedPermissions: { services: ['llm'] } });
    await t.publish({ id: ID, version: '1.1.0', permissions: { services: ['llm'], network: true } });

    const error = await caught(t.installer.update(ID, {}));
    expect(error.code).toBe('permissions_not_approved');
    expect(error.details?.missing).toEqual(['network']);
    expect(t.activator.calls).toEqual([`activate ${ID}@1.0.0`]);
    expect(await t.folders()).toEqual([`${ID}@1.0.0`]);
    expect((await t.installer.installed())[0].version).toBe('1.0.0');

    const updated = await t.installer.update(ID, { approvedPermissions: { services: [], network: true } });
    expect(updated).toMatchObject({ version: '1.1.0', previous: ['1.0.0'], approvedPermissions: { services: ['llm'], network: true } });
    expect(t.activator.approved.at(-1)).toEqual({ services: ['llm'], network: true });
    expect(await t.folders()).toEqual([`${ID}@1.0.0`, `${ID}@1.1.0`]);
  });

  it('says so and changes nothing when already on the newest version', async () => {
    const t = await setup();
    const record = await t.installer.install(ID, { approvedPermissions: NONE });
    const messages: string[] = [];
    expect(await t.installer.update(ID, { onProgress: (p) => messages.push(p.message) })).toEqual(record);
    expect(messages.at(-1)).toBe(`${ID} 1.0.0 is up to date.`);
    expect(t.activator.calls).toHaveLength(1);
    expect((await caught(t.installer.update('acme.other', {}))).code).toBe('not_installed');
  });

  it('keeps at most two previous versions on disk', async () => {
    const t = await setup();
    await t.installer.install(ID, { approvedPermissions: NONE });
    for (const version of ['1.1.0', '1.2.0', '1.3.0']) {
      await t.publish({ id: ID, version });
      await t.installer.update(ID, {});
    }
    expect(await t.folders()).toEqual([`${ID}@1.1.0`, `${ID}@1.2.0`, `${ID}@1.3.0`]);
    expect((await t.installer.installed())[0]).toMatchObject({ version: '1.3.0', previous: ['1.2.0', '1.1.0'] });
  });
});

describe('rollback', () => {
  it('switches back to the previous version without downloading, and needs one', async () => {
    const t = await setup();
    await t.installer.install(ID, { approvedPermissions: NONE });
    expect((await caught(t.installer.rollback(ID))).code).toBe('no_previous_version');
    await t.publish({ id: ID, version: '1.1.0' });
    await t.installer.update(ID, {});
    // Rolling back works offline: nothing is fetched.
    await rm(t.reg.dir, { recursive: true });

    const record = await t.installer.rollback(ID);
    expect(record).toMatchObject({ version: '1.0.0', previous: ['1.1.0'] });
    expect(t.activator.calls.at(-1)).toBe(`activate ${ID}@1.0.0`);
    expect(await t.folders()).toEqual([`${ID}@1.0.0`, `${ID}@1.1.0`]);
    expect((await t.installer.installed())[0]).toEqual(record);
    expect((await caught(t.installer.rollback('acme.other'))).code).toBe('not_installed');
  });
});

describe('uninstall', () => {
  async function installedWithData() {
    const t = await setup();
    await t.installer.install(ID, { approvedPermissions: NONE });
    await t.publish({ id: ID, version: '1.1.0' });
    await t.installer.update(ID, {});
    const dataFolder = join(t.dataDir, 'extension-data', ID);
    await mkdir(dataFolder, { recursive: true });
    await writeFile(join(dataFolder, 'kv.json'), '{}');
    return { ...t, dataFolder };
  }

  it('deactivates, deletes every version folder and the record, and keeps the data', async () => {
    const t = await installedWithData();
    await t.installer.uninstall(ID, { deleteData: false });
    expect(t.activator.calls.at(-1)).toBe(`deactivate ${ID}`);
    expect(await t.folders()).toEqual([]);
    expect(await t.installer.installed()).toEqual([]);
    expect(existsSync(join(t.dataFolder, 'kv.json'))).toBe(true);
    expect((await caught(t.installer.uninstall(ID, { deleteData: false }))).code).toBe('not_installed');
  });

  it('also deletes the data folder when asked', async () => {
    const t = await installedWithData();
    await t.installer.uninstall(ID, { deleteData: true });
    expect(await t.folders()).toEqual([]);
    expect(existsSync(t.dataFolder)).toBe(false);
  });
});

describe('one operation per extension', () => {
  it('answers busy while another operation on the same id runs, across installer instances', async () => {
    const t = await setup([
      { id: ID, version: '1.0.0' },
      { id: 'acme.other', version: '1.0.0' },
    ]);
    let release!: () => void;
    t.activator.hold = new Promise((done) => (release = done));
    const running = t.installer.install(ID, { approvedPermissions: NONE });
    while (t.activator.calls.length === 0) await new Promise((r) => setTimeout(r, 5));

    const other = new Installer({ dataDir: t.dataDir, client: t.client, activator: t.activator, kernelApiVersion: '0.1.0' });
    expect((await caught(other.uninstall(ID, { deleteData: true }))).code).toBe('busy');
    expect((await caught(t.installer.install(ID, { approvedPermissions: NONE }))).code).toBe('busy');
    // Other extensions are not held up.
    t.activator.hold = undefined;
    const otherInstall = other.install('acme.other', { approvedPermissions: NONE });
    release();
    await Promise.all([running, otherInstall]);
    expect((await t.installer.installed()).map((r) => r.id)).toEqual(['acme.other', ID]);
    await t.installer.uninstall(ID, { deleteData: false });
  });
});
