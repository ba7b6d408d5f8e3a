/**
 * The owner installs an extension from a registry in the console: browses and searches it, reads its README and the
 * permissions it asks for, approves them and watches the install, updates to a version that asks for one more
 * permission (only that one is shown for approval) — first from a damaged package, which is refused — rolls back,
 * and uninstalls with its data. The registry is a real
 * signed one built for the test and served over HTTP (packages a little slowly, so the progress can be seen), behind
 * a mirror that is down. Every step is checked against the server too.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addPackage, initRegistry } from '../../marketplace/builder.js';
import { serveRegistry } from '../../marketplace/server.js';
import { createPackage } from '../../sdk/packaging/index.js';
import { freePort, launchBrowser, newPage, screenshot, setUpAndSignIn, signIn, startLangbot, type RunningLangbot } from './support/browser.js';

const ID = 'e2e.greeter';
const NAME = 'Greeter';

const README = `# Greeter

Says hello to whoever the agent asks it to greet. See [the docs](https://example.com/greeter).

<script>alert("readme")</script>

[Do not click](javascript:alert(1))
`;

/** A tool extension; 1.1.0 asks for one permission more than 1.0.0 (calling the models service). */
function greeterPackage(version: string, permissions: Record<string, unknown>): Promise<Buffer> {
  const manifest = {
    id: ID,
    version,
    displayName: { en_US: NAME, zh_Hans: '问候者' },
    description: { en_US: 'A tool that greets people by name.', zh_Hans: '按名字问候别人的工具。' },
    author: 'E2E Tests',
    license: 'MIT',
    categories: ['utility'],
    keywords: ['hello'],
    engines: { langbot: '^0.1.0' },
    entry: './dist/extension.js',
    isolation: 'worker',
    activation: 'eager',
    permissions,
    contributes: {
      tools: [{ name: 'greet', description: { en_US: 'Greets someone.', zh_Hans: '问候某人。' }, parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }],
    },
  };
  const bundle = `export default { activate(ctx) { ctx.provide('tools', 'greet', { call: (args) => 'Hello, ' + args.name + '! (${version})' }); } };\n`;
  const files = new Map<string, Uint8Array>([
    ['manifest.json', Buffer.from(JSON.stringify(manifest, null, 2))],
    ['dist/extension.js', Buffer.from(bundle)],
    ['README.md', Buffer.from(README)],
  ]);
  return createPackage(files);
}

