// Issue 16 item 8, "Watch each hop": Next in a chapter plays the step's messages forward (about
// a second for a short step) instead of jumping to its end; it ends on exactly the state the
// jump showed; a second Next, Skip or → jumps to the end; reduced motion jumps at once.
// Screenshots mid-hop at 600 and 1280 px, light and dark, go to e2e/screenshots/.
import { test, expect } from '@playwright/test';
import { watchConsole, open, stateText } from './helpers.mjs';

const STEP1 = '/#tutorial=01-a-records-journey&step=1';
const panel = (page) => page.locator('.tutorial-panel');
const counter = (page) => panel(page).locator('.tut-counter');
const next = (page) => panel(page).getByRole('button', { name: 'Next step' });

/** Records whether "Playing step…" ever appears from now on. */
const watchPlaying = (page) =>
  page.evaluate(() => {
    window.sawPlaying = false;
    new MutationObserver(() => {
      if (document.querySelector('.tut-playing')) window.sawPlaying = true;
    }).observe(document.body, { childList: true, subtree: true });
  });

/** Step `k + 1`'s end state as the jump (reduced motion) shows it, then back to step `k`. */
async function jumpedState(page, link = STEP1, k = 1, n = 6) {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await open(page, link);
  await expect(counter(page)).toHaveText(`Step ${k} of ${n}`);
  await watchPlaying(page);
  await next(page).click();
  // Reduced motion: the end at once, nothing played.
  await expect(counter(page)).toHaveText(`Step ${k + 1} of ${n}`);
  expect(await page.evaluate(() => window.sawPlaying)).toBe(false);
  const jumped = await stateText(page);
  await panel(page).getByRole('button', { name: 'Previous step' }).click();
  await expect(counter(page)).toHaveText(`Step ${k} of ${n}`);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  return jumped;
}

test('Next plays the step: the request travels to b1, and the step ends where the jump did', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  const jumped = await jumpedState(page);
  // Clicked and sampled in the page, every animation frame for 0.7 s: Playwright's own round
  // trips would blur the timing on a busy machine.
  const samples = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const tags = () =>
          [...document.querySelectorAll('.picture [data-msg-ids] .msg-tags tspan')]
            .map((t) => `${t.textContent}@${t.getAttribute('x')},${t.getAttribute('y')}`)
            .join(' ');
        const out = [];
        const t0 = performance.now();
        document.querySelector('.tutorial-panel button[aria-label="Next step"]').click();
        const sample = () => {
          const t = performance.now() - t0;
          out.push({ t, tags: tags(), playing: !!document.querySelector('.tutorial-panel .tut-playing') });
          if (t < 700) requestAnimationFrame(sample);
          else resolve(out);
        };
        requestAnimationFrame(sample);
      }),
  );
  const first = samples[0];
  const mid = samples.find((s) => s.t >= 450);
  // The step plays: the request is on the wire at the start and half a second later, elsewhere.
  expect(first.playing).toBe(true);
  expect(mid.playing).toBe(true);
  expect(first.tags).not.toBe('');
  expect(mid.tags).not.toBe('');
  expect(mid.tags).not.toBe(first.tags);
  expect(new Set(samples.map((s) => s.tags)).size, 'the message moves from frame to frame').toBeGreaterThan(5);
  await expect(counter(page)).toHaveText('Step 2 of 6');
  await expect(panel(page).locator('.tut-playing')).toHaveCount(0);
  await expect(panel(page)).not.toHaveAttribute('data-playing', /.*/);
  expect(await stateText(page)).toBe(jumped);
  expect(problems).toEqual([]);
});

test('a second Next, Skip or the arrow key jumps to the end of the step playing; Previous jumps back', async ({ page }) => {
  const problems = watchConsole(page);
  // Chapter 4's step 4 waits out a 3 s session timeout: it plays for the longest a hop may take
  // (3 s of real time), so a skip lands well inside it.
  const jumped = await jumpedState(page, '/#tutorial=04-leader-crash-clean-election&step=3', 3, 6);
  const atThree = await stateText(page);
  for (const [how, skip] of [
    ['a second Next', () => next(page).click()],
    ['Skip', () => panel(page).getByRole('button', { name: 'Skip to the end of this step' }).click()],
    ['→', () => page.keyboard.press('ArrowRight')],
  ]) {
    await next(page).click();
    await expect(panel(page).locator('.tut-playing'), how).toBeVisible();
    const t0 = Date.now();
    await skip();
    await expect(counter(page), how).toHaveText('Step 4 of 6');
    await expect(panel(page).locator('.tut-playing'), how).toHaveCount(0);
    expect(Date.now() - t0, how).toBeLessThan(2000); // the hop alone lasts 3 s
    expect(await stateText(page), how).toBe(jumped);
    await panel(page).getByRole('button', { name: 'Previous step' }).click();
    await expect(counter(page)).toHaveText('Step 3 of 6');
  }
  // Previous while the step plays: back to step 3 at once.
  await next(page).click();
  await expect(panel(page).locator('.tut-playing')).toBeVisible();
  await panel(page).getByRole('button', { name: 'Previous step' }).click();
  await expect(counter(page)).toHaveText('Step 3 of 6');
  await expect(panel(page).locator('.tut-playing')).toHaveCount(0);
  expect(await stateText(page)).toBe(atThree);
  expect(problems).toEqual([]);
});

test('a deep link opens at the step’s end without playing it', async ({ page }) => {
  const problems = watchConsole(page);
  await page.addInitScript(() => {
    window.sawPlaying = false;
    document.addEventListener('DOMContentLoaded', () =>
      new MutationObserver(() => {
        if (document.querySelector('.tut-playing')) window.sawPlaying = true;
      }).observe(document.body, { childList: true, subtree: true }),
    );
  });
  await open(page, '/#tutorial=01-a-records-journey&step=2');
  await expect(counter(page)).toHaveText('Step 2 of 6');
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.sawPlaying)).toBe(false);
  expect(problems).toEqual([]);
});

for (const { width, height } of [{ width: 1280, height: 900 }, { width: 600, height: 1000 }]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`mid-hop screenshot at ${width}px, ${colorScheme}`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await open(page, STEP1);
      await expect(counter(page)).toHaveText('Step 1 of 6');
      // Clicked in the page and shot 0.3 s later, while the request is on the wire.
      const wide = await page.evaluate(
        () =>
          new Promise((resolve) => {
            document.querySelector('.tutorial-panel button[aria-label="Next step"]').click();
            setTimeout(() => resolve(document.documentElement.scrollWidth), 300);
          }),
      );
      await page.screenshot({ path: `e2e/screenshots/hops-${width}-${colorScheme}.png` });
      expect(wide).toBeLessThanOrEqual(width);
      await expect(counter(page)).toHaveText('Step 2 of 6');
      expect(problems).toEqual([]);
    });
  }
}
