/**
 * README's quick start, step by step, as a new user would do it: `langbot start`, `npm run dev:fake-llm` in a second
 * terminal, then in the browser: owner account → Models → Add provider (OpenAI, the fake's URL) → Add model
 * fake-chat → Pipelines → ChatPipeline → Configure → AI → Local agent → Model → Save → Debug chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, screenshot, setUpAndSignIn, startLangbot, type RunningLangbot } from './support/browser.js';
import { addFakeChatModel, askDebugChat, startDevFakeLlm, useLocalAgentInChatPipeline } from './support/quick-start.js';

describe('README quick start', () => {
  let langbot: RunningLangbot;
  let browser: Browser;
  let fake: Awaited<ReturnType<typeof startDevFakeLlm>>;
  beforeAll(async () => {
    [langbot, browser, fake] = await Promise.all([startLangbot(), launchBrowser(), startDevFakeLlm()]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
    fake?.stop();
  });

  it('takes a new user from the first page to a streamed answer in the debug chat of ChatPipeline', async () => {
    const { page, errors } = await newPage(browser);
    // 1. The owner account, then sign-in.
    await setUpAndSignIn(page, langbot.url);

    // 2. Models → Add provider: kind OpenAI, the fake provider's base URL, any key; then Add model fake-chat on it.
    await addFakeChatModel(page, fake.url);

    // 3. Pipelines → ChatPipeline (made on first start) → Configure → AI: Local agent → Model; Save.
    await useLocalAgentInChatPipeline(page);

    // 4. Debug chat: a message and Enter; the answer streams in.
    await askDebugChat(page, 'hello from the README', 'You said: hello from the README');
    await screenshot(page, 'readme-debug-chat');
    expect(errors).toEqual([]);
  }, 90_000);
});
