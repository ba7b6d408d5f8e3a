/** `/api/v1/pipelines`: pipelines, their config metadata (for forms) and which extensions' tools they use. */
import { Type } from '@sinclair/typebox';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { defineRoutes } from '../api/routes.js';

const ByUuid = Type.Object({ uuid: Type.String({ minLength: 1 }) });
const PipelineBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  description: Type.Optional(Type.String({ maxLength: 2048 })),
  emoji: Type.Optional(Type.String({ maxLength: 10 })),
  config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  is_default: Type.Optional(Type.Boolean()),
});
const Preferences = Type.Object({
  enable_all_plugins: Type.Optional(Type.Boolean()),
  enable_all_mcp_servers: Type.Optional(Type.Boolean()),
  bound_plugins: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Object({ author: Type.Optional(Type.String()), name: Type.String() })]))),
  bound_mcp_servers: Type.Optional(Type.Array(Type.String())),
  bound_mcp_resources: Type.Optional(Type.Array(Type.Unknown())),
  mcp_resource_agent_read_enabled: Type.Optional(Type.Boolean()),
});

export function pipelineRoutes(ctx: Pick<ExtensionContext, 'call'>) {
  const pipelines = <T = any>(method: string, args: Record<string, unknown> = {}) => ctx.call<T>('pipelines', method, args);
  const prefs = async (uuid: string) => {
    const p = (await pipelines<{ extensions_preferences?: Record<string, any> }>('get', { uuid })).extensions_preferences ?? {};
    return {
      enable_all_plugins: p.enable_all_plugins !== false,
      enable_all_mcp_servers: p.enable_all_mcp_servers !== false,
      bound_plugins: p.plugins ?? [],
      bound_mcp_servers: p.mcp_servers ?? [],
      bound_mcp_resources: p.mcp_resources ?? [],
      mcp_resource_agent_read_enabled: p.mcp_resource_agent_read_enabled !== false,
    };
  };
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/pipelines',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Pipelines',
      tags: ['pipelines'],
      querystring: Type.Object({ sort_by: Type.Optional(Type.Union([Type.Literal('created_at'), Type.Literal('updated_at'), Type.Literal('name')])), sort_order: Type.Optional(Type.Union([Type.Literal('ASC'), Type.Literal('DESC')])) }),
      handler: async ({ query }) => {
        const list = await pipelines<Record<string, any>[]>('list');
        const key = query.sort_by ?? 'created_at';
        const sign = query.sort_order === 'ASC' ? 1 : -1;
        return { pipelines: [...list].sort((a, b) => (String(a[key]) < String(b[key]) ? -sign : String(a[key]) > String(b[key]) ? sign : 0)) };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/pipelines',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Create a pipeline (default config unless given)',
      tags: ['pipelines'],
      body: Type.Intersect([PipelineBody, Type.Object({ name: Type.String({ minLength: 1 }) })]),
      handler: async ({ body }) => {
        const pipeline = await pipelines<{ uuid: string }>('create', body);
        return { uuid: pipeline.uuid, pipeline };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/pipelines/_/metadata',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'The config sections and fields of pipelines, for forms',
      tags: ['pipelines'],
      handler: () => pipelines('metadata'),
    },
    {
      method: 'GET',
      url: '/api/v1/pipelines/:uuid',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'One pipeline',
      tags: ['pipelines'],
      params: ByUuid,
      handler: async ({ params }) => ({ pipeline: await pipelines('get', { uuid: params.uuid }) }),
    },
    {
      method: 'PUT',
      url: '/api/v1/pipelines/:uuid',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Change a pipeline',
      tags: ['pipelines'],
      params: ByUuid,
      body: PipelineBody,
      handler: async ({ params, body }) => ({ pipeline: await pipelines('update', { ...body, uuid: params.uuid }) }),
    },
    {
      method: 'DELETE',
      url: '/api/v1/pipelines/:uuid',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Delete a pipeline',
      tags: ['pipelines'],
      params: ByUuid,
      handler: ({ params }) => pipelines('delete', { uuid: params.uuid }),
    },
    {
      method: 'POST',
      url: '/api/v1/pipelines/:uuid/copy',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Copy a pipeline',
      tags: ['pipelines'],
      params: ByUuid,
      body: Type.Optional(Type.Object({ name: Type.Optional(Type.String({ minLength: 1 })) })),
      handler: async ({ params, body }) => {
        const copy = await pipelines<{ uuid: string }>('copy', { uuid: params.uuid, ...(body?.name ? { name: body.name } : {}) });
        return { uuid: copy.uuid, pipeline: copy };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/pipelines/:uuid/extensions',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Which extensions’ tools and MCP servers the pipeline’s runner gets',
      tags: ['pipelines'],
      params: ByUuid,
      handler: ({ params }) => prefs(params.uuid),
    },
    {
      method: 'PUT',
      url: '/api/v1/pipelines/:uuid/extensions',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Choose the extensions and MCP servers the pipeline’s runner gets',
      tags: ['pipelines'],
      params: ByUuid,
      body: Preferences,
      handler: async ({ params, body }) => {
        const current = (await pipelines<{ extensions_preferences?: Record<string, unknown> }>('get', { uuid: params.uuid })).extensions_preferences ?? {};
        const next = {
          ...current,
          ...(body.enable_all_plugins !== undefined ? { enable_all_plugins: body.enable_all_plugins } : {}),
          ...(body.enable_all_mcp_servers !== undefined ? { enable_all_mcp_servers: body.enable_all_mcp_servers } : {}),
          ...(body.bound_plugins !== undefined ? { plugins: body.bound_plugins.map((p: string | { name: string }) => (typeof p === 'string' ? p : p.name)) } : {}),
          ...(body.bound_mcp_servers !== undefined ? { mcp_servers: body.bound_mcp_servers } : {}),
          ...(body.bound_mcp_resources !== undefined ? { mcp_resources: body.bound_mcp_resources } : {}),
          ...(body.mcp_resource_agent_read_enabled !== undefined ? { mcp_resource_agent_read_enabled: body.mcp_resource_agent_read_enabled } : {}),
        };
        await pipelines('update', { uuid: params.uuid, extensions_preferences: next });
        return prefs(params.uuid);
      },
    },
  ]);
}
