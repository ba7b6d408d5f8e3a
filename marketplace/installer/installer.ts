import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { MANIFEST_ID_PATTERN, readManifest, type ExtensionManifest, type Permissions } from '../../kernel/manifest/index.js';
import { missingPermissions, unionPermissions } from '../../kernel/manifest/permissions.js';
import { PackageError, readPackage, type ExtensionPackage } from '../../sdk/packaging/index.js';
import type { RegistryClient } from '../client/registry-client.js';
import { MarketError } from '../errors.js';
import type { IndexVersion } from '../index-format.js';
import { removeVersionFolders, stagePackage, versionDir, versionFolders } from './folders.js';
import { LockFiles } from './lock.js';
import { InstallRecords } from './records.js';
import { selectVersion, worksWith } from './select-version.js';
import type { Activator, InstallRecord, Progress } from './types.js';

export interface InstallerOptions {
  dataDir: string;
  client: RegistryClient;
  activator: Activator;
  kernelApiVersion: string;
}

/** Previous versions kept on disk for rollback. */
const KEEP_PREVIOUS = 2;
const ID = new RegExp(MANIFEST_ID_PATTERN);
const noProgress: Progress = () => {};

interface Switch {
  id: string;
  version: IndexVersion;
  approved: Permissions;
  record?: InstallRecord;
  mirror: string;
  progress: Progress;
}

/**
 * Installs, updates, rolls back and removes marketplace extensions as versioned drop-ins
 * `<data>/extensions/<id>@<version>`: download, verify, stage, switch through the Activator, and only then
 * record and prune. A failure before the switch leaves the previous version running and its files untouched.
 */
export class Installer {
  private readonly extensionsDir: string;
  private readonly locks: LockFiles;
  private readonly records: InstallRecords;

  constructor(private readonly options: InstallerOptions) {
    this.extensionsDir = join(options.dataDir, 'extensions');
    const marketDir = join(options.dataDir, 'market');
    this.locks = new LockFiles(join(marketDir, 'locks'));
    this.records = new InstallRecords(marketDir, this.locks);
  }

  installed(): Promise<InstallRecord[]> {
    return this.records.all();
  }

  install(id: string, o: { version?: string; approvedPermissions: Permissions; onProgress?: Progress }): Promise<InstallRecord> {
    return this.exclusive(id, async () => {
      const progress = o.onProgress ?? noProgress;
      const { entry, mirror } = await this.resolve(id, progress);
      const version = selectVersion(entry, this.options.kernelApiVersion, o.version);
      const record = await this.records.get(id);
      return this.switchTo({ id, version, approved: o.approvedPermissions, record, mirror, progress });
    });
  }

  update(id: string, o: { approvedPermissions?: Permissions; onProgress?: Progress }): Promise<InstallRecord> {
    return this.exclusive(id, async () => {
      const progress = o.onProgress ?? noProgress;
      const record = await this.requireRecord(id);
      const { entry, mirror } = await this.resolve(id, progress);
      const version = selectVersion(entry, this.options.kernelApiVersion);
      if (!semver.gt(version.version, record.version)) {
        progress({ step: 'done', message: `${id} ${record.version} is up to date.` });
        return record;
      }
      const approved = unionPermissions(record.approvedPermissions, o.approvedPermissions ?? { services: [] });
      return this.switchTo({ id, version, approved, record, mirror, progress });
    });
  }

  rollback(id: string, o: { onProgress?: Progress } = {}): Promise<InstallRecord> {
    return this.exclusive(id, async () => {
      const progress = o.onProgress ?? noProgress;
      const record = await this.requireRecord(id);
      const target = record.previous[0];
      if (target === undefined) throw new MarketError('no_previous_version', `${id} has no previous version to roll back to.`, { id });
      const dir = versionDir(this.extensionsDir, id, target);
      if (!existsSync(dir)) throw new MarketError('no_previous_version', `The folder of ${id} ${target} is gone (${dir}); cannot roll back.`, { id });
      progress({ step: 'verify', message: `Checking ${dir}.` });
      const manifest = await this.folderManifest(dir, id, target);
      this.checkApproved(id, target, manifest.permissions, record.approvedPermissions);
      await this.activate(id, target, record.approvedPermissions, progress);
      const next: InstallRecord = { ...record, version: target, previous: [record.version, ...record.previous.slice(1)], installedAt: new Date().toISOString() };
      await this.records.put(id, next);
      progress({ step: 'done', message: `Rolled ${id} back from ${record.version} to ${target}.` });
      return next;
    });
  }

  uninstall(id: string, o: { deleteData: boolean; onProgress?: Progress }): Promise<void> {
    return this.exclusive(id, async () => {
      const progress = o.onProgress ?? noProgress;
      const record = await this.records.get(id);
      if (!record && (await versionFolders(this.extensionsDir, id)).length === 0) {
        throw new MarketError('not_installed', `${id} is not installed from the marketplace.`, { id });
      }
      progress({ step: 'activate', message: `Stopping ${id}.` });
      await this.options.activator.deactivate(id);
      progress({ step: 'cleanup', message: `Deleting the folders of ${id}${o.deleteData ? ' and its data' : ''}.` });
      await removeVersionFolders(this.extensionsDir, id);
      await this.records.put(id, undefined);
      if (o.deleteData) await rm(join(this.options.dataDir, 'extension-data', id), { recursive: true, force: true });
      progress({ step: 'done', message: `Uninstalled ${id}.` });
    });
  }

