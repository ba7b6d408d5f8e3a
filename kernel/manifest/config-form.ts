import { Type, type TSchema } from '@sinclair/typebox';
import { I18nString, localize } from './i18n.js';
import { StringEnum, Strict } from './schema-helpers.js';
import { checkForm } from './form-checks.js';
import { createValidator, type ValidationResult, type Validator } from './validator.js';
import type { ManifestIssue } from './issues.js';

export const FORM_FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'] as const;
export const FORM_WIDGETS = [
  'text', 'secret', 'textarea', 'select', 'radio', 'switch', 'number', 'slider',
  'json', 'code', 'duration', 'list', 'model-select', 'bot-select',
] as const;

export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];
export type FormWidget = (typeof FORM_WIDGETS)[number];

export interface FormField {
  type: FormFieldType;
  title: I18nString;
  description?: I18nString;
  default?: unknown;
  enum?: Array<string | number>;
  enumLabels?: I18nString[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** The item field of an `array`. */
  items?: FormField;
  /** The sub-fields of an `object`. */
  properties?: Record<string, FormField>;
  required?: string[];
  widget?: FormWidget;
  placeholder?: I18nString;
  group?: string;
  order?: number;
  /** The value is masked in the console and never logged. */
  secret?: boolean;
}

/** Fields nest (array items, object properties), so schemas embedding a form carry this definition at their root. */
export const FORM_FIELD_REF = '#/definitions/FormField';

const FieldRef = Type.Unsafe<FormField>({ $ref: FORM_FIELD_REF });

const FieldMap = Type.Unsafe<Record<string, FormField>>({
  type: 'object',
  propertyNames: {
    pattern: '^[A-Za-z_][A-Za-z0-9_-]*$',
    'x-hint': "a field name made of letters, digits, '_' or '-' (no dots)",
  },
  additionalProperties: FieldRef,
});

export const FormFieldSchema = Strict({
  type: StringEnum(FORM_FIELD_TYPES),
  title: I18nString,
  description: Type.Optional(I18nString),
  default: Type.Optional(Type.Unknown()),
  enum: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 })),
  enumLabels: Type.Optional(Type.Array(I18nString)),
  minimum: Type.Optional(Type.Number()),
  maximum: Type.Optional(Type.Number()),
  minLength: Type.Optional(Type.Integer({ minimum: 0 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
  pattern: Type.Optional(Type.String()),
  items: Type.Optional(FieldRef),
  properties: Type.Optional(FieldMap),
  required: Type.Optional(Type.Array(Type.String())),
  widget: Type.Optional(StringEnum(FORM_WIDGETS)),
  placeholder: Type.Optional(I18nString),
  group: Type.Optional(Type.String()),
  order: Type.Optional(Type.Number()),
  secret: Type.Optional(Type.Boolean()),
});

export const ConfigForm = Strict({
  type: Type.Literal('object'),
  properties: FieldMap,
  required: Type.Optional(Type.Array(Type.String())),
});

export interface ConfigForm {
  type: 'object';
  properties: Record<string, FormField>;
  required?: string[];
}

/** Adds the `definitions` a schema embedding config forms needs at its root. */
export function withFormDefinitions<S extends TSchema>(schema: S): S {
  if (!JSON.stringify(schema).includes(FORM_FIELD_REF)) return schema;
  return { ...schema, definitions: { ...(schema.definitions ?? {}), FormField: FormFieldSchema } };
}

const checkFormSchema = createValidator<ConfigForm>(withFormDefinitions(ConfigForm));

/** Validates a config form on its own (outside a manifest), including the consistency rules of manifest forms. */
export function validateConfigForm(form: unknown, file = 'config-form'): ValidationResult<ConfigForm> {
  const result = checkFormSchema(structuredClone(form), file);
  const flagged = new Set(result.ok ? [] : result.issues.map((issue) => issue.path));
  const issues = [
    ...(result.ok ? [] : result.issues),
    ...checkForm(form, '').filter((draft) => !flagged.has(draft.path)).map((draft) => ({ file, ...draft })),
  ];
  return issues.length === 0 && result.ok ? result : { ok: false, issues };
}

export type JsonSchema = Record<string, unknown>;

const PLAIN_KEYWORDS = ['default', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern'] as const;

/** A plain JSON Schema for the config value: en_US titles, UI-only keys stripped. */
export function configFormToJsonSchema(form: ConfigForm): JsonSchema {
  return objectSchema(form.properties, form.required);
}

// Unknown config keys are allowed: config saved by an older version of an extension must not stop it from starting.
function objectSchema(properties: Record<string, FormField>, required: string[] | undefined): JsonSchema {
  const schema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(Object.entries(properties).map(([name, field]) => [name, fieldSchema(field)])),
  };
  if (required && required.length > 0) schema.required = [...required];
  return schema;
}

function fieldSchema(field: FormField): JsonSchema {
  const schema: JsonSchema = { type: field.type, title: localize(field.title) };
  if (field.description !== undefined) schema.description = localize(field.description);
  for (const key of PLAIN_KEYWORDS) {
    if (field[key] !== undefined) schema[key] = structuredClone(field[key]);
  }
  if (field.items) schema.items = fieldSchema(field.items);
  if (field.type === 'object' && field.properties) {
    Object.assign(schema, objectSchema(field.properties, field.required));
    // Ajv only fills nested defaults into an object that exists, so create it when a sub-field has a default.
    if (schema.default === undefined && hasDefaults(field.properties)) schema.default = {};
  }
  return schema;
}

function hasDefaults(properties: Record<string, FormField>): boolean {
  return Object.values(properties).some(
    (f) => f.default !== undefined || (f.type === 'object' && f.properties !== undefined && hasDefaults(f.properties)),
  );
}

export type ConfigValidation =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; errors: ManifestIssue[] };

