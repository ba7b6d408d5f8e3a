/**
 * End-to-end support: the real `langbot start` (the command README tells a new user to run) on a free port with a
 * fresh data folder, Debian's Chromium driven by playwright-core, and screenshots kept in test-results/e2e/ as CI
 * artifacts. A missing browser fails the suite with the install command; it never skips.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const REPO = resolve(import.meta.dirname, '../../..');
export const SCREENSHOTS = join(REPO, 'test-results', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const OWNER = { user: 'owner@example.com', password: 'correct horse 1' };

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

export interface RunningLangbot {
  url: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** `node dist/langbot.mjs start --port <free>` with its own data folder; resolves when /healthz answers. */
export async function startLangbot(options: { env?: Record<string, string> } = {}): Promise<RunningLangbot> {
  const entry = join(REPO, 'dist', 'langbot.mjs');
  if (!existsSync(entry)) throw new Error('dist/langbot.mjs is missing: run `npm run build` (npm test builds it).');
  const dataDir = mkdtempSync(join(tmpdir(), 'langbot-e2e-'));
  const port = await freePort();
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [entry, 'start', '--port', String(port)], {
    cwd: REPO,
    env: { ...process.env, LANGBOT_DATA: dataDir, LANGBOT_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`langbot start exited with ${child.exitCode}:\n${out.slice(-4000)}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`langbot start did not answer /healthz within 60 s:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A fresh page (own storage) whose script errors fail the test instead of passing unnoticed. */
export async function newPage(browser: Browser, options: { width?: number; height?: number; locale?: string } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 860 }, locale: options.locale ?? 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|401|403|404|409)/.test(message.text())) errors.push(message.text());
  });
  page.setDefaultTimeout(15_000);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Creates the owner account through the first-run page and signs in; leaves the page on the dashboard. */
export async function setUpAndSignIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('E-mail').fill(OWNER.user);
  await page.getByLabel(/^Password\W*$/).fill(OWNER.password);
  await page.getByLabel('Password again').fill(OWNER.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await signIn(page);
}

export async function signIn(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to LangBot' }).waitFor();
  await page.getByLabel('E-mail').fill(OWNER.user);
  await page.getByLabel(/^Password\W*$/).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
