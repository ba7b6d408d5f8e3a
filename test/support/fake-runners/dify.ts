/**
 * A local Dify Service API for tests: `POST /files/upload`, `POST /chat-messages` and `POST /workflows/run` with
 * Dify's status codes, error bodies and server-sent events. It keeps conversations and uploads the way Dify scopes
 * them (per app and user), records every request, and answers from a script of rules.
 *
 *   const dify = await startFakeDify({ script: [{ chunks: ['Hel', 'lo'] }] });
 *   // base-url: dify.url, api-key: dify.apiKey
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeServer, fill, formOf, json, sleep, sseEvent, stream, type BaseRule, type RecordedRequest } from './agent-platform-fake.js';

/** Which Dify app the key belongs to (Dify's own mode names). */
export type DifyMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'workflow';

/** A rule's `match` is tested against the question (a workflow's `inputs.langbot_user_message_text`). */
export interface DifyRule extends Omit<BaseRule, 'error' | 'hang'> {
  /** The answer, one stream event per piece. Templates: {query}, {user}, {turn} (1 for a new conversation). */
  chunks?: string[];
  /** The answer in one piece. */
  answer?: string;
  /** Refuse with this HTTP status and a Dify error body. */
  status?: number;
  code?: string;
  message?: string;
  /** After the chunks, an `error` event instead of the end of the message. */
  streamError?: { status?: number; code: string; message: string };
  /** A workflow's outputs; default `{ answer: <the answer> }`. */
  outputs?: Record<string, unknown>;
  /** A workflow that fails, with this error. */
  workflowError?: string;
  /** Image URLs a tool made, sent as `message_file` events. */
  images?: string[];
}

export interface RecordedUpload {
  id: string;
  user: string;
  name: string;
  type: string;
  bytes: Buffer;
}

export interface FakeDifyOptions {
  apiKey?: string;
  mode?: DifyMode;
  script?: DifyRule[];
}

const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg'];

/** Dify's error body. */
const fail = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { code, message, status });

export class FakeDify extends FakeServer<DifyRule> {
  readonly apiKey: string;
  readonly uploads: RecordedUpload[] = [];
  /** Conversation id → the questions asked in it. */
  readonly conversations = new Map<string, { user: string; queries: string[] }>();
  mode: DifyMode;

  constructor(options: FakeDifyOptions = {}) {
    super(options.script ?? [{ answer: 'echo: {query}' }]);
    this.apiKey = options.apiKey ?? 'app-fake-dify-key';
    this.mode = options.mode ?? 'chat';
  }

  /** The base-url to configure (Dify's service API is under /v1). */
  override get url(): string {
    return `${this.origin}/v1`;
  }

