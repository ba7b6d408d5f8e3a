/** The `models` service: requesters, providers and models (stored, validated, keys masked), and calling them. */
import { REASONING_LEVELS, RpcError, RpcErrorCode, type ExtensionContext, type Implementation } from '@langbot-ts/sdk';
import { DEFAULT_TIMEOUT_MS, type ChatArgs, type ModelInvoker } from './invoke.js';
import { maskKey, unmaskKeys } from './keys.js';
import { MODEL_TYPES, type Model, type ModelFields, type ModelStore, type ModelType, type Provider } from './store.js';

const invalid = (msg: string) => new RpcError(RpcErrorCode.ValidationFailed, msg);
const ABILITIES = ['vision', 'func_call', 'reasoning'];
/** Provider fields that also control reasoning; a level plus one of these would send two conflicting settings. */
const REASONING_KEYS = ['reasoning_effort', 'thinking', 'enable_thinking', 'thinking_budget'];

function str(args: Record<string, unknown>, key: string): string {
  const value = args?.[key];
  if (typeof value !== 'string' || !value) throw invalid(`\`${key}\` must be a non-empty string.`);
  return value;
}

function typeOf(args: Record<string, unknown>): ModelType {
  const type = args?.type ?? 'llm';
  if (!MODEL_TYPES.includes(type as ModelType)) throw invalid(`\`type\` must be one of ${MODEL_TYPES.join(', ')}.`);
  return type as ModelType;
}

function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(`\`${key}\` must be a list of strings.`);
  return value as string[];
}

function modelFields(args: Record<string, unknown>, type: ModelType): ModelFields {
  const fields: ModelFields = {};
  if (args.name !== undefined) fields.name = str(args, 'name');
  if (args.provider_uuid !== undefined) fields.provider_uuid = str(args, 'provider_uuid');
  if (args.abilities !== undefined) {
    const abilities = stringList(args.abilities, 'abilities');
    const unknown = abilities.filter((a) => !ABILITIES.includes(a));
    if (unknown.length) throw invalid(`Unknown abilities: ${unknown.join(', ')} (known: ${ABILITIES.join(', ')}).`);
    if (type !== 'llm' && abilities.length) throw invalid('Only LLM models have abilities.');
    fields.abilities = abilities;
  }
  if (args.context_length !== undefined && args.context_length !== null) {
    if (!Number.isInteger(args.context_length) || (args.context_length as number) <= 0) throw invalid('`context_length` must be a positive integer.');
    fields.context_length = args.context_length as number;
  }
  if (args.reasoning_config !== undefined) {
    const level = (args.reasoning_config as { level?: unknown })?.level;
    if (!REASONING_LEVELS.includes(level as never)) throw invalid(`\`reasoning_config.level\` must be one of ${REASONING_LEVELS.join(', ')}.`);
    fields.reasoning_config = { level: level as (typeof REASONING_LEVELS)[number] };
  }
  if (args.extra_args !== undefined) {
    if (typeof args.extra_args !== 'object' || args.extra_args === null || Array.isArray(args.extra_args)) throw invalid('`extra_args` must be an object.');
    fields.extra_args = args.extra_args as Record<string, unknown>;
  }
  if (args.fallbacks !== undefined) fields.fallbacks = stringList(args.fallbacks, 'fallbacks');
  const level = fields.reasoning_config?.level;
  if (level && level !== 'provider_default' && fields.extra_args) {
    const body = fields.extra_args as Record<string, unknown> & { extra_body?: Record<string, unknown> };
    const clash = REASONING_KEYS.find((k) => k in body || (body.extra_body && k in body.extra_body));
    if (clash) throw invalid(`Reasoning is set twice: by \`reasoning_config.level\` (${level}) and by \`extra_args.${clash}\`. Keep one.`);
  }
  if (args.prefered_ranking !== undefined) {
    if (!Number.isInteger(args.prefered_ranking)) throw invalid('`prefered_ranking` must be an integer.');
    fields.prefered_ranking = args.prefered_ranking as number;
  }
  return fields;
}

const publicProvider = (p: Provider) => ({ ...p, api_keys: p.api_keys.map(maskKey) });

