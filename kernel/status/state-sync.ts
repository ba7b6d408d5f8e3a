import { watch } from 'node:fs';
import type { StateStore } from '../config/state-store.js';
import type { ExtensionManager } from '../loader/manager.js';

/**
 * Applies changes another process (the CLI) makes to `<data>/kernel.json`: the store is reloaded, every
 * extension whose stored `enabled` differs from the running kernel's is enabled or disabled, and an active
 * extension whose stored configuration changed is restarted with it.
 */
export function followStateFile(manager: ExtensionManager, state: StateStore, dataDir: string, debounceMs = 50): { close(): void } {
  const log = manager.options.logging.root.child({ ext: 'kernel' });
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  const configOf = (id: string) => JSON.stringify(state.getExtension(id)?.config ?? {});
  const configs = new Map(manager.list().map((r) => [r.id, configOf(r.id)]));
  const apply = async () => {
    await state.reload();
    for (const record of manager.list()) {
      const config = configOf(record.id);
      if (configs.get(record.id) !== config) {
        configs.set(record.id, config);
        if (record.state === 'active') {
          log.info({ extension: record.id }, `kernel.json changed: restarting ${record.id} with its new configuration.`);
          await manager.reload(record.id);
        }
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
      watcher.close();
    },
  };
}
