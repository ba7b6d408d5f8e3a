/** The `pipelines` service: CRUD and copy over stored pipelines, their metadata and default config. */
import { RpcError, RpcErrorCode, type ConfigForm, type Implementation } from '@langbot-ts/sdk';
import { defaultPipelineConfig, resolveConfig } from './config.js';
import type { SectionMetadata } from './metadata.js';
import type { PipelineFields, PipelineStore } from './store.js';

const invalid = (msg: string) => new RpcError(RpcErrorCode.ValidationFailed, msg);

function uuidOf(args: { uuid?: unknown } | undefined): string {
  if (typeof args?.uuid !== 'string' || !args.uuid) throw invalid('`uuid` must be a non-empty string.');
  return args.uuid;
}

function fieldsOf(args: Record<string, unknown>): PipelineFields {
  const fields: PipelineFields = {};
  for (const key of ['name', 'description', 'emoji'] as const) {
    if (args[key] === undefined) continue;
    if (typeof args[key] !== 'string' || (key === 'name' && !args[key])) throw invalid(`\`${key}\` must be a${key === 'name' ? ' non-empty' : ''} string.`);
    fields[key] = args[key] as string;
  }
  if (args.is_default !== undefined) {
    if (typeof args.is_default !== 'boolean') throw invalid('`is_default` must be a boolean.');
    fields.is_default = args.is_default;
  }
  if (args.extensions_preferences !== undefined) {
    if (typeof args.extensions_preferences !== 'object' || args.extensions_preferences === null) throw invalid('`extensions_preferences` must be an object.');
    fields.extensions_preferences = args.extensions_preferences as Record<string, unknown>;
  }
  return fields;
}

export function pipelinesService(store: PipelineStore, deps: { form(): Promise<ConfigForm>; sections(): Promise<SectionMetadata[]>; stages(): string[] }): Implementation {
  const checked = async (config: unknown) => resolveConfig(await deps.form(), config);
  return {
    list: () => store.list(),
    get: (args) => store.get(uuidOf(args)),
    create: async (args: Record<string, unknown>) => {
      if (typeof args?.name !== 'string' || !args.name) throw invalid('`name` is required.');
      const config = await checked(args.config ?? defaultPipelineConfig());
      return store.create({ ...fieldsOf(args), name: args.name, config, stages: deps.stages() });
    },
    update: async (args: Record<string, unknown>) => {
      const uuid = uuidOf(args);
      const fields = fieldsOf(args);
      if (args.config !== undefined) fields.config = await checked(args.config);
      return store.update(uuid, fields);
    },
    delete: async (args) => {
      await store.delete(uuidOf(args));
      return { deleted: true };
    },
    copy: async (args: { uuid?: unknown; name?: unknown }) => {
      const source = await store.get(uuidOf(args));
      const name = typeof args.name === 'string' && args.name ? args.name : `${source.name} (copy)`;
      return store.create({ name, description: source.description, emoji: source.emoji, config: structuredClone(source.config), stages: [...source.stages], extensions_preferences: structuredClone(source.extensions_preferences) });
    },
    metadata: async () => ({ configs: await deps.sections(), stages: deps.stages() }),
    defaultConfig: async () => checked(defaultPipelineConfig()),
  };
}
