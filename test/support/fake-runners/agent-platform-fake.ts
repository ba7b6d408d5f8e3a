/**
 * What the fake agent platforms share: a node:http server that records every request, scripted answers chosen by
 * the user's text, server-sent events, and the means to answer slowly, fail with an HTTP status, or never answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** The body as JSON, else as text (undefined when empty). */
  body: any;
  /** The body's bytes (a multipart upload's, say). */
  raw: Buffer;
  at: number;
}

/** One scripted answer; the first rule whose `match` (a regular expression) fits the user's text applies. */
export interface BaseRule {
  match?: string;
  /** Before the first byte of the answer. */
  delayMs?: number;
  /** Between streamed pieces. */
  chunkDelayMs?: number;
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Answer with this HTTP status and body instead (the body in the platform's own error format when omitted). */
  error?: { status: number; body?: unknown; message?: string };
}

/** Waits `ms` (a rule's delay), or not at all when it is unset. */
export const sleep = (ms: number | undefined) => new Promise((resolve) => (ms ? setTimeout(resolve, ms) : resolve(undefined)));

export abstract class FakeServer<R extends BaseRule = BaseRule> {
  readonly requests: RecordedRequest[] = [];
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  /** The scripted answers, first fit first (see `ruleFor`); a test may replace them. */
  constructor(public script: R[] = []) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The base URL to configure. */
  get url(): string {
    return this.origin;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.receive(req, res).catch((error) => this.crash(res, error)));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Recorded requests whose method and path fit, oldest first. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  protected abstract route(request: RecordedRequest, res: ServerResponse): Promise<void>;

  /** The first scripted rule whose `match` fits the user's text (one without `match` fits any). */
  protected ruleFor(text: string): R | undefined {
    return this.script.find((rule) => rule.match === undefined || new RegExp(rule.match).test(text));
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    const url = new URL(req.url ?? '/', this.origin);
    let body: any = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, raw, at: Date.now() };
    this.requests.push(request);
    await this.route(request, res);
  }

  private crash(res: ServerResponse, error: unknown): void {
    if (!res.headersSent) json(res, 500, { detail: `fake server error: ${String(error)}` });
    else res.destroy();
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The form of a multipart request (an upload). */
export function formOf(request: RecordedRequest): Promise<FormData> {
  return new Response(request.raw, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
}

/**
 * Starts a streamed answer. `write` sends a piece at once (no buffering), resolved once it is handed to the
 * socket; writes stop quietly once the client has gone (a timeout, a cancelled run). `end` closes the answer.
 */
export function stream(res: ServerResponse, contentType = 'text/event-stream', headers: Record<string, string> = {}): { write(text: string): Promise<void>; end(): void } {
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache', Connection: 'keep-alive', ...headers });
  res.flushHeaders();
  return {
    write: (text) => new Promise<void>((resolve) => (res.destroyed || res.writableEnded ? resolve() : res.write(text, () => resolve()))),
    end: () => void (res.destroyed || res.writableEnded || res.end()),
  };
}

/** One server-sent event; `compact` leaves out the space after each field's colon, as some platforms do. */
export function sseEvent(fields: { id?: string | number; event?: string; comment?: string; data?: unknown }, compact = false): string {
  const colon = compact ? ':' : ': ';
  const lines: string[] = [];
  if (fields.id !== undefined) lines.push(`id${colon}${fields.id}`);
  if (fields.event !== undefined) lines.push(`event${colon}${fields.event}`);
  if (fields.comment !== undefined) lines.push(`:${fields.comment}`);
  if (fields.data !== undefined) lines.push(`data${colon}${typeof fields.data === 'string' ? fields.data : JSON.stringify(fields.data)}`);
  return `${lines.join('\n')}\n\n`;
}

/** Waits for ever: the client's timeout (or the server's close) ends it. */
export const hang = () => new Promise<void>(() => {});

/** Fills `{name}` placeholders of a scripted reply. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The text of a message content: a string or a list of `{type: 'text', text}` parts. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p?.type === 'text' ? String(p.text) : '')).join('');
  return '';
}
