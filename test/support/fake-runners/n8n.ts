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
import type { ServerResponse } from 'node:http';
import { FakeServer, fill, json, sleep, stream, type BaseRule, type RecordedRequest } from './agent-platform-fake.js';

export type FakeN8nAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'jwt'; secret: string; algorithm?: 'HS256' | 'HS384' | 'HS512' }
  | { type: 'header'; name: string; value: string };

export interface N8nRule extends Omit<BaseRule, 'error' | 'hang'> {
  /** Answer with this JSON. Strings in it are templates: {chatInput}, {user_id}, {conversation_id}, {session_id}. */
  json?: unknown;
  /** Answer with this plain text (a template). */
  text?: string;
  /** Stream these pieces as n8n items, each a template. */
  stream?: string[];
  /** After the streamed pieces, an error item with this content instead of the end. */
  streamError?: string;
  /** Answer with this HTTP status and body (`{ code, message }` by default, as n8n does). */
  status?: number;
  body?: unknown;
}

export interface RecordedCall extends RecordedRequest {
  /** The claims of the JWT that authenticated the call, once verified. */
  jwt?: { header: Record<string, unknown>; claims: Record<string, unknown> };
}

export interface FakeN8nOptions {
  auth?: FakeN8nAuth;
  /** The webhook's path; default `/webhook/<uuid>`. */
  path?: string;
  script?: N8nRule[];
}

const HASHES = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

/** n8n's own refusals. */
const REQUIRED = { status: 401, body: { code: 401, message: 'Authorization is required!' } };
const WRONG = { status: 403, body: { code: 403, message: 'Authorization data is wrong!' } };

/** `requests` holds every call, refused ones included; `accepted` the calls that passed authentication. */
export class FakeN8n extends FakeServer<N8nRule> {
  declare readonly requests: RecordedCall[];
  readonly accepted: RecordedCall[] = [];
  private readonly path: string;
  private auth: FakeN8nAuth;

  constructor(options: FakeN8nOptions = {}) {
    super(options.script ?? [{ json: { response: 'echo: {chatInput}' } }]);
    this.path = options.path ?? `/webhook/${randomUUID()}`;
    this.auth = options.auth ?? { type: 'none' };
  }

  /** The webhook-url to configure. */
  override get url(): string {
    return `${this.origin}${this.path}`;
  }

  setAuth(auth: FakeN8nAuth): void {
    this.auth = auth;
  }

  protected async route(call: RecordedCall, res: ServerResponse): Promise<void> {
    if (call.method !== 'POST' || call.path !== this.path) {
      return json(res, 404, {
        code: 404,
        message: `The requested webhook "${call.method} ${call.path.replace(/^\/webhook\//, '')}" is not registered.`,
        hint: 'The workflow must be active for a production URL to run successfully.',
      });
    }
    const refused = this.refusal(call);
    if (refused) return json(res, refused.status, refused.body);
    this.accepted.push(call);
    const input = String(call.body?.chatInput ?? '');
    const rule = this.ruleFor(input);
    if (!rule) return json(res, 500, { code: 0, message: `No scripted answer for '${input}'.` });
    await answer(rule, call.body ?? {}, res);
  }

  /** The refusal n8n would answer with, or undefined when the call may run the workflow. */
  private refusal(call: RecordedCall): { status: number; body: unknown } | undefined {
    const { auth } = this;
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
}

export const startFakeN8n = (options?: FakeN8nOptions) => new FakeN8n(options).start();

async function answer(rule: N8nRule, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const values = Object.fromEntries(Object.entries(body).map(([name, value]) => [name, String(value)]));
  await sleep(rule.delayMs);
  if (rule.status) return json(res, rule.status, rule.body ?? { code: rule.status, message: 'Error in workflow' });
  if (rule.text !== undefined) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return void res.end(fill(rule.text, values));
  }
  if (rule.stream) {
    const out = stream(res, 'application/json; charset=utf-8');
    const metadata = () => ({ nodeId: 'agent-1', nodeName: 'AI Agent', itemIndex: 0, runIndex: 0, timestamp: Date.now() });
    const write = (item: Record<string, unknown>) => out.write(`${JSON.stringify({ ...item, metadata: metadata() })}\n`);
    await write({ type: 'begin' });
    for (const piece of rule.stream) {
      await sleep(rule.chunkDelayMs);
      await write({ type: 'item', content: fill(piece, values) });
    }
    await write(rule.streamError !== undefined ? { type: 'error', content: rule.streamError } : { type: 'end' });
    return out.end();
  }
  json(res, 200, JSON.parse(JSON.stringify(rule.json ?? {}), (_key, value) => (typeof value === 'string' ? fill(value, values) : value)));
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
