/**
 * Providers and models in the application database, in this extension's own tables (upstream's names and columns):
 * `model_providers`, `llm_models`, `embedding_models`, `rerank_models`. JSON columns are text.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { RpcError, RpcErrorCode, runMigrations, type Migration, type ReasoningLevel } from '@langbot-ts/sdk';

export const MODEL_TYPES = ['llm', 'embedding', 'rerank'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];
const TABLE: Record<ModelType, 'llm_models' | 'embedding_models' | 'rerank_models'> = { llm: 'llm_models', embedding: 'embedding_models', rerank: 'rerank_models' };

interface ProviderRow {
  uuid: string;
  workspace_uuid: string | null;
  name: string;
  requester: string;
  base_url: string;
  api_keys: string;
  created_at: string;
  updated_at: string;
}
interface ModelRow {
  uuid: string;
  workspace_uuid: string | null;
  name: string;
  provider_uuid: string;
  abilities: string;
  context_length: number | null;
  reasoning_config: string;
  extra_args: string;
  fallbacks: string;
  prefered_ranking: number;
  created_at: string;
  updated_at: string;
}
export interface ModelsDatabase {
  model_providers: ProviderRow;
  llm_models: ModelRow;
  embedding_models: ModelRow;
  rerank_models: ModelRow;
}

const modelTable = (db: Kysely<any>, name: string) => {
  return db.schema
    .createTable(name)
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('workspace_uuid', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provider_uuid', 'text', (c) => c.notNull())
    .addColumn('extra_args', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('prefered_ranking', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('abilities', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('context_length', 'integer')
    .addColumn('reasoning_config', 'text', (c) => c.notNull().defaultTo('{"level":"provider_default"}'))
    .addColumn('fallbacks', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
};

export const MODELS_NAMESPACE = 'langbot.models';
const MIGRATIONS: Migration[] = [
  {
    name: '0001_providers_and_models',
    async up(db) {
      await db.schema
        .createTable('model_providers')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .addColumn('workspace_uuid', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('requester', 'text', (c) => c.notNull())
        .addColumn('base_url', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('api_keys', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await modelTable(db, 'llm_models');
      await modelTable(db, 'embedding_models');
      await modelTable(db, 'rerank_models');
    },
  },
];

export interface Provider {
  uuid: string;
  name: string;
  requester: string;
  base_url: string;
  api_keys: string[];
  created_at: string;
  updated_at: string;
}

export interface Model {
  uuid: string;
  type: ModelType;
  name: string;
  provider_uuid: string;
  /** `vision`, `func_call`, `reasoning` (llm only). */
  abilities: string[];
  context_length: number | null;
  reasoning_config: { level: ReasoningLevel };
  extra_args: Record<string, unknown>;
  /** Models of the same type tried in order when this one fails. */
  fallbacks: string[];
  prefered_ranking: number;
  created_at: string;
  updated_at: string;
}

const json = <T>(text: unknown, fallback: T): T => {
  try {
    return text ? (JSON.parse(String(text)) as T) : fallback;
  } catch {
    return fallback;
  }
};

