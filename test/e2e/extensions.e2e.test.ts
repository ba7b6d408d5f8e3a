/**
 * The owner manages what LangBot runs: finds an example extension, disables it and enables it again, changes its
 * settings; creates an API key (shown once) that a program uses until it is revoked; adds, tests and deletes an MCP
 * server. Every change is checked against the server too, not only on the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startMcpHttpServer } from '../support/mcp-http-server.js';
import { launchBrowser, newPage, screenshot, setUpAndSignIn, signIn, startLangbot, type RunningLangbot } from './support/browser.js';

const EXAMPLE = { id: 'langbot.hello-inprocess', name: 'Hello (in-process)' };

describe('console: extensions, MCP servers and API keys', () => {
  let langbot: RunningLangbot;
  let browser: Browser;
  let signedUp = false;
  beforeAll(async () => {
    [langbot, browser] = await Promise.all([startLangbot(), launchBrowser()]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
  });

  /** A signed-in page: the first test creates the owner account, the others sign in with it. */
  async function signedIn(options: { width?: number } = {}) {
    const opened = await newPage(browser, options);
    if (signedUp) {
      await opened.page.goto(langbot.url);
      await signIn(opened.page);
    } else {
      await setUpAndSignIn(opened.page, langbot.url);
      signedUp = true;
    }
    return opened;
  }

  /** What the server says, with the console's own sign-in token. */
  async function serverGet<T>(page: Page, path: string): Promise<T> {
    // A string, evaluated in the page: the test itself is compiled without the DOM library.
    const token = await page.evaluate<string | null>("localStorage.getItem('langbot.token')");
    const response = await fetch(`${langbot.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return ((await response.json()) as { data: T }).data;
  }
  const example = async (page: Page) => (await serverGet<{ extension: { enabled: boolean; state: string; config: Record<string, unknown> } }>(page, `/api/v1/extensions/${EXAMPLE.id}`)).extension;

  it('finds an example extension, disables it, enables it again and changes its settings', async () => {
    const { page, errors } = await signedIn();
    await page.getByRole('link', { name: 'Extensions' }).click();
    await page.getByRole('heading', { name: 'Extensions', level: 1 }).waitFor();
    await page.getByRole('link', { name: EXAMPLE.name }).waitFor();
    await screenshot(page, 'extensions-list');

    // Search and the contribution filter narrow the list to the four example tools.
    await page.getByLabel('Search', { exact: true }).fill('hello');
    await page.getByLabel('Contribution').selectOption('tools');
    await page.getByText('Showing 4 of').waitFor();
    await expect(page.getByRole('link', { name: 'Telegram' }).count()).resolves.toBe(0);

    await page.getByRole('link', { name: EXAMPLE.name }).click();
    await page.getByRole('heading', { name: EXAMPLE.name, level: 1 }).waitFor();
    await page.getByText('Active', { exact: true }).first().waitFor();
    await page.getByText('hello-inprocess', { exact: true }).waitFor(); // its tool, under Contributions
    await page.getByText('It asks for no special permissions.').waitFor();
    await screenshot(page, 'extension-detail');

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('dialog', { name: 'Disable' }).getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Disabled', { exact: true }).first().waitFor();
    await expect(page.getByText('Active', { exact: true }).count()).resolves.toBe(0);
    await expect(example(page)).resolves.toMatchObject({ enabled: false });
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    await screenshot(page, 'extension-disabled');

    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('dialog', { name: 'Enable' }).getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'Disable' }).waitFor();
    await page.getByText('Active', { exact: true }).first().waitFor();
    await expect(example(page)).resolves.toMatchObject({ enabled: true, state: 'active' });

    // Settings come from the manifest's config form; saving restarts the extension with them.
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByLabel('Greeting').inputValue()).resolves.toBe('Hello');
    await page.getByLabel('Greeting').fill('Howdy');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved; the extension restarted.').waitFor();
    await expect(example(page)).resolves.toMatchObject({ enabled: true, state: 'active', config: { greeting: 'Howdy' } });
    await page.reload();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByLabel('Greeting').inputValue()).resolves.toBe('Howdy');

    // The HTTP server cannot switch itself off from the console it serves.
    await page.goto(`${langbot.url}/#/extensions/langbot.http`);
    await page.getByRole('heading', { name: 'HTTP server', level: 1 }).waitFor();
    await expect(page.getByRole('button', { name: 'Disable' }).isDisabled()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('creates an API key shown once, which a program uses until it is revoked', async () => {
    const { page, errors } = await signedIn();
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create key' }).click();
    const form = page.getByRole('dialog', { name: 'Create an API key' });
    await form.getByLabel(/^Name\W*$/).fill('e2e program');
    await form.getByLabel('Only the permissions chosen below').check();
    await expect(form.getByLabel('resource.view').isChecked()).resolves.toBe(true);
    await form.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'Your new API key' });
    await shown.getByText('It is shown only this once').waitFor();
    const key = await shown.getByLabel('API key').inputValue();
    expect(key).toMatch(/^lbk_/);
    await screenshot(page, 'api-key-created');

    const bots = await fetch(`${langbot.url}/api/v1/platform/bots`, { headers: { 'X-API-Key': key } });
    expect(bots.status).toBe(200);
    await expect(bots.json()).resolves.toMatchObject({ code: 0, data: { bots: [] } });
    // Only the chosen scope: changing things is refused.
    const create = await fetch(`${langbot.url}/api/v1/mcp/servers`, { method: 'POST', headers: { 'X-API-Key': key, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'nope', mode: 'stdio', extra_args: { command: 'x' } }) });
    expect(create.status).toBe(403);

    await shown.getByRole('button', { name: 'Done, I have copied it' }).click();
    const row = page.getByRole('row', { name: /e2e program/ });
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByText('resource.view').waitFor();
    await expect(page.content()).resolves.not.toContain(key);

    await row.getByRole('button', { name: 'Revoke e2e program' }).click();
    await page.getByRole('dialog', { name: 'Revoke' }).getByRole('button', { name: 'Confirm' }).click();
    await row.getByText('Revoked', { exact: true }).waitFor();
    const refused = await fetch(`${langbot.url}/api/v1/platform/bots`, { headers: { 'X-API-Key': key } });
    expect(refused.status).toBe(401);
    expect(errors).toEqual([]);
  });

  it('adds a remote MCP server after testing it, shows its tools, and deletes it', async () => {
    const mcp = await startMcpHttpServer({ token: 'mcp-secret' });
    try {
      const { page, errors } = await signedIn();
      await page.getByRole('link', { name: 'MCP servers' }).click();
      await page.getByRole('button', { name: 'Add server' }).click();
      const form = page.getByRole('dialog', { name: 'Add an MCP server' });
      await form.getByLabel(/^Name\W*$/).fill('weather');
      await form.getByLabel('Transport').selectOption('http');
      await form.getByLabel(/^URL\W*$/).fill(mcp.url);
      await form.getByRole('button', { name: '+ Add' }).click();
      await form.getByLabel('HTTP headers: Name 1').fill('Authorization');
      await form.getByLabel('HTTP headers: Value 1').fill('Bearer mcp-secret');
      await form.getByRole('button', { name: 'Test these settings' }).click();
      await form.getByText(/Connected in \d+ ms: 2 tool\(s\)/).waitFor();
      await form.getByRole('button', { name: 'Save' }).click();

      const row = page.getByRole('row', { name: /weather/ });
      await row.getByText('Connected', { exact: true }).waitFor();
      await row.getByRole('link', { name: 'weather' }).click();
      await page.getByText('weather/get_weather').waitFor();
      await page.getByText('Connected: 2 tool(s), 1 resource(s).').waitFor(); // the connection log
      // The stored header is secret-looking: the server never sends it back.
      await expect(page.content()).resolves.not.toContain('mcp-secret');
      await screenshot(page, 'mcp-server');

      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Confirm' }).click();
      await page.getByText('No MCP server yet.', { exact: false }).waitFor();
      await expect(serverGet<{ servers: unknown[] }>(page, '/api/v1/mcp/servers')).resolves.toEqual({ servers: [] });
      expect(errors).toEqual([]);
    } finally {
      await mcp.close();
    }
  });

  it('fits a phone-sized screen', async () => {
    const { page, errors } = await signedIn({ width: 390 });
    for (const [path, heading] of [['/extensions', 'Extensions'], ['/mcp', 'MCP servers'], ['/api-keys', 'API keys'], [`/extensions/${EXAMPLE.id}`, EXAMPLE.name]]) {
      await page.goto(`${langbot.url}/#${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    }
    expect(errors).toEqual([]);
  });
});
