import 'reflect-metadata';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { container as rootContainer } from 'tsyringe';
import { StateStore } from './config/state-store.js';
import { resolveSettings } from './config/settings.js';
import { inprocessHost } from './hosts/inprocess-host.js';
import { processHost } from './hosts/process-host.js';
import { workerHost } from './hosts/worker-host.js';
import type { Host, Isolation } from './hosts/types.js';
import type { SupervisorPolicy } from './hosts/supervisor.js';
import { createLogging, type Logging, type LoggingOptions } from './logging/logger.js';
import { ExtensionManager } from './loader/manager.js';
import { loadProfile, type DeploymentProfile } from './profile.js';
import { kvService } from './services/kv.js';
import { extensionsService } from './services/extensions.js';
import { contributionsService } from './services/contributions.js';

export { REPO_ROOT };

export interface KernelOptions {
  dataDir: string;
  profile?: string;
  /** Folder of built-in extensions (default: the repository's `extensions/`). */
  builtinRoot?: string | null;
  watch?: boolean;
  logging?: LoggingOptions;
  policy?: SupervisorPolicy;
  /** Shared bundle cache (tests and benchmarks start many kernels on fresh data folders). */
  bundleCacheDir?: string;
  /** Hosts by isolation; the isolate host is loaded lazily because isolated-vm is a native addon. */
  hosts?: Partial<Record<Isolation, Host>>;
}

async function isolateHost(): Promise<Host> {
  const { isolateHost } = await import('./hosts/isolate-host.js');
  return isolateHost;
}

/** Lazily resolves the isolate host on first launch so that a kernel without isolate extensions never loads it. */
const lazyIsolateHost: Host = {
  isolation: 'isolate',
  launch: async (spec, kernel) => (await isolateHost()).launch(spec, kernel),
};

export class Kernel {
  private closeWatcher: (() => Promise<void>) | undefined;

  private constructor(
    readonly manager: ExtensionManager,
    readonly state: StateStore,
    readonly logging: Logging,
    readonly profile: DeploymentProfile,
    readonly settings: Record<string, unknown>,
  ) {}

  static async start(options: KernelOptions): Promise<Kernel> {
    const dataDir = resolve(options.dataDir);
    // Where extensions find the installation's built assets (the HTTP server's web console in dist/console).
    process.env.LANGBOT_HOME ??= REPO_ROOT;
    await mkdir(join(dataDir, 'extensions'), { recursive: true });
    const logging = createLogging(options.logging);
    const state = await StateStore.open(dataDir, { warn: (msg) => logging.root.warn(msg) });
    const profile = await loadProfile(join(REPO_ROOT, 'manifests', 'profiles'), options.profile ?? 'core');
    const settings = resolveSettings(profile.settings ?? {}, state.state.settings);
    const container = rootContainer.createChildContainer();
    const manager: ExtensionManager = new ExtensionManager({
      container,
      roots: { builtin: options.builtinRoot === null ? undefined : (options.builtinRoot ?? join(REPO_ROOT, 'extensions')), dropin: join(dataDir, 'extensions') },
      dataDir,
      state,
      logging,
      hosts: { inprocess: inprocessHost, worker: workerHost, process: processHost, isolate: lazyIsolateHost, ...options.hosts },
      coreServices: { kv: kvService(dataDir), contributions: contributionsService((): ExtensionManager => manager), extensions: extensionsService((): ExtensionManager => manager) },
      profile,
      policy: options.policy,
      bundleCacheDir: options.bundleCacheDir,
    });
    const kernel = new Kernel(manager, state, logging, profile, settings);
    container.register('kernel', { useValue: kernel });
    container.register('extensions', { useValue: manager });
    container.register('state', { useValue: state });
    container.register('logging', { useValue: logging });
    await manager.discover();
    await manager.startAll();
    if (options.watch !== false) {
      const { watchDropins } = await import('./loader/watcher.js');
      const watcher = watchDropins(manager, join(dataDir, 'extensions'));
      await watcher.ready;
      kernel.closeWatcher = watcher.close;
    }
    return kernel;
  }

  async stop(): Promise<void> {
    await this.closeWatcher?.();
    await this.manager.dispose();
  }
}
