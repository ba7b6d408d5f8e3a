/** n8n's failures as errors a user can act on: the HTTP status and n8n's own message, never a secret. */
import { ProviderErrorCode, RpcError, RpcErrorCode, maskSecrets, networkFailure, providerError, type TransportFailure } from '@langbot-ts/sdk';
import { secretsOf, type N8nSettings } from './settings.js';

/** n8n's error body (`{ code, message, hint }`), or the start of whatever else came back. */
function describe(raw: string): string {
  try {
    const body = JSON.parse(raw) as { message?: unknown; hint?: unknown };
    if (body && typeof body === 'object' && typeof body.message === 'string') return typeof body.hint === 'string' && body.hint ? `${body.message} ${body.hint}` : body.message;
  } catch {
    // Not JSON: shown as text.
  }
  return raw.replace(/\s+/g, ' ').trim().slice(0, 300);
}

export function httpError(status: number, raw: string, settings: N8nSettings): RpcError {
  const text = describe(raw);
  const info = `HTTP ${status}${text ? `: ${text}` : ''}`;
  const say = (code: ProviderErrorCode, message: string) => providerError(code, redact(message, settings), { status });
  if (status === 401) return say(ProviderErrorCode.Auth, `The n8n webhook asks for credentials (${info}). Check the authentication in the pipeline (AI → n8n workflow).`);
  if (status === 403) return say(ProviderErrorCode.Auth, `The n8n webhook refused the credentials (${info}). Check the authentication in the pipeline (AI → n8n workflow).`);
  if (status === 404) return say(ProviderErrorCode.BadRequest, `n8n has no such webhook (${info}). Check the webhook URL and that the workflow is active.`);
  if (status === 429) return say(ProviderErrorCode.Quota, `n8n is rate limiting requests (${info}).`);
  if (status >= 500) return say(ProviderErrorCode.Unavailable, `The n8n workflow failed (${info}).`);
  return say(ProviderErrorCode.BadRequest, `The n8n webhook refused the message (${info}).`);
}

/** A `{"type":"error"}` item in a streamed answer. */
export function streamedError(content: string, settings: N8nSettings): RpcError {
  return providerError(ProviderErrorCode.Unavailable, redact(`The n8n workflow stopped with an error${content ? `: ${content}` : ''}.`, settings));
}

/** A request that got no HTTP answer, or not all of it: timed out, cancelled, or the server could not be reached. */
export function transportError({ kind, error }: TransportFailure, settings: N8nSettings): RpcError {
  if (kind === 'timeout') {
    const seconds = Math.round(settings.timeoutMs / 100) / 10;
    return providerError(ProviderErrorCode.Timeout, `The n8n workflow did not answer within ${seconds} s (the timeout in AI → n8n workflow).`, { timeout_ms: settings.timeoutMs });
  }
  if (kind === 'cancelled') return new RpcError(RpcErrorCode.Cancelled, 'The request to n8n was cancelled.');
  const { code, message } = networkFailure(error);
  return providerError(ProviderErrorCode.Unavailable, redact(`Could not reach the n8n webhook at ${origin(settings.webhookUrl)} (${code ?? message}).`, settings));
}

export function answerError(message: string, settings: N8nSettings): RpcError {
  return providerError(ProviderErrorCode.Unavailable, redact(message, settings));
}

/** Where the webhook lives, without its path (which may itself be a secret). */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured URL';
  }
}

const redact = (message: string, settings: N8nSettings) => maskSecrets(message, secretsOf(settings));
