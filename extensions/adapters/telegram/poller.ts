/**
 * Long polling with getUpdates. grammY's own loop waits out failures with timers stop() cannot cancel and logs
 * only through `debug`; this loop backs off (capped), says in the log when Telegram is unreachable and when it
 * is back, stops at once on stop(), and confirms the last offset so a restart does not see updates twice.
 */
import type { Api } from 'grammy';

type GrammySignal = Parameters<Api['getUpdates']>[1];
import type { ExtensionLogger, Redactor } from '@langbot-ts/sdk';
import { telegramError } from './errors.js';
import { ALLOWED_UPDATES } from './events.js';
import { sleep } from './retry.js';
import type { TgUpdate } from './wire.js';

export interface PollerOptions {
  /** Seconds Telegram holds a getUpdates request open. */
  timeoutSeconds?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export class Poller {
  private readonly abort = new AbortController();
  private offset = 0;
  private running: Promise<void> | undefined;
  failures = 0;

  constructor(
    private readonly api: Api,
    private readonly handle: (update: TgUpdate) => Promise<void>,
    private readonly log: ExtensionLogger,
    private readonly redact: Redactor,
    private readonly options: PollerOptions = {},
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    if (this.offset > 0) {
      // Confirms what was handled; a failure only means those updates come again.
      await this.api.getUpdates({ offset: this.offset, limit: 1, timeout: 0 }, AbortSignal.timeout(2_000) as GrammySignal).catch(() => undefined);
    }
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    const first = this.options.firstDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 15_000;
    while (!signal.aborted) {
      let updates: TgUpdate[];
      try {
        const params = { offset: this.offset, timeout: this.options.timeoutSeconds ?? 25, allowed_updates: [...ALLOWED_UPDATES] };
        updates = (await this.api.getUpdates(params, signal as GrammySignal)) as unknown as TgUpdate[];
        if (!Array.isArray(updates)) throw new Error('getUpdates answered something other than a list of updates.');
      } catch (error) {
        if (signal.aborted) break;
        const code = (error as { error_code?: number }).error_code;
        if (code === 401 || code === 404) {
          this.log.error(`Telegram refused the bot token while polling (${telegramError(error, this.redact)}); polling stopped. Check the token and restart the bot.`);
          break;
        }
        this.failures++;
        // 409: a webhook is set or another process polls with this token.
        const wait = code === 409 ? max : Math.min(first * 2 ** (this.failures - 1), max);
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.log.warn(`Polling Telegram failed ${this.failures} time(s): ${telegramError(error, this.redact)}. Retrying in ${wait} ms.`);
        }
        await sleep(wait, signal);
        continue;
      }
      if (this.failures > 0) this.log.info(`Polling Telegram works again after ${this.failures} failure(s).`);
      this.failures = 0;
      for (const update of updates) {
        if (!update || !Number.isSafeInteger(update.update_id)) continue;
        this.offset = Math.max(this.offset, update.update_id + 1);
        await this.handle(update);
      }
    }
  }
}
