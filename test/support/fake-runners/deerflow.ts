/**
 * A fake DeerFlow gateway speaking the LangGraph API the `deerflow-api` runner uses: threads under
 * `/api/langgraph/threads`, runs streamed as server-sent events (`metadata`, `values`, `messages` for the
 * messages-tuple mode, `custom`, `error`), thread deletion under `/api/threads/{id}`. Threads keep their messages.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeServer, fill, hang, json, sleep, sseEvent, stream, textOf, type BaseRule, type RecordedRequest } from './agent-platform-fake.js';

export interface DeerFlowRule extends BaseRule {
  /** The answer; `{text}` is the user's text, `{thread}` the thread id, `{turn}` how many questions the thread has had. */
  reply?: string;
  /** The answer streamed in these pieces (`messages` events), then stated whole in the final `values`. */
  chunks?: string[];
  /** An AI message that calls a tool, streamed before the answer (DeerFlow thinking aloud). */
  preamble?: string;
  /** DeerFlow asks this back (an `ask_clarification` tool message) instead of answering. */
  clarification?: string;
  /** Failed subtasks reported as `custom` events. */
  taskFailures?: { task_id: string; error: string }[];
  /** Give no answer at all. */
  silent?: boolean;
  /** Fail the run with an `error` event after the chunks. */
  runError?: { error: string; message: string };
}

export interface FakeDeerFlowOptions {
  /** The Authorization header DeerFlow requires (none when unset). */
  authorization?: string;
  script?: DeerFlowRule[];
}

type Message = { type: string; content: unknown; id: string; name?: string; tool_calls?: unknown[]; tool_call_id?: string };

const event = (name: string, data: unknown) => sseEvent({ event: name, data });

export class FakeDeerFlow extends FakeServer<DeerFlowRule> {
  readonly threads = new Map<string, { metadata: unknown; messages: Message[] }>();

  constructor(private readonly options: FakeDeerFlowOptions = {}) {
    super(options.script);
  }

  /** The bodies of the runs, oldest first. */
  get runs(): RecordedRequest[] {
    return this.requestsTo('POST', /\/runs\/stream$/);
  }

  get threadCreations(): RecordedRequest[] {
    return this.requestsTo('POST', /^\/api\/langgraph\/threads$/);
  }

  /** DeerFlow loses every thread (a reset of its store). */
  forgetThreads(): void {
    this.threads.clear();
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    if (this.options.authorization && request.headers.authorization !== this.options.authorization) return json(res, 401, { detail: 'Invalid or missing credentials' });
    if (request.method === 'POST' && request.path === '/api/langgraph/threads') return this.createThread(request, res);
    const run = request.path.match(/^\/api\/langgraph\/threads\/([^/]+)\/runs\/stream$/);
    if (request.method === 'POST' && run) return this.run(decodeURIComponent(run[1]), request, res);
    const remove = request.path.match(/^\/api\/threads\/([^/]+)$/);
    if (request.method === 'DELETE' && remove) {
      this.threads.delete(decodeURIComponent(remove[1]));
      res.writeHead(204).end();
      return;
    }
    json(res, 404, { detail: 'Not Found' });
  }

  private createThread(request: RecordedRequest, res: ServerResponse): void {
    const thread_id = randomUUID();
    const metadata = request.body?.metadata ?? {};
    this.threads.set(thread_id, { metadata, messages: [] });
    const now = new Date().toISOString();
    json(res, 200, { thread_id, created_at: now, updated_at: now, metadata, status: 'idle', config: {}, values: null });
  }

  private async run(threadId: string, request: RecordedRequest, res: ServerResponse): Promise<void> {
    const thread = this.threads.get(threadId);
    if (!thread) return json(res, 404, { detail: `Thread with ID ${threadId} not found` });
    const input = request.body?.input?.messages?.at(-1);
    const text = textOf(input?.content);
    const rule = this.ruleFor(text) ?? { reply: 'echo: {text}' };
    await sleep(rule.delayMs);
    if (rule.hang) return hang();
    if (rule.error) return json(res, rule.error.status, rule.error.body ?? { detail: rule.error.message ?? 'Internal Server Error' });

    const runId = randomUUID();
    const out = stream(res);
    const values = () => out.write(event('values', { messages: thread.messages, title: 'Chat' }));
    const tuple = (message: Message) => out.write(event('messages', [message, { langgraph_node: 'model', thread_id: threadId, run_id: runId }]));
    const pause = () => sleep(rule.chunkDelayMs);

    out.write(event('metadata', { run_id: runId, attempt: 1 }));
    thread.messages.push({ type: 'human', content: input?.content ?? '', id: randomUUID() });
    values();
    const turn = String(thread.messages.filter((m) => m.type === 'human').length);

    if (rule.preamble) {
      const id = `run--${runId}-0`;
      tuple({ type: 'AIMessageChunk', content: rule.preamble, id });
      await pause();
      const call = { id: 'call-1', name: 'web_search', args: { query: text } };
      thread.messages.push({ type: 'ai', content: rule.preamble, id, tool_calls: [call] });
      const result: Message = { type: 'tool', name: 'web_search', content: 'three results', id: randomUUID(), tool_call_id: 'call-1' };
      tuple(result);
      thread.messages.push(result);
      values();
    }
    if (rule.clarification) {
      const question: Message = { type: 'tool', name: 'ask_clarification', content: rule.clarification, id: randomUUID(), tool_call_id: 'call-ask' };
      tuple(question);
      thread.messages.push(question);
      values();
      return out.end();
    }
    const id = `run--${runId}-1`;
    const answer = fill(rule.reply ?? (rule.chunks ?? []).join(''), { text, thread: threadId, turn });
    if (!rule.silent) {
      for (const chunk of rule.chunks ?? [answer]) {
        tuple({ type: 'AIMessageChunk', content: fill(chunk, { text, thread: threadId, turn }), id });
        await pause();
      }
    }
    if (rule.runError) {
      out.write(event('error', rule.runError));
      return out.end();
    }
    for (const failure of rule.taskFailures ?? []) out.write(event('custom', { type: 'task_failed', ...failure }));
    if (!rule.silent) {
      thread.messages.push({ type: 'ai', content: answer, id });
      values();
    }
    out.end();
  }
}

export const startFakeDeerFlow = (options?: FakeDeerFlowOptions) => new FakeDeerFlow(options).start();
