/**
 * The event handlers a rule can name (contribution point `eventHandlers`) with the config form of each, made ready
 * for DynamicForm: the pipeline handler's `pipeline_uuid` becomes a choice of the pipelines, the agent handler's `runner`
 * a choice of the installed runners and its `runner_config` that runner's form (both from the pipeline metadata).
 * The handlers and their forms come from `GET /api/v1/platform/event-handlers` (their manifests).
 */
import type { ConfigForm, FormField } from '../../components/form';
import { api } from '../../lib/api';
import { botsApi, type Pipeline } from './api';

export interface HandlerKind {
  type: string;
  label: unknown;
  description: unknown;
  extension?: string;
  config?: ConfigForm;
}

interface MetadataStage {
  name: string;
  label: unknown;
  form: ConfigForm;
}

/** The order handlers are offered in: the usual choice first. */
const ORDER = ['pipeline', 'agent', 'webhook', 'plugin'];

async function handlerKinds(): Promise<HandlerKind[]> {
  return (await api.get<{ handlers: HandlerKind[] }>('/api/v1/platform/event-handlers')).handlers;
}

/** Runners and their forms, from the pipeline metadata's AI section. */
async function runnerForms(): Promise<{ runner?: FormField; forms: Record<string, ConfigForm> }> {
  const meta = await api.get<{ configs: Array<{ name: string; stages: MetadataStage[] }> }>('/api/v1/pipelines/_/metadata');
  const ai = meta.configs.find((c) => c.name === 'ai');
  const runner = ai?.stages.find((s) => s.name === 'runner')?.form.properties.runner;
  const forms: Record<string, ConfigForm> = {};
  for (const stage of ai?.stages ?? []) if (stage.name !== 'runner') forms[stage.name] = stage.form;
  return { runner, forms };
}

export interface HandlerCatalog {
  kinds: HandlerKind[];
  runners: { runner?: FormField; forms: Record<string, ConfigForm> };
  pipelines: Pipeline[];
}

export async function loadHandlerCatalog(): Promise<HandlerCatalog> {
  const [kinds, runners, pipelines] = await Promise.all([handlerKinds(), runnerForms().catch(() => ({ forms: {} })), botsApi.pipelines()]);
  const rank = (type: string) => (ORDER.includes(type) ? ORDER.indexOf(type) : ORDER.length);
  return { kinds: [...kinds].sort((a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type)), runners, pipelines };
}

/**
 * The form a rule's handler config is edited with; `config` is the rule's current config (the agent's runner
 * decides which runner form its `runner_config` gets).
 */
export function handlerForm(kind: HandlerKind | undefined, catalog: HandlerCatalog, config: Record<string, unknown>, defaultPipelineLabel: string): ConfigForm | undefined {
  if (!kind?.config || Object.keys(kind.config.properties ?? {}).length === 0) return undefined;
  const properties: Record<string, FormField> = { ...kind.config.properties };
  if (kind.type === 'pipeline' && properties.pipeline_uuid) {
    const pipelines = catalog.pipelines;
    const current = typeof config.pipeline_uuid === 'string' && config.pipeline_uuid && !pipelines.some((p) => p.uuid === config.pipeline_uuid) ? [config.pipeline_uuid] : [];
    properties.pipeline_uuid = {
      ...properties.pipeline_uuid,
      widget: 'select',
      enum: ['', ...pipelines.map((p) => p.uuid), ...current],
      enumLabels: [defaultPipelineLabel, ...pipelines.map((p) => `${p.emoji ? `${p.emoji} ` : ''}${p.name}`), ...current],
    };
  }
  if (kind.type === 'agent') {
    const { runner, forms } = catalog.runners;
    if (properties.runner && runner?.enum) properties.runner = { ...properties.runner, enum: runner.enum, enumLabels: runner.enumLabels, widget: 'select', default: undefined };
    const chosen = typeof config.runner === 'string' ? forms[config.runner] : undefined;
    if (properties.runner_config && chosen) properties.runner_config = { ...properties.runner_config, ...chosen, type: 'object', widget: undefined, title: properties.runner_config.title };
  }
  return { ...kind.config, properties };
}
