/** Posting the message to the webhook, its answer read under the idle timeout. */
import { fetchWithIdleTimeout, type IdleResponse } from '@langbot-ts/sdk';
import { httpError, transportError } from './errors.js';
import type { N8nSettings } from './settings.js';

/** POSTs JSON; throws a user-facing error unless n8n answers 2xx. */
export async function postWebhook(settings: N8nSettings, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<IdleResponse> {
  const response = await fetchWithIdleTimeout(
    settings.webhookUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/plain, */*', ...headers },
      body: JSON.stringify(body),
    },
    { timeoutMs: settings.timeoutMs, signal, failure: (failure) => transportError(failure, settings) },
  );
  if (response.ok) return response;
  throw httpError(response.status, await response.text(), settings);
}
