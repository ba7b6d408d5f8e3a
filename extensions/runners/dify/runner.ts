/**
 * The `dify-service-api` runner: chat and agent apps answer through `POST /chat-messages`, workflow apps through
 * `POST /workflows/run`, both in streaming mode on the wire (agent apps accept nothing else). The adapter sees the
 * answer while it is written only when the request streams; otherwise it gets one complete message.
 */
import type { ExtensionContext, RunnerMessage, RunnerRequest } from '@langbot-ts/sdk';
import { Answer, type DifyEvent } from './answer.js';
import { ConversationLink } from './conversation-link.js';
import { Deadline } from './deadline.js';
import { bodyChunks, difyPost } from './http.js';
import { difyUser, inputsOf, queryOf } from './inputs.js';
import { difySettings } from './settings.js';
import { sseEvents } from './sse.js';
import { imageUrls, uploadImages } from './uploads.js';

export async function* runDify(ctx: ExtensionContext, request: RunnerRequest, cancel?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = difySettings(request.config ?? {});
  const deadline = new Deadline(settings.timeoutMs, cancel);
  try {
    const user = difyUser(request);
    const query = queryOf(request, settings);
    const inputs = inputsOf(request, query);
    const files = await uploadImages(imageUrls(request.user_message.content), user, settings, deadline);
    const common = { inputs, response_mode: 'streaming', user, ...(files.length > 0 ? { files } : {}) };

    const path = settings.appType === 'workflow' ? '/workflows/run' : '/chat-messages';
    // Only chat and agent apps have conversations; a workflow run stands alone.
    const conversation = settings.appType === 'workflow' ? undefined : new ConversationLink(ctx, settings, request.conversation_id || request.session_id);
    const response = conversation ? await conversation.open(common, query, deadline) : await difyPost(settings, path, common, deadline);

    const answer = new Answer(settings.appType, settings);
    for await (const sse of sseEvents(bodyChunks(response, `POST ${path}`, settings, deadline))) {
      const event = parseEvent(sse.data);
      if (!event) continue;
      const changed = answer.apply(event);
      if (answer.conversationId) await conversation?.remember(answer.conversationId);
      if (changed && request.stream) yield { role: 'assistant', content: answer.text, streaming: true, is_final: false };
    }
    ctx.log.debug('Dify answered.', { app_type: settings.appType, conversation_id: answer.conversationId, chars: answer.text.length });
    yield answer.final(request.stream);
  } finally {
    deadline.clear();
  }
}

function parseEvent(data: string): DifyEvent | undefined {
  try {
    const event = JSON.parse(data) as DifyEvent;
    return event && typeof event === 'object' ? event : undefined;
  } catch {
    return undefined;
  }
}
