/**
 * Failures of a remote agent platform as provider errors whose messages tell the user what to do: a refused key,
 * a quota, a rejected request or a failing service (with the HTTP status and the platform's own words), a
 * timeout, an unreachable host. The API key is masked out of anything the platform echoes back.
 */
import { ProviderErrorCode, providerError, type RpcError } from '@langbot-ts/sdk';

const MAX_DETAIL = 300;

export interface Platform {
  /** The platform's name as users know it, e.g. "Coze". */
  name: string;
  /** Where its settings are, e.g. "AI → Coze API". */
  settings: string;
  apiKey: string;
}

/** Platform text shortened and with the key masked. */
export function detailOf(platform: Platform, text: string): string {
  const masked = platform.apiKey ? text.split(platform.apiKey).join('***') : text;
  const flat = masked.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}

export function httpError(platform: Platform, status: number, detail: string, details: Record<string, unknown> = {}): RpcError {
  const said = detailOf(platform, detail) || 'no details';
  const info = { status, ...details };
  if (status === 401 || status === 403) return providerError(ProviderErrorCode.Auth, `${platform.name} refused the API key (HTTP ${status}: ${said}). Check the API key in the pipeline (${platform.settings}).`, info);
  if (status === 429) return providerError(ProviderErrorCode.Quota, `${platform.name} rate limit or quota was reached (HTTP 429: ${said}). Try again later.`, info);
  if (status >= 400 && status < 500) return providerError(ProviderErrorCode.BadRequest, `${platform.name} rejected the request (HTTP ${status}: ${said}). Check the pipeline's settings (${platform.settings}).`, info);
  return providerError(ProviderErrorCode.Unavailable, `${platform.name} failed (HTTP ${status}: ${said}). Try again later.`, info);
}

/** An error the platform reported in a successful HTTP answer or in its stream. */
export function platformError(platform: Platform, kind: 'auth' | 'quota' | 'request' | 'failure', detail: string, details: Record<string, unknown> = {}): RpcError {
  const said = detailOf(platform, detail) || 'no details';
  if (kind === 'auth') return providerError(ProviderErrorCode.Auth, `${platform.name} refused the API key (${said}). Check the API key in the pipeline (${platform.settings}).`, details);
  if (kind === 'quota') return providerError(ProviderErrorCode.Quota, `${platform.name} rate limit or quota was reached (${said}). Try again later.`, details);
  if (kind === 'request') return providerError(ProviderErrorCode.BadRequest, `${platform.name} rejected the request (${said}). Check the pipeline's settings (${platform.settings}).`, details);
  return providerError(ProviderErrorCode.Unavailable, `${platform.name} failed to answer (${said}).`, details);
}

export function timeoutError(platform: Platform, timeoutMs: number): RpcError {
  return providerError(ProviderErrorCode.Timeout, `${platform.name} did not answer within ${timeoutMs / 1000} s. Try again, or raise the timeout if the agent needs longer.`);
}

export function unreachableError(platform: Platform, url: string, error: unknown): RpcError {
  const cause = (error as { cause?: { message?: string; code?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return providerError(ProviderErrorCode.Unavailable, `Could not reach ${platform.name} at ${new URL(url).origin}: ${detailOf(platform, why)}.`);
}

export function cutOffError(platform: Platform): RpcError {
  return providerError(ProviderErrorCode.Unavailable, `${platform.name} stopped the stream before the answer was complete. Try again.`);
}
