import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { formatIssue, MANIFEST_FILE_NAMES, parseManifest, type ExtensionManifest } from '../../kernel/manifest/index.js';
import { sha256Hex } from './create.js';
import { PACKAGE_LIMITS, PackageError } from './errors.js';
import { checkNoCollisions, checkRelativePath, ROOT } from './paths.js';
import { verifyIntegrity } from './integrity.js';

const gunzipAsync = promisify(gunzip);

/** Room for tar headers and padding on top of the file bytes when inflating. */
const TAR_OVERHEAD_BYTES = PACKAGE_LIMITS.maxEntries * 4096 + 1024 * 1024;

export interface ExtensionPackage {
  /** The validated manifest, defaults filled in. */
  manifest: ExtensionManifest;
  /** The manifest's path in the package, e.g. `manifest.yaml`. */
  manifestFile: string;
  /** Every regular file (manifest and integrity.json included) by its path relative to the package root. */
  files: Map<string, Buffer>;
  readme?: string;
  /** Of the archive bytes. */
  sha256: string;
  size: number;
}

/** Parses a package, enforces PACKAGE_LIMITS, verifies integrity.json and validates the manifest. */
export async function readPackage(bytes: Uint8Array): Promise<ExtensionPackage> {
  if (bytes.byteLength > PACKAGE_LIMITS.maxArchiveBytes) {
    throw new PackageError('too_large', `The package is ${bytes.byteLength} bytes; at most ${PACKAGE_LIMITS.maxArchiveBytes} are allowed.`);
  }
  const tar = await inflate(bytes);
  const { files, dirs } = await untar(tar);
  checkNoCollisions(files.keys(), dirs);

  const manifests = MANIFEST_FILE_NAMES.filter((name) => files.has(name));
  if (manifests.length === 0) {
    throw new PackageError('missing_manifest', `The package has no manifest (expected ${MANIFEST_FILE_NAMES.map((n) => ROOT + n).join(', ')}).`);
  }
  if (manifests.length > 1) {
    throw new PackageError('invalid_manifest', `The package has more than one manifest (${manifests.map((n) => ROOT + n).join(', ')}); keep exactly one.`);
  }
  const manifestFile = manifests[0];
  const manifestBytes = files.get(manifestFile)!;
  if (manifestBytes.byteLength > PACKAGE_LIMITS.maxManifestBytes) {
    throw new PackageError('too_large', `${ROOT}${manifestFile} is ${manifestBytes.byteLength} bytes; a manifest may have at most ${PACKAGE_LIMITS.maxManifestBytes}.`);
  }
  verifyIntegrity(files);
  const manifest = validate(manifestBytes, manifestFile, files);
  const readmeFile = [...files.keys()].find((path) => path.toLowerCase() === 'readme.md');
  return {
    manifest,
    manifestFile,
    files,
    readme: readmeFile === undefined ? undefined : files.get(readmeFile)!.toString('utf8'),
    sha256: sha256Hex(bytes),
    size: bytes.byteLength,
  };
}

async function inflate(bytes: Uint8Array): Promise<Buffer> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: PACKAGE_LIMITS.maxTotalBytes + TAR_OVERHEAD_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PackageError('too_large', `The package inflates to more than ${PACKAGE_LIMITS.maxTotalBytes} bytes.`);
    }
    throw new PackageError('bad_archive', `The package is not a gzip-compressed tar archive: ${(error as Error).message}.`);
  }
}

/** Reads every entry, refusing anything but regular files and folders under `package/`. */
async function untar(tar: Buffer): Promise<{ files: Map<string, Buffer>; dirs: string[] }> {
  const files = new Map<string, Buffer>();
  const dirs: string[] = [];
  const reader = extract();
  reader.end(tar);
  let entries = 0;
  let total = 0;
  try {
    for await (const entry of reader) {
      const { name, type, size = 0 } = entry.header;
      if (++entries > PACKAGE_LIMITS.maxEntries) {
        throw new PackageError('too_large', `The package has more than ${PACKAGE_LIMITS.maxEntries} entries.`);
      }
      if (type !== 'file' && type !== 'directory') {
        throw new PackageError('unsafe_entry', `Unsafe entry ${JSON.stringify(name)}: it is a ${type}; only regular files and folders are allowed.`, { entry: name });
      }
      if (type === 'directory' && (name === ROOT || name === 'package')) {
        entry.resume();
        continue;
      }
      if (!name.startsWith(ROOT)) {
        throw new PackageError('unsafe_entry', `Unsafe entry ${JSON.stringify(name)}: every entry must be under ${ROOT}.`, { entry: name });
      }
      const path = checkRelativePath(type === 'directory' ? name.slice(ROOT.length).replace(/\/$/, '') : name.slice(ROOT.length), name);
      if (type === 'directory') {
        dirs.push(path);
        entry.resume();
        continue;
      }
      if (size > PACKAGE_LIMITS.maxEntryBytes) {
        throw new PackageError('too_large', `${name} is ${size} bytes; a file may have at most ${PACKAGE_LIMITS.maxEntryBytes}.`, { entry: name });
      }
      total += size;
      if (total > PACKAGE_LIMITS.maxTotalBytes) {
        throw new PackageError('too_large', `The package's files add up to more than ${PACKAGE_LIMITS.maxTotalBytes} bytes.`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (files.has(path)) throw new PackageError('unsafe_entry', `Duplicate entry ${JSON.stringify(name)}.`, { entry: name });
      files.set(path, Buffer.concat(chunks));
    }
  } catch (error) {
    if (error instanceof PackageError) throw error;
    throw new PackageError('bad_archive', `The package is not a valid tar archive: ${(error as Error).message}.`);
  }
  if (files.size === 0) throw new PackageError('bad_archive', `The package contains no files under ${ROOT}.`);
  return { files, dirs };
}

function validate(bytes: Buffer, manifestFile: string, files: Map<string, Buffer>): ExtensionManifest {
  const shown = ROOT + manifestFile;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PackageError('invalid_manifest', `${shown} is not valid UTF-8 text.`, { file: shown });
  }
  const result = parseManifest(text, shown);
  if (!result.ok) {
    const lines = result.issues.map(formatIssue);
    throw new PackageError('invalid_manifest', `The manifest is invalid: ${lines.join('; ')}`, { file: shown, issues: result.issues });
  }
  const { entry } = result.manifest;
  if (entry !== undefined) {
    if (!files.has(entry.replace(/^\.\//, ''))) {
      throw new PackageError('invalid_manifest', `${shown}: /entry: ${JSON.stringify(entry)} is not a file in the package.`, { file: shown, path: '/entry' });
    }
  }
  return result.manifest;
}
