// The space-time diagram panel (src/ui/spacetime/): closed by default, arrows and marks of a
// known scenario, click and keyboard seek the timeline, filters hide fetches, legible at 600 and
// 1280 px in both themes (screenshots in e2e/screenshots/).
import { test, expect } from '@playwright/test';
import { open, step, watchConsole } from './helpers.mjs';

// KIP-101's acks=1 loss: produces, a crash, an election, a truncation.
const SCENARIO = '/#scenario=s04-acks1-loss&step=9';

async function openDiagram(page, span = '5000') {
  const toggle = page.locator('.spacetime .st-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('.st-svg')).toHaveCount(0);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('.st-svg')).toBeVisible();
  await page.getByLabel('Time window').selectOption(span);
}

const kinds = (page) => page.locator('.st-arrow').evaluateAll((gs) => gs.map((g) => g.dataset.kind));

test('the diagram opens with arrows and marks of a known scenario, and filters hide fetches', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, SCENARIO);
  await openDiagram(page);
  const shown = await kinds(page);
  expect(shown).toContain('Produce');
  // The readable first view: no replica fetches, no heartbeats.
  expect(shown.filter((k) => /Fetch|Heartbeat/.test(k))).toEqual([]);
  await expect(page.locator('.st-mark.crash')).not.toHaveCount(0);
  await expect(page.locator('.st-mark.election')).not.toHaveCount(0);
  await expect(page.locator('.st-lane-name')).toHaveCount(await page.locator('.st-lane').count());
  // Lanes: the producer first, then the brokers and the controller.
  const lanes = await page.locator('.st-lane-name').allTextContents();
  expect(lanes[0]).toBe('p1');
  expect(lanes).toContain('ctrl');

  const fetches = page.getByRole('checkbox', { name: 'replica fetch' });
  await fetches.check();
  expect(await kinds(page)).toContain('Fetch');
  await fetches.uncheck();
  expect((await kinds(page)).filter((k) => k === 'Fetch' || k === 'FetchResponse')).toEqual([]);

  // A lane collapses (its arrows go) and expands again.
  const b1 = page.locator('.st-lane-name', { hasText: 'b1' });
  const before = await page.locator('.st-arrow').count();
  await b1.click();
  await expect(page.locator('.st-lane.collapsed')).toHaveCount(1);
  expect(await page.locator('.st-arrow').count()).toBeLessThan(before);
  await page.locator('.st-lane.collapsed .st-lane-name').click();
  await expect(page.locator('.st-lane.collapsed')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('clicking an arrow or a mark, or Enter on one, moves the current step there', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, SCENARIO);
  await openDiagram(page);
  const now = await step(page);
  const arrow = page.locator('.st-arrow.delivered').first();
  const target = Number(await arrow.getAttribute('data-seek'));
  expect(target).toBeLessThan(now);
  // Hovering shows the message's fields below the drawing.
  await arrow.hover();
  await expect(page.locator('.st-detail')).toContainText('→');
  await arrow.click();
  await expect.poll(() => step(page)).toBe(target);

  // Forward again by keyboard: step to the end of the recording, focus a mark, press Enter.
  await page.goto('about:blank');
  await open(page, SCENARIO);
  await page.locator('.spacetime .st-toggle').click();
  await page.getByLabel('Time window').selectOption('5000');
  const mark = page.locator('.st-mark.crash').first();
  const crashStep = Number(await mark.getAttribute('data-seek'));
  await mark.focus();
  await expect(page.locator('.st-detail')).toContainText('crash');
  await page.keyboard.press('Enter');
  await expect.poll(() => step(page)).toBe(crashStep);
  // The redraw gives the focus back to the same mark: the keyboard user keeps their place.
  await expect.poll(() => page.evaluate(() => document.activeElement?.dataset.seek)).toBe(String(crashStep));
  // The current step's line is drawn, and the crash is on it.
  await expect(page.locator('.st-now-label')).toHaveText(`event ${crashStep}`);
  expect(problems).toEqual([]);
});

for (const width of [600, 1280]) {
  for (const scheme of ['light', 'dark']) {
    test(`the diagram is legible at ${width} px, ${scheme}`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await open(page, SCENARIO);
      // Closed, the panel does not push the page's first view down.
      const head = await page.locator('.spacetime').boundingBox();
      const picture = await page.locator('.cluster-svg').boundingBox();
      expect(head.y).toBeGreaterThan(picture.y + picture.height);
      await openDiagram(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const sizes = await page
        .locator('.st-svg text, .st-controls')
        .evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
      await page.locator('.spacetime').scrollIntoViewIfNeeded();
      await page.locator('.spacetime').screenshot({ path: `e2e/screenshots/spacetime-${width}-${scheme}.png` });
      expect(problems).toEqual([]);
    });
  }
}
