/**
 * The "client system" side of the HTTP bot: an HTTP server receiving the bot's callbacks. It checks each
 * callback's signature on its own (HMAC-SHA256 over "<timestamp>.<body>"), records every attempt, and can be told
 * to fail (answer 5xx/4xx), be slow, or be down (connection refused) and come back on the same port.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface CallbackPayload {
  session_id: string;
  reply_to: string | null;
  sequence: number;
  is_final: boolean;
  stream: boolean;
  message: Record<string, unknown>[];
  timestamp: string;
  message_id: string;
}

export interface ReceivedCallback {
  payload: CallbackPayload;
  raw: string;
  headers: Record<string, string>;
  /** Whether the signature matched this receiver's secret and the timestamp is within ±300 s. */
  verified: boolean;
  /** The status this receiver answered. */
  status: number;
  at: number;
}

export function expectedSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function verified(secret: string, headers: Record<string, string>, body: string): boolean {
  const ts = headers['x-lb-timestamp'];
  const given = headers['x-lb-signature'];
  if (!ts || !given || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const want = Buffer.from(expectedSignature(secret, ts, body));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}

export const textOf = (message: Record<string, unknown>[]) => message.map((s) => (s.type === 'Plain' && typeof s.text === 'string' ? s.text : '')).join('');

export class CallbackReceiver {
  /** Every request, in arrival order (retries included). */
  readonly requests: ReceivedCallback[] = [];
  /** Statuses to answer next, one per request, before answering 200 again. */
  private readonly script: number[] = [];
  delayMs = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    public secret: string,
    public port: number,
  ) {}

  static async start(secret: string): Promise<CallbackReceiver> {
    const receiver = new CallbackReceiver(secret, 0);
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  /** Answers the next requests with these statuses (then 200). */
  failNext(...statuses: number[]): void {
    this.script.push(...statuses);
  }

  /** Callbacks answered 2xx with a valid signature, each idempotency key once, in arrival order. */
  get delivered(): ReceivedCallback[] {
    const seen = new Set<string>();
    return this.requests.filter((r) => {
      if (r.status >= 300 || !r.verified) return false;
      const key = r.headers['x-lb-idempotency-key'] ?? r.raw;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** What the client shows for a session: the latest text of each reply (by message_id), oldest reply first. */
  texts(session_id: string): string[] {
    const latest = new Map<string, string>();
    for (const r of this.delivered) if (r.payload.session_id === session_id) latest.set(r.payload.message_id, textOf(r.payload.message));
    return [...latest.values()];
  }

  /** Stream callbacks after the first of their reply: the updates of streamed replies. */
  streamUpdates(): number {
    const seen = new Set<string>();
    let updates = 0;
    for (const r of this.delivered) {
      if (!r.payload.stream) continue;
      if (seen.has(r.payload.message_id)) updates++;
      seen.add(r.payload.message_id);
    }
    return updates;
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Stops listening and cuts open connections: the bot's callbacks meet "connection refused" until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  close(): Promise<void> {
    return this.down();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const status = this.script.shift() ?? 200;
    let payload: CallbackPayload;
    try {
      payload = JSON.parse(raw) as CallbackPayload;
    } catch {
      payload = { session_id: '', reply_to: null, sequence: 0, is_final: false, stream: false, message: [], timestamp: '', message_id: '' };
    }
    this.requests.push({ payload, raw, headers, verified: verified(this.secret, headers, raw), status, at: Date.now() });
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
  }
}
