// Issue 11 item 5: chapters that ask the counterexample search. Their search step runs the one
// checker from the chapter's state, in the search worker, plays the shortest schedule it finds
// (the invariant turns red, the moves are separate timeline steps), or says that it found none —
// as a bounded result.
import { test, expect } from '@playwright/test';
import { framesInASecond, watchConsole, open } from './helpers.mjs';

const panel = (page) => page.locator('.tutorial-panel');
const counter = (page) => panel(page).locator('.tut-counter');
const result = (page) => panel(page).locator('.tut-search');

test('acks=1: the search finds and plays the shortest loss of an acknowledged record', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, '/#tutorial=26-search-acks1-loss&step=2');
  await expect(counter(page)).toHaveText('Step 2 of 6');
  await expect(result(page)).toHaveCount(0);
  const scrub = page.locator('.scrubber input[type=range]');
  const before = Number(await scrub.inputValue());
  // "Searching…" is painted before the search holds the page (recorded as it appears).
  await page.evaluate(() => {
    window.sawSearching = false;
    new MutationObserver(() => {
      if (document.querySelector('.tut-search[aria-busy="true"]')) window.sawSearching = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  const t0 = Date.now();
  await panel(page).getByRole('button', { name: 'Next step' }).click();
  await expect(counter(page)).toHaveText('Step 3 of 6');
  await expect(result(page)).toContainText('found a shortest schedule of 23 moves (produce r1, crash b1)');
  const took = Date.now() - t0;
  expect(await page.evaluate(() => window.sawSearching)).toBe(true);
  await expect(result(page)).not.toHaveAttribute('aria-busy', 'true');
  await expect(page.locator('.panel.invariants')).toContainText('no acknowledged record lost');
  // acks=1 does not promise it: an expected anomaly of this configuration.
  await expect(page.locator('.panel.invariants [data-invariant="no acknowledged record lost"]')).toHaveAttribute('data-state', 'anomaly');
  // The schedule's moves are on the timeline as steps of their own.
  expect(Number(await scrub.inputValue()) - before).toBeGreaterThan(10);
  await page.screenshot({ path: 'e2e/screenshots/search-chapter-1280.png' });
  // The next step has no search: the result box goes.
  await panel(page).getByRole('button', { name: 'Next step' }).click();
  await expect(counter(page)).toHaveText('Step 4 of 6');
  await expect(result(page)).toHaveCount(0);
  expect(problems).toEqual([]);
  console.log(`search step played in ${took} ms`);
});

test('KIP-101: the same search finds nothing under leader epochs and says it is a bounded result', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, '/#tutorial=28-search-kip101-epochs&step=6');
  await expect(counter(page)).toHaveText('Step 6 of 10');
  await expect(result(page)).toContainText('no schedule breaks "no acknowledged record lost" among 16,003 states up to depth 24');
  await expect(result(page)).toContainText('not a proof');
  await open(page, '/#tutorial=27-search-kip101&step=6');
  await expect(counter(page)).toHaveText('Step 6 of 8');
  await expect(result(page)).toContainText('found a shortest schedule of 18 moves (crash b2, crash b1, restart b1)');
  for (const [w, scheme] of [[600, 'light'], [1280, 'dark']]) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `e2e/screenshots/search-chapter-${w}-${scheme}.png` });
  }
  expect(problems).toEqual([]);
});

test('moving away while a step searches drops its search', async ({ page }) => {
  const problems = watchConsole(page);
  // The worker's wasm (loaded ahead while the chapter shows) is held until the learner has moved
  // away, so its search cannot finish first. (A terminated worker's request may be gone by then.)
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/highwater-check_bg.wasm', async (route) => { await held; await route.continue().catch(() => {}); });
  // The worker asks for its wasm once its scripts have loaded: moving away terminates it after
  // that, not while a script is still on its way (which the browser reports as a failed request).
  const wasmAsked = page.waitForRequest('**/highwater-check_bg.wasm');
  await open(page, '/#tutorial=26-search-acks1-loss&step=2');
  await expect(counter(page)).toHaveText('Step 2 of 6');
  await wasmAsked;
  await panel(page).getByRole('button', { name: 'Next step' }).click();
  await expect(result(page)).toHaveAttribute('aria-busy', 'true');
  await panel(page).getByRole('button', { name: 'Previous step' }).click();
  await expect(counter(page)).toHaveText('Step 1 of 6');
  await expect(result(page)).toHaveCount(0);
  release();
  // Longer than the search takes: its answer, had it come, would have moved the chapter on.
  await page.waitForTimeout(3000);
  await expect(counter(page)).toHaveText('Step 1 of 6');
  await expect(result(page)).toHaveCount(0);
  // The step still searches when asked again.
  await panel(page).getByRole('button', { name: 'Go to step 3', exact: false }).click();
  await expect(counter(page)).toHaveText('Step 3 of 6');
  await expect(result(page)).toContainText('found a shortest schedule of 23 moves');
  expect(problems).toEqual([]);
});

test("a linked scenario's long search step leaves the page drawing", async ({ page }) => {
  test.setTimeout(90_000);
  const problems = watchConsole(page);
  // A search step as large as a step may be (200,000 states), in a scenario carried by the link.
  const scenario = {
    name: 'A long search',
    config: { brokers: 3 },
    step: [
      { produce: 'a' },
      { search: { max_states: 200000, max_depth: 10000, window_ms: 100, budgets: { crashes: 2, drops: 2 } } },
    ],
  };
  await open(page, `/#scenario-json=${encodeURIComponent(JSON.stringify(scenario))}&step=2`);
  await expect(panel(page).locator('.tut-search[aria-busy="true"]')).toBeVisible();
  // The worker reports its progress under "Searching…".
  await expect(panel(page).locator('.tut-search-progress')).toContainText(/states · depth \d+/);
  const { frames } = await framesInASecond(page);
  console.log(`${frames} frames in a second while the step searched`);
  // 60 alone; fewer while other tests share the cores (see search.spec.mjs, "Cancel stops…").
  expect(frames, 'frames keep coming while the worker searches').toBeGreaterThan(5);
  await expect(result(page)).not.toHaveAttribute('aria-busy', 'true', { timeout: 80_000 });
  await expect(counter(page)).toHaveText('Step 2 of 2');
  // Whatever stops it (a bound, here memory), the step says what it covered.
  await expect(result(page)).toContainText('states');
  expect(problems).toEqual([]);
});
