/** What the bots page reads from `/api/v1/platform/*` and `/api/v1/pipelines`, typed. */
import type { ConfigForm } from '../../components/form';
import { api } from '../../lib/api';

export interface Adapter {
  name: string;
  extension: string;
  label: unknown;
  description: unknown;
  icon?: string;
  supported_events: string[];
  supported_apis: string[];
  platform_specific_apis: string[];
  streaming: boolean;
  webhook: boolean;
  config: ConfigForm;
}

export interface EventRule {
  event_type: string;
  handler_type: string;
  handler_config: Record<string, unknown>;
  enabled: boolean;
  priority: number;
  description: string;
}

export interface BotStatus {
  state: 'stopped' | 'running' | 'failed' | string;
  last_error?: string;
  account_id?: string;
}

export interface Bot {
  uuid: string;
  name: string;
  description: string;
  adapter: string;
  adapter_config: Record<string, unknown>;
  enable: boolean;
  use_pipeline_uuid: string | null;
  event_handlers: EventRule[];
  created_at: string;
  updated_at: string;
  status?: BotStatus;
  adapter_runtime_values?: { bot_account_id?: string | null; webhook_url?: string; webhook_full_url?: string };
}

export interface LoggedEvent {
  event: Record<string, unknown> & { type: string; timestamp?: number };
  received_at: string;
  handler_type: string;
  via: string;
  accepted: boolean;
}

export interface Pipeline {
  uuid: string;
  name: string;
  emoji?: string;
  is_default?: boolean;
}

export type BotWrite = Partial<Pick<Bot, 'name' | 'description' | 'adapter' | 'adapter_config' | 'enable' | 'event_handlers'>>;

const BOTS = '/api/v1/platform/bots';

export const botsApi = {
  adapters: async () => (await api.get<{ adapters: Adapter[] }>('/api/v1/platform/adapters')).adapters,
  list: async () => (await api.get<{ bots: Bot[] }>(BOTS)).bots,
  get: async (uuid: string) => (await api.get<{ bot: Bot }>(`${BOTS}/${encodeURIComponent(uuid)}`)).bot,
  create: (body: BotWrite & { name: string; adapter: string }) => api.post<{ uuid: string; bot: Bot }>(BOTS, body),
  update: async (uuid: string, body: BotWrite) => (await api.put<{ bot: Bot }>(`${BOTS}/${encodeURIComponent(uuid)}`, body)).bot,
  remove: (uuid: string) => api.del(`${BOTS}/${encodeURIComponent(uuid)}`),
  logs: (uuid: string, from_index: number, max_count: number) =>
    api.post<{ logs: LoggedEvent[]; total_count: number }>(`${BOTS}/${encodeURIComponent(uuid)}/logs`, { from_index, max_count }),
  pipelines: async () => (await api.get<{ pipelines: Pipeline[] }>('/api/v1/pipelines')).pipelines,
};

/** The rule a new bot starts with: its messages go to the chosen pipeline (empty = the default pipeline). */
export function pipelineRule(pipelineUuid: string): EventRule {
  return {
    event_type: 'message.received',
    handler_type: 'pipeline',
    handler_config: pipelineUuid ? { pipeline_uuid: pipelineUuid } : {},
    enabled: true,
    priority: 0,
    description: '',
  };
}
