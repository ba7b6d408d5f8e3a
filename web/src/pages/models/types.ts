/** What the `/api/v1/provider/*` routes answer. */
import { api } from '../../lib/api';

export const MODEL_TYPES = ['llm', 'embedding', 'rerank'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];
export const ABILITIES = ['vision', 'func_call', 'reasoning'] as const;
export const REASONING_LEVELS = ['provider_default', 'disabled', 'enabled', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

export interface Requester {
  id: string;
  displayName: unknown;
  modelTypes: string[];
  defaultBaseUrl?: string;
}

export interface Provider {
  uuid: string;
  name: string;
  requester: string;
  base_url: string;
  /** Masked by the server (`sk-a…3456`); sending a masked key back keeps the stored one. */
  api_keys: string[];
  llm_count?: number;
  embedding_count?: number;
  rerank_count?: number;
}

export interface Model {
  uuid: string;
  type: ModelType;
  name: string;
  provider_uuid: string;
  abilities: string[];
  context_length: number | null;
  reasoning_config?: { level?: string };
  extra_args: Record<string, unknown>;
  prefered_ranking?: number;
}

export interface TestResult {
  ok: boolean;
  latency_ms: number;
  reply?: string;
  dimensions?: number;
  results?: number;
  error?: string;
  code?: string | number;
}

export interface ScannedModel {
  id: string;
  owned_by?: string;
}

export const modelsApi = {
  requesters: () => api.get<{ requesters: Requester[] }>('/api/v1/provider/requesters').then((d) => d.requesters),
  providers: () => api.get<{ providers: Provider[] }>('/api/v1/provider/providers').then((d) => d.providers),
  models: (type: ModelType) => api.get<{ models: Model[] }>(`/api/v1/provider/models/${type}`).then((d) => d.models),
  scan: (provider: string) => api.get<{ models: ScannedModel[] }>(`/api/v1/provider/providers/${provider}/scan-models`).then((d) => d.models ?? []),
  test: (type: ModelType, uuid: string) => api.post<TestResult>(`/api/v1/provider/models/${type}/${uuid}/test`, {}),
};

/** A guess at a listed model's type from its name, for the scan list's default. */
export function guessType(id: string, offered: string[]): ModelType {
  const guess: ModelType = /rerank/i.test(id) ? 'rerank' : /embed|bge-|e5-|gte-/i.test(id) ? 'embedding' : 'llm';
  return offered.includes(guess) ? guess : ((offered[0] as ModelType | undefined) ?? 'llm');
}
