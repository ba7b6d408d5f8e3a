import { watch } from 'node:fs';
import type { ExtensionState, StateStore } from '../config/state-store.js';
import type { ExtensionManager } from '../loader/manager.js';
import { followVersion } from '../loader/versions.js';

/**
 * Applies changes another process (the CLI) makes to `<data>/kernel.json`: the store is reloaded; an extension
 * whose version pointer changed is switched to that folder (a failed switch writes the old entry back); one whose
 * approvals changed is re-checked; every extension whose stored `enabled` differs from the running kernel's is
 * enabled or disabled; and an active extension whose stored configuration changed is restarted with it.
 */
export function followStateFile(manager: ExtensionManager, state: StateStore, dataDir: string, debounceMs = 50): { close(): void } {
  const log = manager.options.logging.root.child({ ext: 'kernel' });
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  // The entries as last applied; the kernel's own writes (console, marketplace) count as applied.
  let known: Record<string, ExtensionState> = state.state.extensions;
  const stopTracking = state.onChange((s, change) => {
    if (change.kind !== 'reload') known = s.extensions;
  });
  const apply = async () => {
    await state.reload();
    const before = known;
    known = state.state.extensions;
    const switched = new Set<string>();
    for (const id of new Set([...Object.keys(before), ...Object.keys(known)])) {
      const was = before[id];
      const now = known[id];
      if (was?.version !== now?.version) {
        switched.add(id);
        log.info({ extension: id, version: now?.version ?? null }, `kernel.json changed: switching ${id} to ${now?.version ? `version ${now.version}` : 'no version'}.`);
        await followVersion(manager, id, was).catch((e) => log.error({ extension: id, err: e }, `Switching ${id} failed: ${(e as Error).message}`));
      } else if (!same(was?.approvedPermissions, now?.approvedPermissions) && manager.get(id)) {
        log.info({ extension: id }, `kernel.json changed: re-checking the approved permissions of ${id}.`);
        await manager.reconsider(id);
      }
    }
    for (const record of manager.list()) {
      if (switched.has(record.id)) continue;
      if (!same(before[record.id]?.config, known[record.id]?.config) && record.state === 'active') {
        log.info({ extension: record.id }, `kernel.json changed: restarting ${record.id} with its new configuration.`);
        await manager.reload(record.id);
      }
      const wanted = state.getExtension(record.id)?.enabled;
      if (wanted === undefined || wanted === record.enabled) continue;
      log.info({ extension: record.id, enabled: wanted }, `kernel.json changed: ${wanted ? 'enabling' : 'disabling'} ${record.id}.`);
      await (wanted ? manager.enable(record.id) : manager.disable(record.id));
    }
  };
  // The directory is watched, not the file: kernel.json is replaced by rename on every write.
  const watcher = watch(dataDir, (_event, name) => {
    if (name !== 'kernel.json') return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      queue = queue.then(apply).catch((e) => log.error({ err: e }, 'Applying a kernel.json change failed.'));
    }, debounceMs);
  });
  watcher.on('error', (e) => log.warn({ err: e }, 'Stopped watching kernel.json.'));
  return {
    close() {
      clearTimeout(timer);
      stopTracking();
      watcher.close();
    },
  };
}
