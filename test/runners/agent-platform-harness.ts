/**
 * Chat harnesses for the runner tests. The runners are built-in folders outside the headless profile, so a test
 * enables one (remembered in the data folder, as an operator would) instead of copying it as a drop-in, whose id
 * would clash with the built-in folder of the same id. Everything started here stops after each test.
 */
import { afterEach } from 'vitest';
import { startChat, type ChatHarness, type ChatOptions } from '../../sdk/testing/index.js';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

/** Stops `thing` after the test (a fake server, say). */
export function stopLater<T extends { close(): Promise<void> }>(thing: T): T {
  running.push({ stop: () => thing.close() });
  return thing;
}

/** A harness with the extension enabled; stopping it twice (a restart test stops the first) is harmless. */
export async function harnessWith(extensionId: string, options: ChatOptions = {}): Promise<ChatHarness> {
  const bot = await startChat(options);
  await bot.kernel.manager.enable(extensionId);
  let stopped: Promise<void> | undefined;
  const stop = bot.stop.bind(bot);
  bot.stop = () => (stopped ??= stop());
  running.push(bot);
  return bot;
}

/** A bot whose pipeline uses `runner` with this config section, errors shown to the user as `Error: …`. */
export async function runnerBot(extensionId: string, runner: string, section: Record<string, unknown>, options: ChatOptions = {}): Promise<ChatHarness> {
  const bot = await harnessWith(extensionId, options);
  await bot.configure({ ai: { runner: { runner }, [runner]: section }, output: { misc: { 'exception-handling': 'show-error' } } });
  return bot;
}

/** Sends a message without waiting, and measures when the first streamed chunk reaches the adapter. */
export async function firstChunkTiming(bot: ChatHarness, text: string): Promise<{ first: string; firstAt: number; doneAt: number }> {
  const started = Date.now();
  await bot.emit(bot.user('alice').message(text));
  let first: { text: string } | undefined;
  for (;;) {
    first = (await bot.sent()).find((m) => m.api === 'reply_message_chunk');
    if (first || Date.now() - started > 5_000) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const firstAt = Date.now() - started;
  await bot.idle();
  return { first: first?.text ?? '', firstAt, doneAt: Date.now() - started };
}
