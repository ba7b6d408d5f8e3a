/** The README quick start's steps that other walkthroughs reuse: the dev fake provider, a model on it, ChatPipeline on the local agent. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { freePort } from './browser.js';

const REPO = resolve(import.meta.dirname, '../../..');

/** `npm run dev:fake-llm -- --port N`, the command README gives; resolves once it prints its base URL. */
export async function startDevFakeLlm(): Promise<{ url: string; child: ChildProcess; stop(): void }> {
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
  return { url: /OpenAI-compatible base URL: (\S+)/.exec(out)![1], child, stop: () => child.pid && process.kill(-child.pid, 'SIGINT') };
}

/** Models → Add provider (kind OpenAI, the fake's base URL, any key) → Add model fake-chat. */
export async function addFakeChatModel(page: Page, baseUrl: string): Promise<void> {
  await page.getByRole('link', { name: 'Models' }).click();
  await page.getByRole('button', { name: 'Add provider' }).first().click();
  const providerDialog = page.getByRole('dialog', { name: 'Add provider' });
  await providerDialog.getByLabel(/^Provider kind\W*$/).selectOption({ label: 'OpenAI (LLM, Embedding)' });
  await providerDialog.getByLabel(/^Name\W*$/).fill('Local fake');
  await providerDialog.getByLabel(/^Base URL\W*$/).fill(baseUrl);
  await providerDialog.getByLabel('API key 1').fill('any-key');
  await providerDialog.getByRole('button', { name: 'Create' }).click();
  const card = page.getByRole('region', { name: 'Local fake' });
  await card.getByRole('button', { name: 'Add model' }).click();
  const modelDialog = page.getByRole('dialog', { name: /Add model/ });
  await modelDialog.getByLabel(/^Model name\W*$/).fill('fake-chat');
  await modelDialog.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('row', { name: /fake-chat/ }).waitFor();
}

/** Pipelines → ChatPipeline (made on first start) → Configure → AI: Local agent with the model fake-chat → Save. */
export async function useLocalAgentInChatPipeline(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Pipelines' }).click();
  await page.getByRole('link', { name: 'Configure ChatPipeline' }).click();
  await page.getByRole('tab', { name: 'AI' }).click();
  await page.locator('[data-stage="local-agent"]').getByLabel(/^Model\W*$/).selectOption({ label: 'fake-chat' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Pipeline saved').waitFor();
}

/** Debug chat: sends a message with Enter and waits for the finished answer containing `expected`. */
export async function askDebugChat(page: Page, message: string, expected: string): Promise<void> {
  await page.getByRole('tab', { name: 'Debug chat' }).click();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  const input = page.getByLabel('Message', { exact: true });
  await input.fill(message);
  await input.press('Enter');
  await page.locator('.bubble[data-role="assistant"][data-final="true"]').filter({ hasText: expected }).waitFor({ timeout: 30_000 });
}
