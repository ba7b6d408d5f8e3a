/**
 * A fake model provider speaking the real wire formats, for tests, benchmarks and `npm run dev:fake-llm`:
 * OpenAI chat completions (JSON and SSE streams, tool calls, reasoning_content, usage), embeddings, models and a
 * Jina/Cohere-style rerank under `/v1`, and Anthropic messages (JSON and SSE events) at `/v1/messages`.
 * Replies come from a script; delays and faults (status codes, provider error bodies, hanging) are scriptable.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRule {
  /** A regular expression tested against the last user message's text. */
  match?: string;
  /** Applies only when the last message is a tool result (of this tool, if a name is given). */
  afterTool?: string | true;
  /** Only for requests to this model. */
  model?: string;
  /** Applies when exactly this many tool results are in the conversation (for multi-round tool use). */
  toolRounds?: number;
  /** The answer; `{text}` is the user's text, `{tool_result}` the last tool result, `{tool_results}` all of them (` | `), `{model}` the model. */
  reply?: string;
  /** The answer streamed in these pieces. */
  chunks?: string[];
  /** Stream the (filled) reply word by word. */
  chunkByWords?: boolean;
  reasoning?: string;
  /**
   * Tool calls the model makes instead of answering. `$1`, `$2`… in a name or a string `arguments` are the groups of
   * `match`; a string `arguments` is parsed as JSON after that (empty → `{}`).
   */
  tool_calls?: { name: string; arguments: Record<string, unknown> | string }[];
  /** Before the first byte. */
  delayMs?: number;
  /** Between streamed chunks. */
  chunkDelayMs?: number;
  /** Answer with this HTTP error. */
  error?: { status: number; type?: string; code?: string; message?: string };
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Drop the connection after this many streamed chunks. */
  dropAfterChunks?: number;
}

export interface FakeLlmOptions {
  port?: number;
  host?: string;
  /** Accepted keys; any key is accepted when empty. */
  apiKeys?: string[];
  /** What GET /v1/models lists. */
  models?: string[];
  script?: FakeRule[];
  /** Dimensions of fake embeddings. */
  dimensions?: number;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  at: number;
}

