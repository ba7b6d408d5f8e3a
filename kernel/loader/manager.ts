import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { KERNEL_API_VERSION } from '../api/version.js';
import type { DependencyContainer } from 'tsyringe';
import { ExtensionScope } from '../di/scope.js';
import { DEFAULT_POLICY, Supervisor, type SupervisorPolicy } from '../hosts/supervisor.js';
import type { Host, Isolation } from '../hosts/types.js';
import type { Logging } from '../logging/logger.js';
import type { StateStore } from '../config/state-store.js';
import { localize, missingPermissions, readManifest, validateConfig, contributionKey, CONTRIBUTION_KEY_FIELD, CONTRIBUTION_POINTS, type ExtensionManifest } from '../manifest/index.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../rpc/frames.js';
import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import type { CallOptions } from '../rpc/peer.js';
import type { CoreService } from '../services/core-service.js';
import { bundleFor } from './bundler.js';
import { discoverExtensions, type ExtensionSource, type FoundExtension } from './discovery.js';
import { compareDeclarations, declaredImplementations, describeIssues, recordId, type ExtensionRecord, type ExtensionState } from './record.js';
import { Registry } from './registry.js';
import { profileEnables, type DeploymentProfile } from '../profile.js';
import { kernelApiFor } from './kernel-api.js';
import { SERVICE_POINT } from '../hosts/runtime-core.js';
import { activationWaves } from './activation-order.js';

export { KERNEL_API_VERSION };
const REJECTED = ' The changed version was rejected: ';
export const engineProblem = (manifest: ExtensionManifest) =>
  semver.satisfies(KERNEL_API_VERSION, manifest.engines.langbot, { includePrerelease: true })
    ? undefined
    : `It requires kernel API ${manifest.engines.langbot}; this kernel provides ${KERNEL_API_VERSION}.`;
export const waitingForApproval = (missing: string[]) => `Waiting for approval of new permissions: ${missing.join(', ')}.`;

export interface ManagerOptions {
  container: DependencyContainer;
  roots: { builtin?: string; dropin?: string };
  dataDir: string;
  state: StateStore;
  logging: Logging;
  hosts: Record<Isolation, Host>;
  coreServices: Record<string, CoreService>;
  /** Which built-in extensions the profile turns on; drop-ins are on unless disabled. */
  profile: Pick<DeploymentProfile, 'extensions' | 'disable'>;
  policy?: SupervisorPolicy;
  /** Where bundles are cached (default `<data>/.cache/bundles`); kernels may share one, entries are keyed by content. */
  bundleCacheDir?: string;
}

/** `local` is the id the extension's code provides the entry under (differs from the key for id-less entries). */
export type ContributionValue = { point: string; entry: unknown; local: string };

/** Discovers extensions, validates them, and drives each through pending → loading → active | failed → disposed. */
export class ExtensionManager {
  readonly records = new Map<string, ExtensionRecord>();
  readonly contributions: Registry<ContributionValue>;
  readonly services: Registry<{ core?: CoreService }>;
  private readonly listeners = new Set<(record: ExtensionRecord) => void>();
  private started = false;
  private readonly log;

  constructor(readonly options: ManagerOptions) {
    this.log = options.logging.root.child({ ext: 'kernel' });
    const conflict = (what: string) => (key: string, kept: string, other: string) =>
      this.log.warn({ key, kept, other }, `${what} '${key}' is claimed by both '${kept}' and '${other}'; '${kept}' keeps it.`);
    this.contributions = new Registry('contributions', conflict('Contribution'));
    this.services = new Registry('services', conflict('Service'));
    for (const [name, core] of Object.entries(options.coreServices)) this.services.add(name, 'kernel', { core });
    this.services.onChange(() => this.reevaluateDependents());
  }

