/** How this runner talks to Dify: a POST that must succeed, its answer read under the idle timeout. */
import { fetchWithIdleTimeout, providerError, ProviderErrorCode, type IdleResponse } from '@langbot-ts/sdk';
import { httpError, parseFailure, transportError } from './errors.js';
import type { DifySettings } from './settings.js';

/** POSTs JSON (or a multipart form) to `{base-url}{path}`; throws a user-facing error unless Dify answers 2xx. */
export async function difyPost(settings: DifySettings, path: string, body: unknown, signal?: AbortSignal): Promise<IdleResponse> {
  const what = `POST ${path}`;
  const form = body instanceof FormData;
  const response = await fetchWithIdleTimeout(
    settings.baseUrl + path,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.apiKey}`, ...(form ? {} : { 'content-type': 'application/json' }) },
      body: form ? body : JSON.stringify(body),
    },
    { timeoutMs: settings.timeoutMs, signal, failure: (failure) => transportError(failure, what, settings) },
  );
  if (response.ok) return response;
  throw httpError(response.status, what, parseFailure(await response.text()), settings);
}

/** The body as JSON (a small answer such as an upload's). */
export async function bodyJson<T>(response: IdleResponse, what: string, settings: DifySettings): Promise<T> {
  const raw = await response.text();
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw providerError(ProviderErrorCode.Unavailable, `Dify answered ${what} with something other than JSON; check the base URL (${settings.baseUrl}).`);
  }
}