  /** The requests to a path under /v1 (e.g. '/chat-messages'), oldest first. For an upload, `body` is `{ user, file: { name, type, size } }`. */
  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === `/v1${path}`);
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    if (request.headers.authorization !== `Bearer ${this.apiKey}`) return fail(res, 401, 'unauthorized', 'Access token is invalid');
    if (request.method === 'POST' && request.path === '/v1/files/upload') return this.upload(request, res);
    if (request.method !== 'POST' || (request.path !== '/v1/chat-messages' && request.path !== '/v1/workflows/run')) {
      return fail(res, 404, 'not_found', 'The requested URL was not found on the server.');
    }
    if (request.body === null || typeof request.body !== 'object') return fail(res, 400, 'invalid_param', 'The body is not JSON.');
    if (request.path === '/v1/chat-messages') await this.chatMessages(request.body, res);
    else await this.workflowsRun(request.body, res);
  }

  private async upload(request: RecordedRequest, res: ServerResponse): Promise<void> {
    let form: FormData;
    try {
      form = await formOf(request);
    } catch {
      return fail(res, 400, 'no_file_uploaded', 'Please upload your file.');
    }
    const file = form.get('file');
    const user = form.get('user');
    if (!(file instanceof Blob) || typeof user !== 'string' || !user) return fail(res, 400, 'no_file_uploaded', 'Please upload your file.');
    const name = (file as File).name ?? 'file';
    request.body = { user, file: { name, type: file.type, size: file.size } };
    const extension = name.split('.').pop()!.toLowerCase();
    if (!IMAGE_EXTENSIONS.includes(extension)) return fail(res, 415, 'unsupported_file_type', 'File type not allowed.');
    const id = randomUUID();
    this.uploads.push({ id, user, name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
    json(res, 201, { id, name, size: file.size, extension, mime_type: file.type, created_by: user, created_at: Math.floor(Date.now() / 1000) });
  }

  /** Checks `files` as Dify does: each uploaded before, by the same user. */
  private badFiles(files: unknown, user: string): boolean {
    return Array.isArray(files) && files.some((f) => f?.transfer_method === 'local_file' && !this.uploads.some((u) => u.id === f.upload_file_id && u.user === user));
  }

  private async chatMessages(body: any, res: ServerResponse): Promise<void> {
    const { mode, conversations } = this;
    if (mode === 'workflow') return fail(res, 400, 'not_chat_app', 'Please check if your app mode matches the right API route.');
    if (typeof body.query !== 'string') return fail(res, 400, 'invalid_param', 'query is required');
    if (typeof body.user !== 'string' || !body.user) return fail(res, 400, 'invalid_param', 'user is required');
    if (body.inputs !== undefined && (typeof body.inputs !== 'object' || Array.isArray(body.inputs))) return fail(res, 400, 'invalid_param', 'inputs must be an object');
    if (mode === 'agent-chat' && body.response_mode !== 'streaming') return fail(res, 400, 'invalid_param', 'Agent Chat App does not support blocking mode');
    if (this.badFiles(body.files, body.user)) return fail(res, 400, 'invalid_param', 'Invalid upload file id.');
    let conversationId: string = body.conversation_id ?? '';
    if (conversationId) {
      const known = conversations.get(conversationId);
      if (!known || known.user !== body.user) return fail(res, 404, 'not_found', 'Conversation Not Exists.');
    }
    const rule = this.ruleFor(body.query);
    await sleep(rule?.delayMs);
    if (!rule) return fail(res, 400, 'completion_request_error', `No scripted answer for '${body.query}'.`);
    if (rule.status) return fail(res, rule.status, rule.code ?? 'error', rule.message ?? 'Scripted failure.');

    if (!conversationId) {
      conversationId = randomUUID();
      conversations.set(conversationId, { user: body.user, queries: [] });
    }
    const conversation = conversations.get(conversationId)!;
    conversation.queries.push(body.query);
    const pieces = piecesOf(rule, { query: body.query, user: body.user, turn: String(conversation.queries.length) });
    const ids = { task_id: randomUUID(), message_id: randomUUID(), conversation_id: conversationId };
    const created_at = Math.floor(Date.now() / 1000);

    if (body.response_mode !== 'streaming') return json(res, 200, { event: 'message', ...ids, id: ids.message_id, mode, answer: pieces.join(''), metadata: {}, created_at });
    const sse = difyStream(res);
    await sse.send('ping');
    const workflowRun = { workflow_run_id: randomUUID(), task_id: ids.task_id };
    if (mode === 'advanced-chat') await sse.send({ event: 'workflow_started', ...workflowRun, data: { id: workflowRun.workflow_run_id, created_at } });
    if (mode === 'agent-chat') await sse.send({ event: 'agent_thought', ...ids, id: randomUUID(), position: 1, thought: '', tool: '', tool_input: '', observation: '', created_at });
    for (const piece of pieces) {
      await sleep(rule.chunkDelayMs);
      await sse.send({ event: mode === 'agent-chat' ? 'agent_message' : 'message', ...ids, answer: piece, created_at });
    }
    for (const url of rule.images ?? []) await sse.send({ event: 'message_file', id: randomUUID(), type: 'image', belongs_to: 'assistant', url, conversation_id: conversationId });
    if (rule.streamError) return sse.end({ event: 'error', ...ids, status: rule.streamError.status ?? 400, code: rule.streamError.code, message: rule.streamError.message });
    if (mode === 'advanced-chat') await sse.send({ event: 'workflow_finished', ...workflowRun, data: { id: workflowRun.workflow_run_id, status: 'succeeded', outputs: { answer: pieces.join('') }, error: null } });
    await sse.end({ event: 'message_end', ...ids, id: ids.message_id, metadata: { usage: { total_tokens: 42 } } });
  }

  private async workflowsRun(body: any, res: ServerResponse): Promise<void> {
    if (this.mode !== 'workflow') return fail(res, 400, 'not_workflow_app', 'Please check if your app mode matches the right API route.');
    if (typeof body.inputs !== 'object' || body.inputs === null || Array.isArray(body.inputs)) return fail(res, 400, 'invalid_param', 'inputs is required');
    if (typeof body.user !== 'string' || !body.user) return fail(res, 400, 'invalid_param', 'user is required');
    if (this.badFiles(body.files, body.user)) return fail(res, 400, 'invalid_param', 'Invalid upload file id.');
    const query = String(body.inputs.langbot_user_message_text ?? '');
    const rule = this.ruleFor(query);
    await sleep(rule?.delayMs);
    if (!rule) return fail(res, 400, 'invalid_param', `No scripted answer for '${query}'.`);
    if (rule.status) return fail(res, rule.status, rule.code ?? 'error', rule.message ?? 'Scripted failure.');

    const pieces = piecesOf(rule, { query, user: body.user, turn: '1' });
    const run = { task_id: randomUUID(), workflow_run_id: randomUUID() };
    const created_at = Math.floor(Date.now() / 1000);
    const node = { id: randomUUID(), node_id: 'llm', node_type: 'llm', title: 'LLM', index: 2 };
    const sse = difyStream(res);
    await sse.send({ event: 'workflow_started', ...run, data: { id: run.workflow_run_id, workflow_id: 'wf-1', sequence_number: 1, created_at } });
    await sse.send({ event: 'node_started', ...run, data: { ...node, created_at } });
    for (const piece of pieces) {
      await sleep(rule.chunkDelayMs);
      await sse.send({ event: 'text_chunk', ...run, data: { text: piece, from_variable_selector: ['llm', 'text'] } });
    }
    if (rule.streamError) return sse.end({ event: 'error', ...run, status: rule.streamError.status ?? 500, code: rule.streamError.code, message: rule.streamError.message });
    await sse.send({ event: 'node_finished', ...run, data: { ...node, status: 'succeeded', outputs: { text: pieces.join('') }, created_at } });
    const outputs = rule.outputs ?? { answer: pieces.join('') };
    const finished = rule.workflowError ? { status: 'failed', outputs: null, error: rule.workflowError } : { status: 'succeeded', outputs, error: null };
    await sse.end({ event: 'workflow_finished', ...run, data: { id: run.workflow_run_id, workflow_id: 'wf-1', ...finished, elapsed_time: 0.1, total_steps: 3, created_at, finished_at: created_at } });
  }
}

export const startFakeDify = (options?: FakeDifyOptions) => new FakeDify(options).start();

function piecesOf(rule: DifyRule, values: Record<string, string>): string[] {
  return (rule.chunks ?? [rule.answer ?? '']).map((piece) => fill(piece, values));
}

/** Dify's events: each a `data:` line of JSON (the event named inside), and `event: ping` to keep the line open. */
function difyStream(res: ServerResponse) {
  const out = stream(res);
  const send = (event: Record<string, unknown> | 'ping') => out.write(event === 'ping' ? sseEvent({ event: 'ping' }) : sseEvent({ data: event }));
  return {
    send,
    end: async (event: Record<string, unknown>) => {
      await send(event);
      out.end();
    },
  };
}
