/**
 * A local n8n webhook for tests. It checks the webhook's authentication the way n8n does (basic auth, a JWT whose
 * HMAC signature and expiry it verifies, or a custom header), answers 401/403/404 with n8n's error bodies, and
 * replies from a script: a JSON body, plain text, or a streamed answer of newline-delimited JSON items
 * (`begin`, `item`, `end`, `error`) as n8n's streaming response mode writes them. Every request is recorded.
 *
 *   const n8n = await startFakeN8n({ auth: { type: 'basic', username: 'u', password: 'p' }, script: [{ json: { response: 'hi' } }] });
 *   // webhook-url: n8n.url
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeN8nAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'jwt'; secret: string; algorithm?: 'HS256' | 'HS384' | 'HS512' }
  | { type: 'header'; name: string; value: string };

export interface N8nRule {
  /** A regular expression the `chatInput` must match. */
  match?: string;
  /** Answer with this JSON. Strings in it are templates: {chatInput}, {user_id}, {conversation_id}, {session_id}. */
  json?: unknown;
  /** Answer with this plain text (a template). */
  text?: string;
  /** Stream these pieces as n8n items, each a template. */
  stream?: string[];
  /** After the streamed pieces, an error item with this content instead of the end. */
  streamError?: string;
  chunkDelayMs?: number;
  /** Silence before answering at all (no headers). */
  delayMs?: number;
  /** Answer with this HTTP status and body (`{ code, message }` by default, as n8n does). */
  status?: number;
  body?: unknown;
}

export interface RecordedCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** The claims of the JWT that authenticated the call, once verified. */
  jwt?: { header: Record<string, unknown>; claims: Record<string, unknown> };
}

export interface FakeN8nOptions {
  auth?: FakeN8nAuth;
  /** The webhook's path; default `/webhook/<uuid>`. */
  path?: string;
  script?: N8nRule[];
}

export interface FakeN8n {
  url: string;
  /** Every call, refused ones included. */
  requests: RecordedCall[];
  /** The calls that passed authentication and reached the workflow. */
  accepted: RecordedCall[];
  setScript(script: N8nRule[]): void;
  setAuth(auth: FakeN8nAuth): void;
  close(): Promise<void>;
}

const HASHES = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** n8n's own refusals. */
const REQUIRED = { status: 401, body: { code: 401, message: 'Authorization is required!' } };
const WRONG = { status: 403, body: { code: 403, message: 'Authorization data is wrong!' } };

export async function startFakeN8n(options: FakeN8nOptions = {}): Promise<FakeN8n> {
  const path = options.path ?? `/webhook/${randomUUID()}`;
  let auth: FakeN8nAuth = options.auth ?? { type: 'none' };
  let script: N8nRule[] = options.script ?? [{ json: { response: 'echo: {chatInput}' } }];
  const requests: RecordedCall[] = [];
  const accepted: RecordedCall[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  /** The refusal n8n would answer with, or undefined when the call may run the workflow. */
  function refusal(call: RecordedCall): { status: number; body: unknown } | undefined {
    const header = call.headers.authorization;
    switch (auth.type) {
      case 'none':
        return undefined;
      case 'basic': {
        if (!header?.startsWith('Basic ')) return REQUIRED;
        const expected = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
        return header.slice(6) === expected ? undefined : WRONG;
      }
      case 'header':
        return call.headers[auth.name.toLowerCase()] === auth.value ? undefined : WRONG;
      case 'jwt': {
        if (!header?.startsWith('Bearer ')) return { status: 401, body: { code: 401, message: 'No token provided' } };
        const verified = verifyJwt(header.slice(7), auth.secret, auth.algorithm ?? 'HS256');
        if (!verified) return WRONG;
        call.jwt = verified;
        return undefined;
      }
    }
  }

  async function answer(rule: N8nRule, body: Record<string, unknown>, res: ServerResponse) {
    const fill = (text: string) => text.replace(/\{(\w+)\}/g, (whole, name: string) => (body[name] === undefined ? whole : String(body[name])));
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.status) return json(res, rule.status, rule.body ?? { code: rule.status, message: 'Error in workflow' });
    if (rule.text !== undefined) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(fill(rule.text));
    }
    if (rule.stream) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'transfer-encoding': 'chunked' });
      const metadata = () => ({ nodeId: 'agent-1', nodeName: 'AI Agent', itemIndex: 0, runIndex: 0, timestamp: Date.now() });
      const write = (item: Record<string, unknown>) => new Promise<void>((resolve) => (res.destroyed ? resolve() : res.write(`${JSON.stringify({ ...item, metadata: metadata() })}\n`, () => resolve())));
      await write({ type: 'begin' });
      for (const piece of rule.stream) {
        if (rule.chunkDelayMs) await sleep(rule.chunkDelayMs);
        await write({ type: 'item', content: fill(piece) });
      }
      await write(rule.streamError !== undefined ? { type: 'error', content: rule.streamError } : { type: 'end' });
      return res.end();
    }
    const filled = JSON.parse(JSON.stringify(rule.json ?? {}), (_key, value) => (typeof value === 'string' ? fill(value) : value));
    json(res, 200, filled);
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const call: RecordedCall = { path: new URL(req.url ?? '/', 'http://n8n.local').pathname, headers: req.headers, body: undefined };
      requests.push(call);
      try {
        call.body = raw ? JSON.parse(raw) : {};
      } catch {
        call.body = raw;
      }
      if (req.method !== 'POST' || call.path !== path) {
        return json(res, 404, {
          code: 404,
          message: `The requested webhook "${req.method} ${call.path.replace(/^\/webhook\//, '')}" is not registered.`,
          hint: 'The workflow must be active for a production URL to run successfully.',
        });
      }
      const refused = refusal(call);
      if (refused) return json(res, refused.status, refused.body);
      accepted.push(call);
      const input = String(call.body?.chatInput ?? '');
      const rule = script.find((r) => !r.match || new RegExp(r.match).test(input));
      if (!rule) return json(res, 500, { code: 0, message: `No scripted answer for '${input}'.` });
      await answer(rule, call.body ?? {}, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

  return {
    url,
    requests,
    accepted,
    setScript: (next) => void (script = next),
    setAuth: (next) => void (auth = next),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Checks a compact JWS the way a JWT library would: the algorithm expected, the HMAC, and `exp`. */
function verifyJwt(token: string, secret: string, algorithm: keyof typeof HASHES): RecordedCall['jwt'] {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, signature] = parts;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (header.alg !== algorithm) return undefined;
  const expected = createHmac(HASHES[algorithm], secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return undefined;
  return { header, claims };
}
