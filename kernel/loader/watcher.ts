import { basename, dirname, relative, join, sep } from 'node:path';
import { existsSync } from 'node:fs';
import { watch } from 'chokidar';
import { isStagingFolder, versionedFolder } from './discovery.js';
import type { ExtensionManager } from './manager.js';

/**
 * Watches the drop-in folder: a new or changed extension folder is (re)loaded on its own, after edits settle;
 * a deleted one is removed. Other extensions are not touched. Versioned folders (`<id>@<version>`) and staging
 * folders are not watched: the marketplace switches them explicitly.
 */
export function watchDropins(manager: ExtensionManager, root: string, debounceMs = 150): { ready: Promise<void>; close(): Promise<void> } {
  const timers = new Map<string, NodeJS.Timeout>();
  const queue = new Map<string, Promise<unknown>>();
  const folderOf = (path: string) => {
    const rel = relative(root, path);
    if (!rel || rel.startsWith('..')) return undefined;
    return join(root, rel.split(sep)[0]);
  };
  const settle = (dir: string) => {
    const run = async () => {
      const previous = [...manager.records.values()].find((r) => r.dir === dir);
      if (!existsSync(dir)) {
        if (previous) await manager.remove(previous.id);
        return;
      }
      await manager.replace(previous, { dir, source: 'dropin' });
    };
    // One reload at a time per folder, in order.
    const next = (queue.get(dir) ?? Promise.resolve()).then(run).catch((e) => manager.options.logging.root.error({ err: e, dir }, 'Reloading a drop-in failed.'));
    queue.set(dir, next);
  };
  const watcher = watch(root, {
    ignoreInitial: true,
    depth: 6,
    ignored: (path) => {
      const name = basename(path);
      if (name === 'node_modules' || name.startsWith('.')) return true;
      return dirname(path) === root && (isStagingFolder(name) || versionedFolder(name) !== undefined);
    },
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 20 },
  });
  watcher.on('all', (_event, path) => {
    const dir = folderOf(path) ?? (dirname(path) === root ? path : undefined);
    if (!dir) return;
    clearTimeout(timers.get(dir));
    timers.set(dir, setTimeout(() => settle(dir), debounceMs));
  });
  return {
    ready: new Promise((resolve) => watcher.once('ready', () => resolve())),
    close: async () => {
      for (const t of timers.values()) clearTimeout(t);
      await watcher.close();
      await Promise.all(queue.values());
    },
  };
}
