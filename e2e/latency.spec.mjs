// Issue 13 item 4: produce-to-acknowledgement latency per acks setting, next to the HW/LEO plot.
// Records sent with acks=0, 1 and all in one run get a row each, and their latencies order as
// Kafka's acknowledgement rules say (R2.6, R2.7).
import { test, expect } from '@playwright/test';
import { watchConsole, open, play, pause, setSpeed } from './helpers.mjs';

test('acks=0, 1 and all are compared in one run', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page);
  const panel = page.locator('.latency-panel');
  await expect(panel).toContainText('No record sent yet');
  const form = page.locator('form').filter({ has: page.getByTitle('acks for this record') });
  for (const acks of ['0', '1', 'all']) {
    await page.getByTitle('acks for this record').selectOption(acks);
    await form.getByRole('button', { name: 'Send' }).click();
  }
  await setSpeed(page, 4);
  await play(page);
  // The default run also auto-produces with acks=all: that row has more records.
  for (const acks of ['0', '1']) {
    await expect(panel.locator(`tr[data-acks="${acks}"] td`).first()).toHaveText('1', { timeout: 20_000 });
  }
  await expect.poll(async () => Number(await panel.locator('tr[data-acks="all"] td').first().textContent())).toBeGreaterThan(0);
  await pause(page);
  const p50 = async (acks) => Number(await panel.locator(`tr[data-acks="${acks}"] td`).nth(1).textContent());
  const [zero, one, all] = [await p50('0'), await p50('1'), await p50('all')];
  expect(zero).toBeLessThan(one);
  expect(one).toBeLessThan(all);
  // acks=0's one record fills one bar of its histogram.
  await expect(panel.locator('tr[data-acks="0"] .lat-bar:not([height="0"])')).toHaveCount(1);
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: 'e2e/screenshots/latency-1280.png' });
  expect(problems).toEqual([]);
});
