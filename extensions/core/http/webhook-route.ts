/**
 * `GET|POST /bots/<bot_uuid>[/<path>]`: public, because platforms cannot sign in; each adapter verifies its own
 * platform's signature. The raw body goes through untouched so signatures can be checked over exact bytes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RpcError, type ExtensionContext, type WebhookResponse } from '@langbot-ts/sdk';

/** Long enough for a synchronous reply (the HTTP bot's `/sync` waits up to `callback_timeout × 4`, 60 s by default). */
export const WEBHOOK_TIMEOUT_MS = 150_000;

const STATUS_OF: Record<string, number> = { VALIDATION_FAILED: 400, NOT_FOUND: 404, NOT_SUPPORTED: 404, TIMEOUT: 504 };

export function registerWebhookRoutes(app: FastifyInstance, ctx: Pick<ExtensionContext, 'call' | 'log'>): void {
  app.register(async (scope) => {
    // Bodies of any type arrive as bytes; the adapter decides how to read them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    const handle = async (request: FastifyRequest<{ Params: { uuid: string; '*'?: string } }>, reply: FastifyReply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const sub = request.params['*'];
      try {
        const answer = await ctx.call<WebhookResponse>('bots', 'webhook', {
          bot_uuid: request.params.uuid,
          method: request.method,
          path: sub ? `/${sub}` : '',
          headers: request.headers,
          query: request.query as Record<string, unknown>,
          body: body.toString('base64'),
        }, { timeoutMs: WEBHOOK_TIMEOUT_MS });
        reply.code(answer.status);
        for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
        if (answer.body === undefined) return reply.send();
        if (typeof answer.body === 'string') return reply.send(answer.body);
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer.body));
      } catch (error) {
        const code = RpcError.is(error) ? error.code : 'INTERNAL';
        const status = STATUS_OF[code] ?? 500;
        ctx.log.warn(`Webhook for bot '${request.params.uuid}' failed: ${error instanceof Error ? error.message : String(error)}`, { bot: request.params.uuid, code });
        return reply.code(status).send({ code: status * 100 + 1, msg: status === 500 ? 'internal error' : error instanceof Error ? error.message : String(error) });
      }
    };
    scope.route({ method: ['GET', 'POST', 'PUT'], url: '/bots/:uuid', handler: handle });
    scope.route({ method: ['GET', 'POST', 'PUT'], url: '/bots/:uuid/*', handler: handle });
  });
}
