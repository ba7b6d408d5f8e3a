/** The runner's section of the pipeline config (`ai.dify-service-api`), checked and with its defaults. */
import { RpcError, RpcErrorCode } from '@langbot-ts/sdk';

export const APP_TYPES = ['chat', 'agent', 'workflow'] as const;
export type DifyAppType = (typeof APP_TYPES)[number];

export interface DifySettings {
  /** Without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  appType: DifyAppType;
  /** The question sent when the message has no text (only images). */
  basePrompt: string;
  /** How long Dify may stay silent (no headers, no bytes) before the request is given up. */
  timeoutMs: number;
}

export const DEFAULT_BASE_URL = 'https://api.dify.ai/v1';
const DEFAULT_TIMEOUT_S = 30;
const DEFAULT_BASE_PROMPT = 'When the file content is readable, please read the content of this file. When the file is an image, describe the content of this image.';
/** The manifest's default, which is never a real key. */
const PLACEHOLDER_KEY = 'your-api-key';

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);

export function difySettings(config: Record<string, unknown>): DifySettings {
  const apiKey = typeof config['api-key'] === 'string' ? config['api-key'].trim() : '';
  if (!apiKey || apiKey === PLACEHOLDER_KEY) throw invalid('Dify has no API key: set one in the pipeline (AI → Dify Service API → API key).');

  const baseUrl = (typeof config['base-url'] === 'string' && config['base-url'].trim() ? config['base-url'].trim() : DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) throw invalid(`The Dify base URL '${baseUrl}' is not an http(s) address (e.g. ${DEFAULT_BASE_URL}).`);

  const appType = (config['app-type'] ?? 'chat') as DifyAppType;
  if (!APP_TYPES.includes(appType)) throw invalid(`Unknown Dify app type '${String(appType)}': use one of ${APP_TYPES.join(', ')}.`);

  const timeout = Number(config.timeout ?? DEFAULT_TIMEOUT_S);
  const basePrompt = typeof config['base-prompt'] === 'string' && config['base-prompt'].trim() ? config['base-prompt'] : DEFAULT_BASE_PROMPT;
  return { baseUrl, apiKey, appType, basePrompt, timeoutMs: (timeout > 0 ? timeout : DEFAULT_TIMEOUT_S) * 1000 };
}
