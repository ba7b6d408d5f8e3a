import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../../sdk/packaging/index.js';
import { writeFileAtomic } from './atomic-file.js';

export interface CachedIndex {
  bytes: Buffer;
  sig: Buffer;
  mirror: string;
  fetchedAt: number;
}

const readOrUndefined = (file: string) => readFile(file).catch(() => undefined);

/**
 * The client's offline copy: the last verified index (index.json, index.json.sig, and index.meta.json saying
 * where and when it came from) and downloaded packages named by their sha256. Everything is re-verified on read.
 */
export class ClientCache {
  constructor(readonly dir: string) {}

  async readIndex(): Promise<CachedIndex | undefined> {
    const [bytes, sig, meta] = await Promise.all(['index.json', 'index.json.sig', 'index.meta.json'].map((f) => readOrUndefined(join(this.dir, f))));
    if (!bytes || !sig) return undefined;
    let info: { mirror?: unknown; fetchedAt?: unknown } = {};
    try {
      info = meta ? JSON.parse(meta.toString('utf8')) : {};
    } catch {
      // The meta file only describes the copy; the copy itself is still usable.
    }
    return {
      bytes,
      sig,
      mirror: typeof info.mirror === 'string' ? info.mirror : 'cache',
      fetchedAt: typeof info.fetchedAt === 'number' ? info.fetchedAt : 0,
    };
  }

  async writeIndex(copy: CachedIndex): Promise<void> {
    await writeFileAtomic(join(this.dir, 'index.json.sig'), copy.sig);
    await writeFileAtomic(join(this.dir, 'index.json'), copy.bytes);
    await writeFileAtomic(join(this.dir, 'index.meta.json'), JSON.stringify({ mirror: copy.mirror, fetchedAt: copy.fetchedAt }));
  }

  /** The cached package with this sha256, or undefined (a corrupted copy is deleted). */
  async readPackage(sha256: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
    const file = this.packageFile(sha256);
    const bytes = await readOrUndefined(file);
    if (bytes && sha256Hex(bytes) === sha256) return bytes;
    if (bytes) await rm(file, { force: true });
    return undefined;
  }

  async writePackage(sha256: string, bytes: Uint8Array): Promise<void> {
    if (/^[0-9a-f]{64}$/.test(sha256)) await writeFileAtomic(this.packageFile(sha256), bytes);
  }

  private packageFile(sha256: string): string {
    return join(this.dir, 'packages', `${sha256}.tgz`);
  }
}
