/**
 * The `dashscope-app-api` runner: the user's message goes to an Aliyun Model Studio (Bailian) application, an
 * agent or a workflow, with `POST {base-url}/apps/{app-id}/completion` streamed as server-sent events, continuing
 * the DashScope session kept for this LangBot conversation.
 */
import {
  RemoteIds,
  ReplyChunks,
  exchange,
  readSse,
  tryParseJson,
  type ExtensionContext,
  type IdleResponse,
  type RunnerMessage,
  type RunnerRequest,
  type SseEvent,
} from '@langbot-ts/sdk';
import { DashScopeCompletion, type DashScopeOutput } from './completion.js';
import { dashScopeConfig, type DashScopeConfig } from './config.js';
import { responseError, streamError, type DashScopeStatus } from './dashscope-errors.js';
import { completionBody, unsentAttachments } from './request-body.js';

export async function* runDashScope(ctx: ExtensionContext, request: RunnerRequest): AsyncGenerator<RunnerMessage> {
  const config = dashScopeConfig(request.config ?? {});
  const session = await new RemoteIds(ctx, `dashscope:${config.appId}`).link(request.conversation_id);
  const unsent = unsentAttachments(request);
  if (unsent > 0) ctx.log.warn(`DashScope takes images by public URL only: ${unsent} attachment(s) of this message were not sent.`, { query_id: request.query_id });

  const answer = await call(config, completionBody(config, request, session.current));
  const completion = new DashScopeCompletion(config.platform, config.referencesQuote);
  const chunks = new ReplyChunks(request.stream);
  try {
    for await (const output of outputs(config, answer)) {
      completion.apply(output);
      await session.remember(completion.sessionId);
      yield* chunks.partial(completion.text(false));
    }
  } finally {
    answer.close();
  }
  completion.end();
  yield chunks.final(completion.text(true));
}

async function call(config: DashScopeConfig, body: Record<string, unknown>): Promise<IdleResponse> {
  const url = `${config.baseUrl}/apps/${encodeURIComponent(config.appId)}/completion`;
  const headers = { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream', 'x-dashscope-sse': 'enable' };
  const answer = await exchange(config.platform, url, { method: 'POST', headers, body: JSON.stringify(body) }, config.timeoutMs);
  if (!answer.ok) throw responseError(config.platform, answer.status, await answer.text());
  return answer;
}

/** The `output` of each result; a proxy that answers with one JSON object instead of a stream is accepted too. */
async function* outputs(config: DashScopeConfig, answer: IdleResponse): AsyncGenerator<DashScopeOutput | undefined> {
  if (!answer.contentType.includes('text/event-stream')) {
    const body = await answer.text();
    const json = tryParseJson(body) as { output?: DashScopeOutput } | undefined;
    if (!json?.output) throw responseError(config.platform, answer.status, body);
    yield json.output;
    return;
  }
  for await (const event of readSse(answer.body())) yield result(config, event);
}

function result(config: DashScopeConfig, event: SseEvent): DashScopeOutput | undefined {
  const data = tryParseJson(event.data) as ({ output?: DashScopeOutput } & DashScopeStatus) | undefined;
  if (event.event === 'error') throw streamError(config.platform, data ?? { message: event.data });
  return data?.output;
}
