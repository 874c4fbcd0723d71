// What the browser tests of the pages share: waiting for a render to finish, and signing in
// through the form as a person does.

import type { Page } from 'playwright-core';

// The page's globals, for the functions page.evaluate runs there (this project compiles without the DOM library).
declare const document: any, window: any;

/** Runs `action` and waits until the page has finished the render it causes. */
export async function settled(page: Page, action: () => Promise<unknown>): Promise<void> {
  // The render counter of this document; a navigation starts a new document (without the mark) whose counter starts at 0.
  const mark = Math.random();
  const before = await page.evaluate((m) => ((window.settleMark = m), Number(document.getElementById('app')?.dataset.rendered ?? 0)), mark);
  await action();
  await page.waitForFunction(
    ([m, n]) => Number(document.getElementById('app')?.dataset.rendered ?? 0) > (window.settleMark === m ? n : 0),
    [mark, before] as const,
  );
  await page.waitForFunction(() => !document.querySelector('.loading'));
}

/** Fills the sign-in form and sends it. */
export async function signInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
