/** The `ai.weknora-api` section, read with the defaults of the manifest and checked before any request. */
import { ProviderErrorCode, providerError, type RemotePlatform } from '@langbot-ts/sdk';

export type WeKnoraMode = 'agent' | 'chat';

export interface WeKnoraSettings {
  baseUrl: string;
  apiKey: string;
  mode: WeKnoraMode;
  agentId: string;
  knowledgeBaseIds: string[];
  webSearch: boolean;
  timeoutMs: number;
  basePrompt: string;
  platform: RemotePlatform;
}

/** The agent the form offers by default is an agent-chat agent; knowledge-base chat has its own default. */
export const DEFAULT_AGENT = 'builtin-smart-reasoning';
export const DEFAULT_KNOWLEDGE_AGENT = 'builtin-quick-answer';

const WHERE = "the pipeline's AI → weknora-api settings";

const text = (config: Record<string, unknown>, key: string, fallback: string): string => {
  const value = config[key];
  return typeof value === 'string' ? value.trim() : value === undefined || value === null ? fallback : String(value).trim();
};

/** A list, or (as older configs may hold it) one comma-separated string. */
const list = (value: unknown): string[] => {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((item) => String(item).trim()).filter(Boolean);
};

export function weKnoraSettings(config: Record<string, unknown>): WeKnoraSettings {
  const baseUrl = text(config, 'base-url', 'http://localhost:8080/api/v1').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw providerError(ProviderErrorCode.BadRequest, `WeKnora's base-url "${baseUrl}" is not an http(s) URL: fix it in ${WHERE}.`);
  const mode = text(config, 'app-type', 'agent');
  if (mode !== 'agent' && mode !== 'chat') throw providerError(ProviderErrorCode.BadRequest, `WeKnora's app-type "${mode}" is neither "agent" nor "chat": fix it in ${WHERE}.`);
  const apiKey = text(config, 'api-key', '');
  const timeout = Number(config.timeout);
  return {
    baseUrl,
    apiKey,
    mode,
    agentId: text(config, 'agent-id', DEFAULT_AGENT),
    knowledgeBaseIds: list(config['knowledge-base-ids']),
    webSearch: config['web-search-enabled'] === true || config['web-search-enabled'] === 'true',
    timeoutMs: (Number.isFinite(timeout) && timeout > 0 ? timeout : 120) * 1000,
    basePrompt: text(config, 'base-prompt', '请回答用户的问题。'),
    platform: { name: 'WeKnora', settings: WHERE, secrets: apiKey ? [apiKey] : [] },
  };
}
