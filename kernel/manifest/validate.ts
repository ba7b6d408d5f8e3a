import { postCheckManifest } from './post-checks.js';
import { ExtensionManifest } from './schema.js';
import type { ManifestIssue } from './issues.js';
import { createValidator } from './validator.js';
import { precompiledManifestCheck } from './precompiled.js';

export { createValidator, type ValidationResult, type Validator } from './validator.js';
export { formatIssue, type ManifestIssue } from './issues.js';

export type ManifestValidation = { ok: true; manifest: ExtensionManifest } | { ok: false; issues: ManifestIssue[] };

const checkSchema = createValidator(ExtensionManifest);

/**
 * Validates a parsed manifest before any of its code runs. The input is not mutated; the returned manifest is a
 * copy with defaults filled in. All problems are reported at once.
 */
export function validateManifest(raw: unknown, file: string): ManifestValidation {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, issues: [{ file, path: '', message: 'The manifest must be an object (a YAML mapping or JSON object).' }] };
  }
  let copy: Record<string, unknown>;
  try {
    copy = structuredClone(raw) as Record<string, unknown>;
  } catch {
    return { ok: false, issues: [{ file, path: '', message: 'The manifest must contain only plain data.' }] };
  }
  const result = precompiledManifestCheck?.(copy) ? { ok: true as const } : checkSchema(copy, file);
  const issues = result.ok ? [] : result.issues;
  // A value the schema already rejected would only be reported twice.
  const flagged = new Set(issues.map((issue) => issue.path));
  for (const draft of postCheckManifest(copy)) {
    if (!flagged.has(draft.path)) issues.push({ file, ...draft });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, manifest: copy as unknown as ExtensionManifest };
}
