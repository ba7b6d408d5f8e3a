/**
 * `/api/v1/embed/*`: the embeddable chat widget of `web_page_bot` bots. Public — a site's visitors cannot sign in —
 * so each route checks the bot itself (adapter, enabled, pipeline: 404/403), and all but the widget, the logo and
 * the session route need the visitor's session token (`Authorization: Bearer <ts>.<hmac>`, else 401). CORS and the
 * WebSocket are in ../embed/.
 */
import { Type } from '@sinclair/typebox';
import type { ExtensionContext } from '@langbot-ts/sdk';
import { ApiError, badRequest, unauthorized } from '../api/envelope.js';
import { defineRoutes, type ApiRequest } from '../api/routes.js';
import { resolveEmbedBot } from '../embed/bot.js';
import { EmbedClient, bearerToken } from '../embed/client.js';
import { LOGO_SVG } from '../embed/logo.js';
import { renderWidget } from '../embed/widget-template.js';

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const ByBot = Type.Object({ bot_uuid: Type.String({ minLength: 1, maxLength: 64 }) });
const SessionType = Type.Union([Type.Literal('person'), Type.Literal('group')]);
const BySession = Type.Object({ bot_uuid: Type.String({ minLength: 1, maxLength: 64 }), session_type: SessionType });
const SessionQuery = Type.Object({ session_id: Type.String({ pattern: UUID_PATTERN, description: 'The visitor session id the widget keeps (a UUID).' }) });

type SessionAnswer = { token: string; expires_at: number } | { error: 'token_required' | 'turnstile_failed' | 'turnstile_unavailable'; message: string };

const SESSION_ERRORS = { token_required: 400, turnstile_failed: 403, turnstile_unavailable: 502 } as const;

export function embedRoutes(ctx: Pick<ExtensionContext, 'call' | 'stream'>, publicUrl: () => string) {
  const embed = new EmbedClient(ctx);
  /** The bot, then the visitor's session token for it. */
  const visitor = async (bot_uuid: string, raw: ApiRequest['raw']) => {
    const bot = await resolveEmbedBot(ctx, bot_uuid);
    const token = bearerToken(raw.headers.authorization);
    if (!token) throw unauthorized('Send the session token from POST /api/v1/embed/<bot_uuid>/turnstile/verify as `Authorization: Bearer <token>`.');
    const { valid } = await embed.call<{ valid: boolean }>('check', { bot_uuid: bot.uuid, token });
    if (!valid) throw unauthorized('The session token is invalid or has expired; get a new one from /turnstile/verify.');
    return bot;
  };

  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/embed/logo',
      auth: 'none',
      summary: 'The default bubble icon of the embed widget (SVG)',
      tags: ['embed'],
      raw: true,
      handler: ({ reply }) => reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=86400').send(LOGO_SVG),
    },
    {
      method: 'GET',
      url: '/api/v1/embed/:bot_uuid/widget.js',
      auth: 'none',
      summary: 'The chat widget a site adds with <script src=…/widget.js>, set up for this bot',
      tags: ['embed'],
      params: ByBot,
      raw: true,
      handler: async ({ params, raw, reply }) => {
        const bot = await resolveEmbedBot(ctx, params.bot_uuid);
        const base = (publicUrl() || `${raw.protocol}://${raw.host}`).replace(/\/+$/, '');
        const source = renderWidget({ base_url: base, bot_uuid: bot.uuid, settings: bot.settings });
        return reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(source);
      },
    },
    {
      method: 'POST',
      url: '/api/v1/embed/:bot_uuid/turnstile/verify',
      auth: 'none',
      summary: 'A session token for a visitor (valid 24 h), after a Cloudflare Turnstile check when the bot has a secret',
      tags: ['embed'],
      params: ByBot,
      body: Type.Object({ token: Type.Optional(Type.String({ maxLength: 4096, description: 'The Turnstile response; may be empty when the bot has no Turnstile secret.' })) }),
      handler: async ({ params, body, raw }) => {
        const bot = await resolveEmbedBot(ctx, params.bot_uuid);
        const answer = await embed.call<SessionAnswer>('session', { bot_uuid: bot.uuid, turnstile_token: body.token ?? '', remote_ip: raw.ip });
        if ('error' in answer) throw answer.error === 'token_required' ? badRequest(answer.message) : new ApiError(SESSION_ERRORS[answer.error], answer.error, answer.message);
        return { token: answer.token, expires_at: answer.expires_at };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/embed/:bot_uuid/messages/:session_type',
      auth: 'none',
      summary: 'The recent messages of a visitor session (session token)',
      tags: ['embed'],
      params: BySession,
      querystring: SessionQuery,
      handler: async ({ params, query, raw }) => {
        const bot = await visitor(params.bot_uuid, raw);
        return embed.call('history', { bot_uuid: bot.uuid, session_type: params.session_type, session_id: query.session_id });
      },
    },
    {
      method: 'POST',
      url: '/api/v1/embed/:bot_uuid/reset/:session_type',
      auth: 'none',
      summary: 'Forget a visitor session’s history (session token)',
      tags: ['embed'],
      params: BySession,
      querystring: SessionQuery,
      handler: async ({ params, query, raw }) => {
        const bot = await visitor(params.bot_uuid, raw);
        return embed.call('reset', { bot_uuid: bot.uuid, session_type: params.session_type, session_id: query.session_id });
      },
    },
    {
      method: 'POST',
      url: '/api/v1/embed/:bot_uuid/feedback',
      auth: 'none',
      summary: 'Like (1), dislike (2) or withdraw (3) feedback on a reply (session token)',
      tags: ['embed'],
      params: ByBot,
      body: Type.Object({
        feedback_type: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { description: '1 like, 2 dislike, 3 cancel' }),
        session_id: Type.String({ pattern: UUID_PATTERN }),
        session_type: Type.Optional(SessionType),
        message_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
        feedback_content: Type.Optional(Type.String({ maxLength: 2000 })),
      }),
      handler: async ({ params, body, raw }) => {
        const bot = await visitor(params.bot_uuid, raw);
        return embed.call('feedback', { ...body, session_type: body.session_type ?? 'person', bot_uuid: bot.uuid });
      },
    },
  ]);
}
