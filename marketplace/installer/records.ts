import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../client/atomic-file.js';
import { MarketError } from '../errors.js';
import type { LockFiles } from './lock.js';
import type { InstallRecord } from './types.js';

const FORMAT = 'langbot-installed/1';

interface InstalledFile {
  format: typeof FORMAT;
  extensions: Record<string, InstallRecord>;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function isRecord(v: unknown): v is InstallRecord {
  const r = v as Partial<InstallRecord> | null;
  return (
    !!r && typeof r === 'object' && typeof r.id === 'string' && typeof r.version === 'string' && isStrings(r.previous) &&
    !!r.approvedPermissions && typeof r.approvedPermissions === 'object' && typeof r.installedAt === 'string' && typeof r.mirror === 'string'
  );
}

/** `<data>/market/installed.json`: what the marketplace installed, replaced atomically (temp file + rename) on every change. */
export class InstallRecords {
  readonly file: string;

  constructor(marketDir: string, private readonly locks: LockFiles) {
    this.file = join(marketDir, 'installed.json');
  }

  async all(): Promise<InstallRecord[]> {
    return Object.values((await this.read()).extensions).sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<InstallRecord | undefined> {
    const { extensions } = await this.read();
    return Object.hasOwn(extensions, id) ? extensions[id] : undefined;
  }

  /** Sets (or with undefined removes) one record; the file lock keeps operations on other ids from losing this write. */
  async put(id: string, record: InstallRecord | undefined): Promise<void> {
    const release = await this.locks.acquire('installed', 10_000);
    try {
      const data = await this.read();
      const { [id]: _old, ...rest } = data.extensions;
      const extensions = record ? { ...rest, [id]: record } : rest;
      await writeFileAtomic(this.file, `${JSON.stringify({ format: FORMAT, extensions } satisfies InstalledFile, null, 2)}\n`);
    } finally {
      await release();
    }
  }

  private async read(): Promise<InstalledFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, extensions: {} };
      throw e;
    }
    let data: Partial<InstalledFile>;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new MarketError('install_failed', `${this.file} is not valid JSON (${(e as Error).message}); fix or delete it.`);
    }
    const extensions = data?.extensions;
    if (data?.format !== FORMAT || !extensions || typeof extensions !== 'object') {
      throw new MarketError('install_failed', `${this.file} is not a ${FORMAT} file; fix or delete it.`);
    }
    const bad = Object.entries(extensions).find(([id, r]) => !isRecord(r) || r.id !== id);
    if (bad) throw new MarketError('install_failed', `${this.file} has an invalid record for ${bad[0]}; fix or delete it.`);
    return { format: FORMAT, extensions };
  }
}
