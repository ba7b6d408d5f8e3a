/** What a Dify request carries besides files: the question, the app's `inputs` and the end user. */
import { contentText, type RunnerRequest } from '@langbot-ts/sdk';
import type { DifySettings } from './settings.js';

/** The user's text, or the base prompt when the message has none (only images). */
export function queryOf(request: RunnerRequest, settings: DifySettings): string {
  const text = contentText(request.user_message.content);
  return text.trim() ? text : settings.basePrompt;
}

/** Dify scopes conversations and uploads to a user: one per chat (a person, or a group). */
export const difyUser = (request: RunnerRequest) => `${request.launcher_type}_${request.launcher_id}`;

/** The query variables, plus the `langbot_*` inputs a Dify app can declare to read the message and its session. */
export function inputsOf(request: RunnerRequest, query: string): Record<string, unknown> {
  const variables = request.variables ?? {};
  return {
    ...variables,
    langbot_user_message_text: query,
    langbot_session_id: variables.session_id ?? difyUser(request),
    langbot_conversation_id: variables.conversation_id ?? request.conversation_id,
    langbot_msg_create_time: variables.msg_create_time ?? Math.floor(Date.now() / 1000),
  };
}
