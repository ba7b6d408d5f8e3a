/**
 * `/api/v1/webhooks`: outbound event webhooks. Each enabled webhook receives the bots' platform events it asks for
 * as signed JSON POSTs (see ../webhooks/). The secret is never shown: answers carry `******` when one is set, and
 * `******` sent back keeps the stored one.
 */
import { Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { isEventPattern } from '../webhooks/events.js';
import type { Webhook, WebhookFields, WebhookStore } from '../webhooks/store.js';

export const MASK = '******';

const ById = Type.Object({ id: Type.String({ minLength: 1 }) });
const Fields = {
  name: Type.String({ minLength: 1, maxLength: 255 }),
  url: Type.String({ minLength: 1, maxLength: 1024 }),
  description: Type.String({ maxLength: 512 }),
  enabled: Type.Boolean(),
  events: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 64, uniqueItems: true }),
  secret: Type.String({ maxLength: 256 }),
};
const Changes = Type.Object({
  name: Type.Optional(Fields.name),
  url: Type.Optional(Fields.url),
  description: Type.Optional(Fields.description),
  enabled: Type.Optional(Fields.enabled),
  events: Type.Optional(Fields.events),
  secret: Type.Optional(Fields.secret),
});

type Body = Partial<WebhookFields>;

function checked(body: Body): Body {
  if (body.name !== undefined && !body.name.trim()) throw badRequest('`name` must not be blank.');
  if (body.url !== undefined) {
    let url: URL;
    try {
      url = new URL(body.url);
    } catch {
      throw badRequest('`url` is not a valid URL.');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('`url` must be an http:// or https:// address.');
    if (url.username || url.password) throw badRequest('`url` must not carry a user name or password; use `secret` to sign deliveries.');
  }
  const bad = body.events?.find((e) => !isEventPattern(e));
  if (bad !== undefined) throw badRequest(`\`events\` holds '${bad}', which is neither '*', an event type (e.g. 'message.received') nor a namespace (e.g. 'message.*').`);
  return { ...body, ...(body.name !== undefined ? { name: body.name.trim() } : {}) };
}

export function webhookRoutes(store: WebhookStore, dispatcher: WebhookDispatcher, maxWebhooks: () => number) {
  const view = (hook: Webhook) => {
    const { secret, ...rest } = hook;
    return { id: hook.uuid, ...rest, secret: secret ? MASK : '', delivery_stats: dispatcher.stats(hook.uuid) };
  };
  const find = async (id: string) => {
    const hook = await store.get(id);
    if (!hook) throw notFound(`No webhook '${id}'.`);
    return hook;
  };
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/webhooks',
      auth: 'user',
      permission: 'resource.view',
      summary: 'Outbound webhooks, with the outcome of their last delivery',
      tags: ['webhooks'],
      handler: async () => ({ webhooks: (await store.list()).map(view) }),
    },
    {
      method: 'POST',
      url: '/api/v1/webhooks',
      auth: 'user',
      permission: 'resource.manage',
      summary: 'Create an outbound webhook: platform events are POSTed to its URL as signed JSON',
      tags: ['webhooks'],
      body: Type.Object({ ...Changes.properties, name: Fields.name, url: Fields.url }),
      handler: async ({ body }) => {
        const fields = checked(body);
        if (fields.secret === MASK) throw badRequest(`\`secret\` cannot be '${MASK}' on a new webhook.`);
        const limit = maxWebhooks();
        if ((await store.count()) >= limit) throw badRequest(`There are already ${limit} webhooks, the most allowed (setting maxWebhooks).`);
        const hook = await store.create({ name: fields.name!, url: fields.url!, description: fields.description ?? '', enabled: fields.enabled ?? true, events: fields.events ?? ['*'], secret: fields.secret ?? '' });
        await dispatcher.refresh();
        return { id: hook.uuid, webhook: view(hook) };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/webhooks/:id',
      auth: 'user',
      permission: 'resource.view',
      summary: 'One webhook, with the outcome of its last delivery',
      tags: ['webhooks'],
      params: ById,
      handler: async ({ params }) => ({ webhook: view(await find(params.id)) }),
    },
    {
      method: 'PUT',
      url: '/api/v1/webhooks/:id',
      auth: 'user',
      permission: 'resource.manage',
      summary: 'Change a webhook; a secret of ****** keeps the stored one, an empty one stops signing',
      tags: ['webhooks'],
      params: ById,
      body: Changes,
      handler: async ({ params, body }) => {
        await find(params.id);
        const fields = checked(body);
        if (fields.secret === MASK) delete fields.secret;
        await store.update(params.id, fields);
        await dispatcher.refresh();
        return { webhook: view(await find(params.id)) };
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/webhooks/:id',
      auth: 'user',
      permission: 'resource.manage',
      summary: 'Delete a webhook; events still queued for it are dropped',
      tags: ['webhooks'],
      params: ById,
      handler: async ({ params }) => {
        if (!(await store.delete(params.id))) throw notFound(`No webhook '${params.id}'.`);
        await dispatcher.refresh();
        return {};
      },
    },
  ]);
}
