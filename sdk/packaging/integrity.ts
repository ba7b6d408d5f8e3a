import { sha256Hex } from './create.js';
import { PackageError } from './errors.js';
import { INTEGRITY_FILE, INTEGRITY_FORMAT, ROOT } from './paths.js';

const SHOWN = ROOT + INTEGRITY_FILE;

/** Checks that integrity.json lists every other file of the package, exactly, with its sha256. */
export function verifyIntegrity(files: Map<string, Buffer>): void {
  const mismatch = (message: string, file?: string) =>
    new PackageError('integrity_mismatch', message, file === undefined ? { file: SHOWN } : { file: ROOT + file });
  const raw = files.get(INTEGRITY_FILE);
  if (raw === undefined) throw mismatch(`The package has no ${SHOWN}, so its files cannot be verified.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw mismatch(`${SHOWN} is not valid JSON: ${(error as Error).message}.`);
  }
  const doc = parsed as { format?: unknown; algorithm?: unknown; files?: unknown };
  if (doc === null || typeof doc !== 'object' || doc.format !== INTEGRITY_FORMAT || doc.algorithm !== 'sha256') {
    throw mismatch(`${SHOWN} must have "format": "${INTEGRITY_FORMAT}" and "algorithm": "sha256".`);
  }
  const listed = doc.files;
  if (listed === null || typeof listed !== 'object' || Array.isArray(listed)) throw mismatch(`${SHOWN} must have a "files" object.`);
  const hashes = new Map(Object.entries(listed as Record<string, unknown>));
  for (const [path, bytes] of files) {
    if (path === INTEGRITY_FILE) continue;
    const expected = hashes.get(path);
    if (expected === undefined) throw mismatch(`${ROOT}${path} is not listed in ${SHOWN}; the package was changed after it was packed.`, path);
    if (expected !== sha256Hex(bytes)) {
      throw mismatch(`${ROOT}${path} does not match its sha256 in ${SHOWN}; the package was changed after it was packed.`, path);
    }
  }
  for (const path of hashes.keys()) {
    if (!files.has(path) || path === INTEGRITY_FILE) throw mismatch(`${SHOWN} lists ${path}, which is not in the package.`, path);
  }
}
