/** The `ai.coze-api` section of a pipeline, checked and with its defaults. */
import { RpcError, RpcErrorCode, type RemotePlatform } from '@langbot-ts/sdk';

export interface CozeConfig {
  apiKey: string;
  botId: string;
  /** Without a trailing slash. */
  apiBase: string;
  autoSaveHistory: boolean;
  timeoutMs: number;
  platform: RemotePlatform;
}

export const DEFAULT_API_BASE = 'https://api.coze.cn';
const DEFAULT_TIMEOUT_S = 120;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function cozeConfig(section: Record<string, unknown>): CozeConfig {
  const apiKey = text(section['api-key']);
  const botId = text(section['bot-id']);
  if (!apiKey) throw new RpcError(RpcErrorCode.ValidationFailed, 'Coze has no API key: set one in the pipeline (AI → Coze API → API key).');
  if (!botId) throw new RpcError(RpcErrorCode.ValidationFailed, 'Coze has no bot ID: set the ID of a bot published as an API in the pipeline (AI → Coze API → Bot ID).');
  const timeout = Number(section.timeout ?? DEFAULT_TIMEOUT_S);
  return {
    apiKey,
    botId,
    apiBase: (text(section['api-base']) || DEFAULT_API_BASE).replace(/\/+$/, ''),
    autoSaveHistory: section['auto-save-history'] !== false,
    timeoutMs: (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_S) * 1000,
    platform: { name: 'Coze', settings: 'AI → Coze API', secrets: [apiKey] },
  };
}
