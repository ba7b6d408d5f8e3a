/** A new user opens the console: creates the owner account, signs in, switches language, signs out and back in. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { OWNER, launchBrowser, newPage, screenshot, setUpAndSignIn, signIn, startLangbot, type RunningLangbot } from './support/browser.js';

describe('console: first run and sign-in', () => {
  let langbot: RunningLangbot;
  let browser: Browser;
  beforeAll(async () => {
    [langbot, browser] = await Promise.all([startLangbot(), launchBrowser()]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await langbot?.stop();
  });

  it('sets up the owner account, signs in, switches to Chinese and signs out', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(langbot.url);
    await page.getByRole('heading', { name: 'Welcome to LangBot' }).waitFor();
    await screenshot(page, 'first-run-setup');

    // Mismatched passwords are caught before anything is sent.
    await page.getByLabel('E-mail').fill(OWNER.user);
    await page.getByLabel(/^Password\W*$/).fill(OWNER.password);
    await page.getByLabel('Password again').fill('something else 1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('do not match');

    await page.goto('about:blank');
    await setUpAndSignIn(page, langbot.url);
    await expect(page.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).resolves.toBe('page');
    await screenshot(page, 'first-run-dashboard');

    await page.getByLabel('Language').selectOption('zh_Hans');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '机器人', exact: true }).waitFor();
    await screenshot(page, 'first-run-dashboard-zh');
    await page.getByLabel('语言').selectOption('en_US');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to LangBot' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('refuses a wrong password with a clear message and keeps the user on the sign-in page', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(langbot.url);
    await page.getByRole('heading', { name: 'Sign in to LangBot' }).waitFor();
    await page.getByLabel('E-mail').fill(OWNER.user);
    await page.getByLabel(/^Password\W*$/).fill('wrong password 1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Invalid username or password');
    await signIn(page);
    // A reload keeps the session.
    await page.reload();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('works on a phone-sized screen with the menu behind a button', async () => {
    const { page } = await newPage(browser, { width: 390, height: 800 });
    await page.goto(langbot.url);
    await signIn(page);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await expect(nav.isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(nav.isVisible()).resolves.toBe(true);
    await screenshot(page, 'first-run-mobile-menu');
  });
});
