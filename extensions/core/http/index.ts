/**
 * langbot.http: the HTTP server. The health check, the webhook ingress platforms call, and the REST API under
 * /api/v1 (each route declared once with its auth and TypeBox schemas, which also give /api/openapi.json).
 */
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import multipart from '@fastify/multipart';
import { defineExtension, openDatabase } from '@langbot-ts/sdk';
import { installErrorHandler } from './api/errors.js';
import { registerRoutes, type RouteSpec } from './api/routes.js';
import { Guard } from './auth/guard.js';
import { AuthStore, type HttpDatabase } from './auth/store.js';
import { TokenService } from './auth/tokens.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { botRoutes } from './routes/bots.js';
import { embedRoutes } from './routes/embed.js';
import { extensionRoutes } from './routes/extensions.js';
import { fileRoutes } from './routes/files.js';
import { FileStore } from './files/store.js';
import { mcpAndToolRoutes } from './routes/mcp-tools.js';
import { monitoringRoutes } from './routes/monitoring.js';
import { logRoutes } from './routes/logs.js';
import { marketplaceRoutes } from './routes/marketplace.js';
import { modelRoutes } from './routes/models.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { systemRoutes } from './routes/system.js';
import { userRoutes } from './routes/user.js';
import { webhookRoutes } from './routes/webhooks.js';
import { startWebhooks } from './webhooks/index.js';
import { consoleDirectory, registerConsoleFiles } from './console-files.js';
import { registerMcpServer } from './mcp-server/index.js';
import { serveDebugChat } from './debug-chat-socket.js';
import { UpgradeRouter } from './upgrade-router.js';
import { registerEmbedCors } from './embed/cors.js';
import { serveEmbedSocket } from './embed/socket.js';
import { registerWebhookRoutes } from './webhook-route.js';

export default defineExtension({
  async activate(ctx) {
    const db = await openDatabase<HttpDatabase>(ctx);
    const store = new AuthStore(db);
    await store.migrate();
    const tokens = new TokenService(await store.signingSecret(), await store.instanceUuid(), Number(ctx.config.jwtExpireSeconds ?? 604800));
    const guard = new Guard(store, tokens, () => String(ctx.config.globalApiKey ?? ''));

    const app = Fastify({
      bodyLimit: Number(ctx.config.maxBodyBytes ?? 10 * 1024 * 1024),
      logger: false,
      genReqId: () => crypto.randomUUID(),
      // A number where a string belongs is a mistake to report, not to fix quietly; unknown fields are kept so the
      // services can name them.
      ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    });
    installErrorHandler(app, ctx.log);
    // Upload routes read `file` with their own size limit; the plugin only parses multipart/form-data.
    await app.register(multipart);
    const files = new FileStore(db);
    await files.migrate();
    const webhooks = await startWebhooks(ctx);
    ctx.onDispose(() => webhooks.stop());
    await app.register(swagger, {
      openapi: {
        info: { title: 'LangBot TS API', version: ctx.version },
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            apiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          },
        },
      },
    });

    const startedAt = Date.now();
    app.get('/healthz', { schema: { hide: true } }, async () => ({
      code: 0,
      msg: 'ok',
      resources: { uptime_seconds: Math.round((Date.now() - startedAt) / 1000), memory_rss_bytes: process.memoryUsage().rss },
    }));
    const routes: RouteSpec[] = [
      ...systemRoutes(() => ({ version: ctx.version, debug: false, edition: 'community', enable_marketplace: true, allow_modify_login_info: true, disable_models_service: false })),
      ...userRoutes(store, tokens, () => String(ctx.config.recoveryKey ?? '')),
      ...apiKeyRoutes(store),
      ...botRoutes(ctx, () => String(ctx.config.publicUrl || url)),
      ...pipelineRoutes(ctx),
      ...modelRoutes(ctx),
      ...extensionRoutes(ctx),
      ...mcpAndToolRoutes(ctx),
      ...embedRoutes(ctx, () => String(ctx.config.publicUrl ?? '')),
      ...fileRoutes(files),
      ...webhookRoutes(webhooks.store, webhooks.dispatcher, () => Number(ctx.config.maxWebhooks ?? 16)),
      ...monitoringRoutes(db),
      ...logRoutes(ctx),
      ...marketplaceRoutes(ctx),
    ];
    registerEmbedCors(app, ctx);
    registerRoutes(app, guard, routes);
    registerMcpServer(app, { guard, routes, version: ctx.version, log: ctx.log });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    registerWebhookRoutes(app, ctx);
    registerConsoleFiles(app, consoleDirectory(ctx.config.consoleDir));

    const host = String(ctx.config.host ?? '0.0.0.0');
    let url = '';
    const address = await app.listen({ host, port: Number(ctx.config.port ?? 5300) });
    const port = (app.server.address() as { port: number }).port;
    url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
    ctx.log.info(`HTTP server listening on ${address}`);
    ctx.provideService('http', {
      info: () => ({ url, host, port }),
      /** Every API route with its auth, for the console and the auth coverage test. */
      routes: () => routes.map((r) => ({ method: r.method, url: r.url, auth: r.auth, permission: r.permission ?? null })),
    });
    const upgrades = new UpgradeRouter(app.server);
    const stopDebugChat = serveDebugChat(upgrades, ctx, guard);
    const stopEmbed = serveEmbedSocket(upgrades, ctx);
    ctx.onDispose(async () => {
      stopEmbed();
      stopDebugChat();
      upgrades.close();
      await app.close();
    });
  },
});
