import type { ExtensionRecord } from './record.js';

/**
 * Groups extensions into waves: every extension comes after the providers of the services it requires or
 * optionally uses. Extensions in one wave start concurrently. A dependency cycle is broken by starting its
 * members together in the last wave (each then activates when its required services exist).
 */
export function activationWaves(records: ExtensionRecord[], providerOf: (service: string) => string | undefined): ExtensionRecord[][] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const dependencies = (r: ExtensionRecord) =>
    [...(r.manifest?.services?.requires ?? []), ...(r.manifest?.services?.optional ?? [])]
      .map(providerOf)
      .filter((id): id is string => id !== undefined && id !== r.id && byId.has(id));
  const waves: ExtensionRecord[][] = [];
  const placed = new Set<string>();
  let remaining = records;
  while (remaining.length > 0) {
    const wave = remaining.filter((r) => dependencies(r).every((d) => placed.has(d)));
    if (wave.length === 0) {
      waves.push(remaining);
      break;
    }
    waves.push(wave);
    for (const r of wave) placed.add(r.id);
    remaining = remaining.filter((r) => !placed.has(r.id));
  }
  return waves;
}
