/** The `discord` adapter contribution: starts and stops bots and serves the platform API for each running bot. */
import { BotRegistry, createRedactor, describeError, redactingLogger, type ExtensionContext } from '@langbot-ts/sdk';
import { callPlatformApi } from './actions.js';
import { DiscordBot, readConfig } from './bot.js';
import { platformApi } from './platform-api.js';
import { replyChunk, type ChunkArgs } from './streaming.js';

type Args = Record<string, any>;

export function discordAdapter(ctx: ExtensionContext, registry: BotRegistry<DiscordBot>) {
  const tokens = new Map<string, string>();
  const redact = createRedactor(() => tokens.values());
  const log = redactingLogger(ctx.log, redact);
  const bot = (args: Args) => registry.get(args?.bot_uuid);

  return {
    async start(args: { bot_uuid: string; config: Record<string, unknown> }) {
      const config = readConfig(args.config ?? {});
      tokens.set(args.bot_uuid, config.token);
      try {
        const running = await registry.start(args.bot_uuid, () => DiscordBot.start(ctx, args.bot_uuid, config, log, redact));
        return { account_id: running.selfId };
      } catch (error) {
        throw new Error(describeError(error, redact));
      }
    },

    async stop(args: { bot_uuid: string }) {
      await registry.stop(args.bot_uuid);
      return {};
    },

    ...platformApi(bot),

    call_platform_api: (args: Args) => callPlatformApi(bot(args), args),

    reply_message_chunk: (args: Args) => replyChunk(bot(args), args as ChunkArgs),

    async is_stream_output_supported() {
      return true;
    },
  };
}
