/** `/api/v1/provider/*`: requesters, providers (keys masked) and LLM / embedding / rerank models, with tests. */
import { Type } from '@sinclair/typebox';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { defineRoutes, type RouteSpec } from '../api/routes.js';

/** Upstream's body names a model's fallbacks `fallback_models`; the models service calls them `fallbacks`. */
function modelFields(body: Record<string, unknown>): Record<string, unknown> {
  const { fallback_models, ...rest } = body;
  return fallback_models === undefined ? rest : { ...rest, fallbacks: fallback_models };
}

const ByUuid = Type.Object({ uuid: Type.String({ minLength: 1 }) });
const ProviderBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  requester: Type.Optional(Type.String({ minLength: 1 })),
  base_url: Type.Optional(Type.String()),
  api_keys: Type.Optional(Type.Array(Type.String())),
});
const ModelBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  provider_uuid: Type.Optional(Type.String()),
  provider: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  abilities: Type.Optional(Type.Array(Type.String())),
  context_length: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  reasoning_config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  extra_args: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  prefered_ranking: Type.Optional(Type.Integer()),
  fallback_models: Type.Optional(Type.Array(Type.String())),
});
const MODEL_TYPES = ['llm', 'embedding', 'rerank'] as const;

export function modelRoutes(ctx: Pick<ExtensionContext, 'call'>) {
  const models = <T = any>(method: string, args: Record<string, unknown> = {}) => ctx.call<T>('models', method, args);
  const perType = (type: (typeof MODEL_TYPES)[number]): RouteSpec[] => [
    {
      method: 'GET',
      url: `/api/v1/provider/models/${type}`,
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: `${type} models`,
      tags: ['models'],
      querystring: Type.Object({ provider_uuid: Type.Optional(Type.String()) }),
      handler: async ({ query }) => ({ models: await models('listModels', { type, ...(query.provider_uuid ? { provider_uuid: query.provider_uuid } : {}) }) }),
    },
    {
      method: 'POST',
      url: `/api/v1/provider/models/${type}`,
      auth: 'user_or_key',
      permission: 'provider_secret.manage',
      summary: `Create a ${type} model`,
      tags: ['models'],
      body: Type.Intersect([ModelBody, Type.Object({ name: Type.String({ minLength: 1 }) })]),
      handler: async ({ body }) => {
        const model = await models<{ uuid: string }>('createModel', { ...modelFields(body), type });
        return { uuid: model.uuid, model };
      },
    },
    {
      method: 'GET',
      url: `/api/v1/provider/models/${type}/:uuid`,
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: `One ${type} model`,
      tags: ['models'],
      params: ByUuid,
      handler: async ({ params }) => ({ model: await models('getModel', { type, uuid: params.uuid }) }),
    },
    {
      method: 'PUT',
      url: `/api/v1/provider/models/${type}/:uuid`,
      auth: 'user_or_key',
      permission: 'provider_secret.manage',
      summary: `Change a ${type} model`,
      tags: ['models'],
      params: ByUuid,
      body: ModelBody,
      handler: async ({ params, body }) => ({ model: await models('updateModel', { ...modelFields(body), type, uuid: params.uuid }) }),
    },
    {
      method: 'DELETE',
      url: `/api/v1/provider/models/${type}/:uuid`,
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: `Delete a ${type} model`,
      tags: ['models'],
      params: ByUuid,
      handler: ({ params }) => models('deleteModel', { type, uuid: params.uuid }),
    },
    {
      method: 'POST',
      url: `/api/v1/provider/models/${type}/:uuid/test`,
      auth: 'user_or_key',
      permission: 'provider_secret.manage',
      summary: `Call the ${type} model once to see that it answers`,
      tags: ['models'],
      params: ByUuid,
      handler: ({ params }) => models('testModel', { type, uuid: params.uuid }),
    },
  ];
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/provider/requesters',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Installed requesters (provider kinds) with their presets',
      tags: ['models'],
      querystring: Type.Object({ type: Type.Optional(Type.String()) }),
      handler: async ({ query }) => ({ requesters: await models('requesters', query.type ? { type: query.type } : {}) }),
    },
    {
      method: 'GET',
      url: '/api/v1/provider/providers',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'Providers, keys masked, with model counts',
      tags: ['models'],
      handler: async () => ({ providers: await models('listProviders') }),
    },
    {
      method: 'POST',
      url: '/api/v1/provider/providers',
      auth: 'user_or_key',
      permission: 'provider_secret.manage',
      summary: 'Create a provider',
      tags: ['models'],
      body: Type.Intersect([ProviderBody, Type.Object({ name: Type.String({ minLength: 1 }), requester: Type.String({ minLength: 1 }) })]),
      handler: async ({ body }) => {
        const provider = await models<{ uuid: string }>('createProvider', body);
        return { uuid: provider.uuid, provider };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/provider/providers/:uuid',
      auth: 'user_or_key',
      permission: 'resource.view',
      summary: 'One provider',
      tags: ['models'],
      params: ByUuid,
      handler: async ({ params }) => ({ provider: await models('getProvider', { uuid: params.uuid }) }),
    },
    {
      method: 'PUT',
      url: '/api/v1/provider/providers/:uuid',
      auth: 'user_or_key',
      permission: 'provider_secret.manage',
      summary: 'Change a provider (a masked key sent back keeps the stored key)',
      tags: ['models'],
      params: ByUuid,
      body: ProviderBody,
      handler: async ({ params, body }) => ({ provider: await models('updateProvider', { ...body, uuid: params.uuid }) }),
    },
    {
      method: 'DELETE',
      url: '/api/v1/provider/providers/:uuid',
      auth: 'user_or_key',
      permission: 'resource.manage',
      summary: 'Delete a provider',
      tags: ['models'],
      params: ByUuid,
      handler: ({ params }) => models('deleteProvider', { uuid: params.uuid }),
    },
    {
      method: 'GET',
      url: '/api/v1/provider/providers/:uuid/scan-models',
      auth: 'user_or_key',
      permission: 'provider_secret.manage',
      summary: 'The models the provider offers',
      tags: ['models'],
      params: ByUuid,
      querystring: Type.Object({ type: Type.Optional(Type.Union(MODEL_TYPES.map((t) => Type.Literal(t)))) }),
      handler: ({ params, query }) => models('scanModels', { uuid: params.uuid, ...(query.type ? { type: query.type } : {}) }),
    },
    ...MODEL_TYPES.flatMap(perType),
  ]);
}
