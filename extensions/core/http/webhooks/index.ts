/** Outbound webhooks, assembled: the store, the dispatcher and the feed of bot events, with their settings. */
import { openDatabase, type ExtensionContext } from '@langbot-ts/sdk';
import { WebhookDispatcher } from './dispatcher.js';
import { BotEventFeed } from './feed.js';
import { buildPayload } from './payload.js';
import { WebhookStore, type WebhooksDatabase } from './store.js';

/** How often the webhooks are re-read, so changes made through another instance apply here too. */
const REFRESH_MS = 10_000;
const POLL_MS = 500;
const BOTS_REFRESH_MS = 5_000;

export interface Webhooks {
  store: WebhookStore;
  dispatcher: WebhookDispatcher;
  stop(): void;
}

export async function startWebhooks(ctx: ExtensionContext): Promise<Webhooks> {
  const store = new WebhookStore(await openDatabase<WebhooksDatabase>(ctx));
  await store.migrate();
  const setting = (key: string, fallback: number) => Number(ctx.config[key] ?? fallback);
  const dispatcher = new WebhookDispatcher(
    store,
    {
      timeoutMs: setting('webhookTimeoutSeconds', 15) * 1000,
      maxAttempts: setting('webhookMaxAttempts', 4),
      retryDelayMs: setting('webhookRetryDelayMs', 1000),
      queueSize: setting('webhookQueueSize', 100),
      userAgent: `LangBot-TS-Webhook/${ctx.version}`,
    },
    ctx.log,
  );
  await dispatcher.refresh();
  const feed = new BotEventFeed(ctx, () => dispatcher.activeSince(), (bot, event, at) => dispatcher.publish(buildPayload(bot, event, at)), { pollMs: POLL_MS, botsRefreshMs: BOTS_REFRESH_MS });
  feed.start();
  const refresher = setInterval(() => dispatcher.refresh().catch((e) => ctx.log.warn(`Could not re-read the webhooks: ${e instanceof Error ? e.message : String(e)}`)), REFRESH_MS);
  refresher.unref?.();
  return {
    store,
    dispatcher,
    stop() {
      clearInterval(refresher);
      feed.stop();
      dispatcher.stop();
    },
  };
}
