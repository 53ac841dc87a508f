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
  // The countdown lasts well under a second of virtual time in the default run, so playing and
  // then pausing races with real time. Step one event per frame instead, inside the page, until
  // the controller reports the silence.
  const seen = await page.evaluate(async () => {
    const step = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Step');
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let i = 0; i < 2000; i++) {
      if (document.querySelector('.controller .ctrl-wait')) return true;
      step.click();
      await frame();
    }
    return false;
  });
  expect(seen).toBe(true);
  await expect(wait).toContainText('b1 silent · fenced in');
  await expect(wait).toHaveAttribute('data-silent', '1');
  // Read in one go: the countdown may end with the next event.
  const seconds = () =>
    page.evaluate(() => {
      const text = document.querySelector('.controller .ctrl-wait')?.textContent ?? '';
      const m = text.match(/fenced in ([\d.]+) s/);
      return m ? Number(m[1]) : null;
    });
  let last = await seconds();
  expect(last).not.toBeNull();
  await page.locator('.controller').screenshot({ path: 'e2e/screenshots/countdown-1280.png' });
  // Step on while it lasts: the countdown only goes down.
  for (let i = 0; i < 5; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    const now = await seconds();
    if (now === null) break;
    expect(now).toBeLessThanOrEqual(last);
    last = now;
  }
  await setSpeed(page, 6);
  await play(page);
  await expect(wait).toHaveCount(0, { timeout: 15_000 });
  await pause(page);
  await expect(page.locator('.controller .node-sub')).toContainText(/KRaft · [1-9]\d* elections?/);
  expect(problems).toEqual([]);
});
