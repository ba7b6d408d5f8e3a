import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore } from '../../kernel/config/state-store.js';
import type { Permissions } from '../../kernel/manifest/index.js';
import { readStatus } from '../../kernel/status/status-file.js';
import { MarketError } from '../errors.js';
import type { Activator } from './types.js';

const PENDING_SETTLED_MS = 1_500;
/** How long to wait for status.json (rewritten ~100 ms after a change) to show the restored version. */
const STATUS_DELAY_MS = 3_000;

export interface StateFileActivatorOptions {
  /** How long to wait for a running kernel to report the switched version; default 30 s. */
  waitMs?: number;
  pollMs?: number;
  /** Told when the kernel did not report back in time. */
  warn?: (message: string) => void;
}

/**
 * The CLI's activator: writes the version pointer and approvals to `<data>/kernel.json`, which a running kernel
 * follows. When a kernel runs on the data folder, it waits for the kernel's status.json to report the new version
 * started; if the kernel fails it, the previous entry is restored. With no kernel running, the next start uses it.
 */
export class StateFileActivator implements Activator {
  constructor(
    private readonly dataDir: string,
    private readonly options: StateFileActivatorOptions = {},
  ) {}

  async activate(id: string, version: string, approvedPermissions: Permissions): Promise<void> {
    const store = await StateStore.open(this.dataDir);
    const before = store.getExtension(id);
    await store.setExtension(id, { version, approvedPermissions });
    const failure = await this.waitForKernel(id, version);
    if (failure === undefined) return;
    await store.reload();
    await store.putExtension(id, before);
    throw new MarketError('activation_failed', `The kernel could not start ${id} ${version}: ${failure}`, { id, version, reason: failure });
  }

  async deactivate(id: string): Promise<void> {
    const store = await StateStore.open(this.dataDir);
    const entry = store.getExtension(id);
    if (!entry) return;
    const { version: _version, approvedPermissions: _approved, ...kept } = entry;
    // Configuration and `enabled` stay for a later reinstall; an entry with nothing else left goes.
    await (Object.keys(kept).length > 0 ? store.putExtension(id, kept) : store.removeExtension(id));
  }

  /**
   * The kernel's reason when it could not start the version (it then writes the old pointer back); undefined when
   * it started, waits (for first use or a service), is disabled, or no kernel runs.
   */
  private async waitForKernel(id: string, version: string): Promise<string | undefined> {
    const since = Date.now();
    if (!readStatus(this.dataDir)) return undefined;
    const waitMs = this.options.waitMs ?? 30_000;
    const deadline = Date.now() + waitMs;
    let pendingSince: number | undefined;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 100));
      const status = readStatus(this.dataDir);
      if (!status) return undefined;
      const live = status.extensions[id]?.version === version ? status.extensions[id] : undefined;
      if (live?.state === 'failed') return live.reason || 'no reason given';
      if (live?.state === 'active' || live?.enabled === false) return undefined;
      if (this.pointer(id) !== version) return live?.reason || (await this.revertReason(id, since));
      // Pending also shows briefly before loading; only a lasting pending means waiting for first use.
      pendingSince = live?.state === 'pending' ? (pendingSince ?? Date.now()) : undefined;
      if (pendingSince !== undefined && Date.now() - pendingSince >= PENDING_SETTLED_MS) return undefined;
    }
    this.options.warn?.(`The running kernel did not report ${id} ${version} as started within ${Math.round(waitMs / 1000)} s; check \`langbot ext info ${id}\`.`);
    return undefined;
  }

  /** Why the kernel wrote the old pointer back: the restored record's reason, once status.json (rewritten with a delay) is newer than `since`. */
  private async revertReason(id: string, since: number): Promise<string> {
    for (let waited = 0; waited <= STATUS_DELAY_MS; waited += 50) {
      const status = readStatus(this.dataDir);
      const restored = status?.extensions[id];
      // Settled: the restored version runs again (or failed too); its reason says what went wrong with the new one.
      if (status && Date.parse(status.updatedAt) > since && restored?.reason && ['active', 'failed'].includes(restored.state)) return restored.reason;
      await new Promise((r) => setTimeout(r, 50));
    }
    return 'the kernel refused the switch and restored the previous version (see its log).';
  }

  /** The version kernel.json points at now, as another process may have rewritten it. */
  private pointer(id: string): unknown {
    try {
      return JSON.parse(readFileSync(join(this.dataDir, 'kernel.json'), 'utf8')).extensions?.[id]?.version;
    } catch {
      return undefined;
    }
  }
}
