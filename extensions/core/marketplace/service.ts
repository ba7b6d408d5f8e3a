/**
 * The `marketplace` service: the registry and its extensions (joined with what is installed), and install, update,
 * rollback and uninstall as background tasks. Answers use the HTTP API's field names, so the routes only pass them on.
 */
import { RpcError, RpcErrorCode, type ExtensionContext, type Implementation } from '@langbot-ts/sdk';
import type { RegistryClient } from '../../../marketplace/client/registry-client.js';
import type { IndexEntry } from '../../../marketplace/index-format.js';
import type { Installer } from '../../../marketplace/installer/installer.js';
import { selectVersion } from '../../../marketplace/installer/select-version.js';
import type { InstallRecord } from '../../../marketplace/installer/types.js';
import type { MarketSettings } from './settings.js';
import type { TaskBoard } from './tasks.js';
import { details, facets, listItem, type Installs, type KernelExtension } from './views.js';

type Permissions = InstallRecord['approvedPermissions'];

export interface MarketDeps {
  ctx: Pick<ExtensionContext, 'call'>;
  client: RegistryClient;
  installer: Installer;
  tasks: TaskBoard;
  settings: MarketSettings;
  kernelApiVersion: string;
}

const REGISTRY_CODES = new Set(['bad_signature', 'untrusted_key', 'invalid_index', 'registry_unavailable']);

/** A marketplace error as a typed RPC error (its code travels as is); registry failures name the mirrors they came from. */
function rpcError(error: unknown, settings: MarketSettings): never {
  if (RpcError.is(error)) throw error;
  const e = error as { code?: unknown; message?: unknown; details?: Record<string, unknown> };
  if (typeof e?.code !== 'string') throw error;
  let message = String(e.message ?? e.code);
  if (REGISTRY_CODES.has(e.code)) {
    const named = settings.mirrors.filter((m) => message.includes(m));
    if (named.length === 0) message += ` (mirrors: ${settings.mirrors.join(', ')})`;
    if (e.code === 'untrusted_key' && settings.trustWarning) message += ` ${settings.trustWarning}`;
  }
  throw new RpcError(e.code, message, { ...e.details, code: e.code });
}

function text(value: unknown, name: string, optional = false): string | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value === '') throw new RpcError(RpcErrorCode.ValidationFailed, `'${name}' must be a non-empty string.`, { field: name });
  return value;
}

export function marketplaceService(deps: MarketDeps): Implementation {
  const { client, installer, tasks, settings } = deps;
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      return rpcError(error, settings);
    }
  };
  const installs = async (): Promise<Installs> => {
    const [records, kernel] = await Promise.all([installer.installed(), deps.ctx.call<KernelExtension[]>('extensions', 'list')]);
    return { records: new Map(records.map((r) => [r.id, r])), kernel: new Map(kernel.map((k) => [k.id, k])), kernelApiVersion: deps.kernelApiVersion };
  };
  const installedRecord = async (id: string) => {
    const record = (await installer.installed()).find((r) => r.id === id);
    if (!record) throw new RpcError(RpcErrorCode.NotFound, `Extension '${id}' is not installed from the marketplace.`, { id, code: 'not_installed' });
    return record;
  };
  /** The version an install or update will switch to, shown on the task from the start; the installer decides for real. */
  const target = (entry: IndexEntry, requested?: string) => {
    try {
      return selectVersion(entry, deps.kernelApiVersion, requested).version;
    } catch {
      return requested ?? null;
    }
  };
  /** Called right before a task starts, with no await in between, so two requests cannot both pass. */
  const notBusy = (id: string) => {
    const running = tasks.runningFor(id);
    if (running) throw new RpcError('busy', `Extension '${id}' is busy: task ${running.id} (${running.kind}) is still running.`, { id, task_id: running.id });
  };

  return {
    registry: () =>
      guarded(async () => {
        const got = await client.index();
        return {
          name: got.index.name,
          mirror: got.mirror,
          stale: got.stale,
          fetched_at: new Date(got.fetchedAt).toISOString(),
          mirrors: settings.mirrors.map((url) => {
            const failure = got.failures.find((f) => f.mirror === url);
            // Mirrors after the one that answered were not tried.
            return { url, ok: url === got.mirror ? true : failure ? false : null, error: failure?.error ?? null };
          }),
        };
      }),

    list: (args: { q?: string; kind?: string; category?: string } = {}) =>
      guarded(async () => {
        const got = await client.index();
        const [found, joined] = await Promise.all([client.search({ text: args.q || undefined, kind: args.kind || undefined, category: args.category || undefined }), installs()]);
        return {
          extensions: found.map((entry) => listItem(entry, joined)),
          ...facets(got.index),
          registry: { name: got.index.name, mirror: got.mirror, stale: got.stale },
        };
      }),

    get: (args: { id?: unknown }) =>
      guarded(async () => {
        const id = text(args?.id, 'id')!;
        const [entry, joined] = await Promise.all([client.entry(id), installs()]);
        return { extension: details(entry, joined) };
      }),

    install: (args: { id?: unknown; version?: unknown; approved_permissions?: Permissions }) =>
      guarded(async () => {
        const id = text(args?.id, 'id')!;
        const version = text(args?.version, 'version', true);
        const entry = await client.entry(id);
        if (version && !entry.versions.some((v) => v.version === version)) {
          throw new RpcError(RpcErrorCode.NotFound, `The registry has no version ${version} of '${id}' (it has ${entry.versions.map((v) => v.version).join(', ')}).`, { id, version, code: 'not_found' });
        }
        const approvedPermissions = args?.approved_permissions ?? ({ services: [] } as Permissions);
        notBusy(id);
        const task = tasks.start('install', id, target(entry, version), (onProgress) => installer.install(id, { version, approvedPermissions, onProgress }));
        return { task_id: task.id };
      }),

    update: (args: { id?: unknown; approved_permissions?: Permissions }) =>
      guarded(async () => {
        const id = text(args?.id, 'id')!;
        const record = await installedRecord(id);
        const next = target(await client.entry(id));
        notBusy(id);
        const task = tasks.start('update', id, next === record.version ? null : next, (onProgress) => installer.update(id, { approvedPermissions: args?.approved_permissions, onProgress }));
        return { task_id: task.id };
      }),

    rollback: (args: { id?: unknown }) =>
      guarded(async () => {
        const id = text(args?.id, 'id')!;
        const record = await installedRecord(id);
        notBusy(id);
        const task = tasks.start('rollback', id, record.previous[0] ?? null, (onProgress) => installer.rollback(id, { onProgress }));
        return { task_id: task.id };
      }),

    uninstall: (args: { id?: unknown; delete_data?: unknown }) =>
      guarded(async () => {
        const id = text(args?.id, 'id')!;
        const record = await installedRecord(id);
        const deleteData = args?.delete_data === true;
        notBusy(id);
        const task = tasks.start('uninstall', id, record.version, async (onProgress) => {
          await installer.uninstall(id, { deleteData, onProgress });
        });
        return { task_id: task.id };
      }),

    task: (args: { task_id?: unknown }) => {
      const id = text(args?.task_id, 'task_id')!;
      const task = tasks.get(id);
      if (!task) throw new RpcError(RpcErrorCode.NotFound, `No task '${id}' (only the newest tasks are kept, and none survive a restart).`, { task_id: id });
      return { task };
    },

    tasks: () => ({ tasks: tasks.list() }),
  };
}
