import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PACKAGE_LIMITS } from '../sdk/packaging/index.js';
import { addPackage, REGISTRY_FILES } from './builder.js';
import { MarketError } from './errors.js';

export interface ServeOptions {
  port: number;
  host?: string;
  /** Bearer token for POST /publish; defaults to the folder's publish-token. Without one, publishing is refused. */
  token?: string;
  /** Receives one line per publish. */
  log?: (line: string) => void;
}

export interface RegistryServer {
  /** e.g. `http://127.0.0.1:5310` (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*\.tgz$/;
const STATUS: Partial<Record<string, number>> = { unauthorized: 401, bad_package: 400, version_exists: 409, not_found: 404 };

/** Serves a registry folder over HTTP (read-only, plus POST /publish with a token). */
export async function serveRegistry(dir: string, options: ServeOptions): Promise<RegistryServer> {
  const tokenFile = join(dir, REGISTRY_FILES.token);
  const token = options.token ?? (existsSync(tokenFile) ? (await readFile(tokenFile, 'utf8')).trim() : undefined);
  const server = createServer((req, res) => {
    handle(dir, token, options, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'internal_error', `The registry failed: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(dir: string, token: string | undefined, options: ServeOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://registry').pathname;
  if (path === '/publish') {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    return publish(dir, token, options, req, res);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
  switch (path) {
    case '/':
      return sendSmall(req, res, join(dir, REGISTRY_FILES.index), 'text/plain; charset=utf-8', (bytes) =>
        Buffer.from(`LangBot extension registry "${JSON.parse(bytes.toString('utf8')).name}". Index: /index.json, signature: /index.json.sig.\n`),
      );
    case '/index.json':
      return sendSmall(req, res, join(dir, REGISTRY_FILES.index), 'application/json; charset=utf-8');
    case '/index.json.sig':
      return sendSmall(req, res, join(dir, REGISTRY_FILES.signature), 'application/json; charset=utf-8');
    case '/registry.pub':
      return sendSmall(req, res, join(dir, REGISTRY_FILES.publicKey), 'text/plain; charset=utf-8');
  }
  const name = path.startsWith('/packages/') ? safeDecode(path.slice('/packages/'.length)) : undefined;
  if (name === undefined || !PACKAGE_NAME.test(name)) return sendError(res, 404, 'not_found', `${path} is not in this registry.`);
  const file = join(dir, REGISTRY_FILES.packages, name);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return sendError(res, 404, 'not_found', `${path} is not in this registry.`);
  // A published version never changes (the registry refuses new bytes for it), so caches may keep it.
  res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': info.size, 'Cache-Control': 'public, max-age=31536000, immutable' });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Index-like files: read whole, with an ETag, and revalidated on every use. */
async function sendSmall(req: IncomingMessage, res: ServerResponse, file: string, type: string, transform?: (bytes: Buffer) => Buffer): Promise<void> {
  const raw = await readFile(file).catch(() => undefined);
  if (raw === undefined) return sendError(res, 404, 'not_found', `${req.url} is not in this registry.`);
  const body = transform ? transform(raw) : raw;
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', ETag: etag };
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, headers).end();
  res.writeHead(200, { ...headers, 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function publish(dir: string, token: string | undefined, options: ServeOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (token === undefined) {
    return sendError(res, 401, 'unauthorized', 'Publishing is disabled: this registry has no publish token.', true);
  }
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]?.trim();
  if (given === undefined || !sameSecret(given, token)) {
    return sendError(res, 401, 'unauthorized', 'A valid publish token is required (Authorization: Bearer <token>).', true);
  }
  const limit = PACKAGE_LIMITS.maxArchiveBytes;
  const tooLarge = () => sendError(res, 413, 'bad_package', `The package is larger than ${limit} bytes.`, true);
  if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge();
  const body = await readBody(req, limit);
  if (body === undefined) return tooLarge();
  try {
    const added = await addPackage(dir, body);
    options.log?.(`Published ${added.id} ${added.version} (${added.package.size} bytes, sha256 ${added.package.sha256}).`);
    sendJson(res, 201, { id: added.id, version: added.version, sha256: added.package.sha256, size: added.package.size });
  } catch (error) {
    if (!(error instanceof MarketError)) throw error;
    sendError(res, STATUS[error.code] ?? 500, error.code, error.message);
  }
}

/** The request body, or undefined once it passes `limit` (the rest is left unread; the answer closes the connection). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData).pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendError(res, 405, 'method_not_allowed', `Use ${allow}.`);
}

/** `close` ends the connection after the answer, so an unread request body is not drained. */
function sendError(res: ServerResponse, status: number, code: string, message: string, close = false): void {
  if (close) res.setHeader('Connection', 'close');
  sendJson(res, status, { error: { code, message } });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}
