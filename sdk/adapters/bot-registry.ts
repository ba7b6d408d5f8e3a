/**
 * The bots an adapter is running, by bot uuid. `start` replaces a bot already running under the same uuid (after
 * stopping it), so a restart never leaves two connections; API calls for a bot that is not running fail clearly.
 */
import { RpcError, RpcErrorCode } from '../../kernel/api/index.js';

export interface RunningBot {
  stop(): void | Promise<void>;
}

export class BotRegistry<T extends RunningBot> {
  private readonly bots = new Map<string, T>();

  constructor(private readonly adapter: string) {}

  async start(bot_uuid: string, create: () => Promise<T> | T): Promise<T> {
    await this.stop(bot_uuid);
    const bot = await create();
    this.bots.set(bot_uuid, bot);
    return bot;
  }

  get(bot_uuid: unknown): T {
    const bot = typeof bot_uuid === 'string' ? this.bots.get(bot_uuid) : undefined;
    if (!bot) throw new RpcError(RpcErrorCode.NotFound, `Bot '${String(bot_uuid)}' is not running on the ${this.adapter} adapter.`, { bot_uuid });
    return bot;
  }

  find(bot_uuid: unknown): T | undefined {
    return typeof bot_uuid === 'string' ? this.bots.get(bot_uuid) : undefined;
  }

  async stop(bot_uuid: string): Promise<void> {
    const bot = this.bots.get(bot_uuid);
    if (!bot) return;
    this.bots.delete(bot_uuid);
    await bot.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.bots.keys()].map((uuid) => this.stop(uuid)));
  }

  get size(): number {
    return this.bots.size;
  }
}
