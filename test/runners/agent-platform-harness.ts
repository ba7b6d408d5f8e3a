/**
 * Chat harnesses for the runner tests. The runners are in the kernel's headless profile, so every harness (a
 * restarted one too) can use them as they are. Everything started here stops after each test.
 */
import { afterEach, expect } from 'vitest';
import { startChat, type ChatHarness, type ChatOptions, type SentMessage } from '../../sdk/testing/index.js';

/** A 1×1 PNG, for messages with an image. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

/** Stops `thing` after the test (a fake server, say); closing it earlier is the test's business. */
export function stopLater<T extends { close(): Promise<void> }>(thing: T): T {
  running.push({ stop: () => thing.close() });
  return thing;
}

/** A harness that stops after the test; stopping it earlier (a restart test stops the first) is harmless. */
export async function harness(options: ChatOptions = {}): Promise<ChatHarness> {
  const bot = await startChat(options);
  let stopped: Promise<void> | undefined;
  const stop = bot.stop.bind(bot);
  bot.stop = () => (stopped ??= stop());
  running.push(bot);
  return bot;
}

/** A bot whose pipeline uses `runner` with this config section, errors shown to the user as `Error: …`. */
export async function runnerBot(runner: string, section: Record<string, unknown>, options: ChatOptions = {}): Promise<ChatHarness> {
  const bot = await harness(options);
  await bot.configure({ ai: { runner: { runner }, [runner]: section }, output: { misc: { 'exception-handling': 'show-error' } } });
  return bot;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the adapter got, as `[api, text, is_final]`. */
export const chunks = (sent: SentMessage[]) => sent.map((m) => [m.api, m.text, m.args.is_final]);

/** A streamed reply as `chunks` shows it: a chunk per text (each the whole text so far), then the last one again, final. */
export function streamedReply(...texts: string[]): [string, string, boolean][] {
  return [...texts.map((text): [string, string, boolean] => ['reply_message_chunk', text, false]), ['reply_message_chunk', texts.at(-1) ?? '', true]];
}

/**
 * Alice sends `text` to a streaming bot: the reply must stream as the runner's platform writes it, in these texts
 * (see `streamedReply`), the first chunk reaching the adapter `leadMs` or more before the bot is done.
 */
export async function expectStreamedAsWritten(bot: ChatHarness, text: string, texts: string[], leadMs: number): Promise<void> {
  const started = Date.now();
  await bot.emit(bot.user('alice').message(text));
  const sent: SentMessage[] = [];
  while (sent.length === 0 && Date.now() - started < 10_000) {
    sent.push(...(await bot.sent()));
    if (sent.length === 0) await sleep(20);
  }
  const firstAt = Date.now() - started;
  await bot.idle();
  sent.push(...(await bot.sent()));
  expect(firstAt).toBeLessThan(Date.now() - started - leadMs);
  expect(chunks(sent)).toEqual(streamedReply(...texts));
}

/**
 * A conversation with a bot whose platform answers `ok <question>`: alice asks `one` and `two`, bob `hello`; after
 * a restart alice asks `three`; once her LangBot conversation has expired (a new one starts), `four` and `five`.
 * `sentWith` reads from the fake platform each question and the remote conversation it was asked in (none for a new
 * one): alice's continues across the restart, bob has his own, and after the expiry alice gets a new one.
 */
export async function expectConversationKept(first: ChatHarness, sentWith: () => [string, string | undefined][]): Promise<void> {
  const ask = async (bot: ChatHarness, user: string, text: string) => expect((await bot.user(user).saysAndGet(text)).at(-1)?.text).toBe(`ok ${text}`);
  await ask(first, 'alice', 'one');
  await ask(first, 'alice', 'two');
  await ask(first, 'bob', 'hello');
  await first.stop();
  const second = await harness({ dataDir: first.dataDir });
  await ask(second, 'alice', 'three');
  await second.configure({ ai: { runner: { 'expire-time': 1 } } });
  await sleep(1_100);
  await ask(second, 'alice', 'four');
  await ask(second, 'alice', 'five');
  const asked = sentWith();
  expect(asked.map(([text]) => text)).toEqual(['one', 'two', 'hello', 'three', 'four', 'five']);
  const [one, two, hello, three, four, five] = asked.map(([, remote]) => remote);
  expect([one, hello, four]).toEqual([undefined, undefined, undefined]);
  expect(two).toEqual(expect.any(String));
  expect(three).toBe(two);
  expect(five).toEqual(expect.any(String));
  expect(five).not.toBe(two);
}