/** Forwards to the registry, holding package downloads back for a moment so the console shows the download step. */
async function slowMirror(upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    if (req.url?.startsWith('/packages/')) await new Promise((r) => setTimeout(r, 1200));
    const answer = await fetch(upstream + req.url);
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

describe('console: marketplace', () => {
  let langbot: RunningLangbot;
  let browser: Browser;
  let registryDir: string;
  let registry: { url: string; close(): Promise<void> };
  let mirror: { url: string; close(): Promise<void> };
  let publicKey: string;
  let deadMirror: string;
  let signedUp = false;

  beforeAll(async () => {
    registryDir = mkdtempSync(join(tmpdir(), 'langbot-e2e-registry-'));
    ({ publicKey } = await initRegistry(registryDir, { name: 'E2E registry' }));
    await addPackage(registryDir, await greeterPackage('1.0.0', { network: true }));
    await addPackage(registryDir, await greeterPackage('1.1.0', { network: true, services: ['models'] }));
    registry = await serveRegistry(registryDir, { port: await freePort() });
    mirror = await slowMirror(registry.url);
    deadMirror = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    [langbot, browser] = await Promise.all([startLangbot(), launchBrowser()]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
    await mirror?.close();
    await registry?.close();
    if (registryDir) rmSync(registryDir, { recursive: true, force: true });
  });

  /** A signed-in page (the first test creates the owner account), kept as a screenshot if the test fails. */
  async function signedIn(name: string, options: { width?: number } = {}) {
    const opened = await newPage(browser, options);
    onTestFailed(() => screenshot(opened.page, `marketplace-failed-${name}`));
    if (signedUp) {
      await opened.page.goto(langbot.url);
      await signIn(opened.page);
    } else {
      await setUpAndSignIn(opened.page, langbot.url);
      signedUp = true;
    }
    return opened;
  }

  /** The server's answer with the console's own sign-in token. */
  async function server<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
    const token = await page.evaluate<string | null>("localStorage.getItem('langbot.token')");
    const response = await fetch(`${langbot.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const envelope = (await response.json()) as { code: number; msg: string; data: T };
    if (envelope.code !== 0) throw new Error(`${method} ${path}: ${envelope.msg}`);
    return envelope.data;
  }
  const useMirrors = (page: Page, mirrors: string[]) =>
    server(page, 'PUT', '/api/v1/extensions/langbot.marketplace/config', { config: { mirrors, trustedKeys: [publicKey], timeoutSeconds: 5 } });
  const installed = async (page: Page) =>
    (await server<{ extension: { installed: null | { version: string; previous_versions: string[] } } }>(page, 'GET', `/api/v1/marketplace/extensions/${ID}`)).extension.installed;
  const versionFolders = () => readdirSync(join(langbot.dataDir, 'extensions')).filter((name) => name.startsWith(`${ID}@`)).sort();

  /** Runs the operation of the open dialog and waits for its outcome, then closes the dialog. */
  async function runOperation(page: Page, dialogName: string, confirm: string, outcome: string) {
    const dialog = page.getByRole('dialog', { name: dialogName });
    await dialog.getByRole('button', { name: confirm, exact: true }).click();
    await dialog.getByText(outcome).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await dialog.waitFor({ state: 'hidden' });
  }

  it('browses, installs with approval, updates with the new permission, rolls back and uninstalls', async () => {
    const { page, errors } = await signedIn('flow');
    await useMirrors(page, [deadMirror, mirror.url]);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Marketplace' }).click();
    await page.getByRole('heading', { name: 'Marketplace', level: 1 }).waitFor();
    await page.getByText('E2E registry', { exact: true }).waitFor();
    await page.getByText(`from ${mirror.url}`).waitFor();
    await page.getByText(deadMirror, { exact: true }).waitFor(); // listed under the mirrors that failed
    await page.getByRole('link', { name: NAME }).waitFor();
    await screenshot(page, 'marketplace-browse');

    // Search and filters are answered by the server.
    await page.getByLabel('Search', { exact: true }).fill('no such thing');
    await page.getByText('No extension in the registry matches these filters.').waitFor();
    await page.getByLabel('Search', { exact: true }).fill('greets');
    await page.getByLabel('Contribution').selectOption('tools');
    await page.getByLabel('Category').selectOption('utility');
    await page.getByText('1 extension(s)').waitFor();
    await page.getByRole('link', { name: NAME }).click();

    // Details: the README (its raw HTML shown as text, only the http(s) link kept) and the permissions in words.
    await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await page.getByText('Says hello to whoever the agent asks it to greet.').waitFor();
    await page.getByText('<script>alert("readme")</script>').waitFor();
    const docs = page.getByRole('link', { name: 'the docs' });
    await expect(docs.getAttribute('href')).resolves.toBe('https://example.com/greeter');
    await expect(docs.getAttribute('rel')).resolves.toContain('noopener');
    await expect(page.locator('a[href^="javascript"]').count()).resolves.toBe(0);
    await page.getByText('Do not click').waitFor();
    await page.getByText('May open network connections.').first().waitFor();
    await page.getByText('May call these services: models.').first().waitFor();
    await screenshot(page, 'marketplace-details');

    // Install 1.0.0: the dialog lists its permission; the download step shows while the package arrives.
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    const install = page.getByRole('dialog', { name: `Install ${NAME}` });
    await install.getByLabel('Version').selectOption('1.0.0');
    await install.getByText('May open network connections.').waitFor();
    await expect(install.getByText('May call these services').count()).resolves.toBe(0);
    await screenshot(page, 'marketplace-install-approve');
    await install.getByRole('button', { name: 'Approve and install' }).click();
    await install.getByText('Downloading').first().waitFor();
    await screenshot(page, 'marketplace-install-progress');
    await install.getByText(`Installed ${NAME} 1.0.0.`).waitFor();
    await screenshot(page, 'marketplace-installed');
    await install.getByRole('button', { name: 'Close', exact: true }).last().click();
    await page.getByText('Installed 1.0.0').first().waitFor();
    await expect(installed(page)).resolves.toMatchObject({ version: '1.0.0' });
    await expect(server<{ extension: { version: string } }>(page, 'GET', `/api/v1/extensions/${ID}`)).resolves.toMatchObject({ extension: { version: '1.0.0' } });

    // A package damaged on the mirror is refused, and the dialog says why; 1.0.0 keeps running.
    const file = join(registryDir, 'packages', `${ID}-1.1.0.tgz`);
    const good = readFileSync(file);
    const damaged = Buffer.from(good);
    damaged[damaged.length - 1] ^= 0xff;
    writeFileSync(file, damaged);
    await page.getByRole('button', { name: 'Update to 1.1.0' }).click();
    const update = page.getByRole('dialog', { name: `Update ${NAME}` });
    await update.getByRole('button', { name: 'Approve and update' }).click();
    await update.getByRole('alert').getByText(`Updating ${NAME} failed`).waitFor();
    await expect(update.getByRole('alert').textContent()).resolves.toMatch(/sha256|checksum/i);
    await screenshot(page, 'marketplace-update-failed');
    await update.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(installed(page)).resolves.toMatchObject({ version: '1.0.0' });
    writeFileSync(file, good);

    // Update to 1.1.0: only the new permission is asked for.
    await page.getByRole('button', { name: 'Update to 1.1.0' }).click();
    await update.getByText('Version 1.1.0 asks for new permissions:').waitFor();
    await update.getByText('May call these services: models.').waitFor();
    await expect(update.getByText('May open network connections.').count()).resolves.toBe(0);
    await screenshot(page, 'marketplace-update-approve');
    await runOperation(page, `Update ${NAME}`, 'Approve and update', `Updated ${NAME} to 1.1.0.`);
    await page.getByText('Installed 1.1.0').first().waitFor();
    await expect(installed(page)).resolves.toMatchObject({ version: '1.1.0', previous_versions: ['1.0.0'] });

    // Roll back to 1.0.0 (kept on disk), after which the update is offered again.
    await page.getByRole('button', { name: 'Roll back to 1.0.0' }).click();
    await runOperation(page, `Roll back ${NAME}`, 'Roll back', `Rolled ${NAME} back to 1.0.0.`);
    await page.getByText('Installed 1.0.0').first().waitFor();
    await page.getByRole('button', { name: 'Update to 1.1.0' }).waitFor();
    await expect(installed(page)).resolves.toMatchObject({ version: '1.0.0' });
    await screenshot(page, 'marketplace-rolled-back');

    // Uninstall with its data: nothing of it stays.
    await page.getByRole('button', { name: 'Uninstall', exact: true }).click();
    await page.getByRole('dialog', { name: `Uninstall ${NAME}` }).getByLabel('Also delete its data').check();
    await runOperation(page, `Uninstall ${NAME}`, 'Uninstall', `Uninstalled ${NAME}.`);
    await page.getByRole('button', { name: 'Install', exact: true }).waitFor();
    await expect(installed(page)).resolves.toBeNull();
    expect(versionFolders()).toEqual([]);
    expect(existsSync(join(langbot.dataDir, 'extension-data', ID))).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows the last verified copy when every mirror is down, and fits a phone in Chinese', async () => {
    const { page, errors } = await signedIn('offline-phone', { width: 390 });
    await useMirrors(page, [deadMirror]);
    await page.goto(`${langbot.url}/#/marketplace`);
    await page.getByText('Offline copy', { exact: true }).waitFor();
    await page.getByText(deadMirror, { exact: true }).waitFor();
    await page.getByRole('link', { name: NAME }).waitFor();
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await screenshot(page, 'marketplace-offline-phone');

    await page.getByLabel('Language').selectOption('zh_Hans');
    await page.getByRole('heading', { name: '扩展市场', level: 1 }).waitFor();
    await page.getByText('离线副本', { exact: true }).waitFor();
    await page.getByRole('link', { name: '问候者' }).click();
    await page.getByRole('heading', { name: '问候者', level: 1 }).waitFor();
    await page.getByRole('button', { name: '安装', exact: true }).waitFor();
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await screenshot(page, 'marketplace-details-phone-zh');
    await page.getByLabel('语言').selectOption('en_US');
    expect(errors).toEqual([]);
  }, 40_000);
});
