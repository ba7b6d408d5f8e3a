import semver from 'semver';
import { translateAjvErrors, type IssueDraft } from './ajv-errors.js';
import { CONTRIBUTION_KEY_FIELD, CONTRIBUTION_POINTS, contributionKey, type ContributionPoint } from './contributions.js';
import { checkForm } from './form-checks.js';
import { pointer } from './issues.js';
import { ajv } from './validator.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const FORM_KEYS = ['config', 'creationSchema', 'retrievalSchema'] as const;

/**
 * Rules JSON Schema cannot express. They run on data that may have failed schema validation,
 * so every access is defensive.
 */
export function postCheckManifest(manifest: Json): IssueDraft[] {
  const contributes = isObject(manifest.contributes) ? manifest.contributes : {};
  return [
    ...checkVersion(manifest.version),
    ...checkEngineRange(isObject(manifest.engines) ? manifest.engines.langbot : undefined),
    ...checkRelativePath(manifest.entry, '/entry', 'entry'),
    ...checkEntryNeeded(manifest.entry, contributes),
    ...checkDuplicates(contributes),
    ...checkIsolation(manifest.isolation, manifest.permissions),
    ...checkPageEntries(contributes),
    ...checkToolParameters(contributes),
    ...checkAllForms(manifest, contributes),
  ];
}

function checkVersion(version: unknown): IssueDraft[] {
  if (typeof version !== 'string') return [];
  if (/^\d/.test(version) && semver.valid(version) !== null) return [];
  return [{ path: '/version', message: `'version' must be a semantic version such as 1.0.0 (got '${version}').` }];
}

function checkEngineRange(range: unknown): IssueDraft[] {
  if (typeof range !== 'string' || semver.validRange(range) !== null) return [];
  return [
    {
      path: '/engines/langbot',
      message: `'engines.langbot' must be a semver range such as ^1.0.0 or >=1.2 <2 (got '${range}').`,
    },
  ];
}

export function checkRelativePath(value: unknown, path: string, name: string): IssueDraft[] {
  if (typeof value !== 'string' || value === '') return [];
  const normalized = value.replace(/\\/g, '/');
  // A scheme covers Windows drives (C:) as well as URLs (https:, node:, data:).
  if (normalized.startsWith('/') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(normalized)) {
    return [{ path, message: `'${name}' must be a path relative to the extension folder, not an absolute path or URL.` }];
  }
  if (normalized.split('/').includes('..')) {
    return [{ path, message: `'${name}' must stay inside the extension folder ('..' is not allowed).` }];
  }
  return [];
}

function checkEntryNeeded(entry: unknown, contributes: Json): IssueDraft[] {
  if (entry !== undefined) return [];
  const withCode = CONTRIBUTION_POINTS.filter((point) => point !== 'pages' && list(contributes[point]).length > 0);
  if (withCode.length === 0) return [];
  return [
    {
      path: '/entry',
      message: `'entry' is required because the extension contributes ${withCode.join(', ')} (only pages need no code).`,
    },
  ];
}

function checkDuplicates(contributes: Json): IssueDraft[] {
  const issues: IssueDraft[] = [];
  for (const point of CONTRIBUTION_POINTS) {
    const field = CONTRIBUTION_KEY_FIELD[point];
    if (field === undefined) continue;
    const firstIndex = new Map<string, number>();
    list(contributes[point]).forEach((entry, index) => {
      const key = contributionKey(point, entry, index);
      if (key.startsWith('#')) return;
      const first = firstIndex.get(key);
      if (first === undefined) {
        firstIndex.set(key, index);
        return;
      }
      issues.push({
        path: pointer('contributes', point, index, field),
        message: `Duplicate ${field} '${key}' in ${point} (already declared at ${pointer('contributes', point, first)}).`,
      });
    });
  }
  return issues;
}

function checkIsolation(isolation: unknown, permissions: unknown): IssueDraft[] {
  if (isolation !== 'isolate' || !isObject(permissions)) return [];
  const issues: IssueDraft[] = [];
  const reason = "isolation 'isolate' has no Node APIs";
  const fs = permissions.fs;
  if (isObject(fs) && (list(fs.read).length > 0 || list(fs.write).length > 0)) {
    issues.push({ path: '/permissions/fs', message: `File system permissions are not available: ${reason}.` });
  }
  for (const name of ['childProcess', 'worker'] as const) {
    if (permissions[name] === true) {
      issues.push({ path: pointer('permissions', name), message: `'${name}' permission is not available: ${reason}.` });
    }
  }
  return issues;
}

function checkPageEntries(contributes: Json): IssueDraft[] {
  return list(contributes.pages).flatMap((page, index) =>
    isObject(page) ? checkRelativePath(page.entry, pointer('contributes', 'pages', index, 'entry'), 'entry') : [],
  );
}

function checkToolParameters(contributes: Json): IssueDraft[] {
  return list(contributes.tools).flatMap((tool, index) => {
    if (!isObject(tool) || !isObject(tool.parameters)) return [];
    const path = pointer('contributes', 'tools', index, 'parameters');
    try {
      // A copy: the shared instance applies the meta-schema's defaults to whatever it validates.
      if (ajv.validateSchema(structuredClone(tool.parameters)) === true) return [];
    } catch (error) {
      return [{ path, message: `Not a valid JSON Schema: ${(error as Error).message}.` }];
    }
    return translateAjvErrors(ajv.errors ?? []).map((draft) => ({
      path: path + draft.path,
      message: `Not a valid JSON Schema: ${draft.message}`,
    }));
  });
}

function checkAllForms(manifest: Json, contributes: Json): IssueDraft[] {
  const issues = checkForm(manifest.config, '/config');
  for (const point of Object.keys(contributes) as ContributionPoint[]) {
    list(contributes[point]).forEach((entry, index) => {
      if (!isObject(entry)) return;
      for (const key of FORM_KEYS) issues.push(...checkForm(entry[key], pointer('contributes', point, index, key)));
    });
  }
  return issues;
}
