/** langbot.handler-webhook: the `webhook` event handler — POST the event to a URL and run the actions it answers. */
import { setTimeout as sleep } from 'node:timers/promises';
import { RpcError, RpcErrorCode, defineExtension, type BotRef, type UnifiedEvent } from '@langbot-ts/sdk';
import { runActions } from './actions.js';
import { deliver, WebhookError, type WebhookConfig } from './deliver.js';

function configOf(raw: Record<string, unknown> | undefined): WebhookConfig {
  const c = raw ?? {};
  if (typeof c.url !== 'string' || !/^https?:\/\//.test(c.url)) throw new RpcError(RpcErrorCode.ValidationFailed, 'The webhook rule needs `url`, an http(s) URL.');
  const headers = c.headers && typeof c.headers === 'object' ? Object.fromEntries(Object.entries(c.headers as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : {};
  const num = (v: unknown, d: number, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : d);
  return {
    url: c.url,
    headers,
    timeout_ms: num(c.timeout_ms, 10_000, 100, 300_000),
    retries: num(c.retries, 3, 0, 10),
    backoff_ms: num(c.backoff_ms, 500, 0, 60_000),
    secret: typeof c.secret === 'string' ? c.secret : '',
  };
}

export default defineExtension({
  activate(ctx) {
    ctx.provide('eventHandlers', 'webhook', {
      handle: async (args: { event: UnifiedEvent; bot: BotRef; config?: Record<string, unknown> }) => {
        const config = configOf(args.config);
        try {
          const delivery = await deliver(config, { event: args.event, bot: args.bot }, (ms) => sleep(ms));
          const actions = await runActions(ctx, args.bot.uuid, args.event, (delivery.body as { actions?: unknown })?.actions);
          for (const failed of actions.filter((a) => !a.ok)) ctx.log.warn(`Webhook action '${failed.action}' failed: ${failed.error}`, { bot: args.bot.uuid, url: config.url });
          return { status: delivery.status, attempts: delivery.attempts, actions };
        } catch (error) {
          if (error instanceof WebhookError) throw new RpcError(RpcErrorCode.Unavailable, error.message, { attempts: error.attempts, status: error.status });
          throw error;
        }
      },
    });
  },
});
