/** The `ai.langflow-api` section, read with the defaults of the manifest and checked before any request. */
import { ProviderErrorCode, providerError, type RemotePlatform } from '@langbot-ts/sdk';

export interface LangflowSettings {
  baseUrl: string;
  apiKey?: string;
  flowId: string;
  inputType: string;
  outputType: string;
  tweaks: Record<string, unknown>;
  timeoutMs: number;
  platform: RemotePlatform;
}

const WHERE = "the pipeline's AI → langflow-api settings";
/** The form's defaults are placeholders, not values. */
const KEY_PLACEHOLDER = 'your-api-key';
const FLOW_PLACEHOLDER = 'your-flow-id';

const text = (config: Record<string, unknown>, key: string, fallback: string): string => {
  const value = config[key];
  return typeof value === 'string' ? value.trim() : value === undefined || value === null ? fallback : String(value).trim();
};

export function langflowSettings(config: Record<string, unknown>): LangflowSettings {
  const baseUrl = text(config, 'base-url', 'http://localhost:7860').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw providerError(ProviderErrorCode.BadRequest, `Langflow's base-url "${baseUrl}" is not an http(s) URL: fix it in ${WHERE}.`);
  const flowId = text(config, 'flow-id', FLOW_PLACEHOLDER);
  if (!flowId || flowId === FLOW_PLACEHOLDER) throw providerError(ProviderErrorCode.BadRequest, `No Langflow flow is chosen: set flow-id in ${WHERE}.`);
  const apiKey = text(config, 'api-key', '');
  const timeout = Number(config.timeout);
  return {
    baseUrl,
    ...(apiKey && apiKey !== KEY_PLACEHOLDER ? { apiKey } : {}),
    flowId,
    inputType: text(config, 'input-type', 'chat') || 'chat',
    outputType: text(config, 'output-type', 'chat') || 'chat',
    tweaks: tweaksOf(config.tweaks),
    timeoutMs: (Number.isFinite(timeout) && timeout > 0 ? timeout : 120) * 1000,
    platform: { name: 'Langflow', settings: WHERE, secrets: apiKey ? [apiKey] : [] },
  };
}

/** Tweaks are JSON text in the form (an object is taken as it is). */
function tweaksOf(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw providerError(ProviderErrorCode.BadRequest, `Langflow's tweaks are not valid JSON (${(error as Error).message}): fix them in ${WHERE}.`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw providerError(ProviderErrorCode.BadRequest, `Langflow's tweaks must be a JSON object such as {"Component-id": {"field": "value"}}: fix them in ${WHERE}.`);
  }
  return parsed as Record<string, unknown>;
}
