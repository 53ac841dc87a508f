// The counterexample search's speed in the browser (BENCHMARKS.md): the dialog's defaults on the
// two KIP-101 scenario 1 files from their setup, as `highwater check FILE` runs them natively.
// Skipped unless asked for:  HW_SEARCH_BENCH=1 npx playwright test e2e/search-bench.spec.mjs
// (HW_SEARCH_PAUSE_MS=1000: a second on the form before Start).
import { test, expect } from '@playwright/test';
import { open } from './helpers.mjs';

test.skip(!process.env.HW_SEARCH_BENCH, 'a benchmark: set HW_SEARCH_BENCH=1');
test.setTimeout(120_000);

for (const [file, phase] of [
  ['s16-kip101-scenario1-hw', 'found'],
  ['s16-kip101-scenario1-epoch', 'bounded'],
]) {
  test(`search ${file} with the defaults`, async ({ page }) => {
    // Step 5 ends the files' setup (before their first fault), the CLI's default start.
    await open(page, `/#scenario=${file}&step=5`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Search for a counterexample' });
    // HW_SEARCH_PAUSE_MS: time spent on the form before Start (the open dialog loads the
    // worker meanwhile); 0 clicks at once.
    await page.waitForTimeout(Number(process.env.HW_SEARCH_PAUSE_MS || 0));
    const t0 = Date.now();
    await dialog.getByRole('button', { name: 'Start search' }).click();
    const status = dialog.locator('.search-status');
    // Checked on every animation frame, so the wall clock is not rounded up to expect's polls.
    await page.waitForFunction(
      (phase) => document.querySelector('.search-status')?.dataset.phase === phase,
      phase,
      { polling: 'raf', timeout: 110_000 },
    );
    const wall = Date.now() - t0;
    console.log(`${file}: ${await status.textContent()} (wall clock from the click: ${wall} ms)`);
  });
}

// How far a search with faults gets before its memory bound, from the default run's first step:
// every interleaving (manual), a crash and a dropped message, the dialog's 512 MiB.
test('search the default run to its memory bound', async ({ page }) => {
  await open(page, '/');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Search for a counterexample' });
  await dialog.getByLabel('Events interleaved').selectOption('manual');
  await dialog.getByLabel('Max depth (moves)').fill('10000');
  await dialog.getByLabel('Crashes').fill('1');
  await dialog.getByLabel('Restarts').fill('0');
  await dialog.getByLabel('Dropped messages').fill('1');
  const t0 = Date.now();
  await dialog.getByRole('button', { name: 'Start search' }).click();
  await page.waitForFunction(
    () => ['bounded', 'found'].includes(document.querySelector('.search-status')?.dataset.phase),
    null,
    { polling: 'raf', timeout: 110_000 },
  );
  const wall = Date.now() - t0;
  console.log(`default run: ${await dialog.locator('.search-status').textContent()} (wall clock from the click: ${wall} ms)`);
});
