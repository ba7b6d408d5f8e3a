/** Dify's failures as errors a user can act on. Messages name the HTTP status and Dify's own text, never the key. */
import { ProviderErrorCode, RpcError, RpcErrorCode, maskSecrets, networkFailure, providerError, type TransportFailure } from '@langbot-ts/sdk';
import type { DifySettings } from './settings.js';

type Connection = Pick<DifySettings, 'baseUrl' | 'apiKey' | 'timeoutMs'>;

/** What Dify sends as an error body, and in an `error` stream event: `{ status, code, message }`. */
export interface DifyFailure {
  status?: number;
  code?: string;
  message?: string;
}

/** Dify's error body, or the start of whatever else came back (a proxy's HTML page, say). */
export function parseFailure(raw: string): DifyFailure {
  try {
    const body = JSON.parse(raw) as DifyFailure;
    if (body && typeof body === 'object' && (body.message || body.code)) return body;
  } catch {
    // Not JSON: shown as text below.
  }
  const text = raw.replace(/\s+/g, ' ').trim();
  return { message: text ? text.slice(0, 300) : undefined };
}

const HINTS: Record<string, string> = {
  not_chat_app: "set the app type to 'workflow' for a Dify workflow app",
  not_workflow_app: "set the app type to 'chat' or 'agent' for this Dify app",
  app_unavailable: 'publish the app in Dify and check that its model is configured',
  provider_not_initialize: 'add model credentials to Dify',
  provider_quota_exceeded: "the model's quota in Dify is used up",
  unsupported_file_type: 'this file type is not allowed by the Dify app',
  file_too_large: 'the file is larger than Dify accepts',
};

function detail(status: number | undefined, failure: DifyFailure): string {
  const head = [status ? `HTTP ${status}` : '', failure.code ?? ''].filter(Boolean).join(' ');
  const text = failure.message ?? '';
  const hint = failure.code ? HINTS[failure.code] : undefined;
  return `${head}${head && text ? ': ' : ''}${text}${hint ? `; ${hint}` : ''}`;
}

/** An unsuccessful HTTP answer to `what` (e.g. `POST /chat-messages`). */
export function httpError(status: number, what: string, failure: DifyFailure, settings: Connection): RpcError {
  const info = detail(status, failure);
  const details = { status, ...(failure.code ? { dify_code: failure.code } : {}) };
  const say = (code: ProviderErrorCode, message: string) => providerError(code, redact(message, settings), details);
  if (status === 401) return say(ProviderErrorCode.Auth, `Dify refused the API key (${info}). Check the key in the pipeline (AI → Dify Service API → API key).`);
  if (status === 403) return say(ProviderErrorCode.Auth, `Dify refused access (${info}).`);
  if (status === 404) return say(ProviderErrorCode.BadRequest, `Dify has no ${what} (${info}). Check the base URL (${settings.baseUrl}; it usually ends in /v1) and the app type.`);
  if (status === 429) return say(ProviderErrorCode.Quota, `Dify is rate limiting requests (${info}).`);
  if (status >= 500) return say(ProviderErrorCode.Unavailable, `Dify failed to answer ${what} (${info}).`);
  return say(ProviderErrorCode.BadRequest, `Dify refused ${what} (${info}).`);
}

/** An `error` event in the middle of an answer. */
export function streamError(failure: DifyFailure, settings: Connection): RpcError {
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const code = status === 401 || status === 403 ? ProviderErrorCode.Auth : status === 429 ? ProviderErrorCode.Quota : status && status < 500 ? ProviderErrorCode.BadRequest : ProviderErrorCode.Unavailable;
  return providerError(code, redact(`Dify stopped with an error while answering (${detail(status, failure) || 'no details'}).`, settings), { ...(status ? { status } : {}), ...(failure.code ? { dify_code: failure.code } : {}) });
}

/** A request that got no HTTP answer, or not all of it: timed out, cancelled, or the server could not be reached. */
export function transportError({ kind, error }: TransportFailure, what: string, settings: Connection): RpcError {
  if (kind === 'timeout') {
    const seconds = Math.round(settings.timeoutMs / 100) / 10;
    return providerError(ProviderErrorCode.Timeout, `Dify did not answer ${what} within ${seconds} s (the timeout in AI → Dify Service API).`, { timeout_ms: settings.timeoutMs });
  }
  if (kind === 'cancelled') return new RpcError(RpcErrorCode.Cancelled, 'The request to Dify was cancelled.');
  const { code, message } = networkFailure(error);
  return providerError(ProviderErrorCode.Unavailable, redact(`Could not reach Dify at ${settings.baseUrl} (${code ?? message}).`, settings));
}

/** A server may echo the Authorization header back in its error text. */
const redact = (message: string, settings: Connection) => maskSecrets(message, [settings.apiKey]);
