import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StateStore } from '../config/state-store.js';
import { findEntry, takeInventory } from './inventory.js';
import { CliError } from './output.js';

const trashDir = (dataDir: string) => join(dataDir, '.trash');
export const trashPath = (dataDir: string, name: string) => join(trashDir(dataDir), `${name}-${Date.now()}-${process.pid}`);

/** Records the choice in kernel.json; a running kernel follows the file, otherwise it applies at the next start. */
export async function setEnabled(query: string, enabled: boolean, opts: { data: string }): Promise<void> {
  const inventory = await takeInventory(opts.data);
  const entry = findEntry(inventory, query);
  const store = await StateStore.open(inventory.dataDir);
  await store.setExtension(entry.id, { enabled });
  const verb = enabled ? 'enabled' : 'disabled';
  const was = entry.enabled === enabled ? ` It was already ${verb}.` : '';
  const when = inventory.status
    ? `The running kernel (pid ${inventory.status.pid}) applies it now.`
    : 'No kernel is running; it applies on the next start.';
  console.log(`${entry.id} is now ${verb} in ${store.file}.${was} ${when}`);
  if (enabled && !entry.manifest) console.log(`Note: its manifest is invalid, so it cannot start. See \`langbot ext info ${entry.id}\`.`);
}

/** Deletes a drop-in folder, its kernel.json entry and (unless kept) its data folder. */
export async function removeExtension(query: string, opts: { data: string; keepData?: boolean }): Promise<void> {
  const inventory = await takeInventory(opts.data);
  const entry = findEntry(inventory, query);
  if (entry.source === 'builtin') {
    throw new CliError(`${entry.id} is a built-in extension and cannot be removed. Use \`langbot ext disable ${entry.id}\` to turn it off.`);
  }
  // Moved out first so a running kernel's watcher sees the folder vanish at once, not file by file.
  const trashed = trashPath(inventory.dataDir, basename(entry.dir));
  await mkdir(trashDir(inventory.dataDir), { recursive: true });
  await rename(entry.dir, trashed);
  await rm(trashed, { recursive: true, force: true });
  const store = await StateStore.open(inventory.dataDir);
  await store.removeExtension(entry.id);
  const dataFolder = join(inventory.dataDir, 'extension-data', entry.id);
  const removeData = !opts.keepData && existsSync(dataFolder);
  if (removeData) await rm(dataFolder, { recursive: true, force: true });
  console.log(`Removed ${entry.id} (${entry.dir}).${removeData ? ` Deleted its data in ${dataFolder}.` : ''}`);
  if (inventory.status) console.log(`The running kernel (pid ${inventory.status.pid}) unloads it now.`);
}
