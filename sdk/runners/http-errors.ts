/**
 * Failures of a remote agent platform as provider errors whose messages tell the user what to do, with the
 * platform's own words and never a secret. Runners use one of two message styles, and their users and tests rely
 * on the wording of each:
 * - "Coze refused the API key (HTTP 401: …). Check the API key in the pipeline (AI → Coze API)." —
 *   `httpStatusError`, `platformError`, `cutOffError`, `platformTransportError` (used by `exchange`);
 * - "DeerFlow answered HTTP 401: …. Check the API key in the pipeline's AI → deerflow-api settings." —
 *   `answeredStatusError`, `answeredTransportError` (used by `sendJson`).
 */
import { RpcError, RpcErrorCode } from '../../kernel/api/index.js';
import { ProviderErrorCode, providerError } from '../contracts/models.js';

/** A remote platform as messages name it. */
export interface RemotePlatform {
  /** As users know it, e.g. "Coze". */
  name: string;
  /** Where its settings are, for hints, e.g. "AI → Coze API". */
  settings: string;
  /** Values that must never appear in a message (keys, passwords, authorization headers). */
  secrets: readonly string[];
}

/** `text` with each secret replaced by `***` (a platform may echo a key or an authorization header back). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((masked, secret) => (secret ? masked.split(secret).join('***') : masked), text);
}

const foldSpace = (text: string, maxChars: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars)}…` : flat;
};

/** Platform text fit for a message: secrets masked, white space folded, at most 300 characters. */
export function platformText(platform: RemotePlatform, text: string): string {
  return foldSpace(maskSecrets(text, platform.secrets), 300);
}

/**
 * What an error body says: the usual field of a JSON error body (`detail`, `error`, `message`, `msg`, as FastAPI
 * and Go services write them), else the text itself; white space folded, at most 500 characters.
 */
export function errorBodyDetail(body: string): string {
  const text = body.trim();
  if (!text) return '';
  let detail = text;
  try {
    detail = pickDetail(JSON.parse(text)) ?? text;
  } catch {
    // Not JSON: the text is the detail.
  }
  return foldSpace(detail, 500);
}

