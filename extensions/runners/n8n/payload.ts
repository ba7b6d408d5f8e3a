/** The JSON the webhook receives: the message under the names n8n's Chat trigger and older LangBot flows read. */
import { contentText, type RunnerRequest } from '@langbot-ts/sdk';

export const userIdOf = (request: RunnerRequest) => `${request.launcher_type}_${request.launcher_id}`;

export function payloadOf(request: RunnerRequest): Record<string, unknown> {
  const variables = request.variables ?? {};
  const text = contentText(request.user_message.content);
  const conversationId = String(variables.conversation_id ?? request.conversation_id);
  return {
    chatInput: text,
    message: text,
    user_message_text: text,
    conversation_id: conversationId,
    // n8n's Chat trigger keys its memory by `sessionId`.
    sessionId: conversationId,
    session_id: variables.session_id ?? userIdOf(request),
    user_id: userIdOf(request),
    msg_create_time: variables.msg_create_time ?? Math.floor(Date.now() / 1000),
    ...variables,
  };
}
