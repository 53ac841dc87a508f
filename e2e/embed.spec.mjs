// Embedding: the example documentation page (www/docs-example.html, copied into dist/) shows
// three iframe embeds that each render a picture and one playground driven from JavaScript, with
// no console errors or warnings, and the embeds leave the playground's saved session alone. The
// JS-driven one loads the API's own module, which the playground page never requests.
// Screenshots at 600 and 1280 px in both color schemes go to e2e/screenshots/ (gitignored).
import { test, expect } from '@playwright/test';
import { watchConsole } from './helpers.mjs';

test('the docs page: three embeds with pictures and a JS-driven playground', async ({ page, context }) => {
  const problems = watchConsole(page);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  // The playground's own saved session, which embeds must not overwrite.
  await page.goto('/index.html');
  await expect(page.locator('.cluster-svg')).toBeVisible();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const session = await page.evaluate(() => localStorage.getItem('highwater.session'));
  expect(session).toBeTruthy();
  expect(requested.filter((p) => p.includes('highwater-api'))).toEqual([]);

  await page.goto('/docs-example.html');
  const frames = page.locator('iframe.highwater');
  await expect(frames).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await frames.nth(i).scrollIntoViewIfNeeded();
    const f = frames.nth(i).contentFrame();
    await expect(f.locator('.cluster-svg')).toBeVisible();
    await expect(f.locator('.cluster-svg [data-broker]')).toHaveCount(2);
    await expect(f.locator('.tutorial-panel .tut-counter')).toHaveText(/^Step \d+ of \d+$/);
    // Minimal chrome: no header, no side panels.
    await expect(f.locator('.app-header')).toHaveCount(0);
    await expect(f.locator('.panels')).toHaveCount(0);
  }
  // The two KIP-101 embeds differ exactly where the truncation rule matters.
  const hw = frames.nth(1).contentFrame();
  const epoch = frames.nth(2).contentFrame();
  await expect(hw.locator('[data-broker="1"] [data-partition="t-0"]')).toHaveAttribute('data-log', 'm1');
  await expect(epoch.locator('[data-broker="1"] [data-partition="t-0"]')).toHaveAttribute('data-log', 'm1,m2');

  // Embeds are independent: stepping one leaves the others where they were.
  const first = frames.nth(0).contentFrame();
  const otherStep = await hw.locator('.cluster-svg').getAttribute('data-step');
  await first.getByRole('button', { name: 'Next step' }).click();
  await expect(first.locator('.tut-counter')).toHaveText('Step 4 of 8');
  await expect(hw.locator('.cluster-svg')).toHaveAttribute('data-step', otherStep);

  // The JS-driven playground plays chapter 1.
  const live = page.locator('#live');
  await live.scrollIntoViewIfNeeded();
  await expect(page.locator('#live-status')).toHaveText('6 steps');
  await expect(page.locator('#live-replicas tr')).toHaveCount(2);
  for (let k = 1; k <= 6; k++) await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.locator('#live-status')).toHaveText('Step 6 of 6: The producer gets its ack');
  await expect(page.locator('#live-replicas tr').first()).toContainText(/b1\s*leader\s*a\s*1\s*1/);
  await expect(page.locator('#live-events li').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next step' })).toBeDisabled();
  // The docs page itself mounted no playground; the API came from its own module.
  await expect(page.locator('.app')).toHaveCount(0);
  expect(requested).toContain('/highwater-api_bg.wasm');

  // The playground's saved session is untouched.
  expect(await page.evaluate(() => localStorage.getItem('highwater.session'))).toBe(session);
  expect(problems).toEqual([]);
});

test('an embed fits 480 to 800 px and loads a #run= link', async ({ page }) => {
  const problems = watchConsole(page);
  for (const width of [480, 800]) {
    await page.setViewportSize({ width, height: 700 });
    await page.goto('/index.html?embed#scenario=s04-acks1-loss&step=9');
    await expect(page.locator('.cluster-svg')).toBeVisible();
    await expect(page.locator('.tutorial-panel')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const svg = await page.locator('.cluster-svg').boundingBox();
    expect(svg.width).toBeGreaterThan(width * 0.85);
    await page.screenshot({ path: `e2e/screenshots/embed-${width}.png` });
  }
  // "Open in the playground" carries the run.
  const href = await page.getByRole('link', { name: /Open in the playground/ }).getAttribute('href');
  expect(href).toMatch(/#scenario=s04-acks1-loss&step=9$/);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.locator('.tutorial-panel .tut-off')).toBeVisible();
  const run = (await page.getByRole('link', { name: /Open in the playground/ }).getAttribute('href')).split('#')[1];
  expect(run).toMatch(/^run=/);
  await page.goto('about:blank');
  await page.goto(`/index.html?embed#${run}`);
  await expect(page.locator('.cluster-svg [data-broker]')).toHaveCount(2);
  await expect(page.locator('.tutorial-panel')).toHaveCount(0);
  expect(problems).toEqual([]);
});

for (const { width, height } of [{ width: 1280, height: 900 }, { width: 600, height: 1000 }]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`docs page screenshot at ${width}px, ${colorScheme}`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await page.goto('/docs-example.html');
      const frames = page.locator('iframe.highwater');
      for (let i = 0; i < 3; i++) {
        await frames.nth(i).scrollIntoViewIfNeeded();
        await expect(frames.nth(i).contentFrame().locator('.cluster-svg')).toBeVisible();
      }
      await expect(page.locator('#live-status')).toHaveText('6 steps');
      await page.getByRole('button', { name: 'Next step' }).click();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `e2e/screenshots/docs-${width}-${colorScheme}.png`, fullPage: true });
      expect(problems).toEqual([]);
    });
  }
}
