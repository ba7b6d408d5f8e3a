/**
 * The dashboard, monitoring and logs pages: a fresh install's dashboard points to the first steps; after a couple
 * of messages through the debug chat the dashboard counts and charts them, monitoring lists them with their turn
 * and exports them as CSV, and the logs page tails the process log live.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { startFakeLlm, type FakeLlm } from '../../sdk/testing/fake-llm.js';
import { launchBrowser, newPage, screenshot, setUpAndSignIn, signIn, startLangbot, type RunningLangbot } from './support/browser.js';

const QUESTIONS = ['Hello monitoring', 'What is new, today?'];

describe('console: dashboard, monitoring and logs', () => {
  let langbot: RunningLangbot;
  let browser: Browser;
  let fake: FakeLlm;
  beforeAll(async () => {
    [langbot, browser, fake] = await Promise.all([startLangbot(), launchBrowser(), startFakeLlm({ models: ['fake-chat'], script: [{ reply: 'You said: {text}' }] })]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
    await fake?.close();
  });

  /** The REST API with the console's own token. */
  const rest = (token: string) => async (method: string, path: string, body?: unknown) => {
    const response = await fetch(langbot.url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const envelope = (await response.json()) as { code: unknown; data: any };
    expect(envelope.code, `${method} ${path}: ${JSON.stringify(envelope)}`).toBe(0);
    return envelope.data;
  };

  it('shows a fresh install the next steps, then counts and charts the first messages', async () => {
    const { page, errors } = await newPage(browser);
    await setUpAndSignIn(page, langbot.url);

    // Nothing said yet: the first steps, each a link, and the instance's status.
    const start = page.getByRole('region', { name: 'Get started' });
    await start.waitFor();
    await expect(start.getByRole('link', { name: 'Add a model' }).getAttribute('href')).resolves.toBe('#/models');
    await expect(start.getByRole('link', { name: 'Try it in the debug chat' }).getAttribute('href')).resolves.toMatch(/^#\/pipelines\/[\w-]+\/chat$/);
    await expect(start.getByRole('link', { name: 'Create a bot' }).getAttribute('href')).resolves.toBe('#/bots');
    const status = page.getByTestId('system-status');
    await status.getByText('0.1.0').waitFor();
    await expect(status.textContent()).resolves.toMatch(/\d+ active/);
    await expect(page.getByTestId('stat-messages').textContent()).resolves.toContain('0');
    await screenshot(page, 'dashboard-empty');

    // A model for the seeded pipeline, and two questions through the debug chat.
    const call = rest(await tokenOf(page));
    const provider = await call('POST', '/api/v1/provider/providers', { name: 'Fake', requester: 'openai-chat-completions', base_url: fake.url, api_keys: ['sk-e2e-1'] });
    const model = await call('POST', '/api/v1/provider/models/llm', { name: 'fake-chat', provider_uuid: provider.uuid, abilities: [] });
    const pipeline = (await call('GET', '/api/v1/pipelines')).pipelines.find((p: { name: string }) => p.name === 'ChatPipeline');
    const config = pipeline.config;
    config.ai['local-agent'] = { ...config.ai['local-agent'], model: { primary: model.uuid, fallbacks: [] } };
    await call('PUT', `/api/v1/pipelines/${pipeline.uuid}`, { config });
    await chat(langbot.url, pipeline.uuid, await tokenOf(page), QUESTIONS);
    // Monitoring rows are written in batches: wait until all four (two questions, two answers) are in.
    await expect.poll(async () => (await call('GET', '/api/v1/monitoring/overview')).total_messages, { timeout: 10_000 }).toBe(4);

    await page.reload();
    await page.getByTestId('stat-messages').filter({ hasText: '4' }).waitFor();
    await expect(page.getByRole('region', { name: 'Get started' }).count()).resolves.toBe(0);
    await expect(page.getByTestId('stat-llm-calls').textContent()).resolves.toMatch(/LLM calls\s*2/);
    await expect(page.getByTestId('stat-success').textContent()).resolves.toContain('100%');
    // Every chart draws this hour's bar.
    const charts = page.locator('figure.chart');
    await expect(charts.count()).resolves.toBe(3);
    for (let i = 0; i < 3; i++) await expect(charts.nth(i).locator('rect.chart-bar').count()).resolves.toBeGreaterThan(0);
    await expect(charts.first().getByRole('img').getAttribute('aria-label')).resolves.toMatch(/^Messages: .* 4/);
    await screenshot(page, 'dashboard');

    await page.getByRole('button', { name: '7 days' }).click();
    await expect(page.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByRole('heading', { name: 'Activity in the last 7 days' }).waitFor();
    await page.getByTestId('stat-messages').filter({ hasText: '4' }).waitFor();
    await expect(charts.first().locator('rect.chart-bar').count()).resolves.toBeGreaterThan(0);

    await page.getByLabel('Language').selectOption('zh_Hans');
    await page.getByRole('heading', { name: '仪表盘' }).waitFor();
    await page.getByRole('heading', { name: '最近 7 天的活动' }).waitFor();
    await screenshot(page, 'dashboard-zh');
    await page.getByLabel('语言').selectOption('en_US');
    expect(errors).toEqual([]);
  }, 60_000);

  it('lists the messages, opens a turn, filters by session and exports a CSV', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(langbot.url);
    await signIn(page);
    // The dashboard's numbers lead to their list; the menu back to the plain page.
    await page.getByTestId('stat-llm-calls').click();
    await page.getByRole('heading', { name: 'Monitoring', level: 1 }).waitFor();
    await expect(page.getByRole('tab', { name: 'LLM calls' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.getByLabel('Time range').inputValue()).resolves.toBe('24h');
    await page.getByRole('link', { name: 'Monitoring' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Messages' }).getAttribute('aria-selected')).toBe('true');
    const table = page.locator('table.mon-table');
    const question = table.getByRole('row').filter({ has: page.getByRole('cell', { name: QUESTIONS[0], exact: true }) });
    await question.waitFor();
    await table.getByRole('cell', { name: `You said: ${QUESTIONS[0]}` }).waitFor();
    await page.getByText('1–4 of 4').waitFor();
    await screenshot(page, 'monitoring-messages');

    // The question's turn: both messages and the model call that answered it.
    await question.getByRole('button', { name: /^Details of the message/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Message details' });
    const turn = dialog.getByRole('region', { name: 'Messages of the turn' });
    await turn.getByText(`You said: ${QUESTIONS[0]}`).waitFor();
    await expect(turn.getByRole('listitem').count()).resolves.toBe(2);
    await expect(turn.getByText(QUESTIONS[1]).count()).resolves.toBe(0);
    await dialog.getByRole('region', { name: /LLM calls/ }).getByText('fake-chat').waitFor();
    await screenshot(page, 'monitoring-details');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog.isVisible()).resolves.toBe(false);

    // The other lists.
    await page.getByRole('tab', { name: 'LLM calls' }).click();
    await expect.poll(() => page.locator('table.mon-table[data-kind="llm-calls"] tbody tr').count()).toBe(2);
    await page.getByRole('tab', { name: 'Errors' }).click();
    await page.getByText('No errors for these filters').waitFor();
    await page.getByRole('tab', { name: 'Sessions' }).click();
    await page.locator('table.mon-table[data-kind="sessions"]').getByRole('button', { name: /^Messages of the session/ }).first().click();
    await expect(page.getByRole('tab', { name: 'Messages' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByText(/^Session: /).waitFor();
    await page.getByText('1–4 of 4').waitFor();
    // The filters are in the address, so a reload keeps them.
    expect(page.url()).toMatch(/#\/monitoring\?session=/);
    await page.reload();
    await page.getByText(/^Session: /).waitFor();
    await page.getByRole('button', { name: 'Show all sessions' }).click();
    await expect.poll(() => page.getByText(/^Session: /).count()).toBe(0);

    // The CSV: fetched with the token, handed to the browser as a download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^monitoring-messages-\d{8}-\d{6}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('message_content');
    expect(csv).toContain(QUESTIONS[0]);
    expect(csv).toContain(`"${QUESTIONS[1]}"`);
    await page.getByText(/Downloaded monitoring-messages-.*\(4 rows\)/).waitFor();
    expect(errors).toEqual([]);
  }, 45_000);

  it('tails the process log: new lines appear, search marks them, pause stops it', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(langbot.url);
    await signIn(page);
    await page.getByRole('link', { name: 'Logs' }).click();
    const log = page.getByRole('log', { name: 'Process log' });
    await log.getByText('Created the default pipeline ChatPipeline.').waitFor();
    const lastSeq = () => log.locator('.log-line').last().getAttribute('data-seq').then(Number);
    const before = await lastSeq();

    // Something happens in the kernel: its lines show up without a reload.
    const call = rest(await tokenOf(page));
    await call('POST', '/api/v1/extensions/langbot.hello-inprocess/disable', {});
    await call('POST', '/api/v1/extensions/langbot.hello-inprocess/enable', {});
    await log.getByText('Hello (in-process): disposed. Disabled.').waitFor({ timeout: 8_000 });
    expect(await lastSeq()).toBeGreaterThan(before);
    // Followed to the bottom while nobody scrolls up.
    await expect.poll(() => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(30);
    await screenshot(page, 'logs');

    await page.getByLabel('Search').fill('in-process');
    await expect.poll(() => log.locator('mark').count()).toBeGreaterThan(2);
    await expect(log.getByText('Created the default pipeline').count()).resolves.toBe(0);
    await page.getByLabel('Search').fill('');

    await page.getByLabel('Level').selectOption('error');
    await log.getByText('No log lines yet.').waitFor();
    await page.getByLabel('Level').selectOption('trace');
    await log.getByText('Created the default pipeline ChatPipeline.').waitFor();

    await page.getByRole('button', { name: /Pause/ }).click();
    await expect(page.getByRole('button', { name: /Resume/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    const paused = await lastSeq();
    await call('POST', '/api/v1/extensions/langbot.hello-inprocess/disable', {});
    await page.waitForTimeout(2_500);
    expect(await lastSeq()).toBe(paused);
    await page.getByRole('button', { name: /Resume/ }).click();
    await expect.poll(() => lastSeq(), { timeout: 6_000 }).toBeGreaterThan(paused);
    await call('POST', '/api/v1/extensions/langbot.hello-inprocess/enable', {});
    expect(errors).toEqual([]);
  }, 45_000);

  it('names a failed extension on the dashboard and links to it', async () => {
    // A drop-in whose activation throws: the running kernel picks it up and marks it failed.
    const folder = join(langbot.dataDir, 'extensions', 'broken');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'index.ts'), "import { defineExtension } from '@langbot-ts/sdk';\nexport default defineExtension({ activate() { throw new Error('always fails'); } });\n");
    await writeFile(join(folder, 'manifest.yaml'), 'id: acme.broken\nversion: 1.0.0\ndisplayName: { en_US: Broken example, zh_Hans: 损坏的示例 }\nengines: { langbot: "^0.1.0" }\nentry: ./index.ts\nisolation: inprocess\nactivation: eager\n');
    const { page, errors } = await newPage(browser);
    await page.goto(langbot.url);
    await signIn(page);
    const call = rest(await tokenOf(page));
    await expect.poll(async () => (await call('GET', '/api/v1/extensions')).extensions.find((e: { id: string }) => e.id === 'acme.broken')?.state, { timeout: 15_000 }).toBe('failed');
    await page.reload();
    const status = page.getByTestId('system-status');
    await status.getByText('1 failed').waitFor();
    await status.getByRole('list', { name: 'Extensions that failed' }).getByRole('link', { name: 'Broken example' }).click();
    await page.waitForURL(/#\/extensions\/acme\.broken$/);
    expect(errors).toEqual([]);
  }, 30_000);

  it('fits a phone-sized screen', async () => {
    const { page, errors } = await newPage(browser, { width: 390, height: 800 });
    await page.goto(langbot.url);
    await signIn(page);
    await page.getByTestId('stat-messages').waitFor();
    await expectNoSideways(page);
    await page.goto(`${langbot.url}/#/monitoring`);
    // Rows are labelled cards here: found by their text.
    await page.getByText(QUESTIONS[0], { exact: true }).waitFor();
    await expectNoSideways(page);
    await page.goto(`${langbot.url}/#/logs`);
    await page.getByRole('log', { name: 'Process log' }).locator('.log-line').first().waitFor();
    await expectNoSideways(page);
    expect(errors).toEqual([]);
  }, 30_000);
});

async function expectNoSideways(page: Page) {
  await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
}

/** The console's sign-in token, for calling the REST API as the signed-in user. */
const tokenOf = (page: Page) => page.evaluate<string>("localStorage.getItem('langbot.token')");

/** The debug chat's WebSocket protocol, as the console speaks it: authenticate, then one message at a time. */
async function chat(url: string, pipeline: string, token: string, texts: string[]): Promise<void> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/pipelines/${pipeline}/ws/connect?session_type=person`);
  const frames: Array<{ type: string; data?: { is_final?: boolean } }> = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const finals = () => frames.filter((f) => f.type === 'response' && f.data?.is_final).length;
  try {
    ws.send(JSON.stringify({ type: 'authenticate', token }));
    await expect.poll(() => frames.some((f) => f.type === 'connected'), { timeout: 8_000 }).toBe(true);
    for (const [i, text] of texts.entries()) {
      ws.send(JSON.stringify({ type: 'message', message: [{ type: 'Plain', text }], stream: true }));
      await expect.poll(finals, { timeout: 10_000 }).toBe(i + 1);
    }
  } finally {
    ws.close();
  }
}
