// Issue 16: a path through the course (welcome, next chapter, progress, the article, sources that
// open) and a picture legible at a glance (rendered font sizes, nothing clipped, the legend closed).
import { test, expect } from '@playwright/test';
import { watchConsole, open } from './helpers.mjs';

const FIRST = '01-a-records-journey';
const welcome = (page) => page.locator('.welcome');

test('a first visit is welcomed once and can start the first chapter', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await expect(welcome(page)).toBeVisible();
  await welcome(page).getByRole('button', { name: 'Start the first chapter' }).click();
  await expect(page.locator('.tutorial-panel h2')).toHaveText("1. A record's journey with acks=all");
  await expect(welcome(page)).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('highwater.welcome'))).toBe('dismissed');
  // Closing the chapter does not bring the card back, nor does a reload.
  await page.getByRole('button', { name: 'Close the tutorial' }).click();
  await expect(page.locator('.tutorial-panel')).toHaveCount(0);
  await expect(welcome(page)).toHaveCount(0);
  await page.goto('/');
  await expect(page.locator('.cluster-svg')).toBeVisible();
  await expect(welcome(page)).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('"Play freely" dismisses the welcome for good', async ({ page }) => {
  await open(page);
  await welcome(page).getByRole('button', { name: 'Play freely' }).click();
  await expect(welcome(page)).toHaveCount(0);
  await expect(page.locator('.tutorial-panel')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.cluster-svg')).toBeVisible();
  await expect(welcome(page)).toHaveCount(0);
});

test("a chapter's last step leads to the next chapter and the index marks it done", async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, `/#tutorial=${FIRST}&step=5`);
  const panel = page.locator('.tutorial-panel');
  await expect(panel.locator('.tut-counter')).toHaveText('Step 5 of 6');
  // Not before the last step.
  await expect(panel.getByRole('button', { name: 'Next chapter →' })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Next step' }).click();
  await expect(panel.locator('.tut-counter')).toHaveText('Step 6 of 6');
  await expect(panel.getByRole('button', { name: 'Next step' })).toBeDisabled();
  const next = panel.getByRole('button', { name: 'Next chapter →' });
  await expect(next).toBeVisible();
  await expect(panel.locator('.tut-next-name')).toHaveText('2. The high watermark, and why consumers wait');

  // The index counts chapter 1 as done.
  await panel.getByRole('button', { name: 'All chapters' }).click();
  const index = page.locator('.tutorial-index');
  await expect(index.locator(`li:has([data-id="${FIRST}"]) .tut-done`)).toHaveText('✓ done');
  await expect(index.locator('li.done')).toHaveCount(1);
  await expect(index.locator('.tut-progress')).toContainText(/^1 of \d+ chapters done/);
  await index.getByRole('button', { name: 'Close the list of chapters' }).click();

  await panel.getByRole('button', { name: 'Next chapter →' }).click();
  await expect(page.locator('.tutorial-panel h2')).toHaveText('2. The high watermark, and why consumers wait');
  await expect(page.locator('.tutorial-panel .tut-counter')).toHaveText(/^Introduction/);
  await expect(page).toHaveURL(/#tutorial=02-the-high-watermark&step=0$/);

  // Kept in the browser: a new page still shows chapter 1 done, chapter 2 not.
  await page.goto('/');
  await page.getByRole('button', { name: 'Tutorials', exact: true }).click();
  await expect(page.locator(`.tutorial-index li:has([data-id="${FIRST}"])`)).toHaveClass(/done/);
  await expect(page.locator('.tutorial-index li:has([data-id="02-the-high-watermark"])')).not.toHaveClass(/done/);
  expect(problems).toEqual([]);
});

test('the index names the article, and Source lines open the rules reference', async ({ page, context }) => {
  const problems = watchConsole(page);
  await open(page, `/#tutorial=${FIRST}&step=0`);
  const source = page.locator('.tutorial-panel .tut-source');
  await expect(source).toContainText('Source: KAFKA-SEMANTICS.md S1, R1.3–R1.6, R2.6;');
  await expect(source.getByRole('link', { name: 'R1.3' })).toHaveAttribute('href', 'rules.html#R1.3');
  await expect(source.getByRole('link', { name: 'KAFKA-SEMANTICS.md' })).toHaveAttribute('href', 'rules.html');

  // The link opens the reference (a new tab) at the rule's heading.
  const [tab] = await Promise.all([context.waitForEvent('page'), source.getByRole('link', { name: 'S1', exact: true }).click()]);
  await tab.waitForLoadState();
  const heading = tab.locator('h3[id="S1"]');
  await expect(heading).toContainText('S1 — Baseline replication and HW propagation');
  await expect(heading).toBeInViewport();
  await expect(tab.locator('h3[id="R1.5"]')).toContainText('Leader high watermark');
  await tab.close();

  await page.locator('.tutorial-panel').getByRole('button', { name: 'All chapters' }).click();
  const article = page.locator('.tutorial-index .tut-article');
  await expect(article.locator('summary')).toContainText("Kafka's message delivery guarantees and consistency");
  await article.locator('summary').click();
  await expect(article.locator('cite')).toHaveText('Kafka的消息传递保证和一致性');
  await expect(article).toContainText('at least once');
  expect(problems).toEqual([]);
});
