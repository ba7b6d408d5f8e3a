/**
 * The `langflow-api` runner: the user's text runs the flow. Upstream starts a fresh Langflow session on every call;
 * here the LangBot conversation is the session, so a flow with chat memory remembers the conversation (and a new
 * LangBot conversation starts a new one).
 */
import {
  ProviderErrorCode,
  ReplyChunks,
  answeredStatusError,
  contentText,
  providerError,
  sendJson,
  type RunnerMessage,
  type RunnerRequest,
} from '@langbot-ts/sdk';
import { flowEvents } from './flow-events.js';
import { runResultText } from './run-result.js';
import { langflowSettings } from './settings.js';
import { StreamReader, noText } from './stream-reader.js';

export async function* runLangflow(request: RunnerRequest, signal?: AbortSignal): AsyncGenerator<RunnerMessage> {
  const settings = langflowSettings(request.config ?? {});
  const reply = await sendJson(settings.platform, {
    method: 'POST',
    url: `${settings.baseUrl}/api/v1/run/${encodeURIComponent(settings.flowId)}?stream=${request.stream}`,
    headers: { Accept: request.stream ? 'text/event-stream' : 'application/json', ...(settings.apiKey ? { 'x-api-key': settings.apiKey } : {}) },
    body: {
      input_value: contentText(request.user_message.content),
      input_type: settings.inputType,
      output_type: settings.outputType,
      tweaks: settings.tweaks,
      // The agent handler has no conversation: its chat stands for it.
      session_id: request.conversation_id || request.session_id,
    },
    timeoutMs: settings.timeoutMs,
    signal,
  });
  if (!reply.ok) throw answeredStatusError(settings.platform, reply.status, await reply.text());

  if (!request.stream) {
    const body = await reply.text();
    let result: unknown;
    try {
      result = JSON.parse(body);
    } catch {
      throw providerError(ProviderErrorCode.Unavailable, `Langflow answered with something that is not JSON (is ${settings.baseUrl} Langflow?).`);
    }
    const text = runResultText(result);
    if (!text.trim()) throw noText();
    yield { role: 'assistant', content: text };
    return;
  }

  const reader = new StreamReader();
  const chunks = new ReplyChunks(request.stream);
  for await (const event of flowEvents(reply.body())) yield* chunks.partial(reader.take(event));
  yield chunks.final(reader.answer());
}
