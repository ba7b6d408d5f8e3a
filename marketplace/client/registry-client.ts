import { join } from 'node:path';
import { PACKAGE_LIMITS, sha256Hex } from '../../sdk/packaging/index.js';
import { MarketError } from '../errors.js';
import { parseIndex, type IndexEntry, type IndexVersion, type RegistryIndex } from '../index-format.js';
import { verifyIndexSignature } from '../signing.js';
import { ClientCache } from './cache.js';
import { describeReadError, openMirror, TooLargeError, type Mirror } from './mirror.js';
import { searchEntries, type SearchQuery } from './search.js';

export interface ClientOptions {
  /** http(s) URL of a registry root, a folder path or a file:// URL; tried in order. */
  mirrors: string[];
  trustedKeys: string[];
  cacheDir: string;
  /** Per request; default 10000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface MirrorFailure {
  mirror: string;
  error: string;
}

export interface IndexResult {
  index: RegistryIndex;
  mirror: string;
  stale: boolean;
  fetchedAt: number;
  failures: MirrorFailure[];
}

const MAX_INDEX_BYTES = 32 * 1024 * 1024;
const MAX_SIG_BYTES = 64 * 1024;
/** How long index() reuses its last fresh answer unless asked to refresh. */
const MEMO_MS = 30_000;
const SIGNATURE_CODES = new Set(['bad_signature', 'untrusted_key']);

/** Reads signed registry indexes and packages from mirrors with failover and an offline cache. */
export class RegistryClient {
  private readonly mirrors: Mirror[];
  private readonly cache: ClientCache;
  private readonly timeoutMs: number;
  private memo?: IndexResult;

  constructor(readonly options: ClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    this.mirrors = options.mirrors.map((spec) => openMirror(spec, { timeoutMs: this.timeoutMs, fetch: fetchImpl }));
    this.cache = new ClientCache(options.cacheDir);
  }

  /**
   * First mirror whose index verifies wins and is cached; if every mirror fails, the cached copy (re-verified)
   * with stale=true; otherwise a signature error naming the mirror, or registry_unavailable listing every failure.
   */
  async index(options: { refresh?: boolean } = {}): Promise<IndexResult> {
    const memo = this.memo;
    if (!options.refresh && memo && !memo.stale && Date.now() - memo.fetchedAt < MEMO_MS) return memo;
    const failures: MirrorFailure[] = [];
    let signatureError: MarketError | undefined;
    if (this.mirrors.length === 0) failures.push({ mirror: '(none)', error: 'no registry mirror is configured' });
    for (const mirror of this.mirrors) {
      try {
        const bytes = await mirror.read('index.json', { maxBytes: MAX_INDEX_BYTES });
        const sig = await mirror.read('index.json.sig', { maxBytes: MAX_SIG_BYTES });
        const index = this.verify(bytes, sig);
        const fetchedAt = Date.now();
        // The cache is a convenience: failing to write it must not fail a good answer.
        await this.cache.writeIndex({ bytes, sig, mirror: mirror.label, fetchedAt }).catch(() => {});
        return (this.memo = { index, mirror: mirror.label, stale: false, fetchedAt, failures });
      } catch (e) {
        failures.push({ mirror: mirror.label, error: describeReadError(e, this.timeoutMs) });
        if (e instanceof MarketError && SIGNATURE_CODES.has(e.code)) {
          signatureError ??= new MarketError(e.code, `The index from ${mirror.label} was refused: ${e.message}`, { mirror: mirror.label, failures });
        }
      }
    }
    const cached = await this.cachedIndex();
    if (cached) return (this.memo = { ...cached, stale: true, failures });
    if (signatureError) throw signatureError;
    const list = failures.map((f) => `${f.mirror}: ${f.error}`).join('; ');
    throw new MarketError('registry_unavailable', `No registry mirror could be read and there is no cached index (${list}).`, { failures });
  }

  async search(q: SearchQuery): Promise<IndexEntry[]> {
    return searchEntries((await this.index()).index.extensions, q);
  }

  /** The index entry of `id`; a miss refreshes the index once, since the remembered copy may predate a publish. */
  async entry(id: string): Promise<IndexEntry> {
    const find = (r: IndexResult) => r.index.extensions.find((e) => e.id === id);
    const first = await this.index();
    const found = find(first) ?? (first.stale ? undefined : find(await this.index({ refresh: true })));
    if (!found) throw new MarketError('not_found', `The registry has no extension with id ${id}.`, { id });
    return found;
  }

  /**
   * Bytes of a package version: the cached copy with its sha256, else the mirrors in order (the one that served
   * the index first). Size and sha256 must match the index; a mismatch is checksum_mismatch after every mirror.
   */
  async download(version: IndexVersion, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
    const { path, sha256, size } = version.package;
    const cached = await this.cache.readPackage(sha256);
    if (cached) {
      onProgress?.(cached.length, cached.length);
      return cached;
    }
    if (size > PACKAGE_LIMITS.maxArchiveBytes) {
      throw new MarketError('bad_package', `${path} is ${size} bytes; packages may be at most ${PACKAGE_LIMITS.maxArchiveBytes} bytes.`);
    }
    const failures: MirrorFailure[] = [];
    const mismatched: string[] = [];
    for (const mirror of this.downloadOrder()) {
      try {
        const bytes = await mirror.read(path, { maxBytes: size, onProgress });
        if (bytes.length === size && sha256Hex(bytes) === sha256) {
          await this.cache.writePackage(sha256, bytes).catch(() => {});
          return bytes;
        }
        mismatched.push(mirror.label);
        failures.push({ mirror: mirror.label, error: `${path} does not match the sha256 and size in the signed index` });
      } catch (e) {
        // More bytes than the index announces is a mismatch as well.
        if (e instanceof TooLargeError) mismatched.push(mirror.label);
        failures.push({ mirror: mirror.label, error: describeReadError(e, this.timeoutMs) });
      }
    }
    const list = failures.map((f) => `${f.mirror}: ${f.error}`).join('; ');
    if (mismatched.length > 0) {
      throw new MarketError(
        'checksum_mismatch',
        `Refusing ${path}: the bytes served by ${mismatched.join(', ')} do not match the sha256 ${sha256} (${size} bytes) in the signed index, and no mirror served a matching copy (${list}).`,
        { path, sha256, size, failures },
      );
    }
    throw new MarketError('registry_unavailable', `Could not download ${path} from any mirror (${list}).`, { path, failures });
  }

  private verify(bytes: Buffer, sigBytes: Buffer): RegistryIndex {
    let sig: unknown;
    try {
      sig = JSON.parse(sigBytes.toString('utf8'));
    } catch {
      throw new MarketError('bad_signature', 'index.json.sig is not valid JSON.');
    }
    verifyIndexSignature(bytes, sig, this.options.trustedKeys);
    return parseIndex(bytes);
  }

  private async cachedIndex(): Promise<Omit<IndexResult, 'stale' | 'failures'> | undefined> {
    const copy = await this.cache.readIndex();
    if (!copy) return undefined;
    try {
      return { index: this.verify(copy.bytes, copy.sig), mirror: copy.mirror, fetchedAt: copy.fetchedAt };
    } catch {
      return undefined;
    }
  }

  private downloadOrder(): Mirror[] {
    const preferred = this.mirrors.find((m) => m.label === this.memo?.mirror);
    return preferred ? [preferred, ...this.mirrors.filter((m) => m !== preferred)] : this.mirrors;
  }
}

export const defaultCacheDir = (dataDir: string) => join(dataDir, 'market', 'cache');
