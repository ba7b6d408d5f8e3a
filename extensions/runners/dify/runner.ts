/**
 * The `dify-service-api` runner: chat and agent apps answer through `POST /chat-messages`, workflow apps through
 * `POST /workflows/run`, both in streaming mode on the wire (agent apps accept nothing else). The adapter sees the
 * answer while it is written only when the request streams; otherwise it gets one complete message.
 */
import { partialReply, readSse, tryParseJson, type ExtensionContext, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';
import { Answer, type DifyEvent } from './answer.js';
import { openChat } from './conversation-link.js';
import { difyPost } from './http.js';
import { difyUser, inputsOf, queryOf } from './inputs.js';
import { difySettings } from './settings.js';
import { imageUrls, uploadImages } from './uploads.js';

export async function* runDify(ctx: ExtensionContext, request: RunnerRequest, cancel?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = difySettings(request.config ?? {});
  const user = difyUser(request);
  const query = queryOf(request, settings);
  const inputs = inputsOf(request, query);
  const files = await uploadImages(imageUrls(request.user_message.content), user, settings, cancel);
  const common = { inputs, response_mode: 'streaming', user, ...(files.length > 0 ? { files } : {}) };

  const path = settings.appType === 'workflow' ? '/workflows/run' : '/chat-messages';
  // Only chat and agent apps have conversations; a workflow run stands alone.
  const { response, link } =
    settings.appType === 'workflow'
      ? { response: await difyPost(settings, path, common, cancel), link: undefined }
      : await openChat(ctx, settings, request.conversation_id || request.session_id, { ...common, query }, cancel);

  const answer = new Answer(settings.appType, settings);
  for await (const sse of readSse(response.body())) {
    const event = parseEvent(sse.data);
    if (!event) continue;
    const changed = answer.apply(event);
    await link?.remember(answer.conversationId);
    if (changed && request.stream) yield partialReply(answer.text);
  }
  ctx.log.debug('Dify answered.', { app_type: settings.appType, conversation_id: answer.conversationId, chars: answer.text.length });
  yield answer.final(request.stream);
}

function parseEvent(data: string): DifyEvent | undefined {
  const event = tryParseJson(data) as DifyEvent | undefined;
  return event && typeof event === 'object' ? event : undefined;
}
