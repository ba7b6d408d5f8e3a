/**
 * README's quick start, step by step, as a new user would do it: `langbot start`, `npm run dev:fake-llm` in a second
 * terminal, then in the browser: owner account → Models → Add provider (OpenAI, the fake's URL) → Add model
 * fake-chat → Pipelines → ChatPipeline → Configure → AI → Local agent → Model → Save → Debug chat.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort, launchBrowser, newPage, screenshot, setUpAndSignIn, startLangbot, type RunningLangbot } from './support/browser.js';

const REPO = resolve(import.meta.dirname, '../..');

/** `npm run dev:fake-llm -- --port N`, the command README gives; resolves once it prints its base URL. */
async function startDevFakeLlm(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('npm', ['run', 'dev:fake-llm', '--', '--port', String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm run dev:fake-llm printed no base URL in 30 s:\n${out}`)), 30_000);
    const read = (chunk: Buffer) => {
      out += String(chunk);
      if (/OpenAI-compatible base URL: (\S+)/.test(out)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => fail(new Error(`npm run dev:fake-llm exited with ${code}:\n${out}`)));
  });
  return { url: /OpenAI-compatible base URL: (\S+)/.exec(out)![1], child };
}

describe('README quick start', () => {
  let langbot: RunningLangbot;
  let browser: Browser;
  let fake: { url: string; child: ChildProcess };
  beforeAll(async () => {
    [langbot, browser, fake] = await Promise.all([startLangbot(), launchBrowser(), startDevFakeLlm()]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
    if (fake?.child.pid) process.kill(-fake.child.pid, 'SIGINT');
  });

  it('takes a new user from the first page to a streamed answer in the debug chat of ChatPipeline', async () => {
    const { page, errors } = await newPage(browser);
    // 1. The owner account, then sign-in.
    await setUpAndSignIn(page, langbot.url);

    // 2. Models → Add provider: kind OpenAI, the fake provider's base URL, any key.
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'Add provider' }).first().click();
    const providerDialog = page.getByRole('dialog', { name: 'Add provider' });
    await providerDialog.getByLabel(/^Provider kind\W*$/).selectOption({ label: 'OpenAI (LLM, Embedding)' });
    await providerDialog.getByLabel(/^Name\W*$/).fill('Local fake');
    await providerDialog.getByLabel(/^Base URL\W*$/).fill(fake.url);
    await providerDialog.getByLabel('API key 1').fill('any-key');
    await providerDialog.getByRole('button', { name: 'Create' }).click();

    // 3. Add model fake-chat on it.
    const card = page.getByRole('region', { name: 'Local fake' });
    await card.getByRole('button', { name: 'Add model' }).click();
    const modelDialog = page.getByRole('dialog', { name: /Add model/ });
    await modelDialog.getByLabel(/^Model name\W*$/).fill('fake-chat');
    await modelDialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('row', { name: /fake-chat/ }).waitFor();

    // 4. Pipelines → ChatPipeline (made on first start) → Configure → AI: Local agent → Model; Save.
    await page.getByRole('link', { name: 'Pipelines' }).click();
    await page.getByRole('link', { name: 'Configure ChatPipeline' }).click();
    await page.getByRole('tab', { name: 'AI' }).click();
    await page.locator('[data-stage="local-agent"]').getByLabel(/^Model\W*$/).selectOption({ label: 'fake-chat' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Pipeline saved').waitFor();

    // 5. Debug chat: a message and Enter; the answer streams in.
    await page.getByRole('tab', { name: 'Debug chat' }).click();
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    const input = page.getByLabel('Message', { exact: true });
    await input.fill('hello from the README');
    await input.press('Enter');
    await page.locator('.bubble[data-role="assistant"][data-final="true"]').filter({ hasText: 'You said: hello from the README' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'readme-debug-chat');
    expect(errors).toEqual([]);
  }, 90_000);
});
