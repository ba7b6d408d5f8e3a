/** HTTP failures as messages a user can act on: the status, what the platform said about it, no secrets. */
import { ProviderErrorCode, providerError, type RpcError } from '@langbot-ts/sdk';
import type { Service } from './http.js';

const MAX_DETAIL_CHARS = 500;

/** The error for an answer with a failure status, with the platform's own explanation. */
export function statusError(service: Service, status: number, body: string): RpcError {
  const detail = redact(errorDetail(body), service.secrets);
  const said = `${service.name} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 401 || status === 403) return providerError(ProviderErrorCode.Auth, `${said}. Check the API key in ${service.settings}.`, { status });
  if (status === 429) return providerError(ProviderErrorCode.Quota, `${said}.`, { status });
  if (status === 408 || status === 504) return providerError(ProviderErrorCode.Timeout, `${said}.`, { status });
  if (status >= 500) return providerError(ProviderErrorCode.Unavailable, `${said}.`, { status });
  return providerError(ProviderErrorCode.BadRequest, `${said}.`, { status });
}

/** What an error body says: the usual fields of JSON error bodies (FastAPI, Go services), else the text itself. */
export function errorDetail(body: string): string {
  const text = body.trim();
  if (!text) return '';
  let detail: string = text;
  try {
    detail = pick(JSON.parse(text)) ?? text;
  } catch {
    // Not JSON: the text is the detail.
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  return detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail;
}

function pick(value: unknown): string | undefined {
  if (typeof value === 'string') {
    // FastAPI services sometimes put a JSON document in `detail`.
    if (value.trim().startsWith('{')) {
      try {
        return pick(JSON.parse(value)) ?? value;
      } catch {
        return value;
      }
    }
    return value;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['detail', 'error', 'message', 'msg']) {
    const found = pick(record[key]);
    if (found) return found;
  }
  return undefined;
}

export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}