type Message = { role: string; content: unknown; tool_call_id?: string; name?: string };

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((p: any) => (p?.type === 'text' ? p.text : p?.type === 'tool_result' ? textOf(p.content) : '')).join('')
      : '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeLlm {
  readonly requests: RecordedRequest[] = [];
  script: FakeRule[];
  private server!: Server;
  private sockets = new Set<import('node:net').Socket>();
  port = 0;

  constructor(private readonly options: FakeLlmOptions = {}) {
    this.script = options.script ?? [];
  }

  /** Base URL for OpenAI-compatible clients (`…/v1`). */
  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}/v1`;
  }

  /** Base URL for Anthropic clients (they append `/v1/messages`). */
  get anthropicUrl(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res).catch((e) => this.fail(res, 500, 'server_error', String(e))));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = (req.url ?? '/').split('?')[0];
    let body: any = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return this.fail(res, 400, 'invalid_request_error', 'The body is not valid JSON.');
    }
    this.requests.push({ path, headers: req.headers, body, at: Date.now() });
    const anthropic = path === '/v1/messages';
    const key = anthropic ? req.headers['x-api-key'] : String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (this.options.apiKeys?.length && !this.options.apiKeys.includes(String(key))) {
      return anthropic ? this.anthropicError(res, 401, 'authentication_error', 'invalid x-api-key') : this.fail(res, 401, 'invalid_request_error', 'Incorrect API key provided.', 'invalid_api_key');
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return this.json(res, 200, { object: 'list', data: (this.options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
    }
    if (path === '/v1/embeddings') return this.embeddings(res, body);
    if (path === '/v1/rerank') return this.rerank(res, body);
    if (path === '/v1/chat/completions') return this.chat(res, body, 'openai');
    if (anthropic) return this.chat(res, body, 'anthropic');
    return this.fail(res, 404, 'invalid_request_error', `Unknown path ${path}.`);
  }

  private ruleFor(body: any, anthropic: boolean): { rule: FakeRule; text: string; toolResult?: string; toolResults: string[] } {
    const messages: Message[] = body.messages ?? [];
    const last = messages.at(-1);
    const lastUser = [...messages].reverse().find((m) => m.role === 'user' && (anthropic ? !Array.isArray(m.content) || !(m.content as any[]).some((p) => p.type === 'tool_result') : true));
    const text = textOf(lastUser?.content);
    let toolResult: string | undefined;
    let toolName: string | undefined;
    if (!anthropic && last?.role === 'tool') {
      toolResult = textOf(last.content);
      const call = messages.flatMap((m: any) => m.tool_calls ?? []).find((c: any) => c.id === last.tool_call_id);
      toolName = call?.function?.name;
    }
    if (anthropic && Array.isArray(last?.content) && (last!.content as any[]).some((p) => p.type === 'tool_result')) {
      const result = (last!.content as any[]).find((p) => p.type === 'tool_result');
      toolResult = textOf(result.content);
      const use = messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).find((p: any) => p.type === 'tool_use' && p.id === result.tool_use_id);
      toolName = use?.name;
    }
    const toolResults = anthropic
      ? messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content.filter((p: any) => p.type === 'tool_result').map((p: any) => textOf(p.content)) : []))
      : messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
    const rule =
      this.script.find((r) => {
        if (r.model && r.model !== body.model) return false;
        if (r.toolRounds !== undefined) {
          if (toolResults.length !== r.toolRounds) return false;
        } else if (r.afterTool !== undefined) {
          if (toolResult === undefined) return false;
          if (r.afterTool !== true && r.afterTool !== toolName) return false;
        } else if (toolResult !== undefined) return false;
        return !r.match || new RegExp(r.match, 'u').test(text);
      }) ?? { reply: toolResult !== undefined ? 'tool said: {tool_result}' : 'fake reply to: {text}' };
    return { rule, text, toolResult, toolResults };
  }

  private async chat(res: ServerResponse, body: any, wire: 'openai' | 'anthropic'): Promise<void> {
    const { rule, text, toolResult, toolResults } = this.ruleFor(body, wire === 'anthropic');
    if (rule.hang) return;
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.error) {
      const { status, type, code, message } = rule.error;
      return wire === 'anthropic'
        ? this.anthropicError(res, status, type ?? 'api_error', message ?? 'Fake failure.')
        : this.fail(res, status, type ?? 'server_error', message ?? 'Fake failure.', code);
    }
    const fill = (t: string) => t.replaceAll('{text}', text).replaceAll('{tool_results}', toolResults.join(' | ')).replaceAll('{tool_result}', toolResult ?? '').replaceAll('{model}', String(body.model));
    let pieces = (rule.chunks ?? (rule.reply !== undefined ? [rule.reply] : [])).map(fill);
    if (rule.chunkByWords) pieces = pieces.join('').split(/(?<=\s)/);
    const answer = pieces.join('');
    const groups = rule.match ? (new RegExp(rule.match, 'u').exec(text) ?? []) : [];
    const withGroups = (t: string) => t.replace(/\$(\d)/g, (_, n: string) => groups[Number(n)] ?? '');
    const argumentsOf = (a: Record<string, unknown> | string) => {
      if (typeof a !== 'string') return JSON.stringify(a);
      const raw = withGroups(a).trim() || '{}';
      try {
        JSON.parse(raw);
        return raw;
      } catch {
        return JSON.stringify({ input: raw });
      }
    };
    const calls = (rule.tool_calls ?? []).map((c, i) => ({ id: `call_${this.requests.length}_${i}`, name: withGroups(c.name), arguments: argumentsOf(c.arguments) }));
    const usage = { input: JSON.stringify(body.messages ?? []).length >> 2, output: answer.length >> 2 || 1 };
    if (wire === 'openai') return body.stream ? this.openaiStream(res, body, rule, pieces, calls, usage) : this.openaiJson(res, body, rule, answer, calls, usage);
    return body.stream ? this.anthropicStream(res, body, rule, pieces, calls, usage) : this.anthropicJson(res, body, rule, answer, calls, usage);
  }

  private openaiJson(res: ServerResponse, body: any, rule: FakeRule, answer: string, calls: Call[], usage: Usage): void {
    const message: Record<string, unknown> = { role: 'assistant', content: calls.length ? null : answer };
    if (rule.reasoning) message.reasoning_content = rule.reasoning;
    if (calls.length) message.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    this.json(res, 200, {
      id: `chatcmpl-${this.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message, finish_reason: calls.length ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
    });
  }

  private async openaiStream(res: ServerResponse, body: any, rule: FakeRule, pieces: string[], calls: Call[], usage: Usage): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const id = `chatcmpl-${this.requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const send = (delta: Record<string, unknown>, finish: string | null = null) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    let sent = 0;
    const pause = async () => {
      // The wait comes first so what was written before a drop reaches the client.
      if (rule.chunkDelayMs) await sleep(rule.chunkDelayMs);
      if (rule.dropAfterChunks !== undefined && sent >= rule.dropAfterChunks) throw new Error('drop');
      sent++;
    };
    try {
      send({ role: 'assistant', content: '' });
      if (rule.reasoning) {
        await pause();
        send({ reasoning_content: rule.reasoning });
      }
      for (const piece of calls.length ? [] : pieces) {
        await pause();
        send({ content: piece });
      }
      for (const [index, call] of calls.entries()) {
        await pause();
        send({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] });
        // Arguments arrive in fragments, as real providers send them.
        const half = Math.ceil(call.arguments.length / 2);
        for (const part of [call.arguments.slice(0, half), call.arguments.slice(half)]) if (part) send({ tool_calls: [{ index, function: { arguments: part } }] });
      }
      send({}, calls.length ? 'tool_calls' : 'stop');
      if (body.stream_options?.include_usage) {
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } })}\n\n`);
      }
      res.end('data: [DONE]\n\n');
    } catch {
      res.socket?.destroy();
    }
  }

  private anthropicJson(res: ServerResponse, body: any, rule: FakeRule, answer: string, calls: Call[], usage: Usage): void {
    const content: unknown[] = [];
    if (rule.reasoning) content.push({ type: 'thinking', thinking: rule.reasoning, signature: 'fake' });
    if (answer && !calls.length) content.push({ type: 'text', text: answer });
    for (const c of calls) content.push({ type: 'tool_use', id: c.id, name: c.name, input: JSON.parse(c.arguments) });
    this.json(res, 200, {
      id: `msg_${this.requests.length}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: calls.length ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    });
  }

  private async anthropicStream(res: ServerResponse, body: any, rule: FakeRule, pieces: string[], calls: Call[], usage: Usage): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    event('message_start', { message: { id: `msg_${this.requests.length}`, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 0 } } });
    let index = 0;
    if (rule.reasoning) {
      event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: rule.reasoning } });
      event('content_block_stop', { index: index++ });
    }
    if (!calls.length) {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of pieces) {
        if (rule.chunkDelayMs) await sleep(rule.chunkDelayMs);
        event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      }
      event('content_block_stop', { index: index++ });
    }
    for (const call of calls) {
      event('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } });
      const half = Math.ceil(call.arguments.length / 2);
      for (const part of [call.arguments.slice(0, half), call.arguments.slice(half)]) if (part) event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      event('content_block_stop', { index: index++ });
    }
    event('message_delta', { delta: { stop_reason: calls.length ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } });
    event('message_stop', {});
    res.end();
  }

  private embeddings(res: ServerResponse, body: any): void {
    const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
    const dims = this.options.dimensions ?? 8;
    const vector = (text: string) => Array.from({ length: dims }, (_, i) => ((hash(`${text}#${i}`) % 2000) - 1000) / 1000);
    const tokens = inputs.reduce((n, t) => n + (String(t).length >> 2), 0);
    // The openai SDK asks for base64 (little-endian float32) by default, as the real API allows.
    const encode = (v: number[]) => (body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v);
    this.json(res, 200, { object: 'list', data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: encode(vector(String(t))) })), model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  /** Relevance: the share of the query's words the document contains. */
  private rerank(res: ServerResponse, body: any): void {
    const words = String(body.query ?? '').toLowerCase().split(/\W+/).filter(Boolean);
    const docs: string[] = (body.documents ?? []).map((d: unknown) => (typeof d === 'string' ? d : String((d as { text?: string })?.text ?? '')));
    const scored = docs.map((d, index) => ({ index, relevance_score: words.length ? words.filter((w) => d.toLowerCase().includes(w)).length / words.length : 0 }));
    scored.sort((a, b) => b.relevance_score - a.relevance_score);
    this.json(res, 200, { model: body.model, results: scored.slice(0, body.top_n ?? scored.length), usage: { total_tokens: docs.length } });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private fail(res: ServerResponse, status: number, type: string, message: string, code?: string): void {
    this.json(res, status, { error: { message, type, param: null, code: code ?? null } });
  }

  private anthropicError(res: ServerResponse, status: number, type: string, message: string): void {
    this.json(res, status, { type: 'error', error: { type, message } });
  }
}

type Call = { id: string; name: string; arguments: string };
type Usage = { input: number; output: number };

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

export const startFakeLlm = (options?: FakeLlmOptions) => new FakeLlm(options).start();
