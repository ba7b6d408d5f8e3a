/**
 * Serves the web console (built by scripts/build.mjs into dist/console): the page at `/`, its script and stylesheet
 * under `/console/`. The console routes with `#/…`, so no other path needs the page.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const FILES: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

const MISSING = `<!doctype html><meta charset="utf-8"><title>LangBot</title>
<body style="font-family:sans-serif;padding:2rem"><h1>The web console is not built</h1>
<p>Run <code>npm run build</code> (or start with <code>npm start</code>, which builds it), then reload. The API under /api/v1 works without it.</p>`;

export function consoleDirectory(configured: unknown): string {
  if (typeof configured === 'string' && configured !== '') return configured;
  return join(process.env.LANGBOT_HOME ?? process.cwd(), 'dist', 'console');
}

export function registerConsoleFiles(app: FastifyInstance, dir: string): void {
  // Read once: the files change only with a new build, which comes with a restart.
  const cache = new Map<string, Buffer | null>();
  const load = async (name: string) => {
    if (!cache.has(name)) cache.set(name, await readFile(join(dir, name)).catch(() => null));
    return cache.get(name)!;
  };
  const securityHeaders = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'",
  };
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    const page = await load('index.html');
    reply.headers({ ...securityHeaders, 'cache-control': 'no-cache', 'content-type': 'text/html; charset=utf-8' });
    return page ?? MISSING;
  });
  app.get<{ Params: { file: string } }>('/console/:file', { schema: { hide: true } }, async (request, reply) => {
    const type = FILES[request.params.file];
    const body = type ? await load(request.params.file) : null;
    if (!type || !body) return reply.code(404).send({ code: 'resource_not_found', msg: `No console file ${request.params.file}.` });
    // The page asks for `app.js?v=<build id>`, so a cached copy is never stale.
    reply.headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=31536000, immutable', 'content-type': type });
    return body;
  });
}