export function modelsService(ctx: ExtensionContext, store: ModelStore, invoker: ModelInvoker): Implementation {
  const checkRequester = async (id: string, type?: ModelType) => {
    const requester = await invoker.requester(id);
    if (type && !requester.modelTypes.includes(type)) throw invalid(`The requester '${id}' does not serve ${type} models (it serves ${requester.modelTypes.join(', ')}).`);
  };
  const counts = async (p: Provider) => {
    const [llm, embedding, rerank] = await Promise.all(MODEL_TYPES.map((t) => store.listModels(t, p.uuid)));
    return { ...publicProvider(p), llm_count: llm.length, embedding_count: embedding.length, rerank_count: rerank.length };
  };
  const test = async (model: Model) => {
    const started = Date.now();
    try {
      if (model.type === 'llm') {
        let text = '';
        for await (const item of invoker.chat({ model: { primary: model.uuid, fallbacks: [] }, messages: [{ role: 'user', content: 'Hello' }], stream: false })) if (item.type === 'delta') text += item.content ?? '';
        return { ok: true, latency_ms: Date.now() - started, reply: text.slice(0, 200) };
      }
      if (model.type === 'embedding') {
        const result = await invoker.embed({ model: model.uuid, input: ['Hello'] });
        return { ok: true, latency_ms: Date.now() - started, dimensions: result.vectors[0]?.length ?? 0 };
      }
      const result = await invoker.rerank({ model: model.uuid, query: 'hello', documents: ['hello world', 'goodbye'] });
      return { ok: true, latency_ms: Date.now() - started, results: result.results.length };
    } catch (error) {
      return { ok: false, latency_ms: Date.now() - started, error: error instanceof Error ? error.message : String(error), code: RpcError.is(error) ? error.code : undefined };
    }
  };

  return {
    requesters: async (args: { type?: unknown }) => {
      const all = await invoker.requesterList();
      return args?.type ? all.filter((r) => r.modelTypes.includes(String(args.type))) : all;
    },

    listProviders: async () => Promise.all((await store.listProviders()).map(counts)),
    getProvider: async (args) => counts(await store.provider(str(args, 'uuid'))),
    createProvider: async (args: Record<string, unknown>) => {
      const requester = str(args, 'requester');
      await checkRequester(requester);
      const provider = await store.createProvider({
        name: str(args, 'name'),
        requester,
        base_url: args.base_url === undefined ? '' : String(args.base_url),
        api_keys: args.api_keys === undefined ? [] : stringList(args.api_keys, 'api_keys'),
      });
      return publicProvider(provider);
    },
    updateProvider: async (args: Record<string, unknown>) => {
      const uuid = str(args, 'uuid');
      const stored = await store.provider(uuid);
      if (args.requester !== undefined) await checkRequester(str(args, 'requester'));
      const provider = await store.updateProvider(uuid, {
        ...(args.name !== undefined ? { name: str(args, 'name') } : {}),
        ...(args.requester !== undefined ? { requester: str(args, 'requester') } : {}),
        ...(args.base_url !== undefined ? { base_url: String(args.base_url) } : {}),
        ...(args.api_keys !== undefined ? { api_keys: unmaskKeys(stringList(args.api_keys, 'api_keys'), stored.api_keys) } : {}),
      });
      return publicProvider(provider);
    },
    deleteProvider: async (args) => {
      await store.deleteProvider(str(args, 'uuid'));
      return { deleted: true };
    },
    /** The models the provider offers, straight from its API. */
    scanModels: async (args) => {
      const provider = await store.provider(str(args, 'uuid'));
      return ctx.call('contributions', 'invoke', {
        point: 'requesters',
        id: provider.requester,
        method: 'listModels',
        args: { base_url: await invoker.baseUrl(provider), api_key: provider.api_keys[0] ?? '', timeout_ms: DEFAULT_TIMEOUT_MS },
      });
    },

    listModels: async (args: Record<string, unknown>) => store.listModels(typeOf(args), args?.provider_uuid ? String(args.provider_uuid) : undefined),
    getModel: async (args: Record<string, unknown>) => store.model(typeOf(args), str(args, 'uuid')),
    createModel: async (args: Record<string, unknown>) => {
      const type = typeOf(args);
      const fields = modelFields(args, type);
      if (!fields.name) throw invalid('`name` is required.');
      if (!fields.provider_uuid) throw invalid('`provider_uuid` is required.');
      await checkRequester((await store.provider(fields.provider_uuid)).requester, type);
      return store.createModel(type, { ...fields, name: fields.name, provider_uuid: fields.provider_uuid });
    },
    updateModel: async (args: Record<string, unknown>) => {
      const type = typeOf(args);
      return store.updateModel(type, str(args, 'uuid'), modelFields(args, type));
    },
    deleteModel: async (args: Record<string, unknown>) => {
      await store.deleteModel(typeOf(args), str(args, 'uuid'));
      return { deleted: true };
    },
    testModel: async (args: Record<string, unknown>) => test(await store.model(typeOf(args), str(args, 'uuid'))),

    /** Streams `{type:'model'}` first, then the requester's chunks; see ModelInvoker.chat. */
    chat: (args: ChatArgs) => {
      if (!Array.isArray(args?.messages)) throw invalid('`messages` must be a list.');
      return invoker.chat(args);
    },
    embed: async (args: Record<string, unknown>) => invoker.embed({ model: str(args, 'model'), input: stringList(args.input, 'input') }),
    rerank: async (args: Record<string, unknown>) =>
      invoker.rerank({ model: str(args, 'model'), query: str(args, 'query'), documents: stringList(args.documents, 'documents'), ...(Number.isInteger(args.top_n) ? { top_n: args.top_n as number } : {}) }),
  };
}
