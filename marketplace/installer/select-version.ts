import semver from 'semver';
import { MarketError } from '../errors.js';
import type { IndexEntry, IndexVersion } from '../index-format.js';

export const worksWith = (kernelApiVersion: string, range: string) =>
  semver.validRange(range) !== null && semver.satisfies(kernelApiVersion, range, { includePrerelease: true });

/** The requested version, or the highest one whose `engines.langbot` accepts this kernel API (incompatible otherwise). */
export function selectVersion(entry: IndexEntry, kernelApiVersion: string, requested?: string): IndexVersion {
  if (requested !== undefined) {
    const found = entry.versions.find((v) => v.version === requested);
    if (!found) {
      const available = entry.versions.map((v) => v.version).join(', ') || 'none';
      throw new MarketError('not_found', `${entry.id} has no version ${requested} in the registry (available: ${available}).`, { id: entry.id, version: requested });
    }
    if (!worksWith(kernelApiVersion, found.engines.langbot)) {
      throw new MarketError(
        'incompatible',
        `${entry.id} ${requested} requires kernel API ${found.engines.langbot}; this kernel provides ${kernelApiVersion}.`,
        { id: entry.id, version: requested, engines: found.engines.langbot, kernelApiVersion },
      );
    }
    return found;
  }
  const compatible = entry.versions
    .filter((v) => semver.valid(v.version) && worksWith(kernelApiVersion, v.engines.langbot))
    .sort((a, b) => semver.rcompare(a.version, b.version));
  if (compatible.length > 0) return compatible[0];
  const ranges = [...new Set(entry.versions.map((v) => v.engines.langbot))].join(', ');
  throw new MarketError('incompatible', `No version of ${entry.id} works with kernel API ${kernelApiVersion} (they require ${ranges}).`, {
    id: entry.id,
    kernelApiVersion,
  });
}
