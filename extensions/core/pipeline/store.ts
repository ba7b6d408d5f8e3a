/** Pipelines in the application database (`pipelines` table): config and stage list stored as JSON text. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { RpcError, RpcErrorCode, type Database } from '@langbot-ts/sdk';
import type { PipelineConfig } from './config.js';

export interface Pipeline {
  uuid: string;
  name: string;
  description: string;
  emoji: string;
  is_default: boolean;
  stages: string[];
  config: PipelineConfig;
  extensions_preferences: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export type PipelineFields = Partial<Pick<Pipeline, 'name' | 'description' | 'emoji' | 'is_default' | 'stages' | 'config' | 'extensions_preferences'>>;

const parse = <T>(text: string | null | undefined, fallback: T): T => {
  try {
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
};

type Row = Database['pipelines'] extends infer T ? { [K in keyof T]: unknown } : never;

function toPipeline(row: Row): Pipeline {
  return {
    uuid: String(row.uuid),
    name: String(row.name),
    description: String(row.description ?? ''),
    emoji: String(row.emoji ?? ''),
    is_default: Number(row.is_default) === 1,
    stages: parse<string[]>(row.stages as string, []),
    config: parse<PipelineConfig>(row.config as string, { trigger: {}, safety: {}, ai: {}, output: {} }),
    extensions_preferences: parse<Record<string, unknown>>(row.extensions_preferences as string, {}),
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
  };
}

export class PipelineStore {
  /** Pipelines by uuid as last read; writes through this store drop the entry. */
  private readonly cache = new Map<string, Pipeline>();

  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Pipeline[]> {
    const rows = await this.db.selectFrom('pipelines').selectAll().orderBy('created_at').orderBy('uuid').execute();
    return rows.map((r) => toPipeline(r as Row));
  }

  async find(uuid: string): Promise<Pipeline | undefined> {
    const cached = this.cache.get(uuid);
    if (cached) return cached;
    const row = await this.db.selectFrom('pipelines').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    const pipeline = row && toPipeline(row as Row);
    if (pipeline) this.cache.set(uuid, pipeline);
    return pipeline;
  }

  async get(uuid: string): Promise<Pipeline> {
    const pipeline = await this.find(uuid);
    if (!pipeline) throw new RpcError(RpcErrorCode.NotFound, `No pipeline '${uuid}'.`, { uuid });
    return pipeline;
  }

  async create(fields: PipelineFields & { name: string; config: PipelineConfig; stages: string[] }): Promise<Pipeline> {
    const uuid = randomUUID();
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      if (fields.is_default) await tx.updateTable('pipelines').set({ is_default: 0 }).execute();
      await tx
        .insertInto('pipelines')
        .values({
          uuid,
          workspace_uuid: null,
          name: fields.name,
          description: fields.description ?? '',
          emoji: fields.emoji ?? '⚙️',
          for_version: '0.1.0',
          is_default: fields.is_default ? 1 : 0,
          stages: JSON.stringify(fields.stages),
          config: JSON.stringify(fields.config),
          extensions_preferences: JSON.stringify(fields.extensions_preferences ?? { enable_all_plugins: true, enable_all_mcp_servers: true, plugins: [], mcp_servers: [] }),
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    this.cache.clear();
    return this.get(uuid);
  }

  async update(uuid: string, fields: PipelineFields): Promise<Pipeline> {
    await this.get(uuid);
    const set: Record<string, unknown> = { updated_at: new Date().toISOString() };
    for (const key of ['name', 'description', 'emoji'] as const) if (fields[key] !== undefined) set[key] = fields[key];
    for (const key of ['stages', 'config', 'extensions_preferences'] as const) if (fields[key] !== undefined) set[key] = JSON.stringify(fields[key]);
    if (fields.is_default !== undefined) set.is_default = fields.is_default ? 1 : 0;
    await this.db.transaction().execute(async (tx) => {
      if (fields.is_default) await tx.updateTable('pipelines').set({ is_default: 0 }).execute();
      await tx.updateTable('pipelines').set(set).where('uuid', '=', uuid).execute();
    });
    this.cache.clear();
    return this.get(uuid);
  }

  async delete(uuid: string): Promise<void> {
    await this.get(uuid);
    await this.db.deleteFrom('pipelines').where('uuid', '=', uuid).execute();
    this.cache.delete(uuid);
  }
}
