import type { Static } from '@sinclair/typebox';
import type { Permissions } from './schema.js';

/** Permissions as written by hand or read from kernel.json (every key optional). */
export type PermissionGrant = Static<typeof Permissions>;

// kernel.json is edited by people and other processes: tolerate anything where a list is expected.
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const grant = (value: unknown): PermissionGrant => (value && typeof value === 'object' && !Array.isArray(value) ? (value as PermissionGrant) : {});

/**
 * What `requested` asks for that `approved` does not grant, as `service:<name>`, `network`, `fs.read:<path>`,
 * `fs.write:<path>`, `childProcess` and `worker` (empty: covered). Paths compare as written, relative to the
 * extension folder. Nothing approved yet means everything requested is missing.
 */
export function missingPermissions(requested: PermissionGrant, approved: PermissionGrant | undefined): string[] {
  const want = grant(requested);
  const have = grant(approved);
  const missing = (wanted: string[], granted: string[], prefix: string) => {
    const ok = new Set(granted);
    return [...new Set(wanted)].filter((w) => !ok.has(w)).map((w) => `${prefix}${w}`);
  };
  return [
    ...missing(list(want.services), list(have.services), 'service:'),
    ...(want.network === true && have.network !== true ? ['network'] : []),
    ...missing(list(want.fs?.read), list(have.fs?.read), 'fs.read:'),
    ...missing(list(want.fs?.write), list(have.fs?.write), 'fs.write:'),
    ...(want.childProcess === true && have.childProcess !== true ? ['childProcess'] : []),
    ...(want.worker === true && have.worker !== true ? ['worker'] : []),
  ];
}

/** Everything either grants; flags are only present when true and fs lists only when not empty. */
export function unionPermissions(a: PermissionGrant | undefined, b: PermissionGrant | undefined): Permissions {
  const x = grant(a);
  const y = grant(b);
  const merge = (p: unknown, q: unknown) => [...new Set([...list(p), ...list(q)])];
  const read = merge(x.fs?.read, y.fs?.read);
  const write = merge(x.fs?.write, y.fs?.write);
  const out: Permissions = { services: merge(x.services, y.services) };
  if (read.length || write.length) out.fs = { ...(read.length ? { read } : {}), ...(write.length ? { write } : {}) };
  if (x.network === true || y.network === true) out.network = true;
  if (x.childProcess === true || y.childProcess === true) out.childProcess = true;
  if (x.worker === true || y.worker === true) out.worker = true;
  return out;
}
