// Issue 12 item 4: the page's wasm carries only the catalog's index; a chapter's or scenario's
// file is fetched when it is opened (src/catalog.rs, src/ui/catalog_fetch.rs). The first load
// fetches none; a file that cannot be fetched is said in a notice and the current run stays.
import { test, expect } from '@playwright/test';
import { watchConsole, open } from './helpers.mjs';

const catalogRequests = (page) => {
  const urls = [];
  page.on('request', (r) => {
    if (r.url().includes('/catalog/')) urls.push(new URL(r.url()).pathname);
  });
  return urls;
};

test('the first load fetches no chapter; opening one from the list fetches only its file', async ({ page }) => {
  const problems = watchConsole(page);
  const urls = catalogRequests(page);
  await open(page, '/');
  await page.waitForLoadState('networkidle');
  expect(urls).toEqual([]);
  // The list of chapters comes from the index the page carries: names and summaries.
  await page.evaluate(() => { location.hash = 'tutorial=01-a-records-journey'; });
  await expect(page.locator('.tutorial-panel h2')).toContainText("A record's journey");
  expect(urls).toEqual(['/catalog/01-a-records-journey.json']);
  await page.getByRole('button', { name: 'All chapters' }).click();
  const chapters = page.locator('.tutorial-index li');
  expect(await chapters.count()).toBeGreaterThanOrEqual(29);
  await expect(chapters.first().locator('p.muted')).not.toHaveText('');
  await page.locator('.tut-chapter[data-id="02-the-high-watermark"]').click();
  await expect(page.locator('.tutorial-panel h2')).toContainText('high watermark');
  expect(urls).toEqual(['/catalog/01-a-records-journey.json', '/catalog/02-the-high-watermark.json']);
  // Back to a chapter already fetched: no second request.
  await page.getByRole('button', { name: 'All chapters' }).click();
  await page.locator('.tut-chapter[data-id="01-a-records-journey"]').click();
  await expect(page.locator('.tutorial-panel h2')).toContainText("A record's journey");
  expect(urls.length).toBe(2);
  expect(problems).toEqual([]);
});

test('a deep link to a scenario opens it at its step once its file arrives', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, '/#scenario=s04-acks1-loss&step=2');
  await expect(page.locator('.tutorial-panel .tut-counter')).toHaveText(/^Step 2 of \d+$/);
  await expect(page).toHaveURL(/#scenario=s04-acks1-loss&step=2$/);
  expect(problems).toEqual([]);
});

test('a chapter whose file cannot be fetched is said, and the current run stays', async ({ page }) => {
  await page.route('**/catalog/03-*.json*', (route) => route.fulfill({ status: 503, body: 'down' }));
  await open(page, '/');
  const hash = await page.locator('.cluster-svg').getAttribute('data-hash');
  await page.evaluate(() => { location.hash = 'tutorial=03-isr-shrink-and-rejoin&step=2'; });
  await expect(page.locator('.notice.error')).toContainText('This tutorial link could not be opened: its file could not be loaded (HTTP 503)');
  await expect(page.locator('.tutorial-index')).toBeVisible();
  await expect(page.locator('.tutorial-panel h2')).toHaveCount(0);
  expect(await page.locator('.cluster-svg').getAttribute('data-hash')).toBe(hash);
});

test('while a chapter file is on its way, the list says so, and a deep link shows where it will appear', async ({ page }) => {
  const problems = watchConsole(page);
  // Each answer waits until the test lets it go. `release` waits for the request to be held
  // first: the page shows "Loading…" as soon as it asks, which can be before the request
  // reaches this handler.
  const held = [];
  await page.route('**/catalog/*.json*', async (route) => {
    await new Promise((r) => { held.push(r); });
    await route.continue();
  });
  const release = async () => {
    await expect.poll(() => held.length).toBeGreaterThan(0);
    held.shift()();
  };
  // Not `open`, which waits for the chapter: its file is held here.
  await page.goto('/#tutorial=05-acks1-loses-a-record');
  await expect(page.locator('.tutorial-loading')).toHaveText('Loading the chapter…');
  // A first visit's welcome card does not flash up meanwhile.
  await expect(page.locator('.welcome')).toHaveCount(0);
  await release();
  await expect(page.locator('.tutorial-panel h2')).toContainText('5.');
  await expect(page.locator('.tutorial-loading')).toHaveCount(0);
  // From the list: the chapter clicked says it is loading; the list stays until it opens.
  await page.getByRole('button', { name: 'All chapters' }).click();
  await page.locator('.tut-chapter[data-id="06-min-insync-replicas"]').click();
  const item = page.locator('.tutorial-index li', { has: page.locator('[data-id="06-min-insync-replicas"]') });
  await expect(item.locator('.tut-loading')).toHaveText('Loading…');
  await release();
  await expect(page.locator('.tutorial-panel h2')).toContainText('6.');
  expect(problems).toEqual([]);
});
