/** The `ai.deerflow-api` section, read with the defaults of the manifest and checked before any request. */
import { ProviderErrorCode, providerError, type RemotePlatform } from '@langbot-ts/sdk';

export interface DeerFlowSettings {
  apiBase: string;
  /** The Authorization header, when DeerFlow needs one. */
  authorization?: string;
  assistantId: string;
  modelName: string;
  thinking: boolean;
  planMode: boolean;
  subagents: boolean;
  maxConcurrentSubagents: number;
  timeoutMs: number;
  recursionLimit: number;
  platform: RemotePlatform;
}

const WHERE = "the pipeline's AI → deerflow-api settings";

const text = (config: Record<string, unknown>, key: string, fallback: string): string => {
  const value = config[key];
  return typeof value === 'string' ? value.trim() : value === undefined || value === null ? fallback : String(value).trim();
};
const flag = (config: Record<string, unknown>, key: string, fallback: boolean): boolean => {
  const value = config[key];
  return typeof value === 'boolean' ? value : typeof value === 'string' ? value === 'true' : fallback;
};
const whole = (config: Record<string, unknown>, key: string, fallback: number): number => {
  const value = Number(config[key]);
  return config[key] !== undefined && config[key] !== '' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};

export function deerFlowSettings(config: Record<string, unknown>): DeerFlowSettings {
  const apiBase = text(config, 'api-base', 'http://127.0.0.1:2026').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(apiBase)) throw providerError(ProviderErrorCode.BadRequest, `DeerFlow's api-base "${apiBase}" is not an http(s) URL: fix it in ${WHERE}.`);
  const apiKey = text(config, 'api-key', '');
  const authHeader = text(config, 'auth-header', '');
  const authorization = authHeader || (apiKey ? `Bearer ${apiKey}` : undefined);
  return {
    apiBase,
    ...(authorization ? { authorization } : {}),
    assistantId: text(config, 'assistant-id', 'lead_agent') || 'lead_agent',
    modelName: text(config, 'model-name', ''),
    thinking: flag(config, 'thinking-enabled', false),
    planMode: flag(config, 'plan-mode', false),
    subagents: flag(config, 'subagent-enabled', false),
    maxConcurrentSubagents: whole(config, 'max-concurrent-subagents', 3),
    timeoutMs: whole(config, 'timeout', 300) * 1000,
    recursionLimit: whole(config, 'recursion-limit', 1000),
    platform: { name: 'DeerFlow', settings: WHERE, secrets: [apiKey, authHeader].filter(Boolean) },
  };
}
