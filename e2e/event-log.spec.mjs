// The event log's times are buttons that take the run to that event's step (time travel from
// the log), by mouse and by keyboard.
import { test, expect } from '@playwright/test';
import { open, stateText, step, watchConsole } from './helpers.mjs';

/** Clicks Step until the run is at `n`. */
async function stepTo(page, n) {
  while ((await step(page)) < n) {
    const s = await step(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => step(page)).toBeGreaterThan(s);
  }
}

test('an event time goes to the state at that event, the same as stepping there', async ({ page, browser }) => {
  // About 80 clicks of Step in two pages: 21 s on a loaded 2-core machine (load 6–9), and once
  // over the default 30 s while other builds ran.
  test.setTimeout(60_000);
  const problems = watchConsole(page);
  await open(page);
  await stepTo(page, 40);
  const end = await step(page);
  // An older row (the log is newest first): its step is in the past.
  const row = page.locator('.event-log li[data-step]').nth(12);
  const target = Number(await row.getAttribute('data-step'));
  expect(target).toBeLessThan(end);
  await row.locator('button.ev-time').click();
  await expect.poll(() => step(page)).toBe(target);
  const jumped = await stateText(page);

  // The same step reached from a fresh page by stepping: the same state.
  // A new context: no stored session, so the fresh page starts at step 0 of the default run.
  const ctx = await browser.newContext();
  const fresh = await ctx.newPage();
  await open(fresh, new URL('/', page.url()).href);
  await stepTo(fresh, target);
  expect(await step(fresh)).toBe(target);
  expect(await stateText(fresh)).toEqual(jumped);
  await ctx.close();

  // Keyboard: focus a newer row's time and press Enter — forward again through the recording.
  const newer = page.locator('.event-log li[data-step]').first();
  const later = Number(await newer.getAttribute('data-step'));
  await newer.locator('button.ev-time').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => step(page)).toBe(later);
  expect(problems).toEqual([]);
});

test('"notable only" keeps crashes, elections and ISR changes and hides the chatter', async ({ page }) => {
  const problems = watchConsole(page);
  const steps = 6;
  await open(page, `/#tutorial=04-leader-crash-clean-election&step=${steps}`);
  const rows = page.locator('.event-log li[data-kind]');
  const kinds = () => rows.evaluateAll((lis) => lis.map((li) => li.dataset.kind));
  const all = await kinds();
  expect(all).toContain('send'); // fetches and their answers dominate the full log
  await page.getByRole('checkbox', { name: 'notable only' }).check();
  const notable = await kinds();
  expect(notable.length).toBeGreaterThan(0);
  const allowed = ['crash', 'restart', 'election', 'truncate', 'lost', 'duplicate', 'invariant', 'failed', 'fenced', 'isr', 'assign'];
  expect(notable.filter((k) => !allowed.includes(k))).toEqual([]);
  expect(notable).toContain('crash');
  expect(notable).toContain('election');
  await page.getByRole('checkbox', { name: 'notable only' }).uncheck();
  expect(await kinds()).toContain('send');
  expect(problems).toEqual([]);
});

test('while playing, panels scrolled off screen wait, and catch up once scrolled back', async ({ page }) => {
  const problems = watchConsole(page);
  // A short window: the panels below the picture start off screen (more than the observer's
  // 200 px margin below it).
  await page.setViewportSize({ width: 1280, height: 400 });
  await open(page);
  const log = page.locator('.event-log');
  expect((await log.boundingBox()).y).toBeGreaterThan(400 + 200);
  const newest = async () => Number(await page.locator('.event-log li[data-step]').first().getAttribute('data-step'));
  const shown = await newest();
  await page.getByRole('button', { name: /^play/i }).first().click();
  await expect.poll(() => step(page), { timeout: 15_000 }).toBeGreaterThan(shown + 3);
  expect(await newest()).toBe(shown); // off screen: not re-rendered
  await log.scrollIntoViewIfNeeded();
  await expect.poll(newest).toBeGreaterThan(shown); // on screen: at once, then as the run goes
  const seen = await newest();
  await expect.poll(newest, { timeout: 15_000 }).toBeGreaterThan(seen);
  await page.getByRole('button', { name: /^pause/i }).first().click();
  expect(await newest()).toBeLessThanOrEqual(await step(page));
  expect(problems).toEqual([]);
});
