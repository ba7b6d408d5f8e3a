/** The `ai.dashscope-app-api` section of a pipeline, checked and with its defaults. */
import { RpcError, RpcErrorCode, type RemotePlatform } from '@langbot-ts/sdk';

export type AppType = 'agent' | 'workflow';

export interface DashScopeConfig {
  appType: AppType;
  apiKey: string;
  appId: string;
  referencesQuote: string;
  /** Without a trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  platform: RemotePlatform;
}

export const DEFAULT_BASE_URL = 'https://dashscope.aliyuncs.com/api/v1';
export const DEFAULT_REFERENCES_QUOTE = '参考资料来自:';
const DEFAULT_TIMEOUT_S = 120;
/** The form's placeholders count as not filled in. */
const PLACEHOLDERS = new Set(['your-api-key', 'your-app-id']);

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const filled = (value: unknown) => (PLACEHOLDERS.has(text(value)) ? '' : text(value));

export function dashScopeConfig(section: Record<string, unknown>): DashScopeConfig {
  const appType = text(section['app-type']) || 'agent';
  if (appType !== 'agent' && appType !== 'workflow') {
    throw new RpcError(RpcErrorCode.ValidationFailed, `DashScope application type '${appType}' is not supported: choose agent or workflow (AI → DashScope → Application type).`);
  }
  const apiKey = filled(section['api-key']);
  const appId = filled(section['app-id']);
  if (!apiKey) throw new RpcError(RpcErrorCode.ValidationFailed, 'DashScope has no API key: set one in the pipeline (AI → DashScope → API key).');
  if (!appId) throw new RpcError(RpcErrorCode.ValidationFailed, 'DashScope has no application ID: set the ID of a published Model Studio application in the pipeline (AI → DashScope → Application ID).');
  const timeout = Number(section.timeout ?? DEFAULT_TIMEOUT_S);
  const quote = section.references_quote ?? section['references-quote'];
  return {
    appType,
    apiKey,
    appId,
    referencesQuote: typeof quote === 'string' ? quote : DEFAULT_REFERENCES_QUOTE,
    baseUrl: (text(section['base-url']) || DEFAULT_BASE_URL).replace(/\/+$/, ''),
    timeoutMs: (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_S) * 1000,
    platform: { name: 'DashScope', settings: 'AI → DashScope', secrets: [apiKey] },
  };
}
