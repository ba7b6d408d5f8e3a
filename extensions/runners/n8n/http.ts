/** Posting the message to the webhook and reading the answer as it arrives. */
import type { Deadline } from './deadline.js';
import { httpError, transportError } from './errors.js';
import type { N8nSettings } from './settings.js';

/** POSTs JSON; throws a user-facing error unless n8n answers 2xx. */
export async function postWebhook(settings: N8nSettings, body: unknown, headers: Record<string, string>, deadline: Deadline): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(settings.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/plain, */*', ...headers },
      body: JSON.stringify(body),
      signal: deadline.signal,
    });
  } catch (error) {
    throw transportError(error, settings, deadline.expired, deadline.signal.aborted);
  }
  deadline.touch();
  if (response.ok) return response;
  let raw = '';
  try {
    raw = await response.text();
  } catch (error) {
    throw transportError(error, settings, deadline.expired, deadline.signal.aborted);
  }
  throw httpError(response.status, raw, settings);
}

/** The body's text as it arrives; each piece pushes the deadline back. */
export async function* bodyText(response: Response, settings: N8nSettings, deadline: Deadline): AsyncGenerator<string> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        throw transportError(error, settings, deadline.expired, deadline.signal.aborted);
      }
      if (next.done) break;
      deadline.touch();
      const text = decoder.decode(next.value, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    // Stops the download when the run ends early (an error item, a cancelled run).
    await reader.cancel().catch(() => {});
  }
}
