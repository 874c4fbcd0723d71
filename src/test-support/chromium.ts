// Debian's Chromium for the browser tests, through playwright-core (never a downloaded browser):
// one way to launch it, with a fresh profile folder each time, and one skip message where it is
// missing (.ci/run installs it: apt-get install chromium). There is no network beyond loopback.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

// The page's globals, for the script this file adds to pages (the project compiles without the DOM library).
declare const document: any, window: any;

export const CHROMIUM = '/usr/bin/chromium';

/** `describe`'s skip option: false where Chromium is installed, else why `what` is skipped. */
export function skipWithoutChromium(what: string): false | string {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (Debian: apt-get install chromium); ${what} skipped`;
}

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile: background networking, updates and sync off. */
export async function launchChromium(options: { acceptDownloads?: boolean } = {}): Promise<LaunchedChromium> {
  const profileDir = mkdtempSync(join(tmpdir(), 'binge-chromium-'));
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: options.acceptDownloads ?? false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // tsx names functions with a helper (__name) that a page does not have; functions passed to page.evaluate need it.
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Collects, from now on, the page's Content-Security-Policy violations (events and console
 * errors) and every request that leaves `origin` (blob: URLs, made by the page itself, stay).
 */
export async function watchPage(page: Page, origin: string): Promise<{ cspViolations: string[]; foreignRequests: string[] }> {
  const cspViolations: string[] = [];
  const foreignRequests: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => cspViolations.push(text));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e: any) => window.reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(`${origin}/`) && !request.url().startsWith('blob:')) foreignRequests.push(request.url());
  });
  return { cspViolations, foreignRequests };
}
