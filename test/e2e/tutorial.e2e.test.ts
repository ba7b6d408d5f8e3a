/**
 * docs/extension-guide.md's tutorial, executed as written: every ```sh tutorial block runs in bash from the checkout
 * (HOME is a fresh folder, so `~/langbot-extensions` and `~/langbot-registry` are the test's own; the registry's
 * port 5320 becomes a free one), a ```sh tutorial-background block keeps running like a second terminal; then the
 * console steps in Chromium, ending with the new tool called by the local agent in the debug chat.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort, launchBrowser, newPage, screenshot, setUpAndSignIn, startLangbot, type RunningLangbot } from './support/browser.js';
import { addFakeChatModel, askDebugChat, startDevFakeLlm, useLocalAgentInChatPipeline } from './support/quick-start.js';

const REPO = resolve(import.meta.dirname, '../..');
const GUIDE = join(REPO, 'docs/extension-guide.md');
const DOC_PORT = '5320';

interface Block {
  script: string;
  background: boolean;
}

/** The tutorial's shell blocks, in order. */
async function tutorialBlocks(port: number): Promise<Block[]> {
  const text = await readFile(GUIDE, 'utf8');
  return [...text.matchAll(/```sh (tutorial(?:-background)?)\n([\s\S]*?)```/g)].map((m) => ({
    script: m[2].replaceAll(DOC_PORT, String(port)),
    background: m[1] === 'tutorial-background',
  }));
}

function run(block: Block, env: NodeJS.ProcessEnv): ChildProcess & { output: () => string } {
  const child = spawn('bash', ['-euo', 'pipefail', '-c', block.script], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  return Object.assign(child, { output: () => out });
}

function finished(child: ChildProcess & { output: () => string }, script: string): Promise<string> {
  return new Promise((ok, fail) => {
    child.once('exit', (code) => (code === 0 ? ok(child.output()) : fail(new Error(`The tutorial's commands failed (exit ${code}):\n${script}\n--- output ---\n${child.output()}`))));
  });
}

async function started(child: ChildProcess & { output: () => string }, url: string, script: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!child.output().includes(url)) {
    if (child.exitCode !== null) throw new Error(`The tutorial's background command exited with ${child.exitCode}:\n${script}\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`The tutorial's background command did not print ${url} in 30 s:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the extension author guide tutorial', () => {
  let home: string;
  let port: number;
  const background: ChildProcess[] = [];
  let langbot: RunningLangbot;
  let browser: Browser;
  let fake: Awaited<ReturnType<typeof startDevFakeLlm>>;
  const shell: string[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'langbot-tutorial-home-'));
    port = await freePort();
    [langbot, browser, fake] = await Promise.all([startLangbot(), launchBrowser(), startDevFakeLlm()]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
    fake?.stop();
    for (const child of background) if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await rm(home, { recursive: true, force: true });
  });

  it('runs create → test → pack → registry init, serve and publish from the shell', async () => {
    const blocks = await tutorialBlocks(port);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(blocks.filter((b) => b.background)).toHaveLength(1);
    const env = { ...process.env, HOME: home, LANGBOT_DATA: join(home, 'data') };
    for (const block of blocks) {
      const child = run(block, env);
      if (block.background) {
        background.push(child);
        await started(child, `http://127.0.0.1:${port}`, block.script);
      } else shell.push(await finished(child, block.script));
    }
    const output = shell.join('\n');
    expect(output).toMatch(/tutorial\.greeter-0\.1\.0\.tgz/);
    expect(output).toMatch(/ed25519:[A-Za-z0-9+/=]{40,}/);
    const index = JSON.parse(await readFile(join(home, 'langbot-registry/index.json'), 'utf8'));
    expect(index.extensions.map((e: { id: string }) => e.id)).toEqual(['tutorial.greeter']);
  }, 300_000);

  it('installs the published tool from the console, and the local agent calls it in the debug chat', async () => {
    const publicKey = /ed25519:[A-Za-z0-9+/=]{40,}/.exec(shell.join('\n'))![0];
    const { page, errors } = await newPage(browser);
    await setUpAndSignIn(page, langbot.url);
    await addFakeChatModel(page, fake.url);

    // 1. Marketplace → Registry settings: the registry's URL as mirror, its key as trusted; save.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Marketplace' }).click();
    await page.getByRole('link', { name: 'Registry settings' }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.locator('[data-field="mirrors"]').getByRole('button', { name: '+ Add' }).click();
    await page.getByLabel('Mirror 1', { exact: true }).fill(`http://127.0.0.1:${port}`);
    await page.locator('[data-field="trustedKeys"]').getByRole('button', { name: '+ Add' }).click();
    await page.getByLabel('Public key 1', { exact: true }).fill(publicKey);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved; the extension restarted.').waitFor();

    // 2. Marketplace: search, open Greeter, install with approval; the steps show, then the installed version.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Marketplace' }).click();
    await page.getByText('My registry', { exact: true }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('greeter');
    await page.getByRole('link', { name: 'Greeter' }).click();
    await page.getByRole('heading', { name: 'Greeter', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    const install = page.getByRole('dialog', { name: 'Install Greeter' });
    // Greeter asks for no permissions, so the dialog has nothing to approve.
    await install.getByText('Approve and install').waitFor({ state: 'detached' });
    await install.getByRole('button', { name: 'Install', exact: true }).click();
    await install.getByText('Installed Greeter 0.1.0.').waitFor({ timeout: 60_000 });
    await screenshot(page, 'tutorial-installed');
    await install.getByRole('button', { name: 'Close', exact: true }).last().click();

    // 3.–4. ChatPipeline on the local agent with fake-chat; the debug chat asks the model to use the new tool.
    await useLocalAgentInChatPipeline(page);
    await askDebugChat(page, 'use greeter {"name": "Ada"}', 'The tool answered: {"text":"Hello, Ada!"}');
    await screenshot(page, 'tutorial-debug-chat');
    expect(errors).toEqual([]);
  }, 180_000);
});
