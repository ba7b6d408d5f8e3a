import { Type, type Static } from '@sinclair/typebox';
import { createValidator, formatIssue, ISOLATIONS, LOCALE_PATTERN, Permissions as ManifestPermissions } from '../kernel/manifest/index.js';
import type { Permissions } from '../kernel/manifest/index.js';
import { MarketError } from './errors.js';

export const INDEX_FORMAT = 'langbot-registry/1';
/** README text kept per version in the index; longer ones are cut. */
export const MAX_README_BYTES = 64 * 1024;

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', 'x-hint': 'a lowercase hex sha256' });
const Timestamp = Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\dT', 'x-hint': 'an ISO 8601 timestamp' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** Translations keyed by locale; en_US is always present. */
export const I18n = Type.Object(
  { en_US: Type.String(), zh_Hans: Type.Optional(Type.String()) },
  { patternProperties: { [LOCALE_PATTERN]: { type: 'string' } }, additionalProperties: false, 'x-key-noun': 'locale' },
);

export const IndexVersion = Type.Object({
  version: Type.String({ minLength: 1 }),
  engines: Type.Object({ langbot: Type.String({ minLength: 1 }) }),
  isolation: Type.Unsafe<(typeof ISOLATIONS)[number]>({ type: 'string', enum: [...ISOLATIONS] }),
  /** Exactly the manifest's permissions; unknown kinds are refused so nothing goes unshown at approval time. */
  permissions: Type.Unsafe<Permissions>(ManifestPermissions),
  /** Contribution keys (ids, names, types) per contribution point. */
  contributes: Type.Record(Type.String(), Type.Array(Type.String())),
  package: Type.Object({
    path: Type.String({ pattern: '^packages/[A-Za-z0-9][A-Za-z0-9._+-]*\\.tgz$', 'x-hint': "'packages/<file>.tgz'" }),
    sha256: Sha256,
    size: Type.Integer({ minimum: 1 }),
  }),
  readme: NullableString,
  publishedAt: Timestamp,
});

export const IndexEntry = Type.Object({
  id: Type.String({ minLength: 1 }),
  displayName: I18n,
  description: I18n,
  author: NullableString,
  license: NullableString,
  repository: NullableString,
  /** An https URL or a data: URL of the icon in the package, or null. */
  icon: NullableString,
  categories: Type.Array(Type.String()),
  keywords: Type.Array(Type.String()),
  /** Contribution points of the latest version that have entries. */
  kinds: Type.Array(Type.String()),
  latest: Type.String({ minLength: 1 }),
  /** Newest first. */
  versions: Type.Array(IndexVersion, { minItems: 1 }),
});

export const RegistryIndex = Type.Object({
  format: Type.Literal(INDEX_FORMAT),
  name: Type.String(),
  generatedAt: Timestamp,
  extensions: Type.Array(IndexEntry),
});

export type I18n = Static<typeof I18n>;
export type IndexVersion = Static<typeof IndexVersion>;
export type IndexEntry = Static<typeof IndexEntry>;
export type RegistryIndex = Static<typeof RegistryIndex>;

const checkIndex = createValidator(RegistryIndex, 'index.json');

/** Parses and validates index.json; MarketError `invalid_index` naming the problem otherwise. */
export function parseIndex(bytes: Uint8Array | string): RegistryIndex {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new MarketError('invalid_index', `index.json is not valid JSON: ${(error as Error).message}.`);
  }
  const format = value !== null && typeof value === 'object' ? (value as { format?: unknown }).format : undefined;
  if (format !== INDEX_FORMAT) {
    throw new MarketError('invalid_index', `index.json has format ${JSON.stringify(format ?? null)}; this version reads "${INDEX_FORMAT}".`, { format });
  }
  const result = checkIndex(value);
  if (!result.ok) {
    throw new MarketError('invalid_index', `index.json is invalid: ${result.issues.slice(0, 5).map(formatIssue).join('; ')}`, { issues: result.issues });
  }
  const ids = new Set<string>();
  for (const entry of result.value.extensions) {
    if (ids.has(entry.id)) throw new MarketError('invalid_index', `index.json lists ${entry.id} more than once.`);
    ids.add(entry.id);
  }
  return result.value;
}
