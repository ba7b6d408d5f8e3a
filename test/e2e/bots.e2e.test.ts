/**
 * A user connects a bot: creates an HTTP bot through the platform's own settings form, finds it in the list, edits
 * its settings (the stored secret is kept), edits its event rules (saved, refused with the rule named, still there
 * after a reload, removed), reads its event log, switches it off and on, and deletes it.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { OWNER, launchBrowser, newPage, screenshot, setUpAndSignIn, startLangbot, type RunningLangbot } from './support/browser.js';

const SECRET = 'inbound secret 1';

/** A message from "your system" to the HTTP bot's webhook, signed as the adapter requires. */
async function sendSigned(url: string, uuid: string, text: string): Promise<Response> {
  const body = JSON.stringify({ session_id: 'e2e-session', sender: { id: 'u1', name: 'Alice' }, message: [{ type: 'Plain', text }] });
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
  return fetch(`${url}/bots/${uuid}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lb-timestamp': ts, 'x-lb-signature': signature }, body });
}

/** The bot as the API shows it, read with the page's own session. */
async function apiBot(page: Page, url: string, uuid: string): Promise<any> {
  const token = await page.evaluate<string>("localStorage.getItem('langbot.token')");
  const response = await fetch(`${url}/api/v1/platform/bots/${uuid}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { data: { bot: unknown } }).data.bot;
}

