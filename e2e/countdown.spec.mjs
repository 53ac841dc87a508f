// Issue 16 item 5: while the controller waits out broker.session.timeout.ms after the user
// crashed a broker, its header counts down to the fencing; the countdown goes when the broker is
// fenced and the election is counted.
import { test, expect } from '@playwright/test';
import { watchConsole, open, play, pause, setSpeed } from './helpers.mjs';

test('a crash starts a visible countdown to the fencing, which ends in the election', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  const wait = page.locator('.controller .ctrl-wait');
  await expect(wait).toHaveCount(0);
  await page.locator('[data-broker="1"]').click();
  await page.getByRole('button', { name: 'Crash (kill -9)' }).click();
  await setSpeed(page, 3);
  await play(page);
  await expect(wait).toContainText('b1 silent · fenced in', { timeout: 10_000 });
  await expect(wait).toHaveAttribute('data-silent', '1');
  await pause(page);
  const seconds = async () => Number((await wait.textContent()).match(/fenced in ([\d.]+) s/)[1]);
  const first = await seconds();
  await page.locator('.controller').screenshot({ path: 'e2e/screenshots/countdown-1280.png' });
  // Step a few events: the countdown only goes down.
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  expect(await seconds()).toBeLessThanOrEqual(first);
  await setSpeed(page, 6);
  await play(page);
  await expect(wait).toHaveCount(0, { timeout: 15_000 });
  await pause(page);
  await expect(page.locator('.controller .node-sub')).toContainText(/KRaft · [1-9]\d* elections/);
  expect(problems).toEqual([]);
});
