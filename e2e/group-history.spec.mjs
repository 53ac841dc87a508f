// The group panel's assignment history: one row per generation, the partitions that moved in a
// rebalance highlighted (tutorial chapter 17: c2 leaves, c1 takes t-1 over).
import { test, expect } from '@playwright/test';
import { open, watchConsole } from './helpers.mjs';

test('the generations table shows who owned each partition and what moved', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, '/#tutorial=17-consumer-groups-and-rebalancing&step=5');
  const table = page.locator('.group-panel table.generations');
  await expect(table).toBeVisible();
  const headers = await table.locator('thead th').allTextContents();
  expect(headers).toEqual(['gen', 't-0', 't-1']);
  const rows = table.locator('tbody tr');
  const n = await rows.count();
  expect(n).toBeGreaterThanOrEqual(2);
  const cells = async (i) => rows.nth(i).locator('td').allTextContents();
  // Before c2 left: one partition each; after: c1 owns both, and only t-1 moved.
  expect(await cells(n - 2)).toEqual(['c1', 'c2']);
  expect(await cells(n - 1)).toEqual(['c1', 'c1']);
  const last = rows.nth(n - 1).locator('td');
  await expect(last.nth(0)).not.toHaveClass(/moved/);
  await expect(last.nth(1)).toHaveClass(/moved/);
  const gens = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.generation)));
  expect(gens[n - 1]).toBeGreaterThan(gens[n - 2]);
  // The last generation is the coordinator's current one.
  await expect(page.getByTestId('group-head')).toContainText(`generation ${gens[n - 1]}`);
  expect(problems).toEqual([]);
});