  /** Makes `version` the active one: reuses its folder when a record still keeps it, else downloads and stages it. */
  private async switchTo({ id, version, approved, record, mirror, progress }: Switch): Promise<InstallRecord> {
    const v = version.version;
    this.checkApproved(id, v, version.permissions as Permissions, approved);
    const dir = versionDir(this.extensionsDir, id, v);
    const kept = record && (record.version === v || record.previous.includes(v)) && existsSync(dir);
    if (kept) {
      progress({ step: 'verify', message: `Reusing ${dir}.` });
      const manifest = await this.folderManifest(dir, id, v);
      this.checkApproved(id, v, manifest.permissions, approved);
    } else {
      if (existsSync(join(this.extensionsDir, id))) {
        throw new MarketError('install_failed', `A drop-in folder ${join(this.extensionsDir, id)} already provides ${id}; remove it first (langbot ext remove ${id}).`, { id });
      }
      const pkg = await this.fetchPackage(id, version, approved, progress);
      progress({ step: 'stage', message: `Unpacking into ${dir}.` });
      try {
        await stagePackage(pkg, this.extensionsDir);
      } catch (e) {
        throw new MarketError('install_failed', `Could not unpack ${id} ${v} into ${this.extensionsDir}: ${(e as Error).message}`, { id, version: v });
      }
    }
    try {
      await this.activate(id, v, approved, progress);
    } catch (e) {
      if (!kept) await rm(dir, { recursive: true, force: true });
      throw e;
    }
    const earlier = record ? [record.version, ...record.previous] : [];
    const previous = [...new Set(earlier)].filter((p) => p !== v && existsSync(versionDir(this.extensionsDir, id, p))).slice(0, KEEP_PREVIOUS);
    const next: InstallRecord = { id, version: v, previous, approvedPermissions: approved, installedAt: new Date().toISOString(), mirror };
    await this.records.put(id, next);
    progress({ step: 'cleanup', message: previous.length ? `Keeping ${previous.join(', ')} for rollback.` : 'No earlier version to keep.' });
    await removeVersionFolders(this.extensionsDir, id, [v, ...previous]);
    progress({ step: 'done', message: `${id} ${v} is installed${record ? ` (was ${record.version})` : ''}.` });
    return next;
  }

  private async fetchPackage(id: string, version: IndexVersion, approved: Permissions, progress: Progress): Promise<ExtensionPackage> {
    const v = version.version;
    const total = version.package.size;
    progress({ step: 'download', message: `Downloading ${version.package.path} (${total} bytes).`, done: 0, total });
    const bytes = await this.options.client.download(version, (done, all) => progress({ step: 'download', message: `${done}/${all} bytes`, done, total: all }));
    progress({ step: 'verify', message: `Checking the package (sha256 ${version.package.sha256.slice(0, 12)}…, integrity, manifest).` });
    let pkg: ExtensionPackage;
    try {
      pkg = await readPackage(bytes);
    } catch (e) {
      if (!(e instanceof PackageError)) throw e;
      throw new MarketError('bad_package', `The package of ${id} ${v} is unusable: ${e.message}`, { id, version: v, reason: e.code });
    }
    const { manifest } = pkg;
    if (manifest.id !== id || manifest.version !== v) {
      throw new MarketError('bad_package', `The package of ${id} ${v} contains ${manifest.id} ${manifest.version}; the index and the package disagree.`, { id, version: v });
    }
    if (!worksWith(this.options.kernelApiVersion, manifest.engines.langbot)) {
      throw new MarketError('incompatible', `${id} ${v} requires kernel API ${manifest.engines.langbot}; this kernel provides ${this.options.kernelApiVersion}.`, { id, version: v });
    }
    // The manifest, not the index, is what the kernel enforces.
    this.checkApproved(id, v, manifest.permissions, approved);
    return pkg;
  }

  private async activate(id: string, version: string, approved: Permissions, progress: Progress): Promise<void> {
    progress({ step: 'activate', message: `Switching ${id} to ${version}.` });
    try {
      await this.options.activator.activate(id, version, approved);
    } catch (e) {
      if (e instanceof MarketError) throw e;
      throw new MarketError('activation_failed', `${id} ${version} could not be activated: ${(e as Error).message ?? String(e)}`, { id, version });
    }
  }

  private checkApproved(id: string, version: string, requested: Permissions, approved: Permissions): void {
    const missing = missingPermissions(requested, approved);
    if (missing.length === 0) return;
    throw new MarketError('permissions_not_approved', `${id} ${version} asks for permissions that were not approved: ${missing.join(', ')}.`, { id, version, missing });
  }

  private async folderManifest(dir: string, id: string, version: string): Promise<ExtensionManifest> {
    const result = await readManifest(dir);
    if (!result.manifest || result.manifest.id !== id || result.manifest.version !== version) {
      throw new MarketError('install_failed', `${dir} does not hold a valid manifest of ${id} ${version}; uninstall and install again.`, { id, version });
    }
    return result.manifest;
  }

  private async resolve(id: string, progress: Progress) {
    progress({ step: 'resolve', message: `Looking up ${id} in the registry.` });
    // Always fresh: an install must see what was published a moment ago.
    const { index, mirror } = await this.options.client.index({ refresh: true });
    const entry = index.extensions.find((e) => e.id === id);
    if (!entry) throw new MarketError('not_found', `The registry (${mirror}) has no extension with id ${id}.`, { id });
    return { entry, mirror };
  }

  private async requireRecord(id: string): Promise<InstallRecord> {
    const record = await this.records.get(id);
    if (!record) throw new MarketError('not_installed', `${id} is not installed from the marketplace.`, { id });
    return record;
  }

  /** One operation per extension id at a time, across processes sharing the data folder. */
  private async exclusive<T>(id: string, run: () => Promise<T>): Promise<T> {
    if (!ID.test(id)) throw new MarketError('not_found', `"${id}" is not a valid extension id.`, { id });
    const release = await this.locks.tryAcquire(`ext-${id}`, id);
    try {
      return await run();
    } finally {
      await release();
    }
  }
}
