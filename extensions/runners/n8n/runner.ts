/**
 * The `n8n-service-api` runner: the message goes to the workflow's webhook as JSON; the answer is the reply.
 * When the workflow streams and the adapter can show partial replies, each item reaches the adapter as it comes.
 */
import { finalReply, partialReply, readText, type ExtensionContext, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';
import { authHeaders } from './auth.js';
import { postWebhook } from './http.js';
import { payloadOf, userIdOf } from './payload.js';
import { ReplyReader } from './reply.js';
import { n8nSettings } from './settings.js';

export async function* runN8n(ctx: ExtensionContext, request: RunnerRequest, cancel?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = n8nSettings(request.config ?? {});
  const response = await postWebhook(settings, payloadOf(request), authHeaders(settings.auth, userIdOf(request)), cancel);
  const reply = new ReplyReader(settings);
  for await (const text of readText(response.body())) {
    if (reply.push(text) && request.stream) yield partialReply(reply.text);
  }
  const content = reply.finish();
  ctx.log.debug('n8n answered.', { streamed: reply.streamed, chars: content.length });
  yield finalReply(content, request.stream);
}
