import { Type } from '@sinclair/typebox';
import type { ExtensionManager } from '../loader/manager.js';
import type { ExtensionRecord } from '../loader/record.js';
import { describeIssues } from '../loader/record.js';
import { redactConfig, secretKeys, validateConfig } from '../manifest/config-form.js';
import { CONTRIBUTION_POINTS, contributionKey } from '../manifest/index.js';
import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import type { CoreService } from './core-service.js';
import type { LogLevel } from '../logging/logger.js';
import type { ExtensionState as StoredState } from '../config/state-store.js';
import { Permissions } from '../manifest/schema.js';
import { activateVersion, deactivate } from '../loader/versions.js';
import { unionPermissions } from '../manifest/permissions.js';

const LOG_LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const MASK = '******';
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 214 }) });

/** Contribution keys per point, e.g. `{ adapters: ['telegram'], tools: ['search'] }`. */
function contributions(record: ExtensionRecord): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const declared = (record.manifest?.contributes ?? {}) as Record<string, unknown[] | undefined>;
  for (const point of CONTRIBUTION_POINTS) {
    const entries = declared[point];
    if (entries?.length) out[point] = entries.map((entry, i) => contributionKey(point, entry, i));
  }
  return out;
}

function summary(record: ExtensionRecord, stored: Readonly<StoredState> | undefined) {
  const m = record.manifest;
  const health = record.supervisor?.health();
  return {
    id: record.id,
    version: m?.version ?? null,
    display_name: m?.displayName ?? record.id,
    description: m?.description ?? '',
    source: record.source,
    isolation: m?.isolation ?? 'inprocess',
    enabled: record.enabled,
    state: record.state,
    reason: record.reason,
    since: record.since,
    health: health ? { state: health.state, restarts: health.restarts, last_error: health.lastError ?? null, rpc_p50_ms: health.rpcP50Ms ?? null, rpc_p99_ms: health.rpcP99Ms ?? null } : null,
    permissions: m?.permissions ?? {},
    contributes: contributions(record),
    services: m?.services ?? {},
    has_config: Boolean(m?.config && Object.keys(m.config.properties ?? {}).length > 0),
    issues: record.issues.length > 0 ? describeIssues(record.issues) : null,
    approved_permissions: stored?.approvedPermissions ?? null,
    installed_version: stored?.version ?? null,
  };
}

/**
 * Extension management for the console: list, details (config form, masked config, recent logs), enable,
 * disable and configure. Powerful, so only extensions that declare the `extensions` service may call it.
 */
export function extensionsService(manager: () => ExtensionManager): CoreService {
  const find = (id: unknown) => {
    const record = manager().get(String(id));
    if (!record) throw new RpcError(RpcErrorCode.NotFound, `No extension '${String(id)}'.`, { id });
    return record;
  };
  /** The record once its activation has settled, so the answer shows `active` or `failed`, not `loading`. */
  const settled = async (record: ExtensionRecord) => {
    await record.activation?.catch(() => undefined);
    return manager().get(record.id) ?? record;
  };
  const describe = (record: ExtensionRecord) => summary(record, manager().options.state.getExtension(record.id));
  const storedConfig = (id: string) => ({ ...(manager().options.state.getExtension(id)?.config ?? {}) }) as Record<string, unknown>;
  const shownConfig = (record: ExtensionRecord) => {
    const form = record.manifest?.config;
    if (!form) return {};
    const checked = validateConfig(form, storedConfig(record.id));
    return redactConfig(form, checked.ok ? checked.value : storedConfig(record.id), MASK) as Record<string, unknown>;
  };
  return {
    list: { params: Type.Object({}), run: () => manager().list().map(describe) },
    get: {
      params: Id,
      run: ({ id }) => {
        const record = find(id);
        return { ...describe(record), config_form: record.manifest?.config ?? null, config: shownConfig(record) };
      },
    },
    logs: {
      params: Type.Object({ id: Type.String({ minLength: 1 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
      run: ({ id, limit }) => manager().options.logging.recent(find(id).id, { limit: (limit as number | undefined) ?? 100 }),
    },
    /** The process log: every extension's (and the kernel's) recent lines merged in order, with a cursor to tail it. */
    processLogs: {
      params: Type.Object({
        after: Type.Optional(Type.Integer({ minimum: 0 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        level: Type.Optional(Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)))),
        extension: Type.Optional(Type.String({ minLength: 1, maxLength: 214 })),
      }),
      run: ({ after, limit, level, extension }) =>
        manager().options.logging.merged({ after: after as number | undefined, limit: (limit as number | undefined) ?? 200, level: level as LogLevel | undefined, ext: extension as string | undefined }),
    },
    enable: { params: Id, run: async ({ id }) => describe(await settled(await manager().enable(find(id).id))) },
    disable: { params: Id, run: async ({ id }) => describe(await manager().disable(find(id).id)) },
    configure: {
      params: Type.Object({ id: Type.String({ minLength: 1 }), config: Type.Record(Type.String(), Type.Unknown()) }),
      run: async ({ id, config }) => {
        const record = find(id);
        const form = record.manifest?.config;
        if (!form) throw new RpcError(RpcErrorCode.ValidationFailed, `Extension '${record.id}' has no settings.`);
        const incoming = { ...(config as Record<string, unknown>) };
        const stored = storedConfig(record.id);
        // A masked secret sent back means "unchanged".
        for (const key of secretKeys(form)) if (!key.includes('.') && incoming[key] === MASK) incoming[key] = stored[key];
        const checked = validateConfig(form, incoming, `${record.id} config`);
        if (!checked.ok) {
          throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid settings for ${record.id}: ${checked.errors.map((e) => `${e.path || '(config)'}: ${e.message}`).join('; ')}`, {
            issues: checked.errors.map((e) => ({ path: e.path, message: e.message })),
          });
        }
        await manager().options.state.setExtension(record.id, { config: incoming });
        const reloaded = record.enabled ? await settled(await manager().reload(record.id)) : record;
        return { ...describe(reloaded), config: shownConfig(reloaded) };
      },
    },
    /** Makes the installed folder `<id>@<version>` the running version (see kernel/loader/versions.ts). */
    activateVersion: {
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 214 }), version: Type.String({ minLength: 1, maxLength: 256 }), approvedPermissions: Permissions }),
      run: async ({ id, version, approvedPermissions }) =>
        describe(await settled(await activateVersion(manager(), id as string, version as string, approvedPermissions as Permissions))),
    },
    deactivate: { params: Id, run: async ({ id }) => ({ id, removed: await deactivate(manager(), id as string) }) },
    /** Adds to the extension's approved permissions; a version that waited for them starts. */
    approvePermissions: {
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 214 }), permissions: Permissions }),
      run: async ({ id, permissions }) => {
        const record = find(id);
        const state = manager().options.state;
        await state.setExtension(record.id, { approvedPermissions: unionPermissions(state.getExtension(record.id)?.approvedPermissions, permissions as Permissions) });
        return describe(await settled(await manager().reconsider(record.id)));
      },
    },
  };
}
