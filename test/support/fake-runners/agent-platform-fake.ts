/**
 * What the fake agent platforms share: a node:http server that records every request, scripted answers chosen by
 * the user's text, and the means to answer slowly, fail with an HTTP status, or never answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: any;
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
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

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', this.origin);
    let body: any = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, at: Date.now() };
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

/** Starts a streamed answer; `write` sends a piece at once (no buffering), `end` closes the answer. */
export function stream(res: ServerResponse, contentType = 'text/event-stream'): { write(text: string): void; end(): void } {
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.flushHeaders();
  return {
    write: (text) => void (res.destroyed || res.write(text)),
    end: () => void (res.destroyed || res.end()),
  };
}

/** Waits for ever: the client's timeout (or the server's close) ends it. */
export const hang = () => new Promise<void>(() => {});

export function pickRule<R extends BaseRule>(script: R[], text: string): R | undefined {
  return script.find((rule) => rule.match === undefined || new RegExp(rule.match).test(text));
}

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
