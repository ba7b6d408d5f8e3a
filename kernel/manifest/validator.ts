import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import { translateAjvErrors } from './ajv-errors.js';
import type { ManifestIssue } from './issues.js';

/**
 * Annotation keywords our schemas carry for better error sentences:
 * `x-hint` describes the expected value ("a lowercase id ..."), `x-key-noun` names the keys of an object
 * ("contribution point", "locale") in "Unknown ..." messages.
 */
export const ANNOTATION_KEYWORDS = ['x-hint', 'x-key-noun'] as const;

/** The kernel's one Ajv instance. It applies `default`s in place while validating. */
export const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true, allowUnionTypes: true });
for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ManifestIssue[] };

/** Validates `value` (applying schema defaults to it in place) and reports issues against `file`. Compiles on first use. */
export type Validator<T> = (value: unknown, file?: string) => ValidationResult<T>;

const compiled = new WeakMap<object, ValidateFunction>();

export function compile(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export function createValidator<S extends TSchema>(schema: S, defaultFile?: string): Validator<Static<S>>;
export function createValidator<T = unknown>(schema: object, defaultFile?: string): Validator<T>;
export function createValidator(schema: object, defaultFile = '<input>'): Validator<unknown> {
  let validate: ValidateFunction | undefined;
  return (value, file = defaultFile) => {
    validate ??= compile(schema);
    if (validate(value)) return { ok: true, value };
    const issues = translateAjvErrors(validate.errors ?? []).map((draft) => ({ file, ...draft }));
    return { ok: false, issues };
  };
}
