// The counterexample search dialog: from the acks=1 scenario's setup it finds the known
// acknowledged-record loss (18 moves) in the Web Worker while the page keeps drawing frames, opens
// it as an ordinary run whose invariant is broken, and Cancel stops a long search. The worker's
// files are fetched when the dialog opens (so they load while the options are picked), never
// with the page. Screenshots at 600 and 1280 px in both color
// schemes go to e2e/screenshots/ (gitignored).
import { test, expect } from '@playwright/test';
import { framesInASecond, open, watchConsole } from './helpers.mjs';

// S4 after its setup (record a committed), before any fault: the search picks the faults.
const ACKS1 = '/#scenario=s04-acks1-loss&step=2';
const ACKED = 'no acknowledged record lost';

/** Opens the dialog from the toolbar. */
async function openDialog(page) {
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Search for a counterexample' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('the search finds the acks=1 loss and opens it as a run with the invariant broken', async ({ page }) => {
  const problems = watchConsole(page);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await open(page, ACKS1);
  await expect(page.locator(`[data-invariant="${ACKED}"]`)).toHaveAttribute('data-state', 'holds');
  expect(requested.filter((p) => p.includes('highwater-check'))).toEqual([]);

  const dialog = await openDialog(page);
  // The open dialog loads the worker while the user picks the options.
  await expect
    .poll(() => requested.some((p) => p.endsWith('highwater-check_bg.wasm')))
    .toBe(true);
  await dialog.getByLabel('Look for').selectOption(`inv:${ACKED}`);
  await dialog.getByLabel('Produced records').fill('1');
  await dialog.getByRole('button', { name: 'Start search' }).click();
  const status = dialog.locator('.search-status');
  await expect(status).toHaveAttribute('data-phase', 'found', { timeout: 20_000 });
  await expect(status).toContainText(`“${ACKED}” breaks after 18 moves`);
  // The search ran in the worker loaded with the dialog: its files were fetched once.
  expect(requested.filter((p) => p.endsWith('highwater-check_bg.wasm')).length).toBe(1);

  await dialog.getByRole('button', { name: 'Open the counterexample as a run' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.notice[data-topic="search"]')).toContainText('breaks after 18 moves');
  // Broken at the run's last step: acks=1 does not promise it, so the page marks it an anomaly.
  const inv = page.locator(`[data-invariant="${ACKED}"]`);
  await expect(inv).toHaveAttribute('data-state', 'anomaly');
  await expect(inv.locator('.violation')).toContainText('acknowledged');
  // An ordinary run: in the address bar, and steppable back to before the loss.
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#run=/);
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(inv).toHaveAttribute('data-state', 'holds');
  // Reopened, the dialog keeps the last search's form.
  const again = await openDialog(page);
  await expect(again.getByLabel('Look for')).toHaveValue(`inv:${ACKED}`);
  await expect(again.getByLabel('Produced records')).toHaveValue('1');
  expect(problems).toEqual([]);
});

test('Cancel stops a long search and the page keeps drawing while it runs', async ({ page }) => {
  const problems = watchConsole(page);
  // A long search: S4's run without any fault, its timed events to depth 10,000 (about 870,000
  // states, 5 s here). Its frontier stays small, so no memory bound ends it early, as it ended a
  // search with faults from the default run after 1–2 s.
  await open(page, ACKS1);
  const dialog = await openDialog(page);
  for (const budget of ['Produced records', 'Crashes', 'Power failures', 'Restarts', 'Pauses', 'Cuts', 'Heals', 'Dropped messages']) {
    await dialog.getByLabel(budget).fill('0');
  }
  await dialog.getByLabel('Max depth (moves)').fill('10000');
  await dialog.getByLabel('Max states').fill('5000000');
  await dialog.getByLabel('Max memory (MiB)').fill('1024');
  await dialog.getByRole('button', { name: 'Start search' }).click();
  const status = dialog.locator('.search-status');
  await expect(status).toContainText('Searching:', { timeout: 10_000 });
  // The worker searches (the first test sees its files fetched); the page's own thread keeps
  // drawing: 60 frames a second alone, 12–19 while another test's page and the search share the
  // machine's two cores. A search on the page's thread would draw one frame or none. Cancel is
  // pressed from inside the page at the end of that second, with no round trip in between.
  const { frames, pressed } = await framesInASecond(page, 'Cancel', '[role="dialog"]');
  expect(frames, 'frames keep coming while the worker searches').toBeGreaterThan(5);
  expect(pressed, 'the search was still running after a second').toBe(true);
  await expect(status).toHaveAttribute('data-phase', 'cancelled');
  await expect(status).toContainText('Cancelled after');
  const after = await status.textContent();
  await page.waitForTimeout(500);
  await expect(status).toHaveText(after);
  await expect(dialog.getByRole('button', { name: 'Start search' })).toBeEnabled();
  expect(problems).toEqual([]);
});

test('the dialog opens and closes from the keyboard', async ({ page }) => {
  await open(page);
  const button = page.getByRole('button', { name: 'Search', exact: true });
  await button.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Search for a counterexample' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Look for')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(button).toBeFocused();
});

test('a worker that cannot load is reported, not left spinning', async ({ page }) => {
  await open(page);
  // Its script missing: the worker's error event (the one the open dialog loads fails too).
  await page.route('**/search-worker.js', (route) => route.abort());
  const dialog = await openDialog(page);
  const status = dialog.locator('.search-status');
  await dialog.getByRole('button', { name: 'Start search' }).click();
  await expect(status).toHaveAttribute('data-phase', 'failed', { timeout: 10_000 });
  await expect(dialog.getByRole('button', { name: 'Start search' })).toBeEnabled();
  // Its wasm missing: the loader says so.
  await page.unroute('**/search-worker.js');
  await page.context().route('**/highwater-check_bg.wasm', (route) => route.abort());
  await dialog.getByRole('button', { name: 'Start search' }).click();
  await expect(status).toHaveAttribute('data-phase', 'refused', { timeout: 10_000 });
  await expect(status).toContainText('its wasm did not load');
});

test('budgets a tab cannot hold are refused in words', async ({ page }) => {
  await open(page);
  const dialog = await openDialog(page);
  await dialog.getByLabel('Max states').fill('100000000');
  await dialog.getByRole('button', { name: 'Start search' }).click();
  const status = dialog.locator('.search-status');
  await expect(status).toHaveAttribute('data-phase', 'refused', { timeout: 10_000 });
  await expect(status).toContainText('MiB');
});

for (const width of [600, 1280]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`search dialog screenshot at ${width}px, ${colorScheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await open(page, ACKS1);
      const dialog = await openDialog(page);
      await dialog.getByLabel('Look for').selectOption(`inv:${ACKED}`);
      await dialog.getByLabel('Produced records').fill('1');
      await dialog.getByRole('button', { name: 'Start search' }).click();
      await expect(dialog.locator('.search-status')).toHaveAttribute('data-phase', 'found', { timeout: 20_000 });
      const box = await dialog.boundingBox();
      expect(box.width).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `e2e/screenshots/search-${width}-${colorScheme}.png` });
    });
  }
}
