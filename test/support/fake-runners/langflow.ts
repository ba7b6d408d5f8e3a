/**
 * A fake Langflow speaking the run API the `langflow-api` runner uses: `POST /api/v1/run/{flow}` with the
 * x-api-key header, answered with a `RunResponse` JSON, or with `?stream=true` as one JSON event per line
 * (`add_message`, `token`, `end`, `error`) separated by blank lines. Errors are FastAPI's `{"detail": …}`.
 * Sessions keep the messages of their chat, like a flow with chat memory.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeServer, fill, hang, json, sleep, stream, type BaseRule, type RecordedRequest } from './agent-platform-fake.js';

export interface LangflowRule extends BaseRule {
  /** The answer; `{text}` is the input, `{session}` the session id, `{turn}` how many inputs the session has had, `{tweaks}` the tweaks as JSON. */
  reply?: string;
  /** The answer streamed in these `token` pieces. */
  chunks?: string[];
  /** The answer comes whole in an `add_message` (a model component that does not stream). */
  unstreamed?: boolean;
  /** Send an `error` event after the chunks instead of `end`. */
  streamError?: string;
  /** The flow has no chat output: the result holds no message. */
  noOutput?: boolean;
}

export interface FakeLangflowOptions {
  /** The x-api-key Langflow requires (none when unset). */
  apiKey?: string;
  /** The flows it has (any id runs when empty). */
  flows?: string[];
  script?: LangflowRule[];
}

const line = (event: string, data: unknown) => `${JSON.stringify({ event, data })}\n\n`;

export class FakeLangflow extends FakeServer<LangflowRule> {
  /** Inputs by session id. */
  readonly sessions = new Map<string, string[]>();

  constructor(private readonly options: FakeLangflowOptions = {}) {
    super(options.script);
  }

  get runs(): RecordedRequest[] {
    return this.requestsTo('POST', /^\/api\/v1\/run\//);
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const run = request.path.match(/^\/api\/v1\/run\/([^/]+)$/);
    if (request.method !== 'POST' || !run) return json(res, 404, { detail: 'Not Found' });
    const key = request.headers['x-api-key'] ?? request.query.x_api_key;
    if (this.options.apiKey && !key) return json(res, 403, { detail: 'An API key must be passed as query or header' });
    if (this.options.apiKey && key !== this.options.apiKey) return json(res, 403, { detail: 'Invalid or missing API key' });
    const flowId = decodeURIComponent(run[1]);
    if (this.options.flows?.length && !this.options.flows.includes(flowId)) return json(res, 404, { detail: `Flow identifier ${flowId} not found` });

    const body = request.body ?? {};
    const text = String(body.input_value ?? '');
    const rule = this.ruleFor(text) ?? { reply: 'echo: {text}' };
    await sleep(rule.delayMs);
    if (rule.hang) return hang();
    if (rule.error) return json(res, rule.error.status, rule.error.body ?? { detail: rule.error.message ?? 'Internal Server Error' });

    const sessionId = String(body.session_id || randomUUID());
    const inputs = this.sessions.get(sessionId) ?? [];
    inputs.push(text);
    this.sessions.set(sessionId, inputs);
    const values = { text, session: sessionId, turn: String(inputs.length), tweaks: JSON.stringify(body.tweaks ?? null) };
    const answer = fill(rule.reply ?? (rule.chunks ?? []).join(''), values);
    const result = this.runResponse(sessionId, text, rule.noOutput ? '' : answer);

    if (request.query.stream !== 'true') return json(res, 200, result);
    const out = stream(res);
    const messageId = randomUUID();
    out.write(line('add_message', this.message(sessionId, 'User', text, randomUUID())));
    out.write(line('add_message', this.message(sessionId, 'Machine', '', messageId)));
    if (rule.unstreamed) out.write(line('add_message', this.message(sessionId, 'Machine', answer, messageId)));
    else {
      for (const chunk of rule.chunks ?? [answer]) {
        out.write(line('token', { chunk: fill(chunk, values), id: messageId, timestamp: new Date().toISOString() }));
        await sleep(rule.chunkDelayMs);
      }
    }
    out.write(rule.streamError ? line('error', { error: rule.streamError }) : line('end', { result }));
    out.end();
  }

  private message(session_id: string, sender: 'User' | 'Machine', text: string, id: string) {
    return { timestamp: new Date().toISOString(), sender, sender_name: sender === 'User' ? 'User' : 'AI', session_id, text, files: [], error: false, edit: false, category: 'message', content_blocks: [], id, flow_id: 'flow' };
  }

  private runResponse(session_id: string, input: string, text: string) {
    const message = { text, sender: 'Machine', sender_name: 'AI', session_id, files: [], timestamp: new Date().toISOString() };
    return {
      session_id,
      outputs: [
        {
          inputs: { input_value: input },
          outputs: [
            text
              ? { results: { message }, artifacts: { message: text, sender: 'Machine', type: 'object' }, outputs: { message: { message: text, type: 'text' } }, messages: [{ message: text, sender: 'Machine', session_id }], component_display_name: 'Chat Output', component_id: 'ChatOutput-1' }
              : { results: {}, artifacts: {}, outputs: {}, messages: [], component_display_name: 'Text Output', component_id: 'TextOutput-1' },
          ],
        },
      ],
    };
  }
}

export const startFakeLangflow = (options?: FakeLangflowOptions) => new FakeLangflow(options).start();
