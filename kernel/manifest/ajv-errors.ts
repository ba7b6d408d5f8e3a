import type { ErrorObject } from 'ajv';
import { didYouMean, pointer, quoteList, subjectName } from './issues.js';

/** An issue before it is attached to a file. */
export interface IssueDraft {
  path: string;
  message: string;
}

interface Ordered extends IssueDraft {
  order: number;
  /** Set when the message is about the kind of value; other complaints about the same value are then noise. */
  kind?: boolean;
}

type Schema = Record<string, unknown> | undefined;

const KIND_KEYWORDS = new Set(['type', 'const', 'enum']);

/** Turns ajv errors into one plain sentence per problem, collapsing the noise of anyOf/oneOf branches. */
export function translateAjvErrors(errors: readonly ErrorObject[]): IssueDraft[] {
  const drafts = translate(errors);
  drafts.sort((a, b) => a.order - b.order);
  return dedupe(drafts).map(({ path, message }) => ({ path, message }));
}

function translate(errors: readonly ErrorObject[]): Ordered[] {
  const consumed = new Set<ErrorObject>();
  const drafts: Ordered[] = [];
  // An enclosing anyOf is reported after the ones nested in its branches: walking backwards meets it first.
  const groups = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').reverse();
  for (const group of groups) {
    if (consumed.has(group)) continue;
    consumed.add(group);
    const prefix = group.schemaPath + '/';
    const members = branchErrors(errors, group, prefix);
    for (const member of members) consumed.add(member);
    const order = errors.indexOf(group);
    for (const draft of explainAlternatives(group, members, prefix)) drafts.push({ ...draft, order: draft.order + order });
  }
  errors.forEach((error, index) => {
    if (consumed.has(error)) return;
    const draft = explain(error);
    if (draft) drafts.push({ ...draft, order: index });
  });
  return drafts;
}

/**
 * Ajv reports a failed anyOf/oneOf right after the errors of its branches, so those are the contiguous run before it.
 * Errors reached through a $ref carry the referenced schema's path, hence the second test.
 */
function branchErrors(errors: readonly ErrorObject[], group: ErrorObject, prefix: string): ErrorObject[] {
  const owner = group.schemaPath.slice(0, -group.keyword.length);
  const members: ErrorObject[] = [];
  for (let i = errors.indexOf(group) - 1; i >= 0; i--) {
    const error = errors[i];
    const inBranch = error.schemaPath.startsWith(prefix) || !error.schemaPath.startsWith(owner);
    if (!inBranch || !isWithin(error.instancePath, group.instancePath)) break;
    members.unshift(error);
  }
  return members;
}

function explainAlternatives(group: ErrorObject, members: ErrorObject[], prefix: string): Ordered[] {
  const branches = new Map<string, ErrorObject[]>();
  for (const member of members) {
    const branch = member.schemaPath.startsWith(prefix) ? member.schemaPath.slice(prefix.length).split('/')[0] : '$ref';
    branches.set(branch, [...(branches.get(branch) ?? []), member]);
  }
  const near = [...branches.values()].filter(
    (branch) => !branch.every((e) => e.instancePath === group.instancePath && KIND_KEYWORDS.has(e.keyword)),
  );
  if (near.length > 0) {
    const best = near.reduce((a, b) => (b.length < a.length ? b : a));
    return translate(best).map((draft) => ({ ...draft, order: draft.order / (best.length + 1) }));
  }
  const subject = subjectOf(group.instancePath);
  const hint = stringKey(group.parentSchema as Schema, 'x-hint');
  if (hint) return [{ path: group.instancePath, message: `${subject} must be ${hint}.`, order: 0, kind: true }];
  if (branches.size === 0) {
    const message =
      group.keyword === 'oneOf' ? 'matches more than one of the allowed shapes' : 'does not match any allowed shape';
    return [{ path: group.instancePath, message: `${subject} ${message}.`, order: 0 }];
  }
  const expected = new Set<string>();
  for (const member of members) for (const text of expectedKinds(member)) expected.add(text);
  return [{ path: group.instancePath, message: `${subject} must be ${joinOr([...expected])}.`, order: 0, kind: true }];
}

function expectedKinds(error: ErrorObject): string[] {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'type') return typeNames(params.type);
  if (error.keyword === 'const') return [literal(params.allowedValue)];
  if (error.keyword === 'enum') return (params.allowedValues as unknown[]).map(literal);
  return [];
}

