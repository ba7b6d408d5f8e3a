/**
 * langbot.http: the HTTP server. For now it carries the health check and the webhook ingress; the REST API and the
 * console are added as route groups on the same server.
 */
import Fastify from 'fastify';
import { defineExtension } from '@langbot-ts/sdk';
import { registerWebhookRoutes } from './webhook-route.js';

export default defineExtension({
  async activate(ctx) {
    const app = Fastify({ bodyLimit: Number(ctx.config.maxBodyBytes ?? 10 * 1024 * 1024), logger: false });
    const startedAt = Date.now();
    app.get('/healthz', async () => ({
      code: 0,
      msg: 'ok',
      resources: { uptime_seconds: Math.round((Date.now() - startedAt) / 1000), memory_rss_bytes: process.memoryUsage().rss },
    }));
    registerWebhookRoutes(app, ctx);

    const host = String(ctx.config.host ?? '0.0.0.0');
    const address = await app.listen({ host, port: Number(ctx.config.port ?? 5300) });
    const port = (app.server.address() as { port: number }).port;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const url = `http://${shownHost}:${port}`;
    ctx.log.info(`HTTP server listening on ${address}`);
    ctx.provideService('http', { info: () => ({ url, host, port }) });
    ctx.onDispose(() => app.close());
  },
});
