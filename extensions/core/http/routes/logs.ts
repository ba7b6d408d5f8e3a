/**
 * `/api/v1/logs`: the process log for the console's Logs page, every extension's recent lines (and the kernel's)
 * merged in the order they were written. The first call answers the newest lines and a `cursor`; passing it back
 * as `after` answers only what came since, so the page can poll to tail the log. Secrets were redacted when the
 * lines were logged.
 */
import { Type } from '@sinclair/typebox';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { badRequest } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';
import { integer } from '../monitoring/filters.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export function logRoutes(ctx: Pick<ExtensionContext, 'call'>) {
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/logs',
      auth: 'user',
      permission: 'audit.view',
      summary: 'The process log, all extensions merged in order; poll with `after=<cursor>` to tail it',
      tags: ['system'],
      querystring: Type.Object({
        after: Type.Optional(Type.String({ description: 'The cursor of the previous answer: only newer lines, oldest first' })),
        limit: Type.Optional(Type.String({ description: '1–1000, default 200' })),
        level: Type.Optional(Type.String({ description: `Minimum level: ${LEVELS.join(' | ')}` })),
        extension: Type.Optional(Type.String({ description: 'Only this extension’s lines (`kernel` for the kernel’s)' })),
      }),
      handler: async ({ query }) => {
        if (query.level !== undefined && !LEVELS.includes(query.level)) throw badRequest(`level must be one of ${LEVELS.join(', ')}.`);
        if (query.extension !== undefined && (query.extension.length === 0 || query.extension.length > 214)) throw badRequest('extension must be an extension id.');
        const after = query.after === undefined || query.after === '' ? undefined : integer(query, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
        const page = await ctx.call<{ entries: unknown[]; cursor: number; has_more: boolean }>('extensions', 'processLogs', {
          ...(after !== undefined ? { after } : {}),
          limit: integer(query, 'limit', 200, 1, 1000),
          ...(query.level ? { level: query.level } : {}),
          ...(query.extension ? { extension: query.extension } : {}),
        });
        return { logs: page.entries, cursor: page.cursor, has_more: page.has_more };
      },
    },
  ]);
}