describe('console: bots', () => {
  let langbot: RunningLangbot;
  let browser: Browser;
  beforeAll(async () => {
    [langbot, browser] = await Promise.all([startLangbot(), launchBrowser()]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
  });

  it('creates an HTTP bot, edits its settings and event rules, reads its log, switches it off and on, deletes it', async () => {
    const { page, errors } = await newPage(browser);
    await setUpAndSignIn(page, langbot.url);
    await page.getByRole('link', { name: 'Bots' }).click();
    await page.getByRole('heading', { name: 'Bots', level: 1 }).waitFor();
    await page.getByText('No bots yet').waitFor();

    // Create: platform, then name and the platform's settings form, then the pipeline.
    await page.getByRole('button', { name: 'New bot' }).click();
    const dialog = page.getByRole('dialog', { name: 'New bot' });
    await dialog.getByRole('radio', { name: /HTTP Bot/ }).check();
    await screenshot(page, 'bots-create-platform');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByLabel(/^Name\W*$/).fill('E2E bot');
    await dialog.getByLabel('Description').fill('Talks to our ticket system.');
    await dialog.getByLabel('Inbound secret').fill(SECRET);
    await dialog.getByLabel('Callback URL').fill('http://127.0.0.1:9/callback');
    await expect(dialog.getByLabel('Pipeline').inputValue()).resolves.not.toBe('');
    await screenshot(page, 'bots-create-form');
    await dialog.getByRole('button', { name: 'Create bot' }).click();

    // In the list: running, its messages going to the default pipeline.
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'E2E bot' }) });
    await card.getByText('Running').waitFor();
    await expect(card.textContent()).resolves.toContain('ChatPipeline');
    await expect(card.textContent()).resolves.toContain('HTTP Bot');
    await screenshot(page, 'bots-list');

    // Settings: the webhook URL, the secret masked; a change keeps the stored secret (signed requests still pass).
    await card.getByRole('link', { name: 'E2E bot', exact: true }).click();
    await page.getByRole('heading', { name: 'E2E bot', level: 1 }).waitFor();
    const uuid = page.url().split('/bots/')[1].split('?')[0];
    await expect(page.getByLabel('Webhook URL').inputValue()).resolves.toBe(`${langbot.url}/bots/${uuid}`);
    await expect(page.getByLabel('Inbound secret').inputValue()).resolves.toBe('******');
    await page.getByLabel('Description').fill('Talks to our help desk.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    await screenshot(page, 'bots-settings');
    const saved = await apiBot(page, langbot.url, uuid);
    expect(saved).toMatchObject({ description: 'Talks to our help desk.', status: { state: 'running' } });
    expect((await sendSigned(langbot.url, uuid, 'Hello from e2e')).status).toBe(202);

    // Event rules: add one for platform-specific events going to a webhook.
    await page.getByRole('tab', { name: 'Event rules' }).click();
    await page.getByRole('heading', { name: /^Rule 1/ }).waitFor();
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule2 = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Rule 2/ }) });
    await rule2.getByLabel('Event', { exact: true }).selectOption('platform.specific');
    await rule2.getByLabel('Handler', { exact: true }).selectOption('webhook');
    await rule2.getByLabel(/^URL\W*$/).fill('ftp://not-http');
    await rule2.getByLabel('Priority').fill('5');
    await rule2.getByLabel('Note').fill('Platform events to our service');
    await page.getByRole('button', { name: 'Save rules' }).click();
    // The server refuses it and the editor says which rule and why.
    await expect(rule2.getByRole('alert').textContent()).resolves.toMatch(/refused this rule.*url/i);
    await screenshot(page, 'bots-rules-refused');
    await rule2.getByLabel(/^URL\W*$/).fill('http://127.0.0.1:9/events');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Event rules saved.').waitFor();
    await screenshot(page, 'bots-rules-editor');

    // Still there after a reload (the tab is part of the address).
    await page.reload();
    const reloaded = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Rule 2/ }) });
    await expect(reloaded.getByLabel('Event', { exact: true }).inputValue()).resolves.toBe('platform.specific');
    await expect(reloaded.getByLabel('Handler', { exact: true }).inputValue()).resolves.toBe('webhook');
    await expect(reloaded.getByLabel(/^URL\W*$/).inputValue()).resolves.toBe('http://127.0.0.1:9/events');
    await expect(reloaded.getByLabel('Priority').inputValue()).resolves.toBe('5');
    expect((await apiBot(page, langbot.url, uuid)).event_handlers).toHaveLength(2);
    const preview = page.getByRole('table');
    await expect(preview.getByRole('row', { name: /platform\.specific/ }).textContent()).resolves.toContain('Webhook');

    // Removed again.
    await page.getByRole('button', { name: 'Remove rule 2' }).click();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Event rules saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: /^Rule 1/ }).waitFor();
    await expect(page.getByRole('heading', { name: /^Rule 2/ }).count()).resolves.toBe(0);
    expect((await apiBot(page, langbot.url, uuid)).event_handlers).toMatchObject([{ event_type: 'message.received', handler_type: 'pipeline' }]);

    // Logs: the signed message sent above.
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByText('“Hello from e2e”', { exact: false }).waitFor();
    await screenshot(page, 'bots-logs');

    // Off and on.
    const enabled = page.getByRole('switch', { name: 'Enabled: E2E bot' });
    await enabled.uncheck();
    await page.getByText('“E2E bot” is disabled.').waitFor();
    await page.getByText('Disabled', { exact: true }).waitFor();
    expect(await apiBot(page, langbot.url, uuid)).toMatchObject({ enable: false, status: { state: 'stopped' } });
    await enabled.check();
    await page.getByText('“E2E bot” is enabled.').waitFor();
    await page.getByText('Running', { exact: true }).waitFor();
    expect(await apiBot(page, langbot.url, uuid)).toMatchObject({ enable: true, status: { state: 'running' } });

    // Deleted from the list after a confirmation.
    await page.getByRole('link', { name: 'All bots' }).click();
    await page.getByRole('button', { name: 'Delete: E2E bot' }).click();
    await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('No bots yet').waitFor();
    expect(errors).toEqual([]);
  });

  it('shows the rules editor on a phone-sized screen and in Chinese', async () => {
    // The owner account is the one the first test created.
    const { page, errors } = await newPage(browser, { width: 390, height: 800 });
    const auth = await fetch(`${langbot.url}/api/v1/user/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
    const { token } = ((await auth.json()) as { data: { token: string } }).data;
    const created = await fetch(`${langbot.url}/api/v1/platform/bots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Mobile bot', adapter: 'http_bot', adapter_config: { inbound_secret: SECRET, callback_url: 'http://127.0.0.1:9/cb' }, enable: false }),
    });
    const { uuid } = ((await created.json()) as { data: { uuid: string } }).data;
    await page.addInitScript(`localStorage.setItem('langbot.token', ${JSON.stringify(token)}); localStorage.setItem('langbot.locale', 'zh_Hans');`);
    await page.goto(`${langbot.url}/#/bots/${uuid}?tab=rules`);
    await page.getByText('没有规则：所有事件都交给插件。').waitFor();
    await page.getByRole('button', { name: '添加规则' }).click();
    await page.getByRole('heading', { name: /^规则 1/ }).waitFor();
    // Nothing overflows the screen sideways.
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await screenshot(page, 'bots-rules-mobile-zh');
    expect(errors).toEqual([]);
  });
});
