import type { IssueDraft } from './ajv-errors.js';
import type { FormField } from './config-form.js';
import { pointer } from './issues.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Consistency rules of a config form (field names in `required`, enum labels, defaults). */
export function checkForm(form: unknown, path: string): IssueDraft[] {
  if (!isObject(form) || !isObject(form.properties)) return [];
  return checkFields(form.properties, form.required, path);
}

function checkFields(properties: Json, required: unknown, path: string): IssueDraft[] {
  const issues: IssueDraft[] = [];
  list(required).forEach((name, index) => {
    if (typeof name === 'string' && !(name in properties)) {
      issues.push({ path: `${path}/required/${index}`, message: `'required' lists '${name}', which is not a field here.` });
    }
  });
  for (const [name, field] of Object.entries(properties)) {
    if (isObject(field)) issues.push(...checkField(field as Partial<FormField>, `${path}/properties${pointer(name)}`));
  }
  return issues;
}

function checkField(field: Partial<FormField>, path: string): IssueDraft[] {
  const issues: IssueDraft[] = [];
  if (field.enumLabels !== undefined && (!Array.isArray(field.enum) || field.enum.length !== list(field.enumLabels).length)) {
    const count = Array.isArray(field.enum) ? field.enum.length : 0;
    issues.push({ path: `${path}/enumLabels`, message: `'enumLabels' must have one label per enum value (${count}).` });
  }
  if (field.items !== undefined && field.type !== 'array') {
    issues.push({ path: `${path}/items`, message: `'items' is only allowed on array fields.` });
  }
  if (field.properties !== undefined && field.type !== 'object') {
    issues.push({ path: `${path}/properties`, message: `'properties' is only allowed on object fields.` });
  }
  if (typeof field.pattern === 'string' && !isRegex(field.pattern)) {
    issues.push({ path: `${path}/pattern`, message: `'pattern' must be a valid regular expression.` });
  }
  issues.push(...checkDefault(field, `${path}/default`));
  if (isObject(field.items)) issues.push(...checkField(field.items as Partial<FormField>, `${path}/items`));
  if (isObject(field.properties)) issues.push(...checkFields(field.properties, field.required, path));
  return issues;
}

function checkDefault(field: Partial<FormField>, path: string): IssueDraft[] {
  const value = field.default;
  if (value === undefined || field.type === undefined) return [];
  if (!matchesType(value, field.type)) {
    return [{ path, message: `'default' must be ${article(field.type)} like the field itself.` }];
  }
  if (Array.isArray(field.enum) && !field.enum.includes(value as string | number)) {
    return [{ path, message: `'default' must be one of the enum values (${field.enum.join(', ')}).` }];
  }
  return [];
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return typeof value === type;
  }
}

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