  onStateChange(listener: (record: ExtensionRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async discover(): Promise<void> {
    const activeVersion = (id: string) => this.options.state.getExtension(id)?.version;
    for (const found of await discoverExtensions(this.options.roots, activeVersion)) await this.load(found);
  }

  /** Registers enabled extensions and activates the eager ones, providers before the extensions using them. */
  async startAll(): Promise<void> {
    const records = [...this.records.values()];
    for (const r of records) if (r.enabled && r.manifest && r.state !== 'failed') this.register(r);
    for (const wave of activationWaves(records, (service) => this.services.get(service)?.owner)) {
      await Promise.all(wave.map((r) => this.evaluate(r)));
    }
    this.started = true;
  }

  list(): ExtensionRecord[] {
    return [...this.records.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): ExtensionRecord | undefined {
    return this.records.get(id);
  }

  async enable(id: string): Promise<ExtensionRecord> {
    const record = this.require(id);
    await this.options.state.setExtension(id, { enabled: true });
    record.enabled = true;
    if (record.manifest && !record.scope) this.register(record);
    await this.evaluate(record);
    return record;
  }

  async disable(id: string): Promise<ExtensionRecord> {
    const record = this.require(id);
    await this.options.state.setExtension(id, { enabled: false });
    record.enabled = false;
    await this.unload(record, 'disposed', 'Disabled.');
    return record;
  }

  /** Stops the extension, re-reads its folder and starts the new version; if that fails, the old one returns. */
  async reload(id: string): Promise<ExtensionRecord> {
    const record = this.require(id);
    return this.replace(record, { dir: record.dir, source: record.source });
  }

  async replace(previous: ExtensionRecord | undefined, found: FoundExtension): Promise<ExtensionRecord> {
    const next = await this.read(found);
    const wasRunning = previous?.state === 'active';
    const usable = previous?.manifest && previous.state !== 'failed' ? previous : undefined;
    if (usable && (!next.manifest || next.state === 'failed')) return this.rejectChange(usable, next.reason);
    if (previous && (previous !== usable || next.id !== previous.id)) {
      // The old one never ran, or the folder now holds another extension: nothing to keep or roll back to.
      await this.remove(previous.id);
      previous = undefined;
    }
    if (previous && next.manifest) {
      try {
        next.bundleFile = await bundleFor(next.manifest.isolation, this.bundleSpec(next));
      } catch (e) {
        return this.rejectChange(previous, (e as Error).message);
      }
      await this.unload(previous, 'disposed', 'Replaced by a new version.');
      this.records.delete(previous.id);
    }
    const record = this.adopt(next);
    if (!record.enabled || !record.manifest || record.state === 'failed') return record;
    this.register(record);
    await this.evaluate(record, wasRunning);
    if (!previous) return record;
    if ((record.state as ExtensionState) === 'failed' && previous.manifest) {
      const failure = record.reason;
      await this.unload(record, 'disposed', 'Rolled back.');
      this.records.set(previous.id, previous);
      this.register(previous);
      await this.evaluate(previous, wasRunning);
      this.setState(previous, previous.state, `Reload failed (${failure}); rolled back to version ${previous.manifest.version}.`);
      return previous;
    }
    return record;
  }

  /** Keeps the current version running and says why the changed one was not taken. */
  private rejectChange(current: ExtensionRecord, why: string): ExtensionRecord {
    const base = current.reason.split(REJECTED)[0];
    this.setState(current, current.state, `${base}${REJECTED}${why}`);
    return current;
  }

  /** Applies changed approvals: a version now covered starts as usual, one no longer covered is stopped. */
  async reconsider(id: string): Promise<ExtensionRecord> {
    const record = this.require(id);
    if (!record.enabled || !record.manifest || record.state === 'failed') return record;
    const unapproved = this.unapproved(record);
    if (unapproved.length && (record.scope || record.state === 'active' || record.state === 'loading')) await this.unload(record, 'pending', waitingForApproval(unapproved));
    else if (!unapproved.length && !record.scope) this.register(record);
    await this.evaluate(record);
    return record;
  }

  async remove(id: string): Promise<void> {
    const record = this.records.get(id);
    if (!record) return;
    await this.unload(record, 'disposed', 'Removed.');
    this.records.delete(id);
  }

  /** Runs a contribution's method, activating its extension on first use. */
  async invoke(point: string, key: string, method: string, args: unknown, options?: CallOptions): Promise<unknown> {
    const { record, id } = await this.ownerOf(point, key);
    return record.supervisor!.invoke({ point, id, method, args }, options);
  }

  async *stream(point: string, key: string, method: string, args: unknown, options?: CallOptions): AsyncGenerator<unknown> {
    const { record, id } = await this.ownerOf(point, key);
    yield* record.supervisor!.stream({ point, id, method, args }, options);
  }

  /** Stops everything, dependents before the services they use, so a last write still finds its database. */
  async dispose(): Promise<void> {
    let remaining = [...this.records.values()];
    while (remaining.length > 0) {
      const required = new Set(remaining.flatMap((r) => r.manifest?.services?.requires ?? []));
      let wave = remaining.filter((r) => !(r.manifest?.services?.provides ?? []).some((s) => required.has(s)));
      // A cycle of services cannot be ordered: stop the rest together.
      if (wave.length === 0) wave = remaining;
      await Promise.all(wave.map((r) => this.unload(r, 'disposed', 'The kernel is shutting down.')));
      remaining = remaining.filter((r) => !wave.includes(r));
    }
  }

  /** Makes sure the extension is active, activating it now if it waits for first use. */
  async ensureActive(record: ExtensionRecord): Promise<void> {
    if (record.state === 'active') return;
    // A call that arrives while the extension is starting waits for that start rather than failing.
    if (record.activation) await record.activation.catch(() => {});
    else if (record.state === 'pending' && record.enabled && record.manifest && this.missingServices(record.manifest).length === 0) await this.activate(record);
    if ((record.state as ExtensionState) !== 'active') {
      throw new RpcError(RpcErrorCode.Unavailable, `Extension '${record.id}' is ${record.state}: ${record.reason}`, { extension: record.id, state: record.state });
    }
  }

  /** The active extension behind `point:key` and the id its code provided the entry under. */
  private async ownerOf(point: string, key: string): Promise<{ record: ExtensionRecord; id: string }> {
    const registration = point === SERVICE_POINT ? this.services.get(key) : this.contributions.get(`${point}:${key}`);
    if (!registration) throw new RpcError(RpcErrorCode.NotFound, `No extension contributes ${point} '${key}'.`, { point, key });
    const record = this.require(registration.owner);
    await this.ensureActive(record);
    return { record, id: (registration.value as Partial<ContributionValue>).local ?? key };
  }

  private require(id: string): ExtensionRecord {
    const record = this.records.get(id);
    if (!record) throw new RpcError(RpcErrorCode.NotFound, `No extension '${id}' is installed.`, { id });
    return record;
  }

  private async load(found: FoundExtension): Promise<ExtensionRecord> {
    const existing = [...this.records.values()].find((r) => r.dir === found.dir);
    if (existing) return existing;
    return this.adopt(await this.read(found));
  }

  private adopt(record: ExtensionRecord): ExtensionRecord {
    const clash = this.records.get(record.id);
    if (clash && clash.dir !== record.dir) {
      record.state = 'failed';
      record.reason = `Another extension with id '${record.id}' is already installed at ${clash.dir}.`;
      record.id = `${record.id}@${record.dir}`;
    }
    this.records.set(record.id, record);
    this.emit(record);
    return record;
  }

  private async read(found: FoundExtension): Promise<ExtensionRecord> {
    const result = await readManifest(found.dir);
    const manifest = result.ok ? (result.manifest as ExtensionManifest) : undefined;
    const id = recordId(manifest, found.dir);
    const stored = this.options.state.getExtension(id);
    const record: ExtensionRecord = {
      id,
      dir: found.dir,
      source: found.source,
      manifestFile: result.file,
      manifest,
      issues: result.ok ? [] : result.issues,
      enabled: stored?.enabled ?? this.enabledByProfile(id, found.source),
      state: 'pending',
      reason: '',
      since: Date.now(),
    };
    if (!manifest) return this.failed(record, `The manifest is invalid:\n${describeIssues(record.issues)}`);
    const incompatible = engineProblem(manifest);
    if (incompatible) return this.failed(record, incompatible);
    if (!record.enabled) record.state = 'disposed';
    record.reason = record.enabled ? 'Discovered.' : 'Disabled.';
    return record;
  }

  private enabledByProfile(id: string, source: ExtensionSource): boolean {
    return source === 'dropin' || profileEnables(this.options.profile, id);
  }

  /** What the manifest asks for beyond the permissions approved in kernel.json (nothing recorded: no gate). */
  private unapproved(record: ExtensionRecord): string[] {
    const approved = this.options.state.getExtension(record.id)?.approvedPermissions;
    return approved && record.manifest ? missingPermissions(record.manifest.permissions, approved) : [];
  }

  /** Publishes the extension's declared contributions and services under a fresh scope, once its permissions are approved. */
  private register(record: ExtensionRecord): void {
    if (this.unapproved(record).length) return;
    const manifest = record.manifest!;
    const scope = new ExtensionScope(record.id, this.options.container);
    scope.provideValue('extension.id', record.id);
    scope.provideValue('extension.manifest', manifest);
    for (const point of CONTRIBUTION_POINTS) {
      const entries = (manifest.contributes as Record<string, unknown[] | undefined>)[point] ?? [];
      entries.forEach((entry, i) => {
        // Entries without an identifier (event listeners) are keyed `<extension>#<index>` so extensions never collide.
        const local = contributionKey(point, entry, i);
        const key = CONTRIBUTION_KEY_FIELD[point] ? local : `${record.id}${local}`;
        scope.own(this.contributions.add(`${point}:${key}`, record.id, { point, entry, local }));
      });
    }
    for (const name of manifest.services?.provides ?? []) scope.own(this.services.add(name, record.id, {}));
    record.scope = scope;
  }

  private missingServices(manifest: ExtensionManifest): string[] {
    return (manifest.services?.requires ?? []).filter((name) => {
      const provider = this.services.get(name);
      return !provider || (provider.owner !== 'kernel' && this.records.get(provider.owner)?.state === 'failed');
    });
  }

  /** Decides what an enabled extension should be doing now. */
  private async evaluate(record: ExtensionRecord, forceActivate = false): Promise<void> {
    if (!record.enabled || !record.manifest || record.state === 'failed' || record.state === 'active' || record.state === 'loading') return;
    const unapproved = this.unapproved(record);
    if (unapproved.length) return this.setState(record, 'pending', waitingForApproval(unapproved));
    const missing = this.missingServices(record.manifest);
    if (missing.length) return this.setState(record, 'pending', `Waiting for required service${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}.`);
    if (record.manifest.activation === 'eager' || forceActivate) await this.activate(record);
    else this.setState(record, 'pending', 'Waiting for first use (activation: onUse).');
  }

  private reevaluateDependents(): void {
    // During start-up, startAll decides the order.
    if (!this.started) return;
    for (const record of this.records.values()) {
      const requires = record.manifest?.services?.requires ?? [];
      if (!requires.length || !record.enabled) continue;
      const missing = this.missingServices(record.manifest!);
      if (missing.length && (record.state === 'active' || record.state === 'loading')) {
        void this.stopRuntime(record).then(() => this.setState(record, 'pending', `Required service '${missing[0]}' went away.`));
      } else if (!missing.length && record.state === 'pending') void this.evaluate(record);
    }
  }

  private activate(record: ExtensionRecord): Promise<void> {
    record.activation ??= this.doActivate(record).finally(() => (record.activation = undefined));
    return record.activation;
  }

  private async doActivate(record: ExtensionRecord): Promise<void> {
    const manifest = record.manifest!;
    this.setState(record, 'loading', `Starting under the ${manifest.isolation} host.`);
    const stored = this.options.state.getExtension(record.id)?.config;
    const config = manifest.config ? validateConfig(manifest.config, stored ?? {}) : { ok: true as const, value: {} };
    if (!config.ok) return void this.failed(record, `Its configuration is invalid:\n${describeIssues(config.errors)}`);
    try {
      const base = this.bundleSpec(record);
      record.bundleFile ??= await bundleFor(manifest.isolation, base);
      const dataDir = join(this.options.dataDir, 'extension-data', record.id);
      if (manifest.isolation !== 'isolate') await mkdir(dataDir, { recursive: true });
      const declared = declaredImplementations(manifest);
      const supervisor = new Supervisor(
        this.options.hosts[manifest.isolation],
        {
          ...base,
          version: manifest.version,
          bundleFile: record.bundleFile,
          dataDir,
          memoryMb: manifest.resources?.memoryMb ?? 128,
          cpuTimeMs: manifest.resources?.cpuTimeMs ?? 5000,
          maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
          permissions: {
            fsRead: (manifest.permissions.fs?.read ?? []).map((p) => resolve(record.dir, p)),
            fsWrite: (manifest.permissions.fs?.write ?? []).map((p) => resolve(record.dir, p)),
            childProcess: manifest.permissions.childProcess ?? false,
            worker: manifest.permissions.worker ?? false,
          },
          onOutput: (line, stream) => this.options.logging.forExtension(record.id)[stream === 'stderr' ? 'warn' : 'info']({ stream }, line),
        },
        kernelApiFor(record, this),
        {
          config: config.value,
          verify: (provided) => {
            const problem = compareDeclarations(declared, provided.map((p) => `${p.point}:${p.id}`));
            if (problem) throw new Error(problem);
          },
        },
        { onStateChange: (health) => health.state === 'crash-loop' && this.failed(record, health.lastError ?? 'Crash loop.') },
        { ...(this.options.policy ?? DEFAULT_POLICY), hangTimeoutMs: manifest.resources?.hangTimeoutMs ?? (this.options.policy ?? DEFAULT_POLICY).hangTimeoutMs },
      );
      record.supervisor = supervisor;
      await supervisor.start();
      this.setState(record, 'active', `Running under the ${manifest.isolation} host.`);
    } catch (e) {
      await this.stopRuntime(record);
      this.failed(record, `Activation failed: ${(e as Error).message}`);
    }
  }

  bundleSpec(record: Pick<ExtensionRecord, 'id' | 'dir' | 'manifest'>) {
    const manifest = record.manifest!;
    return { id: record.id, dir: record.dir, entryFile: resolve(record.dir, manifest.entry ?? 'index.ts'), cacheDir: this.options.bundleCacheDir ?? join(this.options.dataDir, '.cache', 'bundles') };
  }

  private async stopRuntime(record: ExtensionRecord): Promise<void> {
    const supervisor = record.supervisor;
    record.supervisor = undefined;
    await supervisor?.stop();
  }

  private async unload(record: ExtensionRecord, state: ExtensionState, reason: string): Promise<void> {
    await record.activation?.catch(() => {});
    await this.stopRuntime(record);
    const scope = record.scope;
    record.scope = undefined;
    await scope?.dispose();
    if (state !== 'failed' || record.state !== 'failed') this.setState(record, state, reason);
  }

  private failed(record: ExtensionRecord, reason: string): ExtensionRecord {
    this.setState(record, 'failed', reason);
    const scope = record.scope;
    record.scope = undefined;
    void scope?.dispose();
    return record;
  }

  private setState(record: ExtensionRecord, state: ExtensionState, reason: string): void {
    const changed = record.state !== state || record.reason !== reason;
    record.state = state;
    record.reason = reason;
    record.since = Date.now();
    if (!changed) return;
    const level = state === 'failed' ? 'error' : 'info';
    this.log[level]({ extension: record.id, state, reason }, `${record.manifest ? localize(record.manifest.displayName) : record.id}: ${state}. ${reason}`);
    this.emit(record);
  }

  private emit(record: ExtensionRecord): void {
    for (const listener of [...this.listeners]) listener(record);
  }
}
