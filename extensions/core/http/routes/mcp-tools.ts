/** `/api/v1/mcp/servers` (MCP servers: CRUD, test, tools, logs) and `/api/v1/tools` (the catalog a runner sees). */
import { Type } from '@sinclair/typebox';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { notFound } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';

const ByUuid = Type.Object({ uuid: Type.String({ minLength: 1 }) });
const ServerBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  mode: Type.Optional(Type.Union([Type.Literal('stdio'), Type.Literal('remote'), Type.Literal('http'), Type.Literal('sse')])),
  enable: Type.Optional(Type.Boolean()),
  extra_args: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  readme: Type.Optional(Type.String()),
});

export function mcpAndToolRoutes(ctx: Pick<ExtensionContext, 'call'>) {
  const mcp = <T = any>(method: string, args: Record<string, unknown> = {}) => ctx.call<T>('mcp', method, args);
  const tools = <T = any>(method: string, args: Record<string, unknown> = {}) => ctx.call<T>('tools', method, args);
  const preferencesOf = async (pipeline_uuid?: string) =>
    pipeline_uuid ? ((await ctx.call<{ extensions_preferences?: Record<string, unknown> }>('pipelines', 'get', { uuid: pipeline_uuid })).extensions_preferences ?? {}) : {};
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/mcp/servers',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'MCP servers with their connection state (secrets masked)',
      tags: ['mcp'],
      handler: async () => ({ servers: await mcp('list') }),
    },
    {
      method: 'POST',
      url: '/api/v1/mcp/servers',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Add an MCP server (connected in the background when enabled)',
      tags: ['mcp'],
      body: Type.Intersect([ServerBody, Type.Object({ name: Type.String({ minLength: 1 }), mode: Type.String() })]),
      handler: async ({ body }) => {
        const server = await mcp<{ uuid: string }>('create', body);
        return { uuid: server.uuid, server };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/mcp/servers/_/test',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Connect to an MCP server described in the body once, without saving it',
      tags: ['mcp'],
      body: Type.Intersect([ServerBody, Type.Object({ name: Type.String({ minLength: 1 }), mode: Type.String() })]),
      handler: ({ body }) => mcp('test', body),
    },
    {
      method: 'GET',
      url: '/api/v1/mcp/servers/:uuid',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'One MCP server',
      tags: ['mcp'],
      params: ByUuid,
      handler: async ({ params }) => ({ server: await mcp('get', { uuid: params.uuid }) }),
    },
    {
      method: 'PUT',
      url: '/api/v1/mcp/servers/:uuid',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Change an MCP server (masked secrets sent back keep their values)',
      tags: ['mcp'],
      params: ByUuid,
      body: ServerBody,
      handler: async ({ params, body }) => ({ server: await mcp('update', { ...body, uuid: params.uuid }) }),
    },
    {
      method: 'DELETE',
      url: '/api/v1/mcp/servers/:uuid',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Remove an MCP server',
      tags: ['mcp'],
      params: ByUuid,
      handler: ({ params }) => mcp('delete', { uuid: params.uuid }),
    },
    {
      method: 'POST',
      url: '/api/v1/mcp/servers/:uuid/test',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Connect to a stored MCP server once and report what it offers',
      tags: ['mcp'],
      params: ByUuid,
      handler: ({ params }) => mcp('test', { uuid: params.uuid }),
    },
    {
      method: 'GET',
      url: '/api/v1/mcp/servers/:uuid/tools',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'The tools a connected MCP server offers',
      tags: ['mcp'],
      params: ByUuid,
      handler: async ({ params }) => ({ tools: await mcp('tools', { uuid: params.uuid }) }),
    },
    {
      method: 'GET',
      url: '/api/v1/mcp/servers/:uuid/logs',
      auth: 'user_or_key',
      permission: 'audit.view',
      summary: 'Connection log of an MCP server (including a stdio server’s stderr)',
      tags: ['mcp'],
      params: ByUuid,
      handler: async ({ params }) => ({ logs: await mcp('logs', { uuid: params.uuid }) }),
    },
    {
      method: 'GET',
      url: '/api/v1/tools',
      auth: 'user',
      permission: 'resource.view',
      summary: 'The tool catalog, optionally as a pipeline’s runner sees it',
      tags: ['tools'],
      querystring: Type.Object({ pipeline_uuid: Type.Optional(Type.String()) }),
      handler: async ({ query }) => ({ tools: await tools('list', { preferences: await preferencesOf(query.pipeline_uuid) }) }),
    },
    {
      method: 'GET',
      url: '/api/v1/tools/:name',
      auth: 'user',
      permission: 'resource.view',
      summary: 'One tool',
      tags: ['tools'],
      params: Type.Object({ name: Type.String({ minLength: 1 }) }),
      handler: async ({ params }) => {
        const found = (await tools<{ name: string }[]>('list', {})).find((t) => t.name === params.name);
        if (!found) throw notFound(`No tool '${params.name}'.`);
        return { tool: found };
      },
    },
  ]);
}
