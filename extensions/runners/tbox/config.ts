/** The `ai.tbox-app-api` section of a pipeline, checked and with its defaults. */
import { RpcError, RpcErrorCode, type RemotePlatform } from '@langbot-ts/sdk';

export interface TboxConfig {
  apiKey: string;
  appId: string;
  /** Without a trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  platform: RemotePlatform;
}

export const DEFAULT_BASE_URL = 'https://api.tbox.cn';
const DEFAULT_TIMEOUT_S = 120;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function tboxConfig(section: Record<string, unknown>): TboxConfig {
  const apiKey = text(section['api-key']);
  const appId = text(section['app-id']);
  if (!apiKey) throw new RpcError(RpcErrorCode.ValidationFailed, 'Tbox has no API key: set an authorization token in the pipeline (AI → Tbox → API key).');
  if (!appId) throw new RpcError(RpcErrorCode.ValidationFailed, 'Tbox has no app ID: set the AppID of a published Tbox agent in the pipeline (AI → Tbox → App ID).');
  const timeout = Number(section.timeout ?? DEFAULT_TIMEOUT_S);
  return {
    apiKey,
    appId,
    baseUrl: (text(section['base-url']) || DEFAULT_BASE_URL).replace(/\/+$/, ''),
    timeoutMs: (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_S) * 1000,
    platform: { name: 'Tbox', settings: 'AI → Tbox', secrets: [apiKey] },
  };
}
