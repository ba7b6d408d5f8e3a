/** `/api/v1/platform/*`: adapters (what they support, their config forms) and bots (CRUD, logs, sending). */
import { Type } from '@sinclair/typebox';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { notFound } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';

const ByUuid = Type.Object({ uuid: Type.String({ minLength: 1 }) });
const BotBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  description: Type.Optional(Type.String({ maxLength: 2048 })),
  adapter: Type.Optional(Type.String({ minLength: 1 })),
  adapter_config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  enable: Type.Optional(Type.Boolean()),
  event_handlers: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
});

interface AdapterEntry {
  key: string;
  owner: string;
  entry: { id: string; displayName?: unknown; description?: unknown; icon?: string; supportedEvents: string[]; supportedApis: string[]; platformSpecificApis?: string[]; streaming?: boolean; webhook?: boolean; config?: unknown };
}

interface HandlerEntry {
  key: string;
  owner: string;
  entry: { type: string; displayName?: unknown; description?: unknown; config?: unknown };
}

const adapterView = (a: AdapterEntry) => ({
  name: a.key,
  extension: a.owner,
  label: a.entry.displayName ?? a.key,
  description: a.entry.description ?? '',
  supported_events: a.entry.supportedEvents,
  supported_apis: a.entry.supportedApis,
  platform_specific_apis: a.entry.platformSpecificApis ?? [],
  streaming: a.entry.streaming === true,
  webhook: a.entry.webhook === true,
  config: a.entry.config ?? { type: 'object', properties: {} },
});

export function botRoutes(ctx: Pick<ExtensionContext, 'call'>, baseUrl: () => string) {
  const bots = <T = any>(method: string, args: Record<string, unknown> = {}) => ctx.call<T>('bots', method, args);
  const adapters = async () => (await ctx.call<AdapterEntry[]>('contributions', 'list', { point: 'adapters' })).map(adapterView);
  const runtimeValues = async (bot: { uuid: string; adapter: string }) => {
    const status = await bots<{ account_id?: string }>('status', { uuid: bot.uuid });
    const webhook = (await adapters()).find((a) => a.name === bot.adapter)?.webhook === true;
    const path = `/bots/${bot.uuid}`;
    return { bot_account_id: status.account_id ?? null, ...(webhook ? { webhook_url: path, webhook_full_url: `${baseUrl()}${path}` } : {}) };
  };
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/platform/adapters',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Installed adapters with their events, APIs and config forms',
      tags: ['platform'],
      handler: async () => ({ adapters: await adapters() }),
    },
    {
      method: 'GET',
      url: '/api/v1/platform/event-handlers',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Installed event handlers (what a bot rule can name) with their config forms',
      tags: ['platform'],
      handler: async () => ({
        handlers: (await ctx.call<HandlerEntry[]>('contributions', 'list', { point: 'eventHandlers' })).map((h) => ({
          type: h.key,
          extension: h.owner,
          label: h.entry.displayName ?? h.key,
          description: h.entry.description ?? '',
          config: h.entry.config ?? null,
        })),
      }),
    },
    {
      method: 'GET',
      url: '/api/v1/platform/adapters/:name',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'One adapter',
      tags: ['platform'],
      params: Type.Object({ name: Type.String() }),
      handler: async ({ params }) => {
        const found = (await adapters()).find((a) => a.name === params.name);
        if (!found) throw notFound(`No adapter '${params.name}'.`);
        return { adapter: found };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/platform/bots',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Bots, secrets in their adapter config masked',
      tags: ['platform'],
      handler: async () => {
        const list = await bots<{ uuid: string }[]>('list');
        return { bots: await Promise.all(list.map(async (b) => ({ ...b, status: await bots('status', { uuid: b.uuid }) }))) };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/platform/bots',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Create a bot (started when enabled)',
      tags: ['platform'],
      body: Type.Intersect([BotBody, Type.Object({ name: Type.String({ minLength: 1 }), adapter: Type.String({ minLength: 1 }) })]),
      handler: async ({ body }) => {
        const bot = await bots<{ uuid: string }>('create', body);
        return { uuid: bot.uuid, bot };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/platform/bots/:uuid',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'One bot with its state and webhook URL',
      tags: ['platform'],
      params: ByUuid,
      handler: async ({ params }) => {
        const bot = await bots<{ uuid: string; adapter: string }>('get', { uuid: params.uuid });
        return { bot: { ...bot, status: await bots('status', { uuid: bot.uuid }), adapter_runtime_values: await runtimeValues(bot) } };
      },
    },
    {
      method: 'PUT',
      url: '/api/v1/platform/bots/:uuid',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Change a bot; its adapter restarts when its config changes',
      tags: ['platform'],
      params: ByUuid,
      body: BotBody,
      handler: async ({ params, body }) => ({ bot: await bots('update', { ...body, uuid: params.uuid }) }),
    },
    {
      method: 'DELETE',
      url: '/api/v1/platform/bots/:uuid',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Stop and delete a bot',
      tags: ['platform'],
      params: ByUuid,
      handler: async ({ params }) => bots('delete', { uuid: params.uuid }),
    },
    {
      method: 'POST',
      url: '/api/v1/platform/bots/:uuid/logs',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'The bot’s recent events, newest first',
      tags: ['platform'],
      params: ByUuid,
      body: Type.Optional(Type.Object({ from_index: Type.Optional(Type.Integer()), max_count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) })),
      handler: async ({ params, body }) => {
        const all = (await bots<unknown[]>('events', { uuid: params.uuid })).reverse();
        const from = body?.from_index !== undefined && body.from_index >= 0 ? body.from_index : 0;
        return { logs: all.slice(from, from + (body?.max_count ?? 10)), total_count: all.length };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/platform/bots/:uuid/send_message',
      auth: 'key',
      permission: 'runtime.operate',
      summary: 'Send a message as the bot (API keys only)',
      tags: ['platform'],
      params: ByUuid,
      body: Type.Object({
        target_type: Type.Union([Type.Literal('person'), Type.Literal('group'), Type.Literal('private')]),
        target_id: Type.Union([Type.String({ minLength: 1 }), Type.Number()]),
        message_chain: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1 }),
      }),
      handler: async ({ params, body }) => {
        const target_type = body.target_type === 'group' ? 'group' : 'private';
        await bots('api', { bot_uuid: params.uuid, api: 'send_message', args: { target_type, target_id: body.target_id, message: body.message_chain } });
        return { sent: true };
      },
    },
  ]);
}
