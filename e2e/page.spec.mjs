// The page skeleton: loads cleanly, renders the header, lays out at desktop and phone widths,
// in the light and the dark color scheme. Screenshots go to e2e/screenshots/ (gitignored).
import { test, expect } from '@playwright/test';

const widths = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 600, height: 900 },
];
const schemes = ['light', 'dark'];

/** Collects console errors/warnings and uncaught exceptions of a page. */
function watchConsole(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      problems.push(`${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

for (const { name, width, height } of widths) {
  for (const colorScheme of schemes) {
    test(`page loads at ${width}px in ${colorScheme} mode`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await page.goto('/');

      // The header is rendered by the Yew app, so seeing it proves the wasm loaded and ran.
      const header = page.getByRole('heading', { level: 1 });
      await expect(header).toHaveText('Highwater — Kafka replication playground');
      await expect(header).toBeVisible();

      for (const label of ['Play', 'Step', 'Back']) {
        await expect(page.getByRole('button', { name: label })).toBeDisabled();
      }
      const cluster = page.locator('.cluster svg');
      await expect(cluster).toBeVisible();
      for (const title of ['Event log', 'Ledger', 'Invariants']) {
        await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
      }

      // Layout: panels beside the picture on a wide screen, stacked below it under 900px.
      const pic = await cluster.boundingBox();
      const panels = await page.locator('.panels').boundingBox();
      if (width >= 900) {
        expect(panels.x).toBeGreaterThanOrEqual(pic.x + pic.width);
      } else {
        expect(panels.y).toBeGreaterThanOrEqual(pic.y + pic.height);
      }
      // Nothing overflows horizontally.
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth).toBeLessThanOrEqual(width);

      // The theme follows the color scheme.
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      const luminance = (r + g + b) / 3;
      if (colorScheme === 'dark') expect(luminance).toBeLessThan(80);
      else expect(luminance).toBeGreaterThan(180);

      await page.screenshot({
        path: `e2e/screenshots/page-${name}-${width}-${colorScheme}.png`,
        fullPage: true,
      });
      expect(problems).toEqual([]);
    });
  }
}

test('data-theme attribute overrides the color scheme', async ({ page }) => {
  const problems = watchConsole(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  const dark = await bg();
  expect(dark).not.toEqual(light);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  expect(await bg()).toEqual(light);
  expect(problems).toEqual([]);
});
