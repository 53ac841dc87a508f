// The consume-transform-produce pipeline on the page (issue: transactions and exactly-once, items
// 6, 7 and 9): the pipeline panel with its instances and exactly-once verdict, the ledger's
// per-input outputs and external writes, and the configuration dialog's pipeline fields.
// Screenshots go to e2e/screenshots/.
import { test, expect } from '@playwright/test';
import { watchConsole, open } from './helpers.mjs';

test('exactly once through a crash: one visible output per order, the database written twice', async ({ page }) => {
  const problems = watchConsole(page);
  // The external-write scenario at its end: the instance crashed, restarted and replayed a.
  await open(page, '/#scenario=pipeline-external-write&step=8');
  const panel = page.locator('.pipeline-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('orders → receipts · exactly_once_v2');
  await expect(panel).toHaveAttribute('data-once', '3');
  await expect(panel).toHaveAttribute('data-duplicated', '0');
  await expect(panel).toContainText('1 written twice to the external system');
  await expect(panel.locator('tr[data-consumer="1"]')).toContainText('c1 + p2');
  // The ledger: a's row says one visible output and two database writes.
  const a = page.locator('.panel.ledger tr[data-value="a"]');
  await expect(a.locator('[data-outputs]')).toHaveAttribute('data-outputs', '1');
  await expect(a.locator('[data-external]')).toHaveAttribute('data-external', '2');
  for (const [w, scheme] of [[1280, 'light'], [600, 'dark']]) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `e2e/screenshots/pipeline-eos-${w}-${scheme}.png`, fullPage: true });
  }
  expect(problems).toEqual([]);
});

test('at least once: the same crash leaves a duplicate output, and the panel says so', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, '/#scenario=pipeline-at-least-once-crash&step=8');
  const panel = page.locator('.pipeline-panel');
  await expect(panel).toContainText('at_least_once');
  await expect(panel).toHaveAttribute('data-duplicated', '1');
  await expect(page.locator('.panel.ledger tr[data-value="a"] [data-outputs]')).toHaveAttribute('data-outputs', '2');
  expect(problems).toEqual([]);
});
