/** `/api/v1/extensions`: installed extensions with state and health; enable, disable, configure, read their logs. */
import { Type } from '@sinclair/typebox';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { badRequest } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';

const ById = Type.Object({ id: Type.String({ minLength: 1, maxLength: 214 }) });

export function extensionRoutes(ctx: Pick<ExtensionContext, 'call' | 'id'>) {
  const extensions = <T = any>(method: string, args: Record<string, unknown> = {}) => ctx.call<T>('extensions', method, args);
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/extensions',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Installed extensions with their state, health, permissions and contributions',
      tags: ['extensions'],
      handler: async () => ({ extensions: await extensions('list') }),
    },
    {
      method: 'GET',
      url: '/api/v1/extensions/:id',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'One extension with its config form and settings (secrets masked)',
      tags: ['extensions'],
      params: ById,
      handler: async ({ params }) => ({ extension: await extensions('get', { id: params.id }) }),
    },
    {
      method: 'GET',
      url: '/api/v1/extensions/:id/logs',
      auth: 'user_or_key',
      permission: 'audit.view',
      summary: 'The extension’s recent log lines, oldest first',
      tags: ['extensions'],
      params: ById,
      querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })) }),
      handler: async ({ params, query }) => ({ logs: await extensions('logs', { id: params.id, ...(query.limit ? { limit: Math.min(500, Math.max(1, Number(query.limit))) } : {}) }) }),
    },
    {
      method: 'POST',
      url: '/api/v1/extensions/:id/enable',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Enable an extension (it starts now)',
      tags: ['extensions'],
      params: ById,
      handler: async ({ params }) => ({ extension: await extensions('enable', { id: params.id }) }),
    },
    {
      method: 'POST',
      url: '/api/v1/extensions/:id/disable',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Disable an extension (it stops now)',
      tags: ['extensions'],
      params: ById,
      handler: async ({ params }) => {
        if (params.id === ctx.id) throw badRequest('The HTTP server cannot disable itself over HTTP; use `langbot ext disable` on the host.');
        return { extension: await extensions('disable', { id: params.id }) };
      },
    },
    {
      method: 'PUT',
      url: '/api/v1/extensions/:id/config',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Change an extension’s settings; it restarts with them',
      tags: ['extensions'],
      params: ById,
      body: Type.Object({ config: Type.Record(Type.String(), Type.Unknown()) }),
      handler: async ({ params, body }) => {
        if (params.id === ctx.id) throw badRequest('The HTTP server’s own settings are changed on the host (`langbot ext config langbot.http …`), so a mistake cannot lock everyone out.');
        return { extension: await extensions('configure', { id: params.id, config: body.config }) };
      },
    },
  ]);
}