const toProvider = (r: ProviderRow): Provider => ({ uuid: r.uuid, name: r.name, requester: r.requester, base_url: r.base_url, api_keys: json(r.api_keys, []), created_at: r.created_at, updated_at: r.updated_at });
const toModel = (type: ModelType, r: ModelRow): Model => ({
  uuid: r.uuid,
  type,
  name: r.name,
  provider_uuid: r.provider_uuid,
  abilities: json(r.abilities, []),
  context_length: r.context_length === null ? null : Number(r.context_length),
  reasoning_config: json(r.reasoning_config, { level: 'provider_default' }),
  extra_args: json(r.extra_args, {}),
  fallbacks: json(r.fallbacks, []),
  prefered_ranking: Number(r.prefered_ranking),
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export type ProviderFields = Partial<Pick<Provider, 'name' | 'requester' | 'base_url' | 'api_keys'>>;
export type ModelFields = Partial<Pick<Model, 'name' | 'provider_uuid' | 'abilities' | 'context_length' | 'reasoning_config' | 'extra_args' | 'fallbacks' | 'prefered_ranking'>>;

export class ModelStore {
  private readonly models = new Map<string, Model>();
  private readonly providers = new Map<string, Provider>();

  constructor(private readonly db: Kysely<ModelsDatabase>) {}

  migrate(): Promise<string[]> {
    return runMigrations(this.db, MIGRATIONS, MODELS_NAMESPACE);
  }

  async listProviders(): Promise<Provider[]> {
    return (await this.db.selectFrom('model_providers').selectAll().orderBy('created_at').execute()).map(toProvider);
  }

  async provider(uuid: string): Promise<Provider> {
    const cached = this.providers.get(uuid);
    if (cached) return cached;
    const row = await this.db.selectFrom('model_providers').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    if (!row) throw new RpcError(RpcErrorCode.NotFound, `No provider '${uuid}'.`, { uuid });
    const provider = toProvider(row);
    this.providers.set(uuid, provider);
    return provider;
  }

  async createProvider(fields: Required<Pick<Provider, 'name' | 'requester'>> & ProviderFields): Promise<Provider> {
    const now = new Date().toISOString();
    const uuid = randomUUID();
    await this.db
      .insertInto('model_providers')
      .values({ uuid, workspace_uuid: null, name: fields.name, requester: fields.requester, base_url: fields.base_url ?? '', api_keys: JSON.stringify(fields.api_keys ?? []), created_at: now, updated_at: now })
      .execute();
    return this.provider(uuid);
  }

  async updateProvider(uuid: string, fields: ProviderFields): Promise<Provider> {
    await this.provider(uuid);
    const set: Record<string, unknown> = { updated_at: new Date().toISOString() };
    for (const key of ['name', 'requester', 'base_url'] as const) if (fields[key] !== undefined) set[key] = fields[key];
    if (fields.api_keys !== undefined) set.api_keys = JSON.stringify(fields.api_keys);
    await this.db.updateTable('model_providers').set(set).where('uuid', '=', uuid).execute();
    this.providers.delete(uuid);
    return this.provider(uuid);
  }

  async deleteProvider(uuid: string): Promise<void> {
    await this.provider(uuid);
    const users = (await Promise.all(MODEL_TYPES.map((t) => this.listModels(t, uuid)))).flat();
    if (users.length) {
      throw new RpcError(RpcErrorCode.ValidationFailed, `The provider is used by ${users.length} model(s): ${users.map((m) => m.name).join(', ')}. Delete or move them first.`, { models: users.map((m) => m.uuid) });
    }
    await this.db.deleteFrom('model_providers').where('uuid', '=', uuid).execute();
    this.providers.delete(uuid);
  }

  async listModels(type: ModelType, providerUuid?: string): Promise<Model[]> {
    let query = this.db.selectFrom(TABLE[type]).selectAll().orderBy('prefered_ranking', 'desc').orderBy('created_at');
    if (providerUuid) query = query.where('provider_uuid', '=', providerUuid);
    return (await query.execute()).map((r) => toModel(type, r as ModelRow));
  }

  async model(type: ModelType, uuid: string): Promise<Model> {
    const cached = this.models.get(`${type}:${uuid}`);
    if (cached) return cached;
    const row = await this.db.selectFrom(TABLE[type]).selectAll().where('uuid', '=', uuid).executeTakeFirst();
    if (!row) throw new RpcError(RpcErrorCode.NotFound, `No ${type} model '${uuid}'.`, { type, uuid });
    const model = toModel(type, row as ModelRow);
    this.models.set(`${type}:${uuid}`, model);
    return model;
  }

  async createModel(type: ModelType, fields: Required<Pick<Model, 'name' | 'provider_uuid'>> & ModelFields): Promise<Model> {
    await this.provider(fields.provider_uuid);
    const now = new Date().toISOString();
    const uuid = randomUUID();
    await this.db
      .insertInto(TABLE[type])
      .values({
        uuid,
        workspace_uuid: null,
        name: fields.name,
        provider_uuid: fields.provider_uuid,
        abilities: JSON.stringify(fields.abilities ?? []),
        context_length: fields.context_length ?? null,
        reasoning_config: JSON.stringify(fields.reasoning_config ?? { level: 'provider_default' }),
        extra_args: JSON.stringify(fields.extra_args ?? {}),
        fallbacks: JSON.stringify(fields.fallbacks ?? []),
        prefered_ranking: fields.prefered_ranking ?? 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return this.model(type, uuid);
  }

  async updateModel(type: ModelType, uuid: string, fields: ModelFields): Promise<Model> {
    await this.model(type, uuid);
    if (fields.provider_uuid) await this.provider(fields.provider_uuid);
    const set: Record<string, unknown> = { updated_at: new Date().toISOString() };
    for (const key of ['name', 'provider_uuid', 'context_length', 'prefered_ranking'] as const) if (fields[key] !== undefined) set[key] = fields[key];
    for (const key of ['abilities', 'reasoning_config', 'extra_args', 'fallbacks'] as const) if (fields[key] !== undefined) set[key] = JSON.stringify(fields[key]);
    await this.db.updateTable(TABLE[type]).set(set).where('uuid', '=', uuid).execute();
    this.models.delete(`${type}:${uuid}`);
    return this.model(type, uuid);
  }

  async deleteModel(type: ModelType, uuid: string): Promise<void> {
    await this.model(type, uuid);
    await this.db.deleteFrom(TABLE[type]).where('uuid', '=', uuid).execute();
    this.models.delete(`${type}:${uuid}`);
  }
}
