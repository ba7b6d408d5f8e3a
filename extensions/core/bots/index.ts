/**
 * langbot.bots: stored bots, their adapters' lifecycle, a ring of recent events per bot, and the router that hands
 * each event to the handler its bot's rules choose. Provides the `bots` and `events` services.
 */
import { RpcError, RpcErrorCode, defineExtension, openDatabase, type ExtensionContext } from '@langbot-ts/sdk';
import { AdapterCatalog } from './adapters.js';
import { EventLog } from './event-log.js';
import { Lifecycle } from './lifecycle.js';
import { PlatformGateway } from './gateway.js';
import { EventRouter } from './router.js';
import { botsService } from './service.js';
import { BotStore, type BotsDatabase } from './store.js';
import { handleWebhook } from './webhook.js';

/** Starts every enabled bot; a failure is recorded on the bot, never thrown. */
async function startEnabled(ctx: ExtensionContext, store: BotStore, lifecycle: Lifecycle): Promise<void> {
  try {
    for (const bot of await store.list()) if (bot.enable) await lifecycle.start(bot);
  } catch (error) {
    ctx.log.warn(`Could not start the enabled bots: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export default defineExtension({
  async activate(ctx) {
    const db = await openDatabase<BotsDatabase>(ctx);
    const store = new BotStore(db);
    await store.migrate();
    const catalog = new AdapterCatalog(ctx);
    const lifecycle = new Lifecycle(ctx, catalog);
    const events = new EventLog(100);
    const router = new EventRouter(ctx, store, events, lifecycle, { concurrency: Number(ctx.config.concurrency ?? 16), perChatLimit: Number(ctx.config.queueLimit ?? 20) });
    const gateway = new PlatformGateway(ctx, store, catalog);

    ctx.provideService('bots', {
      ...botsService(ctx, store, lifecycle, events, catalog),
      api: (args) => gateway.call(args),
      webhook: (args) => handleWebhook(ctx, store, catalog, lifecycle, args ?? {}),
      idle: () => router.pool.idle().then(() => ({ idle: true })),
    });
    ctx.provideService('events', {
      emit: async (args: { event?: unknown }) => router.emit(args?.event),
      account: (args: { bot_uuid?: unknown; account_id?: unknown }) => {
        if (typeof args?.bot_uuid !== 'string' || (typeof args.account_id !== 'string' && typeof args.account_id !== 'number')) {
          throw new RpcError(RpcErrorCode.ValidationFailed, '`bot_uuid` (string) and `account_id` (string or number) are required.');
        }
        return { updated: lifecycle.reportAccount(args.bot_uuid, String(args.account_id)) };
      },
    });

    // Not awaited: an adapter that is slow to start must not hold up activation.
    void startEnabled(ctx, store, lifecycle);

    // Adapter extensions stop their own connections when they are disposed; this tells the ones still running.
    ctx.onDispose(() => lifecycle.stopAll(2_000).catch(() => undefined));
  },
});
