import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Permissions } from '../manifest/schema.js';
import { getPath, isPlainObject, setPath } from './object-path.js';

export interface ExtensionState {
  enabled?: boolean;
  config?: Record<string, unknown>;
  /** The permissions the user approved; a version asking for more waits for approval. */
  approvedPermissions?: Permissions;
  /** Which `<data>/extensions/<id>@<version>/` folder is the active one (installs from a registry). */
  version?: string;
}

export interface KernelState {
  version: 1;
  settings: Record<string, unknown>;
  extensions: Record<string, ExtensionState>;
}

export type StateChange = { kind: 'extension'; id: string } | { kind: 'setting'; path: string } | { kind: 'reload' };
export type StateListener = (state: Readonly<KernelState>, change: StateChange) => void;

const defaultState = (): KernelState => ({ version: 1, settings: {}, extensions: {} });

/** Reads kernel.json: null when missing; throws an error without `code` when it is corrupt. */
async function readState(file: JSONFile<unknown>): Promise<KernelState | null> {
  const data = await file.read();
  if (data === null) return null;
  const { version = 1, settings = {}, extensions = {} } = isPlainObject(data) ? data : { version: NaN };
  const entriesOk = isPlainObject(extensions) && Object.values(extensions).every(isPlainObject);
  if (version !== 1 || !isPlainObject(settings) || !entriesOk) throw new Error('unexpected structure or version');
  return { version, settings, extensions: extensions as KernelState['extensions'] };
}

const isCorrupt = (err: unknown) => err instanceof Error && !('code' in err);

/**
 * Kernel state in `<dataDir>/kernel.json`. Mutations and reloads run one at a time through a queue and
 * replace objects rather than mutate them, so a `state` snapshot handed out earlier never changes.
 */
export class StateStore {
  /** Where open() moved an unreadable kernel.json before starting from defaults. */
  recoveredFrom?: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<StateListener>();

  private constructor(
    readonly file: string,
    private readonly db: Low<KernelState>,
    private readonly warn: (message: string) => void,
  ) {}

  static async open(dataDir: string, options: { warn?: (message: string) => void } = {}): Promise<StateStore> {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, 'kernel.json');
    const db = new Low<KernelState>(new JSONFile(file), defaultState());
    const store = new StateStore(file, db, options.warn ?? console.warn);
    try {
      db.data = (await readState(db.adapter as JSONFile<unknown>)) ?? defaultState();
    } catch (err) {
      if (!isCorrupt(err)) throw err;
      store.recoveredFrom = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, store.recoveredFrom);
      store.warn(`${file} is corrupt (${(err as Error).message}); moved to ${store.recoveredFrom}, using defaults`);
    }
    return store;
  }

  get state(): Readonly<KernelState> {
    return this.db.data;
  }

  getExtension(id: string): Readonly<ExtensionState> | undefined {
    return Object.hasOwn(this.state.extensions, id) ? this.state.extensions[id] : undefined;
  }

  /** Shallow-merges `patch` into the extension's entry (a given `config` replaces the old one; `undefined` deletes a key). */
  setExtension(id: string, patch: Partial<ExtensionState>): Promise<void> {
    return this.mutate({ kind: 'extension', id }, (s) => {
      // Read inside the queue: an earlier queued change to this entry must not be lost.
      const entry = Object.fromEntries(Object.entries({ ...this.getExtension(id), ...patch }).filter(([, v]) => v !== undefined));
      return { ...s, extensions: { ...s.extensions, [id]: entry } };
    });
  }

  /** Replaces the extension's entry as a whole (`undefined` removes it), e.g. to restore an earlier snapshot. */
  putExtension(id: string, entry: ExtensionState | undefined): Promise<void> {
    if (entry === undefined) return this.removeExtension(id);
    return this.mutate({ kind: 'extension', id }, (s) => ({ ...s, extensions: { ...s.extensions, [id]: { ...entry } } }));
  }

  removeExtension(id: string): Promise<void> {
    return this.mutate({ kind: 'extension', id }, (s) => {
      const { [id]: _removed, ...extensions } = s.extensions;
      return Object.hasOwn(s.extensions, id) ? { ...s, extensions } : s;
    });
  }

  getSetting(dottedPath: string): unknown {
    return getPath(this.state.settings, dottedPath.split('.'));
  }

  /** `undefined` deletes the setting. */
  setSetting(dottedPath: string, value: unknown): Promise<void> {
    return this.mutate({ kind: 'setting', path: dottedPath }, (s) => ({
      ...s,
      settings: setPath(s.settings, dottedPath.split('.'), value),
    }));
  }

  /** Re-reads kernel.json after another process (e.g. the CLI) changed it; a corrupt file is ignored. */
  reload(): Promise<void> {
    return this.enqueue(async () => {
      let next: KernelState;
      try {
        next = (await readState(this.db.adapter as JSONFile<unknown>)) ?? defaultState();
      } catch (err) {
        if (!isCorrupt(err)) throw err;
        return this.warn(`Ignoring corrupt ${this.file} on reload (${(err as Error).message})`);
      }
      // Skip no-op reloads, e.g. a file watcher reacting to our own write.
      if (JSON.stringify(next) === JSON.stringify(this.state)) return;
      this.db.data = next;
      this.emit({ kind: 'reload' });
    });
  }

  onChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private mutate(change: StateChange, update: (state: KernelState) => KernelState): Promise<void> {
    return this.enqueue(async () => {
      const next = update(this.state);
      if (next === this.state) return;
      await this.db.adapter.write(next); // memory only changes once the write succeeded
      this.db.data = next;
      this.emit(change);
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private emit(change: StateChange): void {
    for (const listener of this.listeners) {
      try {
        listener(this.state, change);
      } catch (err) {
        this.warn(`State change listener failed: ${String(err)}`);
      }
    }
  }
}
