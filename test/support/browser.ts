import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * What the browser tests share: Debian's headless Chromium, a context per person (Vietnamese,
 * in Vietnam's time zone, a phone when asked), a console that fails the test on a script or
 * policy error, and a screenshot of every open page when a step fails.
 */

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SHOTS = join(tmpdir(), 'dondoc-browser');
export const PHONE = { width: 390, height: 844 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A person's own browser: own cookies, Vietnamese, Vietnam's clock; a phone's screen if asked. */
export function personContext(browser: Browser, viewport?: { width: number; height: number }): Promise<BrowserContext> {
  return browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...(viewport ? { viewport } : {}) });
}

/** Errors the page itself reports (a refused script, a CSP violation) are collected in `errors`. */
export function watchConsole(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (401|404|422|429)/.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
}

/**
 * A step runner: on failure saves a screenshot of each page `pages()` names, then fails. The
 * pages are read when a step fails, so pages opened later are included.
 */
export function stepRunner(pages: () => Record<string, Page | undefined>) {
  return async (name: string, run: () => Promise<void>): Promise<void> => {
    try {
      await run();
    } catch (error) {
      await mkdir(SHOTS, { recursive: true });
      for (const [who, page] of Object.entries(pages()))
        if (page && !page.isClosed())
          await page.screenshot({ path: join(SHOTS, `${name}-${who}.png`), fullPage: true }).catch(() => undefined);
      throw error;
    }
  };
}