function explain(error: ErrorObject): (IssueDraft & { kind?: boolean }) | undefined {
  const params = error.params as Record<string, any>;
  const path = error.instancePath;
  const subject = subjectOf(path);
  const schema = error.parentSchema as Schema;
  const hint = stringKey(schema, 'x-hint');
  switch (error.keyword) {
    case 'required':
      return { path: path + pointer(params.missingProperty), message: `'${params.missingProperty}' is required.` };
    case 'additionalProperties':
      return unknownProperty(path, String(params.additionalProperty), schema);
    case 'propertyNames':
      return undefined;
    case 'enum': {
      const allowed = params.allowedValues as unknown[];
      let message = `${subject} must be one of ${quoteList(allowed)}.`;
      const guess = typeof error.data === 'string' ? didYouMean(error.data, allowed.map(String)) : undefined;
      if (guess !== undefined) message += ` Did you mean '${guess}'?`;
      return { path, message };
    }
    case 'type':
      return { path, message: `${subject} must be ${joinOr(typeNames(params.type))}.`, kind: true };
    case 'const':
      return { path, message: `${subject} must be ${literal(params.allowedValue)}.` };
    case 'pattern': {
      const expectation = hint ?? `a string matching the pattern ${params.pattern}`;
      if (error.propertyName !== undefined) {
        return {
          path: path + pointer(error.propertyName),
          message: `The name '${error.propertyName}' in ${subject} must be ${expectation}.`,
        };
      }
      return { path, message: `${subject} must be ${expectation}.` };
    }
    case 'format':
      return { path, message: `${subject} must be ${hint ?? `a valid ${params.format}`}.` };
    case 'minItems':
      return { path, message: `${subject} must have at least ${plural(params.limit, 'item')}.` };
    case 'maxItems':
      return { path, message: `${subject} must have at most ${plural(params.limit, 'item')}.` };
    case 'minLength':
      return {
        path,
        message:
          params.limit === 1
            ? `${subject} must not be empty.`
            : `${subject} must be at least ${plural(params.limit, 'character')} long.`,
      };
    case 'maxLength':
      return { path, message: `${subject} must be at most ${plural(params.limit, 'character')} long.` };
    case 'minimum':
      return { path, message: `${subject} must be at least ${params.limit}.` };
    case 'maximum':
      return { path, message: `${subject} must be at most ${params.limit}.` };
    case 'exclusiveMinimum':
      return { path, message: `${subject} must be greater than ${params.limit}.` };
    case 'exclusiveMaximum':
      return { path, message: `${subject} must be less than ${params.limit}.` };
    case 'uniqueItems':
      return { path, message: `${subject} must not contain duplicates (items ${params.j} and ${params.i} are equal).` };
    case 'minProperties':
      return { path, message: `${subject} must have at least ${plural(params.limit, 'property')}.` };
    default:
      return { path, message: `${subject} ${error.message ?? 'is invalid'}.` };
  }
}

function unknownProperty(parentPath: string, name: string, schema: Schema): IssueDraft {
  const noun = stringKey(schema, 'x-key-noun') ?? 'property';
  const allowed = Object.keys((schema?.properties as Record<string, unknown>) ?? {});
  const guess = didYouMean(name, allowed);
  const path = parentPath + pointer(name);
  if (guess !== undefined) return { path, message: `Unknown ${noun} '${name}' (did you mean '${guess}'?)` };
  const patterns = Object.keys((schema?.patternProperties as Record<string, unknown>) ?? {});
  let expected = allowed.length > 0 && allowed.length <= 20 ? `expected one of ${allowed.join(', ')}` : '';
  if (expected && patterns.length > 0) expected += `, or a key matching ${patterns.join(', ')}`;
  return { path, message: expected ? `Unknown ${noun} '${name}' (${expected}).` : `Unknown ${noun} '${name}'.` };
}

function dedupe(drafts: Ordered[]): Ordered[] {
  const kindPaths = new Set(drafts.filter((d) => d.kind).map((d) => d.path));
  const seen = new Set<string>();
  return drafts.filter((draft) => {
    if (kindPaths.has(draft.path) && !draft.kind) return false;
    const key = `${draft.path}\n${draft.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function plural(count: number, word: string): string {
  if (count === 1) return `${count} ${word}`;
  return `${count} ${word.endsWith('y') ? word.slice(0, -1) + 'ies' : word + 's'}`;
}

function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(parent + '/');
}

function subjectOf(path: string): string {
  return path === '' ? 'The value' : `'${subjectName(path)}'`;
}

function stringKey(schema: Schema, key: string): string | undefined {
  const value = schema?.[key];
  return typeof value === 'string' ? value : undefined;
}

const ARTICLES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typeNames(type: unknown): string[] {
  const list = Array.isArray(type) ? type : String(type).split(',');
  return list.map((t) => ARTICLES[t] ?? String(t));
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'valid';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
