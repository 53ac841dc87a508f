// Tutorial mode: the chapter index, playing a chapter forward and back (narration, counter, exact
// state), deep links (good and bad), leaving the script and coming back. Screenshots of the panel
// at 600 and 1280 px in both color schemes go to e2e/screenshots/ (gitignored).
import { test, expect } from '@playwright/test';
import { watchConsole, open, stateText } from './helpers.mjs';

const CHAPTER = '01-a-records-journey';
const panel = (page) => page.locator('.tutorial-panel');
const counter = (page) => panel(page).locator('.tut-counter');
const title = (page) => panel(page).locator('.tut-title');

test('a chapter plays forward and back with its narration, counter and exact state', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await page.getByRole('button', { name: 'Tutorials', exact: true }).click();
  const index = page.locator('.tutorial-index');
  // At least the 14 chapters of tutorials/ (more come as files are added).
  await expect(index.locator('.tut-chapters li').nth(13)).toBeVisible();
  await index.getByRole('button', { name: "1. A record's journey with acks=all" }).click();

  await expect(counter(page)).toHaveText('Introduction · 6 steps');
  await expect(title(page)).toHaveText('What this chapter shows');
  await expect(panel(page).locator('.tut-note p')).toHaveCount(2); // the description and "Article vs Kafka"
  await expect(panel(page).locator('.tut-note')).toContainText('Article vs Kafka:');
  await page.screenshot({ path: 'e2e/screenshots/tutorial-intro-1280.png' });
  await expect(page).toHaveURL(new RegExp(`#tutorial=${CHAPTER}&step=0$`));
  const states = [await stateText(page)];
  const titles = ['What this chapter shows'];

  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(counter(page)).toHaveText('Step 1 of 6');
  await expect(title(page)).toHaveText('The producer sends a');
  for (let k = 2; k <= 6; k++) {
    states.push(await stateText(page));
    titles.push(await title(page).textContent());
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(counter(page)).toHaveText(`Step ${k} of 6`);
    await expect(title(page)).not.toHaveText(titles.at(-1));
  }
  states.push(await stateText(page));
  titles.push(await title(page).textContent());
  await expect(title(page)).toHaveText('The producer gets its ack');
  await expect(page.getByRole('button', { name: 'Next step' })).toBeDisabled();
  await expect(page).toHaveURL(new RegExp(`#tutorial=${CHAPTER}&step=6$`));
  // The ack reached the producer: b1's replica holds a below its HW.
  await expect(page.locator('[data-broker="1"] [data-partition="t-0"]')).toHaveAttribute('data-hw', '1');
  // The highlighted element is emphasised.
  const filter = await page.locator('.cluster-svg [data-producer="1"]').evaluate((e) => getComputedStyle(e).filter);
  expect(filter).toContain('drop-shadow');

  // Back, one step at a time: every earlier state comes back exactly.
  for (let k = 5; k >= 0; k--) {
    await page.getByRole('button', { name: 'Previous step' }).click();
    await expect(counter(page)).toHaveText(k === 0 ? 'Introduction · 6 steps' : `Step ${k} of 6`);
    await expect(title(page)).toHaveText(titles[k]);
    expect(await stateText(page)).toBe(states[k]);
  }
  // Jump with a dot.
  await page.getByRole('button', { name: 'Go to step 4: The follower appends a' }).click();
  await expect(counter(page)).toHaveText('Step 4 of 6');
  expect(await stateText(page)).toBe(states[4]);
  await expect(panel(page).locator('.tut-fail')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a deep link opens the right step; bad ones say why and fall back', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, `/#tutorial=05-acks1-loses-a-record&step=6`);
  await expect(counter(page)).toHaveText('Step 6 of 8');
  await expect(title(page)).toHaveText('A clean election loses b');
  await expect(page.locator('.controller [data-partition="t-0"]')).toHaveAttribute('data-leader', '2');

  await open(page, `/#tutorial=no-such-chapter&step=2`);
  await expect(page.locator('.notice.error')).toContainText('there is no tutorial called "no-such-chapter"');
  await expect(page.locator('.tutorial-index')).toBeVisible();
  await expect(panel(page)).toHaveCount(0);

  await page.goto('about:blank');
  await open(page, `/#tutorial=${CHAPTER}&step=two`);
  await expect(page.locator('.notice.error')).toContainText('step="two" is not a step number');

  await page.goto('about:blank');
  await open(page, `/#tutorial=${CHAPTER}&step=99`);
  await expect(page.locator('.notice.warning')).toContainText('step 99 does not exist');
  await expect(counter(page)).toHaveText('Step 6 of 6');
  expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
});

test('leaving the script and coming back', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, `/#tutorial=04-leader-crash-clean-election&step=2`);
  await expect(counter(page)).toHaveText('Step 2 of 6');
  const scripted = await stateText(page);

  // An ordinary action: crash b3 from its inspector.
  await page.locator('.cluster-svg [data-broker="3"]').click();
  await page.getByRole('button', { name: /^Crash/ }).first().click();
  await expect(panel(page).locator('.tut-off')).toContainText('You are off-script');
  await expect(page).toHaveURL(/#run=/);
  expect(await stateText(page)).not.toBe(scripted);

  await page.getByRole('button', { name: /Back to the script/ }).click();
  await expect(panel(page).locator('.tut-off')).toHaveCount(0);
  await expect(counter(page)).toHaveText('Step 2 of 6');
  expect(await stateText(page)).toBe(scripted);
  await expect(page).toHaveURL(/#tutorial=04-leader-crash-clean-election&step=2$/);

  // Play also leaves the script; Next from off-script continues the script.
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(panel(page).locator('.tut-off')).toBeVisible();
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(counter(page)).toHaveText('Step 3 of 6');
  await expect(panel(page).locator('.tut-off')).toHaveCount(0);
  expect(problems).toEqual([]);
});

for (const { width, height } of [{ width: 1280, height: 900 }, { width: 600, height: 1000 }]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`tutorial panel screenshot at ${width}px, ${colorScheme}`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await open(page, `/#tutorial=05-acks1-loses-a-record&step=6`);
      await expect(counter(page)).toHaveText('Step 6 of 8');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `e2e/screenshots/tutorial-${width}-${colorScheme}.png`, fullPage: width < 900 });
      // The chapter list, with a one-line summary per chapter.
      await page.getByRole('button', { name: 'All chapters' }).click();
      await expect(page.locator('.tutorial-index .tut-chapters li').nth(13)).toBeVisible();
      await expect(page.locator('.tutorial-index li p').first()).toContainText('Follow one record');
      await page.locator('.tutorial-index').screenshot({ path: `e2e/screenshots/tutorial-index-${width}-${colorScheme}.png` });
      expect(problems).toEqual([]);
    });
  }
}
