export type MarketErrorCode =
  | 'bad_signature'
  | 'untrusted_key'
  | 'invalid_index'
  | 'registry_unavailable'
  | 'not_found'
  | 'checksum_mismatch'
  | 'bad_package'
  | 'incompatible'
  | 'permissions_not_approved'
  | 'install_failed'
  | 'activation_failed'
  | 'not_installed'
  | 'no_previous_version'
  | 'busy'
  | 'version_exists'
  | 'unauthorized';

/** A marketplace failure with a stable code; `message` is a sentence for the user. */
export class MarketError extends Error {
  override readonly name = 'MarketError';

  constructor(
    readonly code: MarketErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
