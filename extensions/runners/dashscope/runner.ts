/**
 * The `dashscope-app-api` runner: the user's message goes to an Aliyun Model Studio (Bailian) application, an
 * agent or a workflow, with `POST {base-url}/apps/{app-id}/completion` streamed as server-sent events, continuing
 * the DashScope session kept for this LangBot conversation.
 */
import type { ExtensionContext, RunnerMessage, RunnerRequest } from '@langbot-ts/sdk';
import { DashScopeCompletion, type DashScopeOutput } from './completion.js';
import { dashScopeConfig, type DashScopeConfig } from './config.js';
import { responseError, streamError, type DashScopeStatus } from './dashscope-errors.js';
import { exchange, parseJson, type Exchange } from './http.js';
import { RemoteIds } from './remote-ids.js';
import { completionBody, unsentAttachments } from './request-body.js';
import { readSse, type SseEvent } from './sse.js';

export async function* runDashScope(ctx: ExtensionContext, request: RunnerRequest): AsyncGenerator<RunnerMessage> {
  const config = dashScopeConfig(request.config ?? {});
  const sessions = new RemoteIds(ctx, `dashscope:${config.appId}`);
  let saved = await sessions.get(request.conversation_id);
  const unsent = unsentAttachments(request);
  if (unsent > 0) ctx.log.warn(`DashScope takes images by public URL only: ${unsent} attachment(s) of this message were not sent.`, { query_id: request.query_id });

  const answer = await call(config, completionBody(config, request, saved));
  const completion = new DashScopeCompletion(config.platform, config.referencesQuote);
  let shown = '';
  try {
    for await (const output of outputs(config, answer)) {
      completion.apply(output);
      if (completion.sessionId && completion.sessionId !== saved) {
        saved = completion.sessionId;
        await sessions.set(request.conversation_id, saved);
      }
      const text = completion.text(false);
      if (request.stream && text !== shown) {
        shown = text;
        yield { role: 'assistant', content: text, streaming: true, is_final: false };
      }
    }
  } finally {
    answer.close();
  }
  completion.end();
  const content = completion.text(true);
  yield request.stream ? { role: 'assistant', content, streaming: true, is_final: true } : { role: 'assistant', content };
}

async function call(config: DashScopeConfig, body: Record<string, unknown>): Promise<Exchange> {
  const url = `${config.baseUrl}/apps/${encodeURIComponent(config.appId)}/completion`;
  const headers = { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream', 'x-dashscope-sse': 'enable' };
  const answer = await exchange(config.platform, url, { method: 'POST', headers, body: JSON.stringify(body) }, config.timeoutMs);
  if (!answer.ok) throw responseError(config.platform, answer.status, await answer.text());
  return answer;
}

/** The `output` of each result; a proxy that answers with one JSON object instead of a stream is accepted too. */
async function* outputs(config: DashScopeConfig, answer: Exchange): AsyncGenerator<DashScopeOutput | undefined> {
  if (!answer.contentType.includes('text/event-stream')) {
    const body = await answer.text();
    const json = parseJson(body) as { output?: DashScopeOutput } | undefined;
    if (!json?.output) throw responseError(config.platform, answer.status, body);
    yield json.output;
    return;
  }
  for await (const event of readSse(answer.body)) yield result(config, event);
}

function result(config: DashScopeConfig, event: SseEvent): DashScopeOutput | undefined {
  const data = parseJson(event.data) as ({ output?: DashScopeOutput } & DashScopeStatus) | undefined;
  if (event.event === 'error') throw streamError(config.platform, data ?? { message: event.data });
  return data?.output;
}
