// The page: loads cleanly, lays out at desktop and phone widths in the light and the dark color
// scheme, with accessible names on every control. Screenshots go to e2e/screenshots/ (gitignored).
import { test, expect } from '@playwright/test';
import { watchConsole, open, play, pause, setSpeed } from './helpers.mjs';

const widths = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 600, height: 900 },
];
const schemes = ['light', 'dark'];

for (const { name, width, height } of widths) {
  for (const colorScheme of schemes) {
    test(`page loads at ${width}px in ${colorScheme} mode`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await open(page);

      const header = page.getByRole('heading', { level: 1 });
      await expect(header).toHaveText('Highwater — Kafka replication playground');
      for (const label of ['Play', 'Step', 'Back']) {
        await expect(page.getByRole('button', { name: label, exact: true })).toBeEnabled();
      }
      for (const title of ['Inspector', 'Produce', 'Invariants', 'Event log', 'Ledger', 'HW and LEO']) {
        await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
      }
      // Three brokers, each with a replica of t-0 and t-1; a controller; a producer.
      await expect(page.locator('.cluster-svg [data-broker]')).toHaveCount(3);
      await expect(page.locator('.cluster-svg .replica')).toHaveCount(6);
      await expect(page.locator('.controller [data-partition]')).toHaveCount(2);
      await expect(page.locator('.cluster-svg [data-producer]')).toHaveCount(1);

      // Layout: the side column beside the picture on a wide screen, below it under 900px.
      const pic = await page.locator('.stage').boundingBox();
      const side = await page.locator('.side').boundingBox();
      if (width >= 900) {
        expect(side.x).toBeGreaterThanOrEqual(pic.x + pic.width);
      } else {
        expect(side.y).toBeGreaterThanOrEqual(pic.y + pic.height);
      }
      // Nothing overflows horizontally, and the picture is legible (not shrunk below 90 %).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const svg = await page.locator('.cluster-svg').boundingBox();
      const viewBoxWidth = await page.locator('.cluster-svg').evaluate((e) => e.viewBox.baseVal.width);
      expect(svg.width / viewBoxWidth).toBeGreaterThan(width >= 900 ? 0.85 : 0.88);

      // The theme follows the color scheme.
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      if (colorScheme === 'dark') expect((r + g + b) / 3).toBeLessThan(80);
      else expect((r + g + b) / 3).toBeGreaterThan(180);

      // Every button, input and select has an accessible name.
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll('button, input, select, [role="button"]')]
          .filter((e) => {
            const label =
              e.getAttribute('aria-label') ||
              e.getAttribute('aria-labelledby') ||
              (e.labels && e.labels.length > 0 ? 'label' : '') ||
              e.textContent.trim() ||
              e.getAttribute('title');
            return !label;
          })
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      expect(unnamed).toEqual([]);

      // Let it run a little so the screenshot shows traffic and committed records.
      await setSpeed(page, 3);
      await play(page);
      await page.waitForTimeout(2500);
      await pause(page);
      await page.screenshot({ path: `e2e/screenshots/page-${name}-${width}-${colorScheme}.png`, fullPage: true });
      expect(problems).toEqual([]);
    });
  }
}

test('the theme button and data-theme override the color scheme', async ({ page }) => {
  const problems = watchConsole(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page);
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  const dark = await bg();
  expect(dark).not.toEqual(light);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  expect(await bg()).toEqual(light);

  // The toolbar button cycles auto → light → dark → auto, and the choice survives a reload.
  await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
  const button = page.getByRole('button', { name: /^Theme:/ });
  await expect(button).toHaveAccessibleName('Theme: auto');
  await button.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await button.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(problems).toEqual([]);
});