const validators = new WeakMap<ConfigForm, Validator<Record<string, unknown>>>();

/** Validates a config value against a form; the returned value has defaults applied, the input is not mutated. */
export function validateConfig(form: ConfigForm, value: unknown, file = 'config'): ConfigValidation {
  let check = validators.get(form);
  if (!check) {
    check = createValidator<Record<string, unknown>>(configFormToJsonSchema(form));
    validators.set(form, check);
  }
  const result = check(value === undefined ? {} : structuredClone(value), file);
  return result.ok ? result : { ok: false, errors: result.issues };
}

/** Dotted paths of secret fields; `*` stands for any array index (e.g. `accounts.*.token`). */
export function secretKeys(form: ConfigForm): string[] {
  const keys: string[] = [];
  const visit = (field: FormField, path: string) => {
    if (field.secret === true || field.widget === 'secret') keys.push(path);
    else if (field.type === 'object' && field.properties) visitAll(field.properties, path + '.');
    else if (field.type === 'array' && field.items) visit(field.items, path + '.*');
  };
  const visitAll = (properties: Record<string, FormField>, prefix: string) => {
    for (const [name, field] of Object.entries(properties)) visit(field, prefix + name);
  };
  visitAll(form.properties, '');
  return keys;
}

/** A copy of `value` with every secret replaced by `mask`, safe to log. */
export function redactConfig(form: ConfigForm, value: unknown, mask = '******'): unknown {
  const copy = structuredClone(value);
  for (const key of secretKeys(form)) redactPath(copy, key.split('.'), mask);
  return copy;
}

function redactPath(target: unknown, segments: string[], mask: string): void {
  if (target === null || typeof target !== 'object') return;
  const [head, ...rest] = segments;
  const children = head === '*' && Array.isArray(target) ? target.keys() : [head];
  const record = target as Record<string | number, unknown>;
  for (const key of children) {
    if (!(key in record)) continue;
    if (rest.length === 0) record[key] = mask;
    else redactPath(record[key], rest, mask);
  }
}
