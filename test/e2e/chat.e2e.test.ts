/**
 * The main flow of the console: a new user adds a model provider and a model, creates a pipeline that uses the
 * model, and talks to it in the debug chat, the reply growing word by word as the model streams it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../../sdk/testing/fake-llm.js';
import { launchBrowser, newPage, screenshot, setUpAndSignIn, signIn, startLangbot, type RunningLangbot } from './support/browser.js';

const REPLY = 'Hello there! This answer streams in one word at a time from the fake model.';
const KEY = 'sk-e2e-secret-key-123456';

describe('console: models, pipelines and the debug chat', () => {
  let langbot: RunningLangbot;
  let browser: Browser;
  let fake: FakeLlm;
  beforeAll(async () => {
    [langbot, browser, fake] = await Promise.all([
      startLangbot(),
      launchBrowser(),
      startFakeLlm({ models: ['fake-chat', 'fake-embedding'], script: [{ reply: REPLY, chunkByWords: true, chunkDelayMs: 150 }] }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
    await fake?.close();
  });

  it('adds a provider and a model, picks the model in a pipeline and streams a reply in the debug chat', async () => {
    const { page, errors } = await newPage(browser);
    await setUpAndSignIn(page, langbot.url);

    // Models: an OpenAI-compatible provider pointing at the fake, and its LLM.
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add provider' }).first().click();
    const providerDialog = page.getByRole('dialog', { name: 'Add provider' });
    await providerDialog.getByLabel(/^Provider kind\W*$/).selectOption('openai-chat-completions');
    await providerDialog.getByLabel(/^Name\W*$/).fill('Fake provider');
    await providerDialog.getByLabel(/^Base URL\W*$/).fill(fake.url);
    await providerDialog.getByLabel('API key 1').fill(KEY);
    await providerDialog.getByRole('button', { name: 'Create' }).click();
    const card = page.getByRole('region', { name: 'Fake provider' });
    await card.waitFor();
    // The key is stored but only ever shown masked.
    await expect(card.textContent()).resolves.toContain('sk-e…3456');
    await expect(page.content()).resolves.not.toContain(KEY);

    await card.getByRole('button', { name: 'Add model' }).click();
    const modelDialog = page.getByRole('dialog', { name: /Add model/ });
    await modelDialog.getByRole('button', { name: 'List the provider’s models' }).click();
    await modelDialog.getByText('2 model names are suggested while typing.').waitFor();
    await modelDialog.getByLabel(/^Model name\W*$/).fill('fake-chat');
    await modelDialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('button', { name: 'Test fake-chat' }).click();
    const row = page.getByRole('row', { name: /fake-chat/ });
    await row.getByText(/Works · \d+ ms/).waitFor();
    await expect(row.textContent()).resolves.toContain(`Answer: ${REPLY}`);
    await screenshot(page, 'models-provider');

    // Pipelines: a new pipeline whose local agent uses that model.
    await page.getByRole('link', { name: 'Pipelines' }).click();
    await page.getByRole('button', { name: 'Create pipeline' }).first().click();
    const createDialog = page.getByRole('dialog', { name: 'New pipeline' });
    await createDialog.getByLabel(/^Name\W*$/).fill('Support bot');
    await createDialog.getByLabel(/^Description\W*$/).fill('Answers questions about our product.');
    await createDialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: /Support bot/, level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('tab', { name: 'AI' }).getAttribute('aria-selected')).toBe('true');
    const agent = page.locator('[data-stage="local-agent"]');
    await agent.getByLabel(/^Model\W*$/).selectOption({ label: 'fake-chat' });
    await page.getByText('Unsaved changes').waitFor();
    await screenshot(page, 'pipelines-editor');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Pipeline saved').waitFor();
    await expect(page.getByText('Unsaved changes').count()).resolves.toBe(0);

    // The debug chat: the reply appears and grows before it is final.
    await page.getByRole('tab', { name: 'Debug chat' }).click();
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await page.getByLabel('Message', { exact: true }).fill('hello');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await page.locator('.bubble[data-role="user"]').filter({ hasText: 'hello' }).waitFor();
    const seen = await watchReply(page);
    // Before the final frame the bubble showed at least two different beginnings of the reply, each longer.
    const partial = seen.filter((s) => !s.final && s.text.length > 0);
    for (const step of partial) expect(REPLY.startsWith(step.text.trim()), step.text).toBe(true);
    const growing = partial.filter((s) => s.text.length < REPLY.length);
    expect(growing.length, `texts seen: ${JSON.stringify(seen)}`).toBeGreaterThan(1);
    expect(growing.every((s, i) => i === 0 || s.text.length > growing[i - 1].text.length)).toBe(true);
    expect(seen.at(-1)).toEqual({ text: REPLY, final: true });
    const input = page.getByLabel('Message', { exact: true });
    await expect(input.inputValue()).resolves.toBe('');
    await screenshot(page, 'debug-chat-done');

    // Shift+Enter is a new line, not a send.
    await input.pressSequentially('line one');
    await input.press('Shift+Enter');
    await input.pressSequentially('line two');
    await expect(input.inputValue()).resolves.toBe('line one\nline two');
    await expect(page.locator('.bubble[data-role="user"]').count()).resolves.toBe(1);
    await input.fill('');

    // A new connection is a new conversation; a group session answers when a trigger rule matches (prefix "ai").
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByText('Reconnected: a new conversation starts.').waitFor();
    await page.getByRole('radio', { name: 'Group chat' }).check();
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await expect(page.locator('.bubble').count()).resolves.toBe(0);
    await input.fill('ai what can you do?');
    await input.press('Enter');
    await page.locator('.bubble[data-role="assistant"][data-final="true"]').filter({ hasText: REPLY }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('lists, copies, makes default and deletes pipelines, and says when a pipeline has no model', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(langbot.url);
    await signIn(page);
    await page.getByRole('link', { name: 'Pipelines' }).click();
    const original = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Support bot', exact: true }) });
    await original.getByText('Answers questions about our product.').waitFor();

    await original.getByRole('button', { name: 'Copy Support bot' }).click();
    const copy = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Support bot (copy)' }) });
    await copy.waitFor();
    await copy.getByRole('button', { name: 'Make Support bot (copy) the default' }).click();
    await copy.getByText('Default', { exact: true }).waitFor();
    await expect(original.getByText('Default', { exact: true }).count()).resolves.toBe(0);
    await copy.getByRole('button', { name: 'Delete Support bot (copy)' }).click();
    await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => copy.count()).toBe(0);

    // A pipeline without a model: the chat says so before anything is sent, and leads to the model field.
    await page.getByRole('button', { name: 'Create pipeline' }).first().click();
    await page.getByRole('dialog', { name: 'New pipeline' }).getByLabel(/^Name\W*$/).fill('No model yet');
    await page.getByRole('dialog', { name: 'New pipeline' }).getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: /No model yet/, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Debug chat' }).click();
    await page.getByRole('alert').filter({ hasText: 'This pipeline has no model yet' }).waitFor();
    // Sent anyway, the pipeline answers with its failure notice (output settings), shown as the reply.
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await page.getByLabel('Message', { exact: true }).fill('hello');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await page.locator('.bubble[data-role="assistant"][data-final="true"]').filter({ hasText: 'Request failed.' }).waitFor();
    await page.getByRole('button', { name: 'Choose a model' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'AI' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator('[data-stage="local-agent"]').getByLabel(/^Model\W*$/).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(errors).toEqual([]);
  }, 40_000);

  it('scans a provider for models, tests them (answer or error), edits a provider without exposing its key, deletes', async () => {
    const { page, errors } = await newPage(browser, { width: 390, height: 800 });
    await page.goto(`${langbot.url}/#/models`);
    await signIn(page);
    const card = page.getByRole('region', { name: 'Fake provider' });
    await card.getByRole('button', { name: 'Scan models' }).click();
    const scan = page.getByRole('dialog', { name: 'Scan models of Fake provider' });
    await expect(scan.getByRole('checkbox', { name: /fake-chat/ }).isDisabled()).resolves.toBe(true);
    await scan.getByRole('checkbox', { name: /fake-embedding/ }).check();
    await expect(scan.getByLabel(/Add as/).inputValue()).resolves.toBe('embedding');
    await scan.getByRole('button', { name: 'Add 1 model(s)' }).click();
    await page.getByRole('tab', { name: 'Embedding (1)' }).click();
    await page.getByRole('button', { name: 'Test fake-embedding' }).click();
    await page.getByRole('row', { name: /fake-embedding/ }).getByText(/\d+ dimensions/).waitFor();

    // A provider nobody answers at: the test says why it failed.
    await page.getByRole('button', { name: 'Add provider' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add provider' });
    await dialog.getByLabel(/^Provider kind\W*$/).selectOption('openai-chat-completions');
    await dialog.getByLabel(/^Name\W*$/).fill('Nobody home');
    await dialog.getByLabel(/^Base URL\W*$/).fill('http://127.0.0.1:9/v1');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const broken = page.getByRole('region', { name: 'Nobody home' });
    await broken.getByRole('button', { name: 'Add model' }).click();
    // The Embedding tab is open, so the dialog starts there: this one is an LLM.
    await expect(page.getByRole('dialog', { name: /Add model/ }).getByLabel('Model type').inputValue()).resolves.toBe('embedding');
    await page.getByRole('dialog', { name: /Add model/ }).getByLabel('Model type').selectOption('llm');
    await page.getByRole('dialog', { name: /Add model/ }).getByLabel(/^Model name\W*$/).fill('ghost-model');
    await page.getByRole('dialog', { name: /Add model/ }).getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('tab', { name: 'LLM (2)' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByRole('button', { name: 'Test ghost-model' }).click();
    const failed = page.getByRole('row', { name: /ghost-model/ }).getByRole('status');
    await failed.getByText(/Failed · \d+ ms/).waitFor({ timeout: 20_000 });
    await expect(failed.textContent()).resolves.toMatch(/connect|reach|refused|fetch/i);
    await screenshot(page, 'models-test-error-mobile');

    // Editing keeps the stored key masked; renaming works.
    await card.getByRole('button', { name: 'Edit Fake provider' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit provider' });
    await expect(edit.getByLabel('Stored key 1').inputValue()).resolves.toBe('sk-e…3456');
    await edit.getByLabel(/^Name\W*$/).fill('Fake provider 2');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('region', { name: 'Fake provider 2' }).getByText('sk-e…3456').waitFor();

    await page.getByRole('button', { name: 'Delete model ghost-model' }).click();
    await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Test ghost-model' }).count()).toBe(0);
    await broken.getByRole('button', { name: 'Delete provider Nobody home' }).click();
    await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => broken.count()).toBe(0);
    expect(errors).toEqual([]);
  }, 45_000);
});

/** Reads the assistant's bubble every 40 ms until it is final; the first partial state is screenshotted. */
async function watchReply(page: Page): Promise<Array<{ text: string; final: boolean }>> {
  const bubble = page.locator('.bubble[data-role="assistant"]').last();
  await bubble.waitFor({ timeout: 10_000 });
  const seen: Array<{ text: string; final: boolean }> = [];
  let shot = false;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const state = await bubble.evaluate((el) => ({ text: el.querySelector('.bubble-text')?.textContent ?? '', final: el.getAttribute('data-final') === 'true' }));
    if (seen.at(-1)?.text !== state.text || seen.at(-1)?.final !== state.final) seen.push(state);
    if (!state.final && state.text && !shot && state.text.split(' ').length >= 3) {
      shot = true;
      await screenshot(page, 'debug-chat-streaming');
    }
    if (state.final) return seen;
    await page.waitForTimeout(40);
  }
  throw new Error(`The reply never became final: ${JSON.stringify(seen)}`);
}
