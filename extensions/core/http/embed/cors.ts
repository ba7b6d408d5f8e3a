/**
 * CORS for `/api/v1/embed/*`: the widget calls these routes from other sites. A page of an origin the bot allows
 * (`allowed_origins`, default `*`) gets the CORS headers and preflights are answered; a page of any other origin is
 * refused with 403 — the routes are public, so the check is the server's, not only the browser's.
 */
import type { FastifyInstance } from 'fastify';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { forbidden } from '../api/envelope.js';
import { EMBED_ADAPTER, originAllowed, widgetSettings } from './bot.js';

export const EMBED_PREFIX = '/api/v1/embed/';

/** The origins a bot allows; `*` for a path naming no web page bot (its route answers 404 itself). */
export async function allowedOrigins(ctx: Pick<ExtensionContext, 'call'>, url: string): Promise<string[]> {
  const uuid = decodeURIComponent(url.slice(EMBED_PREFIX.length).split(/[/?#]/)[0] ?? '');
  if (!uuid || uuid === 'logo') return ['*'];
  try {
    const bot = await ctx.call<{ adapter: string; adapter_config: Record<string, unknown> }>('bots', 'get', { uuid });
    return bot.adapter === EMBED_ADAPTER ? widgetSettings(bot.adapter_config ?? {}).allowed_origins : ['*'];
  } catch {
    return ['*'];
  }
}

export function registerEmbedCors(app: FastifyInstance, ctx: Pick<ExtensionContext, 'call'>): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(EMBED_PREFIX)) return;
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const allowed = await allowedOrigins(ctx, request.url);
    if (!originAllowed(allowed, origin)) throw forbidden(`Pages of ${origin} may not use this bot: add the origin to the bot's allowed sites.`);
    reply.header('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
    if (!allowed.includes('*')) reply.header('vary', 'Origin');
  });
  app.options(`${EMBED_PREFIX}*`, { schema: { hide: true } }, async (_request, reply) => {
    reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
    reply.header('access-control-allow-headers', 'authorization, content-type');
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });
}
