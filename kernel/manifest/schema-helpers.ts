import { Type, type TSchema, type SchemaOptions } from '@sinclair/typebox';
import { I18nString } from './i18n.js';

/** A string enum as `{ type: 'string', enum }` (TypeBox's unions of literals give noisier errors). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

export const ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

export const Id = Type.String({
  pattern: ID_PATTERN,
  'x-hint': "a lowercase id (letters a-z, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters)",
});

export const Strings = (options: SchemaOptions = {}) => Type.Array(Type.String(), options);

/** Objects in manifests reject unknown keys, so typos are reported instead of silently ignored. */
export function Strict<T extends Record<string, TSchema>>(properties: T, options: SchemaOptions = {}) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

export const DisplayName = I18nString;
export const Description = Type.Optional(I18nString);
