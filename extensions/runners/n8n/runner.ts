/**
 * The `n8n-service-api` runner: the message goes to the workflow's webhook as JSON; the answer is the reply.
 * When the workflow streams and the adapter can show partial replies, each item reaches the adapter as it comes.
 */
import type { ExtensionContext, RunnerMessage, RunnerRequest } from '@langbot-ts/sdk';
import { authHeaders } from './auth.js';
import { Deadline } from './deadline.js';
import { bodyText, postWebhook } from './http.js';
import { payloadOf, userIdOf } from './payload.js';
import { ReplyReader } from './reply.js';
import { n8nSettings } from './settings.js';

export async function* runN8n(ctx: ExtensionContext, request: RunnerRequest, cancel?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = n8nSettings(request.config ?? {});
  const deadline = new Deadline(settings.timeoutMs, cancel);
  try {
    const response = await postWebhook(settings, payloadOf(request), authHeaders(settings.auth, userIdOf(request)), deadline);
    const reply = new ReplyReader(settings);
    for await (const text of bodyText(response, settings, deadline)) {
      if (reply.push(text) && request.stream) yield { role: 'assistant', content: reply.text, streaming: true, is_final: false };
    }
    const content = reply.finish();
    ctx.log.debug('n8n answered.', { streamed: reply.streamed, chars: content.length });
    yield request.stream ? { role: 'assistant', content, streaming: true, is_final: true } : { role: 'assistant', content };
  } finally {
    deadline.clear();
  }
}
