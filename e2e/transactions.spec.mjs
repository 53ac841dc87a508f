// Transactions on the page (issue: transactions and exactly-once): the transaction coordinator's
// badge, markers (C / A) and aborted records in the log strips, the transactions panel, and the
// producer's transaction calls from its inspector. Screenshots go to e2e/screenshots/.
import { test, expect } from '@playwright/test';
import { watchConsole, open, setSpeed, play, pause } from './helpers.mjs';

const cells = (page, cls) => page.locator(`.cluster-svg .replica[data-partition="t-0"] .cell.${cls}`);

test('a fenced zombie: the coordinator badge, the ABORT marker, aborted records and the panel', async ({ page }) => {
  const problems = watchConsole(page);
  // S31 after p2's initTransactions fenced p1 and p1's commit failed.
  await open(page, '/#scenario=s31-zombie-producer-fenced&step=12');
  const badge = page.locator('.cluster-svg .txn-badge');
  await expect(badge).toHaveAttribute('data-txn-state', 'Empty');
  await expect(badge).toHaveAttribute('data-txn-coordinator', '1');
  // x (aborted) and its ABORT marker on each of the three replicas of t-0.
  await expect(cells(page, 'marker')).toHaveCount(3);
  await expect(cells(page, 'aborted')).toHaveCount(3);
  const panel = page.locator('.txn-panel');
  await expect(panel).toBeVisible();
  // Names may wrap after their underscores (a zero-width space follows each).
  await expect(panel.locator('tr[data-producer="1"]')).toContainText(/FATAL_\u200b?ERROR/);
  await expect(panel.locator('tr[data-producer="1"]')).toContainText(/PRODUCER_\u200b?FENCED/);
  await expect(panel.locator('tr[data-producer="2"]')).toContainText('2000 / e2');
  // __transaction_state is drawn on its three replicas, labelled, muted.
  await expect(page.locator('.cluster-svg .replica[data-partition="__transaction_state-0"]')).toHaveCount(3);
  for (const [w, scheme] of [[1280, 'light'], [600, 'dark']]) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `e2e/screenshots/transactions-zombie-${w}-${scheme}.png`, fullPage: true });
  }
  expect(problems).toEqual([]);
});

test('begin, send and commit from the producer inspector: the LSO holds, then the COMMIT marker lands', async ({ page }) => {
  const problems = watchConsole(page);
  // S29 after step 3: p1 has called initTransactions() and is READY.
  await open(page, '/#scenario=s29-atomic-write-two-partitions&step=3');
  await page.locator('.cluster-svg [data-producer="1"]').first().click();
  const section = page.locator('.txn-section');
  await expect(section).toHaveAttribute('data-txn-state', 'READY');
  await expect(section.getByRole('button', { name: 'Commit' })).toBeDisabled();
  await section.getByRole('button', { name: 'Begin' }).click();
  await expect(section).toHaveAttribute('data-txn-state', 'IN_TRANSACTION');
  await page.getByLabel('value').fill('z');
  await page.locator('.panel.produce').getByRole('button', { name: 'Send', exact: true }).click();
  await setSpeed(page, 4);
  await play(page);
  // The open transaction holds the LSO of the partition z went to below its HW.
  await expect
    .poll(() => page.evaluate(() => [...document.querySelectorAll('.cluster-svg .replica')]
      .some((r) => r.dataset.partition.startsWith('t-') && Number(r.dataset.lso) < Number(r.dataset.hw))), { timeout: 15_000 })
    .toBe(true);
  await pause(page);
  await expect(page.locator('.cluster-svg .lso').first()).toBeVisible();
  await page.locator('.cluster-svg [data-producer="1"]').first().click();
  await section.getByRole('button', { name: 'Commit' }).click();
  await play(page);
  await expect(page.locator('.cluster-svg .cell.marker').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.cluster-svg .txn-badge')).toHaveAttribute('data-txn-state', 'CompleteCommit', { timeout: 15_000 });
  await pause(page);
  await expect(page.locator('.cluster-svg .lso')).toHaveCount(0);
  expect(problems).toEqual([]);
});
