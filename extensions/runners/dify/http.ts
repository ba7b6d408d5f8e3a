/** The two ways this runner talks to Dify: a POST that must succeed, and reading a streamed answer body. */
import { providerError, ProviderErrorCode } from '@langbot-ts/sdk';
import type { Deadline } from './deadline.js';
import { httpError, parseFailure, transportError } from './errors.js';
import type { DifySettings } from './settings.js';

/** POSTs JSON (or a multipart form) to `{base-url}{path}`; throws a user-facing error unless Dify answers 2xx. */
export async function difyPost(settings: DifySettings, path: string, body: unknown, deadline: Deadline): Promise<Response> {
  const what = `POST ${path}`;
  const form = body instanceof FormData;
  let response: Response;
  try {
    response = await fetch(settings.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.apiKey}`, ...(form ? {} : { 'content-type': 'application/json' }) },
      body: form ? body : JSON.stringify(body),
      signal: deadline.signal,
    });
  } catch (error) {
    throw transportError(error, what, settings, deadline.expired, deadline.signal.aborted);
  }
  deadline.touch();
  if (response.ok) return response;
  let raw = '';
  try {
    raw = await response.text();
  } catch (error) {
    throw transportError(error, what, settings, deadline.expired, deadline.signal.aborted);
  }
  throw httpError(response.status, what, parseFailure(raw), settings);
}

/** The body's bytes as they arrive; each one pushes the deadline back. */
export async function* bodyChunks(response: Response, what: string, settings: DifySettings, deadline: Deadline): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        throw transportError(error, what, settings, deadline.expired, deadline.signal.aborted);
      }
      if (next.done) return;
      deadline.touch();
      yield next.value;
    }
  } finally {
    // Stops the download when the run ends early (an error event, a cancelled run).
    await reader.cancel().catch(() => {});
  }
}

/** The body as JSON (a small answer such as an upload's). */
export async function bodyJson<T>(response: Response, what: string, settings: DifySettings, deadline: Deadline): Promise<T> {
  const decoder = new TextDecoder();
  let raw = '';
  for await (const chunk of bodyChunks(response, what, settings, deadline)) raw += decoder.decode(chunk, { stream: true });
  raw += decoder.decode();
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw providerError(ProviderErrorCode.Unavailable, `Dify answered ${what} with something other than JSON; check the base URL (${settings.baseUrl}).`);
  }
}
