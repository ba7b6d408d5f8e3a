/**
 * Starts and stops each bot's adapter through `contributions.invoke({ point: 'adapters', … })` and remembers the
 * outcome: a failure becomes state `failed` with its message, never an exception out of start/stop.
 */
import type { ExtensionContext } from '@langbot-ts/sdk';
import { effectiveAdapterConfig } from './adapter-config.js';
import type { AdapterCatalog } from './adapters.js';
import { invokeContribution } from './invoke.js';
import type { StoredBot } from './store.js';

export type BotState = 'stopped' | 'running' | 'failed';
export interface BotStatus {
  state: BotState;
  last_error?: string;
  /** The bot's own id on its platform, when the adapter's `start` returns `{ account_id }`. */
  account_id?: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Lifecycle {
  private readonly states = new Map<string, BotStatus>();
  /** The bot as it was started, so it can be stopped without reading storage. */
  private readonly started = new Map<string, StoredBot>();

  constructor(
    private readonly ctx: ExtensionContext,
    private readonly catalog: AdapterCatalog,
  ) {}

  status(uuid: string): BotStatus {
    return { ...(this.states.get(uuid) ?? { state: 'stopped' }) };
  }

  accountId(uuid: string): string | undefined {
    return this.states.get(uuid)?.account_id;
  }

  /** An account id the adapter learnt after `start` (a platform that connects later); ignored for a bot not running. */
  reportAccount(uuid: string, account_id: string): boolean {
    const status = this.states.get(uuid);
    if (status?.state !== 'running') return false;
    this.states.set(uuid, { ...status, account_id });
    return true;
  }

  isRunning(uuid: string): boolean {
    return this.states.get(uuid)?.state === 'running';
  }

  async start(bot: StoredBot): Promise<BotStatus> {
    try {
      const config = await effectiveAdapterConfig(this.catalog, bot.adapter, bot.adapter_config);
      const started = (await this.adapter(bot, 'start', { bot_uuid: bot.uuid, config })) as { account_id?: unknown } | undefined;
      const account = started && typeof started === 'object' && started.account_id !== undefined ? String(started.account_id) : undefined;
      this.states.set(bot.uuid, account === undefined ? { state: 'running' } : { state: 'running', account_id: account });
      this.started.set(bot.uuid, bot);
    } catch (error) {
      this.states.set(bot.uuid, { state: 'failed', last_error: message(error) });
      this.ctx.log.warn(`Bot '${bot.name}' could not start: ${message(error)}`, { bot: bot.uuid, adapter: bot.adapter });
    }
    return this.status(bot.uuid);
  }

  async stop(bot: Pick<StoredBot, 'uuid' | 'name' | 'adapter' | 'adapter_config'>, timeoutMs?: number): Promise<BotStatus> {
    if (this.states.get(bot.uuid)?.state !== 'running') {
      this.states.set(bot.uuid, { ...this.status(bot.uuid), state: this.states.get(bot.uuid)?.state === 'failed' ? 'failed' : 'stopped' });
      return this.status(bot.uuid);
    }
    try {
      await this.adapter(bot, 'stop', { bot_uuid: bot.uuid, config: bot.adapter_config }, timeoutMs);
      this.states.set(bot.uuid, { state: 'stopped' });
      this.started.delete(bot.uuid);
    } catch (error) {
      this.states.set(bot.uuid, { state: 'failed', last_error: message(error) });
      this.ctx.log.warn(`Bot '${bot.name}' could not stop: ${message(error)}`, { bot: bot.uuid, adapter: bot.adapter });
    }
    return this.status(bot.uuid);
  }

  async restart(bot: StoredBot): Promise<BotStatus> {
    await this.stop(bot);
    return this.start(bot);
  }

  forget(uuid: string): void {
    this.states.delete(uuid);
    this.started.delete(uuid);
  }

  async stopAll(timeoutMs?: number): Promise<void> {
    for (const bot of [...this.started.values()]) if (this.isRunning(bot.uuid)) await this.stop(bot, timeoutMs);
  }

  private adapter(bot: Pick<StoredBot, 'adapter'>, method: 'start' | 'stop', args: Record<string, unknown>, timeoutMs?: number): Promise<unknown> {
    return invokeContribution(this.ctx, { point: 'adapters', id: bot.adapter, method, args, ...(timeoutMs ? { timeoutMs } : {}) });
  }
}
