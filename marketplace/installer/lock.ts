import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MarketError } from '../errors.js';

/** Identifies this process even when a restarted process gets the same pid (common in containers). */
const owner = { pid: process.pid, started: Math.round(performance.timeOrigin) };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a lock file is held by a live process, already gone, or stale (its process is gone, or it is a former process that had our pid). */
async function lockState(file: string): Promise<'held' | 'gone' | 'stale'> {
  let held: { pid?: unknown; started?: unknown };
  try {
    held = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    // Unreadable: its writer is between create and write, or died there.
    const info = await stat(file).catch(() => undefined);
    if (!info) return 'gone';
    return Date.now() - info.mtimeMs > 5_000 ? 'stale' : 'held';
  }
  if (typeof held.pid !== 'number') return 'stale';
  if (held.pid === owner.pid) return held.started === owner.started ? 'held' : 'stale';
  return isAlive(held.pid) ? 'held' : 'stale';
}

/**
 * Lock files `<dir>/<name>.lock` shared by every process using the same data folder (the CLI and a running
 * kernel), so one extension is never changed by two operations at once.
 */
export class LockFiles {
  constructor(private readonly dir: string) {}

  /** Takes the lock or fails at once; `describe` names what is locked in the busy message. */
  async tryAcquire(name: string, describe: string): Promise<() => Promise<void>> {
    const release = await this.attempt(name);
    if (release) return release;
    throw new MarketError('busy', `Another operation on ${describe} is in progress; try again when it has finished.`, { name });
  }

  /** Waits up to `waitMs` for the lock. */
  async acquire(name: string, waitMs: number): Promise<() => Promise<void>> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const release = await this.attempt(name);
      if (release) return release;
      if (Date.now() > deadline) throw new MarketError('busy', `Timed out waiting for the lock ${join(this.dir, `${name}.lock`)}.`, { name });
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async attempt(name: string): Promise<(() => Promise<void>) | undefined> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${name}.lock`);
    for (let tries = 0; tries < 3; tries++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(JSON.stringify(owner));
        await handle.close();
        return () => rm(file, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const state = await lockState(file);
        if (state === 'held') return undefined;
        if (state === 'stale') await rm(file, { force: true });
      }
    }
    return undefined;
  }
}
