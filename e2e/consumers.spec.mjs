// The consuming side of the playground: consumers in the picture, their position markers moving
// as they process, a crash that rebalances the group (new generation, the survivor owns every
// partition). Screenshots at 600 and 1280 px in both color schemes go to e2e/screenshots/.
import { test, expect } from '@playwright/test';
import { watchConsole, open, setSpeed, play, pause } from './helpers.mjs';

// Chapter 17 after step 1: two consumers in a stable group, one partition each.
const TWO_CONSUMERS = '/#tutorial=17-consumer-groups-and-rebalancing&step=1';
const consumer = (page, n) => page.locator(`.cluster-svg .consumer[data-consumer="${n}"]`);
const badge = (page) => page.locator('.cluster-svg .coord-badge');

async function generation(page) {
  return Number(await badge(page).getAttribute('data-generation'));
}

/** The largest position any consumer's marker shows. */
async function maxPosition(page) {
  return page.evaluate(() =>
    Math.max(-1, ...[...document.querySelectorAll('.cluster-svg .position-mark')].map((e) => Number(e.dataset.position))),
  );
}

test('two consumers are shown, their positions advance, and a crash rebalances the group', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, TWO_CONSUMERS);
  await expect(page.locator('.cluster-svg .consumer')).toHaveCount(2);
  await expect(consumer(page, 1)).toHaveAttribute('data-owns', 't-0');
  await expect(consumer(page, 2)).toHaveAttribute('data-owns', 't-1');
  await expect(badge(page)).toHaveAttribute('data-group-state', 'Stable');
  const gen0 = await generation(page);
  expect(gen0).toBe(2);
  // The internal partition is drawn like the others, on every replica of it.
  await expect(page.locator('.cluster-svg .replica[data-partition="__consumer_offsets-0"]')).toHaveCount(3);
  await expect(page.getByRole('heading', { name: 'Consumer group', exact: true })).toBeVisible();

  // Produce every 100 ms and play: the consumers process and their position markers move.
  await page.locator('.panel.produce input[aria-label="auto-produce interval in milliseconds"]').fill('100');
  await page.locator('.panel.produce').getByRole('button', { name: 'Start', exact: true }).click();
  await setSpeed(page, 4);
  await play(page);
  await expect.poll(() => maxPosition(page), { timeout: 15_000 }).toBeGreaterThan(1);
  const before = await maxPosition(page);
  await expect.poll(() => maxPosition(page), { timeout: 15_000 }).toBeGreaterThan(before);
  await expect(page.locator('.cluster-svg .committed-mark').first()).toBeVisible();
  await pause(page);

  // Crash c1 from its inspector.
  await consumer(page, 1).click();
  await expect(page.locator('#inspector-title')).toHaveText('Consumer c1');
  await page.getByRole('button', { name: 'Crash (kill -9)' }).click();
  await expect(consumer(page, 1)).toHaveAttribute('data-state', 'crashed');
  await setSpeed(page, 6);
  await play(page);
  await expect.poll(() => generation(page), { timeout: 20_000 }).toBeGreaterThan(gen0);
  await expect(consumer(page, 2)).toHaveAttribute('data-owns', /^(t-0,t-1|t-1,t-0)$/, { timeout: 20_000 });
  await pause(page);
  await expect(badge(page)).toHaveAttribute('data-group-state', 'Stable');
  expect(problems).toEqual([]);
});

for (const width of [600, 1280]) {
  for (const scheme of ['light', 'dark']) {
    test(`screenshot of a consumer group at ${width} px, ${scheme}`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await open(page, '/#tutorial=17-consumer-groups-and-rebalancing&step=3');
      await expect(page.locator('.cluster-svg .consumer')).toHaveCount(2);
      await expect(page.locator('.cluster-svg .committed-mark')).toHaveCount(1);
      await page.locator('.picture').screenshot({ path: `e2e/screenshots/consumers-picture-${width}-${scheme}.png` });
      await page.screenshot({ path: `e2e/screenshots/consumers-${width}-${scheme}.png`, fullPage: true });
      expect(problems).toEqual([]);
    });
  }
}

test('a consumer opens its actions, and the configuration dialog sets the consumers', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, TWO_CONSUMERS);
  await consumer(page, 2).click();
  const inspector = page.locator('.inspector');
  await expect(inspector.locator('#inspector-title')).toHaveText('Consumer c2');
  await inspector.getByRole('button', { name: 'Commit before processing' }).click();
  await expect(inspector.getByRole('button', { name: 'Commit before processing' })).toHaveAttribute('aria-pressed', 'true');
  await expect(consumer(page, 2)).toContainText('commit before');
  await inspector.screenshot({ path: 'e2e/screenshots/consumers-inspector.png' });

  await page.getByRole('button', { name: 'Config', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('group', { name: 'Consumers' })).toBeVisible();
  await dialog.getByRole('spinbutton', { name: /^consumers / }).fill('3');
  await dialog.getByRole('combobox', { name: 'partition.assignment.strategy' }).selectOption('roundrobin');
  await dialog.screenshot({ path: 'e2e/screenshots/consumers-config.png' });
  await dialog.getByRole('button', { name: 'Start new run' }).click();
  await expect(page.locator('.cluster-svg .consumer')).toHaveCount(3);
  await page.getByRole('button', { name: 'Add a consumer' }).click();
  await expect(page.locator('.cluster-svg .consumer')).toHaveCount(4);
  expect(problems).toEqual([]);
});
