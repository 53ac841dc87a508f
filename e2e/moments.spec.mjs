// Issue 16 items 4 and 5: big moments called out in the picture for a moment (and to screen
// readers), countdowns while the cluster waits on a timeout the user caused, and the event log
// telling a message's send from its delivery. Screenshots at 600 and 1280 px, light and dark.
import { test, expect } from '@playwright/test';
import { watchConsole, open, play, pause, setSpeed } from './helpers.mjs';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('highwater.welcome', 'dismissed'));
});

const callout = (page, kind) => page.locator(`.callouts .callout[data-moment="${kind}"]`);
const spoken = (page) => page.locator('.callouts [data-callouts]');

for (const width of [1280, 600]) {
  for (const scheme of ['light', 'dark']) {
    test(`a leader crash is called out as its fencing and election, which fade, at ${width} px ${scheme}`, async ({ page }) => {
      test.setTimeout(60_000);
      const problems = watchConsole(page);
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await open(page);
      await expect(page.locator('.callouts .callout')).toHaveCount(0);
      await page.locator('[data-broker="1"]').click();
      await page.getByRole('button', { name: 'Crash (kill -9)' }).click();
      await setSpeed(page, 6);
      await play(page);
      const elected = callout(page, 'election').first();
      await expect(elected).toBeVisible({ timeout: 20_000 });
      await pause(page);
      await expect(elected).toContainText(/^b\d elected leader of t-\d \(leader epoch \d+\)$/);
      // The same words for screen readers, in a polite live region.
      await expect(spoken(page)).toHaveAttribute('aria-live', 'polite');
      await expect(spoken(page)).toContainText('elected leader of t-');
      // Over the new leader's box, at a legible size.
      const leader = (await elected.textContent()).match(/^b(\d)/)[1];
      const box = await page.locator(`.cluster-svg [data-broker="${leader}"]`).boundingBox();
      const pill = await elected.boundingBox();
      expect(pill.x + pill.width).toBeLessThanOrEqual(box.x + box.width + 1);
      expect(Math.abs(pill.y + pill.height / 2 - box.y)).toBeLessThan(pill.height);
      const px = await elected.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      expect(px).toBeGreaterThanOrEqual(11);
      await page.screenshot({ path: `e2e/screenshots/moments-election-${width}-${scheme}.png` });
      // It goes by itself after about two seconds.
      await expect(elected).toBeHidden({ timeout: 5_000 });
      expect(problems).toEqual([]);
    });
  }
}

test('a follower cut off from its leader counts down to leaving the ISR, and the producer to its timeout', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page);
  await page.locator('[data-broker="1"]').click();
  await page.locator('.link-list li', { hasText: 'b1 ↔ b2' }).getByRole('button', { name: 'Cut', exact: true }).click();
  await page.getByLabel('value').fill('x');
  await page.getByRole('button', { name: 'Send' }).click();
  await setSpeed(page, 4);
  await play(page);
  const lag = page.locator('.callouts .countdown.lag').first();
  await expect(lag).toBeVisible({ timeout: 15_000 });
  await pause(page);
  await expect(lag).toContainText(/^b\d lagging on t-\d · out of ISR in \d+\.\d s$/);
  const seconds = async (loc) => Number((await loc.textContent()).match(/in ([\d.]+) s/)[1]);
  const first = await seconds(lag);
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThanOrEqual(45);
  // The acks=all record waits on the lagging follower: the producer counts down too.
  const wait = page.locator('.callouts .countdown.wait[data-producer="1"]');
  await expect(wait).toContainText(/^p1 waiting · (times out|fails) in \d+\.\d s$/);
  await page.screenshot({ path: 'e2e/screenshots/moments-countdowns-1280.png' });
  // Step a few events, then play a little: the countdown only goes down.
  let last = first;
  for (let i = 0; i < 4; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    const now = await seconds(lag);
    expect(now).toBeLessThanOrEqual(last);
    last = now;
  }
  await play(page);
  await page.waitForTimeout(1_500);
  await pause(page);
  if (await lag.count()) expect(await seconds(lag)).toBeLessThan(last);
  // At the end the follower leaves the ISR: the countdown goes and the shrink is called out.
  await setSpeed(page, 7);
  await play(page);
  await expect(page.locator('.callouts .countdown.lag')).toHaveCount(0, { timeout: 60_000 });
  await pause(page);
  const isrs = await page.locator('.controller [data-isr]').evaluateAll((es) => es.map((e) => e.dataset.isr.split(',').length));
  expect(Math.min(...isrs)).toBeLessThan(3);
  expect(problems).toEqual([]);
});

test('the event log tells a message sent from the same message delivered', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page);
  for (let i = 0; i < 12; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  const rows = page.locator('.event-log li[data-message]:not([data-message=""])');
  const pairs = await rows.evaluateAll((lis) =>
    lis.map((li) => ({
      id: li.dataset.message,
      kind: li.dataset.kind,
      who: li.querySelector('.ev-who').textContent,
      wire: li.querySelector('.ev-wire')?.textContent,
    })),
  );
  const delivered = pairs.find((p) => p.kind === 'deliver' && pairs.some((q) => q.id === p.id && q.kind === 'send'));
  expect(delivered, JSON.stringify(pairs)).toBeTruthy();
  const sent = pairs.find((q) => q.id === delivered.id && q.kind === 'send');
  expect(sent.wire).toBe('sent');
  expect(delivered.wire).toBe('delivered');
  // "b1 → b2" where it left, "b2 ← b1" where it arrived.
  const [from, to] = sent.who.split(' → ');
  expect(delivered.who).toBe(`${to} ← ${from}`);
  await page.locator('.event-log').screenshot({ path: 'e2e/screenshots/moments-event-log-1280.png' });
  expect(problems).toEqual([]);
});
