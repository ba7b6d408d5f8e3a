/** `/api/v1/apikeys`: keys for programs. The secret is shown once, stored only as a SHA-256 hash. */
import { Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../api/envelope.js';
import { defineRoutes } from '../api/routes.js';
import { PERMISSIONS } from '../auth/guard.js';
import type { AuthStore } from '../auth/store.js';

const Scope = Type.Union([Type.Literal('*'), ...PERMISSIONS.map((p) => Type.Literal(p))]);
const ByUuid = Type.Object({ uuid: Type.String({ minLength: 1 }) });

export function apiKeyRoutes(store: AuthStore) {
  const find = async (uuid: string) => {
    const key = await store.apiKey(uuid);
    if (!key) throw notFound(`No API key '${uuid}'.`);
    return key;
  };
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/apikeys',
      auth: 'user',
      permission: 'api_key.manage',
      summary: 'List API keys (never their secrets)',
      tags: ['apikeys'],
      handler: async () => ({ keys: await store.apiKeys() }),
    },
    {
      method: 'POST',
      url: '/api/v1/apikeys',
      auth: 'user',
      permission: 'api_key.manage',
      summary: 'Create an API key; the answer holds its secret, shown this once',
      tags: ['apikeys'],
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 255 }),
        description: Type.Optional(Type.String({ maxLength: 512 })),
        scopes: Type.Optional(Type.Array(Scope, { minItems: 1, uniqueItems: true })),
        expires_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
      }),
      handler: async ({ body, principal }) => {
        if (body.expires_at && Date.parse(body.expires_at) <= Date.now()) throw badRequest('`expires_at` is in the past.');
        const { key, record } = await store.createApiKey({
          name: body.name,
          description: body.description ?? '',
          scopes: body.scopes ?? ['*'],
          expires_at: body.expires_at ?? null,
          created_by: principal?.kind === 'user' ? principal.uuid : null,
        });
        return { ...record, key };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/apikeys/:uuid',
      auth: 'user',
      permission: 'api_key.manage',
      summary: 'One API key',
      tags: ['apikeys'],
      params: ByUuid,
      handler: async ({ params }) => ({ key: await find(params.uuid) }),
    },
    {
      method: 'PUT',
      url: '/api/v1/apikeys/:uuid',
      auth: 'user',
      permission: 'api_key.manage',
      summary: 'Rename, describe or revoke an API key',
      tags: ['apikeys'],
      params: ByUuid,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        description: Type.Optional(Type.String({ maxLength: 512 })),
        status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('revoked')])),
      }),
      handler: async ({ params, body }) => {
        await find(params.uuid);
        await store.updateApiKey(params.uuid, body);
        return { key: await find(params.uuid) };
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/apikeys/:uuid',
      auth: 'user',
      permission: 'api_key.manage',
      summary: 'Delete an API key',
      tags: ['apikeys'],
      params: ByUuid,
      handler: async ({ params }) => {
        if (!(await store.deleteApiKey(params.uuid))) throw notFound(`No API key '${params.uuid}'.`);
        return {};
      },
    },
  ]);
}
