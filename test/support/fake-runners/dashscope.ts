/**
 * A fake DashScope application API speaking its real wire protocol, for runner tests:
 * `POST /api/v1/apps/{app_id}/completion` answering, with `X-DashScope-SSE: enable`, server-sent events
 * (`id:`, `event:result`, `:HTTP_STATUS/200`, `data:{output, usage, request_id}`), incremental text, reasoning
 * `thoughts`, `doc_references`, sessions created and continued with `input.session_id`, and one JSON object
 * without SSE. Answers come from a script; delays, HTTP errors, `event:error` and cut-off streams are scriptable.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeServer, fill, json, sleep, sseEvent, stream, type BaseRule, type RecordedRequest } from './agent-platform-fake.js';

export interface DashScopeRule extends Omit<BaseRule, 'error' | 'hang'> {
  /** The answer; `{text}` is the prompt. */
  reply?: string;
  /** The answer streamed in these pieces. */
  chunks?: string[];
  /** Reasoning streamed as `thoughts` before the answer. */
  thoughts?: string[];
  /** Documents the answer cites, sent with its last piece. */
  references?: { index_id: string; doc_name: string; title?: string }[];
  /** Answer with this HTTP status and a DashScope error body. */
  error?: { status: number; code: string; message: string };
  /** Send an `event:error` after the answer's pieces. */
  streamError?: { status: number; code: string; message: string };
  /** Close the stream before the piece that says the answer is finished. */
  cutOff?: boolean;
}

export interface DashScopeCall extends RecordedRequest {
  appId: string;
  /** The prompt. */
  text: string;
}

export interface FakeDashScopeOptions {
  /** The accepted key; any is accepted when unset. */
  apiKey?: string;
  script?: DashScopeRule[];
}

export class FakeDashScope extends FakeServer<DashScopeRule> {
  readonly calls: DashScopeCall[] = [];
  readonly sessions = new Set<string>();

  constructor(private readonly options: FakeDashScopeOptions = {}) {
    super(options.script);
  }

  /** The base URL, as the runner's `base-url` takes it (ends in /api/v1). */
  override get url(): string {
    return `${this.origin}/api/v1`;
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const route = /^\/api\/v1\/apps\/([^/]+)\/completion$/.exec(request.path);
    if (request.method !== 'POST' || !route) return json(res, 404, { code: 'NotFound', message: 'Not found.', request_id: requestId });
    if (this.options.apiKey && request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return json(res, 401, { code: 'InvalidApiKey', message: 'Invalid API-key provided.', request_id: requestId });
    }
    const { body, headers } = request;
    const text = String(body.input?.prompt ?? '');
    this.calls.push({ ...request, appId: decodeURIComponent(route[1]), text });
    const rule: DashScopeRule = this.ruleFor(text) ?? { reply: 'echo: {text}' };
    await sleep(rule.delayMs);
    if (rule.error) return json(res, rule.error.status, { code: rule.error.code, message: rule.error.message, request_id: requestId });

    let session = body.input?.session_id as string | undefined;
    if (!session) session = `sess-${this.sessions.size + 1}`;
    this.sessions.add(session);
    const answer = (rule.chunks ?? [rule.reply ?? '']).map((c) => fill(c, { text }));
    const workflowMessages = body.parameters?.flow_stream_mode === 'message_format';
    const usage = { models: [{ model_id: 'qwen-max-latest', input_tokens: text.length, output_tokens: answer.join('').length }] };
    const output = (fields: Record<string, unknown>, piece?: string) => ({
      session_id: session,
      finish_reason: 'null',
      ...(piece === undefined ? {} : workflowMessages ? { workflow_message: { node_id: 'End_1', node_name: 'End', node_type: 'End', node_status: 'executing', message: { role: 'assistant', content: piece } } } : { text: piece }),
      ...fields,
    });

    const streamed = headers['x-dashscope-sse'] === 'enable' || String(headers.accept).includes('text/event-stream');
    if (!streamed) {
      const thoughts = rule.thoughts?.length ? [reasoning(rule.thoughts.join(''))] : null;
      return json(res, 200, { output: output({ finish_reason: 'stop', thoughts, doc_references: rule.references ?? null }, answer.join('')), usage, request_id: requestId });
    }

    const out = stream(res, 'text/event-stream;charset=UTF-8', { 'x-request-id': requestId });
    let id = 0;
    const send = async (event: string, status: number, data: unknown) => {
      await out.write(sseEvent({ id: ++id, event, comment: `HTTP_STATUS/${status}`, data }, true));
      await sleep(rule.chunkDelayMs);
    };
    for (const thought of rule.thoughts ?? []) await send('result', 200, { output: output({ thoughts: [reasoning(thought)] }, ''), usage, request_id: requestId });
    for (const [i, piece] of answer.entries()) {
      const last = i === answer.length - 1;
      await send('result', 200, { output: output(last && rule.references ? { doc_references: rule.references } : {}, piece), usage, request_id: requestId });
    }
    if (rule.streamError) {
      await send('error', rule.streamError.status, { code: rule.streamError.code, message: rule.streamError.message, request_id: requestId });
      return out.end();
    }
    if (rule.cutOff) return out.end();
    await send('result', 200, { output: output({ finish_reason: 'stop' }, ''), usage, request_id: requestId });
    out.end();
  }
}

export async function startFakeDashScope(options: FakeDashScopeOptions = {}): Promise<FakeDashScope> {
  return new FakeDashScope(options).start();
}

function reasoning(thought: string) {
  return { thought, action_type: 'reasoning', response: thought, action_name: '思考过程', action: 'reasoning' };
}

