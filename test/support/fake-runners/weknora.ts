/**
 * A fake WeKnora speaking the API the `weknora-api` runner uses, under `/api/v1`: sessions (`POST /sessions`),
 * agent chat and knowledge-base chat (`POST /agent-chat/{id}`, `POST /knowledge-chat/{id}`) answered as
 * server-sent events whose JSON carries `response_type` (agent_query, thinking, tool_call, tool_result,
 * references, answer, error) and `done`; errors in WeKnora's `{success: false, error: {code, message}}` form.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeServer, fill, hang, json, sleep, sseEvent, stream, type BaseRule, type RecordedRequest } from './agent-platform-fake.js';

export interface WeKnoraRule extends BaseRule {
  /** The answer; `{text}` is the question, `{session}` the session id, `{turn}` how many questions it has had. */
  reply?: string;
  /** The answer streamed in these pieces. */
  chunks?: string[];
  /** Send an `error` event after the chunks (then one more answer piece, which a client must not read). */
  streamError?: string;
  /** End the stream without any answer. */
  silent?: boolean;
}

export interface FakeWeKnoraOptions {
  /** The X-API-Key WeKnora requires (none when unset). */
  apiKey?: string;
  script?: WeKnoraRule[];
}

const BASE = '/api/v1';

const failure = (status: number, code: number, message: string) => ({ status, body: { success: false, error: { code, message, details: '' } } });

export class FakeWeKnora extends FakeServer<WeKnoraRule> {
  readonly sessions = new Map<string, { title: string; questions: number }>();

  constructor(private readonly options: FakeWeKnoraOptions = {}) {
    super(options.script);
  }

  /** The base-url to configure. */
  override get url(): string {
    return `${this.origin}${BASE}`;
  }

  get chats(): RecordedRequest[] {
    return this.requestsTo('POST', /^\/api\/v1\/(agent|knowledge)-chat\//);
  }

  get sessionCreations(): RecordedRequest[] {
    return this.requestsTo('POST', /^\/api\/v1\/sessions$/);
  }

  /** WeKnora loses every session (deleted in its console, say). */
  forgetSessions(): void {
    this.sessions.clear();
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    if (this.options.apiKey && request.headers['x-api-key'] !== this.options.apiKey) {
      const { status, body } = failure(401, 1001, 'Unauthorized: invalid or missing API key');
      return json(res, status, body);
    }
    if (request.method === 'POST' && request.path === `${BASE}/sessions`) return this.createSession(request, res);
    const chat = request.path.match(/^\/api\/v1\/(agent|knowledge)-chat\/([^/]+)$/);
    if (request.method === 'POST' && chat) return this.chat(chat[1] as 'agent' | 'knowledge', decodeURIComponent(chat[2]), request, res);
    const { status, body } = failure(404, 1004, 'route not found');
    json(res, status, body);
  }

  private createSession(request: RecordedRequest, res: ServerResponse): void {
    const id = randomUUID();
    const title = String(request.body?.title ?? '');
    this.sessions.set(id, { title, questions: 0 });
    json(res, 201, { success: true, data: { id, title, description: String(request.body?.description ?? ''), tenant_id: 1, created_at: new Date().toISOString() } });
  }

  private async chat(kind: 'agent' | 'knowledge', sessionId: string, request: RecordedRequest, res: ServerResponse): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) {
      const { status, body } = failure(404, 1004, 'Session not found');
      return json(res, status, body);
    }
    const text = String(request.body?.query ?? '');
    const rule = this.ruleFor(text) ?? { reply: 'echo: {text}' };
    await sleep(rule.delayMs);
    if (rule.hang) return hang();
    if (rule.error) {
      const { status, body } = failure(rule.error.status, rule.error.status * 10, rule.error.message ?? 'internal error');
      return json(res, status, rule.error.body ?? body);
    }
    session.questions++;
    const id = randomUUID();
    const out = stream(res);
    const send = (response_type: string, content: string, done = false, extra: Record<string, unknown> = {}) =>
      out.write(sseEvent({ event: 'message', data: { id, response_type, content, done, ...extra } }));
    const pause = () => sleep(rule.chunkDelayMs);
    const values = { text, session: sessionId, turn: String(session.questions) };

    if (kind === 'agent') {
      send('agent_query', '', false, { data: { session_id: sessionId, query: text } });
      send('thinking', 'The user wants an answer; I should search first.');
      send('tool_call', '', false, { data: { tool_name: 'knowledge_search', arguments: { query: text } } });
      send('tool_result', 'Found 2 passages.');
    }
    send('references', '', false, { knowledge_references: [{ id: 'chunk-1', content: 'A passage.', knowledge_title: 'doc.txt', score: 0.9 }] });
    if (!rule.silent) {
      for (const chunk of rule.chunks ?? [rule.reply ?? '']) {
        send('answer', fill(chunk, values));
        await pause();
      }
    }
    if (rule.streamError) {
      send('error', rule.streamError, true);
      send('answer', ' and more after the error', false);
    } else if (!rule.silent) {
      send('answer', '', true);
      send('session_title', 'A title');
      // A probe: a client that reads past the `done` answer would show this.
      send('answer', ' (not part of the answer)');
    }
    out.end();
  }
}

export const startFakeWeKnora = (options?: FakeWeKnoraOptions) => new FakeWeKnora(options).start();
