import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Health } from '../hosts/supervisor.js';
import type { ExtensionManager } from '../loader/manager.js';
import type { ExtensionState } from '../loader/record.js';

export interface ExtensionStatus {
  state: ExtensionState;
  reason: string;
  enabled: boolean;
  version?: string;
  isolation?: string;
  source: string;
  health?: Health;
}

/** `<data>/status.json`: what a running kernel tells other processes (the CLI) about itself. */
export interface KernelStatus {
  pid: number;
  startedAt: string;
  profile: string;
  updatedAt: string;
  extensions: Record<string, ExtensionStatus>;
}

export const statusPath = (dataDir: string) => join(dataDir, 'status.json');

/** The status of the kernel running on `dataDir`, or undefined when none is (a stale file is ignored). */
export function readStatus(dataDir: string): KernelStatus | undefined {
  let status: KernelStatus;
  try {
    status = JSON.parse(readFileSync(statusPath(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  return isAlive(status.pid) ? status : undefined;
}

function isAlive(pid: unknown): boolean {
  if (typeof pid !== 'number') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function snapshot(manager: ExtensionManager, profile: string, startedAt: string): KernelStatus {
  const extensions: Record<string, ExtensionStatus> = {};
  for (const r of manager.list()) {
    extensions[r.id] = {
      state: r.state,
      reason: r.reason,
      enabled: r.enabled,
      version: r.manifest?.version,
      isolation: r.manifest?.isolation,
      source: r.source,
      health: r.supervisor?.health(),
    };
  }
  return { pid: process.pid, startedAt, profile, updatedAt: new Date().toISOString(), extensions };
}

/** Keeps status.json current: written now, again ~100 ms after state changes, removed by close(). */
export function publishStatus(manager: ExtensionManager, dataDir: string, profile: string, debounceMs = 100) {
  const file = statusPath(dataDir);
  const startedAt = new Date(performance.timeOrigin).toISOString();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;
  const write = () => {
    timer = undefined;
    const tmp = `${file}.${process.pid}.tmp`;
    const text = JSON.stringify(snapshot(manager, profile, startedAt), null, 2);
    writing = writing
      .then(() => (closed ? undefined : writeFile(tmp, text).then(() => rename(tmp, file))))
      .catch((e) => manager.options.logging.root.warn({ err: e }, `Could not write ${file}.`));
    return writing;
  };
  const unsubscribe = manager.onStateChange(() => void (timer ??= setTimeout(write, debounceMs)));
  return {
    ready: write(),
    async close(): Promise<void> {
      closed = true;
      unsubscribe();
      clearTimeout(timer);
      await writing;
      await rm(file, { force: true });
    },
  };
}
