import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { MANIFEST_FILE_NAMES } from '../../kernel/manifest/index.js';
import { PACKAGE_LIMITS, PackageError } from './errors.js';
import { checkNoCollisions, checkRelativePath, INTEGRITY_FILE, INTEGRITY_FORMAT, ROOT } from './paths.js';

const gzipAsync = promisify(gzip);

/** Every entry's mtime, so that packing the same files twice gives the same bytes. */
export const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');
/** The "operating system" byte of the gzip header; zlib writes a platform-dependent value. */
const GZIP_OS_UNIX = 3;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes of `integrity.json` for these files (sorted, so the text is deterministic). */
export function integrityJson(files: Map<string, Uint8Array>): Buffer {
  const hashes: Record<string, string> = {};
  for (const path of [...files.keys()].sort()) hashes[path] = sha256Hex(files.get(path)!);
  return Buffer.from(`${JSON.stringify({ format: INTEGRITY_FORMAT, algorithm: 'sha256', files: hashes }, null, 2)}\n`);
}

/**
 * Builds a package from `files` (posix path relative to the package root → bytes): adds `integrity.json` (replacing
 * one that is passed in) and returns the deterministic .tgz bytes. The manifest is not validated here.
 */
export async function createPackage(files: Map<string, Uint8Array>): Promise<Buffer> {
  const contents = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) if (checkRelativePath(path) !== INTEGRITY_FILE) contents.set(path, bytes);
  checkNoCollisions(contents.keys());
  contents.set(INTEGRITY_FILE, integrityJson(contents));

  const dirs = new Set<string>();
  for (const path of contents.keys()) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) dirs.add(`${segments.slice(0, i).join('/')}/`);
  }
  const entries = [ROOT, ...[...dirs].map((d) => ROOT + d), ...[...contents.keys()].map((f) => ROOT + f)].sort(byCodeUnit);
  checkLimits(contents, entries.length);

  const tar = pack();
  const chunks: Buffer[] = [];
  const collected = new Promise<Buffer>((resolve, reject) => {
    tar.on('data', (chunk) => chunks.push(chunk as Buffer));
    tar.on('end', () => resolve(Buffer.concat(chunks)));
    tar.on('error', reject);
  });
  const common = { mtime: FIXED_MTIME, uid: 0, gid: 0, uname: '', gname: '' };
  for (const name of entries) {
    if (name.endsWith('/')) tar.entry({ ...common, name, type: 'directory', mode: 0o755 });
    else tar.entry({ ...common, name, type: 'file', mode: 0o644 }, Buffer.from(contents.get(name.slice(ROOT.length))!));
  }
  tar.finalize();
  const gz = await gzipAsync(await collected, { level: 9 });
  gz[9] = GZIP_OS_UNIX;
  return gz;
}

/** The same limits readPackage enforces, so that a package this writes can always be read. */
function checkLimits(contents: Map<string, Uint8Array>, entryCount: number): void {
  const { maxEntries, maxEntryBytes, maxTotalBytes } = PACKAGE_LIMITS;
  if (entryCount > maxEntries) {
    throw new PackageError('too_large', `The package would have ${entryCount} entries (files and folders); at most ${maxEntries} are allowed.`);
  }
  let total = 0;
  for (const [path, bytes] of contents) {
    if (bytes.byteLength > maxEntryBytes) {
      throw new PackageError('too_large', `${path} is ${bytes.byteLength} bytes; a file may have at most ${maxEntryBytes}.`, { entry: path });
    }
    if ((MANIFEST_FILE_NAMES as readonly string[]).includes(path) && bytes.byteLength > PACKAGE_LIMITS.maxManifestBytes) {
      throw new PackageError('too_large', `${path} is ${bytes.byteLength} bytes; a manifest may have at most ${PACKAGE_LIMITS.maxManifestBytes}.`, { entry: path });
    }
    total += bytes.byteLength;
  }
  if (total > maxTotalBytes) throw new PackageError('too_large', `The package's files add up to ${total} bytes; at most ${maxTotalBytes} are allowed.`);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
