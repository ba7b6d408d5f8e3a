/** The `aiocqhttp` adapter contribution: starts and stops OneBot bots and serves the platform API for them. */
import { BotRegistry, createEventSink, createRedactor, describeError, redactingLogger, type ExtensionContext } from '@langbot-ts/sdk';
import { OneBotBot } from './bot.js';
import { readConfig } from './config.js';
import { ADAPTER_NAME, platformApi } from './platform-api.js';

export function oneBotAdapter(ctx: Pick<ExtensionContext, 'call' | 'log'>, registry: BotRegistry<OneBotBot>) {
  const api = platformApi((uuid) => registry.get(uuid));
  return {
    async start(args: { bot_uuid: string; config?: Record<string, unknown> }): Promise<{ account_id?: string }> {
      const config = readConfig(args.config);
      const redact = createRedactor(() => [config.accessToken]);
      const log = redactingLogger(ctx.log, redact);
      const sink = createEventSink(ctx, { adapter: ADAPTER_NAME, bot_uuid: args.bot_uuid, log });
      let started: { account_id?: string } = {};
      try {
        await registry.start(args.bot_uuid, async () => {
          const bot = new OneBotBot({ bot_uuid: args.bot_uuid, config, log, redact, sink });
          try {
            started = await bot.start();
          } catch (error) {
            await bot.stop();
            throw error;
          }
          return bot;
        });
      } catch (error) {
        throw new Error(describeError(error, redact));
      }
      return started;
    },

    async stop(args: { bot_uuid: string }): Promise<void> {
      await registry.stop(args.bot_uuid);
    },

    ...api,
  };
}