function pickDetail(value: unknown): string | undefined {
  if (typeof value === 'string') {
    // FastAPI services sometimes put a JSON document in `detail`.
    if (!value.trim().startsWith('{')) return value;
    try {
      return pickDetail(JSON.parse(value)) ?? value;
    } catch {
      return value;
    }
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of ['detail', 'error', 'message', 'msg']) {
    const found = pickDetail((value as Record<string, unknown>)[key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * Why a request never got an answer. `fetch` itself says only "fetch failed"; its cause tells why, as a code
 * (`ECONNREFUSED`) and a message (`connect ECONNREFUSED 127.0.0.1:2026`).
 */
export function networkFailure(error: unknown): { code?: string; message: string } {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const message = cause?.message || cause?.code || (error instanceof Error ? error.message : String(error));
  return cause?.code ? { code: cause.code, message } : { message };
}

/** An answer with a failure status, with what the platform said about it (`detail`). */
export function httpStatusError(platform: RemotePlatform, status: number, detail: string, details: Record<string, unknown> = {}): RpcError {
  const said = platformText(platform, detail) || 'no details';
  const info = { status, ...details };
  const { name, settings } = platform;
  if (status === 401 || status === 403) return providerError(ProviderErrorCode.Auth, `${name} refused the API key (HTTP ${status}: ${said}). Check the API key in the pipeline (${settings}).`, info);
  if (status === 429) return providerError(ProviderErrorCode.Quota, `${name} rate limit or quota was reached (HTTP 429: ${said}). Try again later.`, info);
  if (status >= 400 && status < 500) return providerError(ProviderErrorCode.BadRequest, `${name} rejected the request (HTTP ${status}: ${said}). Check the pipeline's settings (${settings}).`, info);
  return providerError(ProviderErrorCode.Unavailable, `${name} failed (HTTP ${status}: ${said}). Try again later.`, info);
}

/** An error the platform reported in a successful HTTP answer or in its stream, of the kind its code tells. */
export function platformError(platform: RemotePlatform, kind: 'auth' | 'quota' | 'request' | 'failure', detail: string, details: Record<string, unknown> = {}): RpcError {
  const said = platformText(platform, detail) || 'no details';
  const { name, settings } = platform;
  if (kind === 'auth') return providerError(ProviderErrorCode.Auth, `${name} refused the API key (${said}). Check the API key in the pipeline (${settings}).`, details);
  if (kind === 'quota') return providerError(ProviderErrorCode.Quota, `${name} rate limit or quota was reached (${said}). Try again later.`, details);
  if (kind === 'request') return providerError(ProviderErrorCode.BadRequest, `${name} rejected the request (${said}). Check the pipeline's settings (${settings}).`, details);
  return providerError(ProviderErrorCode.Unavailable, `${name} failed to answer (${said}).`, details);
}

function timeoutError(platform: RemotePlatform, timeoutMs: number): RpcError {
  return providerError(ProviderErrorCode.Timeout, `${platform.name} did not answer within ${timeoutMs / 1000} s. Try again, or raise the timeout if the agent needs longer.`);
}

function unreachableError(platform: RemotePlatform, url: string, error: unknown): RpcError {
  const { code, message } = networkFailure(error);
  return providerError(ProviderErrorCode.Unavailable, `Could not reach ${platform.name} at ${new URL(url).origin}: ${platformText(platform, code ?? message)}.`);
}

export function cutOffError(platform: RemotePlatform): RpcError {
  return providerError(ProviderErrorCode.Unavailable, `${platform.name} stopped the stream before the answer was complete. Try again.`);
}

/** An answer with a failure status, as "<name> answered HTTP <status>: <what its error body says>." */
export function answeredStatusError(platform: RemotePlatform, status: number, body: string): RpcError {
  const detail = maskSecrets(errorBodyDetail(body), platform.secrets);
  const said = `${platform.name} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 401 || status === 403) return providerError(ProviderErrorCode.Auth, `${said}. Check the API key in ${platform.settings}.`, { status });
  if (status === 429) return providerError(ProviderErrorCode.Quota, `${said}.`, { status });
  if (status === 408 || status === 504) return providerError(ProviderErrorCode.Timeout, `${said}.`, { status });
  if (status >= 500) return providerError(ProviderErrorCode.Unavailable, `${said}.`, { status });
  return providerError(ProviderErrorCode.BadRequest, `${said}.`, { status });
}

/** Why a request got no answer, or not all of it. */
export interface TransportFailure {
  /** `timeout`: the platform stayed silent too long; `interrupted`: the answer broke off while it was read. */
  kind: 'timeout' | 'cancelled' | 'unreachable' | 'interrupted';
  error: unknown;
  url: string;
  timeoutMs: number;
}

/** A transport failure in the style of `httpStatusError` (a request that cannot be cancelled). */
export function platformTransportError(platform: RemotePlatform, failure: TransportFailure): RpcError {
  if (failure.kind === 'timeout') return timeoutError(platform, failure.timeoutMs);
  if (failure.kind === 'unreachable') return unreachableError(platform, failure.url, failure.error);
  return cutOffError(platform);
}

/** A transport failure in the style of `answeredStatusError`. */
export function answeredTransportError(platform: RemotePlatform, failure: TransportFailure): RpcError {
  const { name, settings } = platform;
  if (failure.kind === 'timeout') return providerError(ProviderErrorCode.Timeout, `${name} sent nothing for ${failure.timeoutMs / 1000} s, so the request was given up (see "timeout" in ${settings}).`);
  if (failure.kind === 'cancelled') return new RpcError(RpcErrorCode.Cancelled, `The ${name} request was cancelled.`);
  const why = maskSecrets(networkFailure(failure.error).message, platform.secrets);
  if (failure.kind === 'interrupted') return providerError(ProviderErrorCode.Unavailable, `The connection to ${name} broke before the answer was complete: ${why}.`);
  return providerError(ProviderErrorCode.Unavailable, `${name} is unreachable at ${displayUrl(failure.url)}: ${why}. Check the address in ${settings}.`);
}

/** The URL without credentials or query, as it may appear in a message. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
