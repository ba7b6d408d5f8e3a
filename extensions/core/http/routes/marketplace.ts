/** `/api/v1/marketplace`: browse the registry, and install, update, roll back and remove extensions as background tasks. */
import { Type } from '@sinclair/typebox';
import { RpcError, RpcErrorCode, type ExtensionContext } from '@langbot-ts/sdk';
import { ApiError, toApiError } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';

const ById = Type.Object({ id: Type.String({ minLength: 1, maxLength: 214 }) });
const Names = Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 256 });
/** The permissions an extension's manifest asks for (kernel manifest `permissions`), as the caller approves them. */
const Permissions = Type.Object(
  {
    services: Type.Optional(Names),
    fs: Type.Optional(Type.Object({ read: Type.Optional(Names), write: Type.Optional(Names) }, { additionalProperties: false })),
    childProcess: Type.Optional(Type.Boolean()),
    worker: Type.Optional(Type.Boolean()),
    network: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const Version = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z.+-]+$' });

const REGISTRY_FAILURES = new Set(['bad_signature', 'untrusted_key', 'invalid_index', 'registry_unavailable']);

/** The marketplace's typed errors with their HTTP status; the code stays the marketplace's (bad_signature, busy, …). */
function marketError(error: unknown): ApiError {
  if (!RpcError.is(error)) return toApiError(error);
  const code = typeof error.details?.code === 'string' ? error.details.code : String(error.code);
  if (error.code === RpcErrorCode.NotFound && (error.details?.service === 'marketplace' || error.details?.point === 'services')) {
    return new ApiError(503, 'marketplace_unavailable', 'The marketplace extension (langbot.marketplace) is not running; enable it to browse and install extensions.');
  }
  if (error.code === RpcErrorCode.Unavailable) return new ApiError(503, 'marketplace_unavailable', error.message);
  if (error.code === RpcErrorCode.NotFound || code === 'not_found' || code === 'not_installed') return new ApiError(404, 'resource_not_found', error.message, error.details);
  if (code === 'busy') return new ApiError(409, 'busy', error.message, error.details);
  if (REGISTRY_FAILURES.has(code)) return new ApiError(502, code, error.message, error.details);
  if (/^[a-z_]+$/.test(code)) return new ApiError(400, code, error.message, error.details);
  return toApiError(error);
}

const withServices = (permissions: Record<string, unknown> | undefined) => (permissions ? { services: [], ...permissions } : undefined);

export function marketplaceRoutes(ctx: Pick<ExtensionContext, 'call'>) {
  // Listing may wait for every mirror in turn, so allow more than an ordinary call.
  const market = async <T = any>(method: string, args: Record<string, unknown> = {}) => {
    try {
      return await ctx.call<T>('marketplace', method, args, { timeoutMs: 120_000 });
    } catch (error) {
      throw marketError(error);
    }
  };
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/marketplace/registry',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'The registry in use: its name, the mirror that answered, whether the copy is stale, and each mirror’s status',
      tags: ['marketplace'],
      handler: () => market('registry'),
    },
    {
      method: 'GET',
      url: '/api/v1/marketplace/extensions',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Search the registry’s extensions (text, kind, category), with what is installed and whether an update is available',
      tags: ['marketplace'],
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 200 })),
        kind: Type.Optional(Type.String({ maxLength: 64 })),
        category: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      handler: ({ query }) => market('list', { q: query.q, kind: query.kind, category: query.category }),
    },
    {
      method: 'GET',
      url: '/api/v1/marketplace/extensions/:id',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'One registry extension: README, versions, the permissions it asks for and, if installed, what was approved',
      tags: ['marketplace'],
      params: ById,
      handler: ({ params }) => market('get', { id: params.id }),
    },
    {
      method: 'POST',
      url: '/api/v1/marketplace/extensions/:id/install',
      auth: 'user_or_key',
      permission: 'runtime.operate',
      summary: 'Install an extension (the latest compatible version, or `version`) with the permissions approved; answers a task id',
      tags: ['marketplace'],
      params: ById,
      body: Type.Object({ version: Type.Optional(Version), approved_permissions: Permissions }),
      handler: ({ params, body }) => market('install', { id: params.id, version: body.version, approved_permissions: withServices(body.approved_permissions) }),
    },
    {
      method: 'POST',
      url: '/api/v1/marketplace/extensions/:id/update',
      auth: 'user_or_key',
      permission: 'runtime.operate',
      summary: 'Update an installed extension to its latest compatible version; new permissions must be approved',
      tags: ['marketplace'],
      params: ById,
      body: Type.Object({ approved_permissions: Type.Optional(Permissions) }),
      handler: ({ params, body }) => market('update', { id: params.id, approved_permissions: withServices(body.approved_permissions) }),
    },
    {
      method: 'POST',
      url: '/api/v1/marketplace/extensions/:id/rollback',
      auth: 'user_or_key',
      permission: 'runtime.operate',
      summary: 'Switch an installed extension back to its previous version (kept on disk, no download)',
      tags: ['marketplace'],
      params: ById,
      handler: ({ params }) => market('rollback', { id: params.id }),
    },
    {
      method: 'DELETE',
      url: '/api/v1/marketplace/extensions/:id',
      auth: 'user_or_key',
      permission: 'runtime.operate',
      summary: 'Uninstall an extension: stop it and delete its versions; with delete_data=true also its data folder',
      tags: ['marketplace'],
      params: ById,
      querystring: Type.Object({ delete_data: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }),
      handler: ({ params, query }) => market('uninstall', { id: params.id, delete_data: query.delete_data === 'true' }),
    },
    {
      method: 'GET',
      url: '/api/v1/marketplace/tasks',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Recent marketplace tasks, newest first (at most 50, kept in memory)',
      tags: ['marketplace'],
      handler: () => market('tasks'),
    },
    {
      method: 'GET',
      url: '/api/v1/marketplace/tasks/:task_id',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'One marketplace task: its state, step, progress, log and error',
      tags: ['marketplace'],
      params: Type.Object({ task_id: Type.String({ minLength: 1, maxLength: 64 }) }),
      handler: ({ params }) => market('task', { task_id: params.task_id }),
    },
  ]);
}
