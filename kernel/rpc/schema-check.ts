import { Ajv } from 'ajv';
import type { TSchema } from '@sinclair/typebox';

export interface SchemaCheck {
  (value: unknown): boolean;
  /** Plain-sentence description of why the last checked value was rejected. */
  explain(): string;
}

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });

export function compileSchema(schema: TSchema): SchemaCheck {
  const validate = ajv.compile(schema);
  const check = ((value: unknown) => validate(value) as boolean) as SchemaCheck;
  check.explain = () => {
    const e = validate.errors?.[0];
    if (!e) return 'invalid value';
    const where = e.instancePath || '(root)';
    return `${where} ${e.message ?? 'is invalid'}`;
  };
  return check;
}
