/** What a reader refuses; a package outside these limits is not read at all. */
export const PACKAGE_LIMITS = {
  maxEntries: 512,
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxManifestBytes: 1024 * 1024,
  maxArchiveBytes: 64 * 1024 * 1024,
} as const satisfies Record<string, number>;

export type PackageErrorCode =
  | 'bad_archive'
  | 'unsafe_entry'
  | 'too_large'
  | 'missing_manifest'
  | 'invalid_manifest'
  | 'integrity_mismatch';

/** A package that cannot be read, written or trusted; `message` is a sentence naming the problem and the file. */
export class PackageError extends Error {
  override readonly name = 'PackageError';

  constructor(
    readonly code: PackageErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
