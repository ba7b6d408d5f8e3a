import { basename } from 'node:path';
import type { Supervisor } from '../hosts/supervisor.js';
import type { ExtensionScope } from '../di/scope.js';
import { CONTRIBUTION_POINTS, contributionKey, formatIssue, type ExtensionManifest, type ManifestIssue } from '../manifest/index.js';
import type { ExtensionSource } from './discovery.js';

export type ExtensionState = 'pending' | 'loading' | 'active' | 'failed' | 'disposed';

export interface ExtensionRecord {
  /** The manifest id; for an unreadable manifest, `invalid:<folder>`. */
  id: string;
  dir: string;
  source: ExtensionSource;
  manifestFile: string;
  manifest?: ExtensionManifest;
  issues: ManifestIssue[];
  enabled: boolean;
  state: ExtensionState;
  reason: string;
  since: number;
  /** Owns the extension's registrations (declared contributions and services) while it is enabled. */
  scope?: ExtensionScope;
  supervisor?: Supervisor;
  activation?: Promise<void>;
  bundleFile?: string;
}

export function recordId(manifest: ExtensionManifest | undefined, dir: string): string {
  return manifest?.id ?? `invalid:${basename(dir)}`;
}

export function describeIssues(issues: ManifestIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** What the manifest says the code must provide, as `point:key` (pages are static files, not code). */
export function declaredImplementations(manifest: ExtensionManifest): string[] {
  const keys: string[] = [];
  for (const point of CONTRIBUTION_POINTS) {
    if (point === 'pages') continue;
    const entries = (manifest.contributes as Record<string, unknown[] | undefined>)[point] ?? [];
    entries.forEach((entry, i) => keys.push(`${point}:${contributionKey(point, entry, i)}`));
  }
  for (const name of manifest.services?.provides ?? []) keys.push(`services:${name}`);
  return keys;
}

/** Declarations and implementations must be equal; returns the sentence explaining the difference, if any. */
export function compareDeclarations(declared: string[], provided: string[]): string | undefined {
  const missing = declared.filter((k) => !provided.includes(k));
  const extra = provided.filter((k) => !declared.includes(k));
  if (!missing.length && !extra.length) return undefined;
  const parts = [
    ...missing.map((k) => `the manifest declares ${k.replace(':', " '")}' but the code does not provide it`),
    ...extra.map((k) => `the code provides ${k.replace(':', " '")}' which the manifest does not declare`),
  ];
  return `Manifest and code disagree: ${parts.join('; ')}.`;
}
