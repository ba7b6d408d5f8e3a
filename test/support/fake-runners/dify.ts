/**
 * A local Dify Service API for tests: `POST /files/upload`, `POST /chat-messages` and `POST /workflows/run` with
 * Dify's status codes, error bodies and server-sent events. It keeps conversations and uploads the way Dify scopes
 * them (per app and user), records every request, and answers from a script of rules.
 *
 *   const dify = await startFakeDify({ script: [{ chunks: ['Hel', 'lo'] }] });
 *   // base-url: dify.url, api-key: dify.apiKey
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which Dify app the key belongs to (Dify's own mode names). */
export type DifyMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'workflow';

export interface DifyRule {
  /** A regular expression the question must match (a workflow's `inputs.langbot_user_message_text`). */
  match?: string;
  /** The answer, one stream event per piece. Templates: {query}, {user}, {turn} (1 for a new conversation). */
  chunks?: string[];
  /** The answer in one piece. */
  answer?: string;
  chunkDelayMs?: number;
  /** Silence before answering at all (no headers). */
  delayMs?: number;
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

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or for an upload `{ user, file: { name, type, size } }`. */
  body: any;
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

export interface FakeDify {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  uploads: RecordedUpload[];
  /** Conversation id → the questions asked in it. */
  conversations: Map<string, { user: string; queries: string[] }>;
  setScript(script: DifyRule[]): void;
  setMode(mode: DifyMode): void;
  /** The requests to a path (e.g. '/chat-messages'), oldest first. */
  calls(path: string): RecordedRequest[];
  close(): Promise<void>;
}

const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeDify(options: FakeDifyOptions = {}): Promise<FakeDify> {
  const apiKey = options.apiKey ?? 'app-fake-dify-key';
  let mode: DifyMode = options.mode ?? 'chat';
  let script: DifyRule[] = options.script ?? [{ answer: 'echo: {query}' }];
  const requests: RecordedRequest[] = [];
  const uploads: RecordedUpload[] = [];
  const conversations = new Map<string, { user: string; queries: string[] }>();

  const fail = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message, status }));
  };

  const ruleFor = (query: string) => script.find((r) => !r.match || new RegExp(r.match).test(query));

  async function upload(req: IncomingMessage, raw: Buffer, res: ServerResponse, record: RecordedRequest) {
    let form: FormData;
    try {
      form = await new Request('http://dify.local/files/upload', { method: 'POST', headers: req.headers as Record<string, string>, body: raw }).formData();
    } catch {
      return fail(res, 400, 'no_file_uploaded', 'Please upload your file.');
    }
    const file = form.get('file');
    const user = form.get('user');
    if (!(file instanceof Blob) || typeof user !== 'string' || !user) return fail(res, 400, 'no_file_uploaded', 'Please upload your file.');
    const name = (file as File).name ?? 'file';
    record.body = { user, file: { name, type: file.type, size: file.size } };
    const extension = name.split('.').pop()!.toLowerCase();
    if (!IMAGE_EXTENSIONS.includes(extension)) return fail(res, 415, 'unsupported_file_type', 'File type not allowed.');
    const id = randomUUID();
    uploads.push({ id, user, name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, name, size: file.size, extension, mime_type: file.type, created_by: user, created_at: Math.floor(Date.now() / 1000) }));
  }

  /** Checks `files` as Dify does: each uploaded before, by the same user. */
  const badFiles = (files: unknown, user: string) =>
    Array.isArray(files) && files.some((f) => f?.transfer_method === 'local_file' && !uploads.some((u) => u.id === f.upload_file_id && u.user === user));

  async function chatMessages(body: any, res: ServerResponse) {
    if (mode === 'workflow') return fail(res, 400, 'not_chat_app', 'Please check if your app mode matches the right API route.');
    if (typeof body.query !== 'string') return fail(res, 400, 'invalid_param', 'query is required');
    if (typeof body.user !== 'string' || !body.user) return fail(res, 400, 'invalid_param', 'user is required');
    if (body.inputs !== undefined && (typeof body.inputs !== 'object' || Array.isArray(body.inputs))) return fail(res, 400, 'invalid_param', 'inputs must be an object');
    if (mode === 'agent-chat' && body.response_mode !== 'streaming') return fail(res, 400, 'invalid_param', 'Agent Chat App does not support blocking mode');
    if (badFiles(body.files, body.user)) return fail(res, 400, 'invalid_param', 'Invalid upload file id.');
    let conversationId: string = body.conversation_id ?? '';
    if (conversationId) {
      const known = conversations.get(conversationId);
      if (!known || known.user !== body.user) return fail(res, 404, 'not_found', 'Conversation Not Exists.');
    }
    const rule = ruleFor(body.query);
    if (rule?.delayMs) await sleep(rule.delayMs);
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

    if (body.response_mode !== 'streaming') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ event: 'message', ...ids, id: ids.message_id, mode, answer: pieces.join(''), metadata: {}, created_at }));
      return;
    }
    const sse = openStream(res);
    await sse.send('ping');
    const workflowRun = { workflow_run_id: randomUUID(), task_id: ids.task_id };
    if (mode === 'advanced-chat') await sse.send({ event: 'workflow_started', ...workflowRun, data: { id: workflowRun.workflow_run_id, created_at } });
    if (mode === 'agent-chat') await sse.send({ event: 'agent_thought', ...ids, id: randomUUID(), position: 1, thought: '', tool: '', tool_input: '', observation: '', created_at });
    for (const piece of pieces) {
      if (rule.chunkDelayMs) await sleep(rule.chunkDelayMs);
      await sse.send({ event: mode === 'agent-chat' ? 'agent_message' : 'message', ...ids, answer: piece, created_at });
    }
    for (const url of rule.images ?? []) await sse.send({ event: 'message_file', id: randomUUID(), type: 'image', belongs_to: 'assistant', url, conversation_id: conversationId });
    if (rule.streamError) return sse.end({ event: 'error', ...ids, status: rule.streamError.status ?? 400, code: rule.streamError.code, message: rule.streamError.message });
    if (mode === 'advanced-chat') await sse.send({ event: 'workflow_finished', ...workflowRun, data: { id: workflowRun.workflow_run_id, status: 'succeeded', outputs: { answer: pieces.join('') }, error: null } });
    await sse.end({ event: 'message_end', ...ids, id: ids.message_id, metadata: { usage: { total_tokens: 42 } } });
  }

  async function workflowsRun(body: any, res: ServerResponse) {
    if (mode !== 'workflow') return fail(res, 400, 'not_workflow_app', 'Please check if your app mode matches the right API route.');
    if (typeof body.inputs !== 'object' || body.inputs === null || Array.isArray(body.inputs)) return fail(res, 400, 'invalid_param', 'inputs is required');
    if (typeof body.user !== 'string' || !body.user) return fail(res, 400, 'invalid_param', 'user is required');
    if (badFiles(body.files, body.user)) return fail(res, 400, 'invalid_param', 'Invalid upload file id.');
    const query = String(body.inputs.langbot_user_message_text ?? '');
    const rule = ruleFor(query);
    if (rule?.delayMs) await sleep(rule.delayMs);
    if (!rule) return fail(res, 400, 'invalid_param', `No scripted answer for '${query}'.`);
    if (rule.status) return fail(res, rule.status, rule.code ?? 'error', rule.message ?? 'Scripted failure.');

    const pieces = piecesOf(rule, { query, user: body.user, turn: '1' });
    const run = { task_id: randomUUID(), workflow_run_id: randomUUID() };
    const created_at = Math.floor(Date.now() / 1000);
    const node = { id: randomUUID(), node_id: 'llm', node_type: 'llm', title: 'LLM', index: 2 };
    const sse = openStream(res);
    await sse.send({ event: 'workflow_started', ...run, data: { id: run.workflow_run_id, workflow_id: 'wf-1', sequence_number: 1, created_at } });
    await sse.send({ event: 'node_started', ...run, data: { ...node, created_at } });
    for (const piece of pieces) {
      if (rule.chunkDelayMs) await sleep(rule.chunkDelayMs);
      await sse.send({ event: 'text_chunk', ...run, data: { text: piece, from_variable_selector: ['llm', 'text'] } });
    }
    if (rule.streamError) return sse.end({ event: 'error', ...run, status: rule.streamError.status ?? 500, code: rule.streamError.code, message: rule.streamError.message });
    await sse.send({ event: 'node_finished', ...run, data: { ...node, status: 'succeeded', outputs: { text: pieces.join('') }, created_at } });
    const outputs = rule.outputs ?? { answer: pieces.join('') };
    const finished = rule.workflowError ? { status: 'failed', outputs: null, error: rule.workflowError } : { status: 'succeeded', outputs, error: null };
    await sse.end({ event: 'workflow_finished', ...run, data: { id: run.workflow_run_id, workflow_id: 'wf-1', ...finished, elapsed_time: 0.1, total_steps: 3, created_at, finished_at: created_at } });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://dify.local').pathname.replace(/^\/v1/, '');
      const record: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body: undefined };
      requests.push(record);
      try {
        if (req.headers.authorization !== `Bearer ${apiKey}`) return fail(res, 401, 'unauthorized', 'Access token is invalid');
        if (req.method === 'POST' && path === '/files/upload') return await upload(req, raw, res, record);
        if (req.method !== 'POST' || (path !== '/chat-messages' && path !== '/workflows/run')) return fail(res, 404, 'not_found', 'The requested URL was not found on the server.');
        try {
          record.body = JSON.parse(raw.toString('utf8'));
        } catch {
          return fail(res, 400, 'invalid_param', 'The body is not JSON.');
        }
        if (path === '/chat-messages') await chatMessages(record.body, res);
        else await workflowsRun(record.body, res);
      } catch (error) {
        if (!res.headersSent) fail(res, 500, 'internal_server_error', String(error));
        else res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  return {
    url,
    apiKey,
    requests,
    uploads,
    conversations,
    setScript: (next) => void (script = next),
    setMode: (next) => void (mode = next),
    calls: (path) => requests.filter((r) => r.path === path),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function piecesOf(rule: DifyRule, vars: Record<string, string>): string[] {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
  return (rule.chunks ?? [rule.answer ?? '']).map(fill);
}

/** A text/event-stream answer; writes stop quietly once the client has gone (a timeout, a cancelled run). */
function openStream(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const write = (event: Record<string, unknown> | 'ping') =>
    new Promise<void>((resolve) => {
      if (res.destroyed || res.writableEnded) return resolve();
      res.write(event === 'ping' ? 'event: ping\n\n' : `data: ${JSON.stringify(event)}\n\n`, () => resolve());
    });
  return {
    send: write,
    end: async (event: Record<string, unknown>) => {
      await write(event);
      if (!res.destroyed) res.end();
    },
  };
}
