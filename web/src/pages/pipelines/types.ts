/** What the `/api/v1/pipelines` routes answer. */
import type { ConfigForm } from '../../components/form';
import { api } from '../../lib/api';

export type PipelineConfig = Record<string, Record<string, Record<string, unknown>>>;

export interface Pipeline {
  uuid: string;
  name: string;
  description: string;
  emoji: string;
  is_default: boolean;
  config: PipelineConfig;
  created_at?: string;
  updated_at?: string;
}

export interface StageMeta {
  name: string;
  label: unknown;
  description?: unknown;
  form: ConfigForm;
}

export interface SectionMeta {
  name: string;
  label: unknown;
  stages: StageMeta[];
}

export interface ExtensionPrefs {
  enable_all_plugins: boolean;
  enable_all_mcp_servers: boolean;
  bound_plugins: string[];
  bound_mcp_servers: string[];
}

export const pipelinesApi = {
  list: () => api.get<{ pipelines: Pipeline[] }>('/api/v1/pipelines?sort_by=created_at&sort_order=ASC').then((d) => d.pipelines),
  get: (uuid: string) => api.get<{ pipeline: Pipeline }>(`/api/v1/pipelines/${uuid}`).then((d) => d.pipeline),
  metadata: () => api.get<{ configs: SectionMeta[] }>('/api/v1/pipelines/_/metadata').then((d) => d.configs),
  extensions: (uuid: string) => api.get<ExtensionPrefs>(`/api/v1/pipelines/${uuid}/extensions`),
};

/** The runner a pipeline's AI section uses. */
export const runnerOf = (config: PipelineConfig): string => String(config.ai?.runner?.runner ?? 'local-agent');

/** Why the debug chat cannot answer yet, when the config says so (the local agent without a model). */
export function missingModel(config: PipelineConfig): boolean {
  if (runnerOf(config) !== 'local-agent') return false;
  const model = config.ai?.['local-agent']?.model as { primary?: string } | string | undefined;
  return !(typeof model === 'string' ? model : model?.primary);
}
