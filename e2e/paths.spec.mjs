// Issue 16 item 6, readable message paths: every pill carries an arrowhead pointing the way it
// travels; broker and controller links run in lanes that stay between the two nodes they join;
// selecting or hovering a message follows it (its route drawn to the receiver, a caption, the
// other messages faded).
import { test, expect } from '@playwright/test';
import { watchConsole, open } from './helpers.mjs';

/** Steps until a message whose inspector entry matches `re` is in flight; clicks it. */
async function selectInFlight(page, re) {
  for (let i = 0; i < 60; i++) {
    const pick = page.locator('.msg-picks button', { hasText: re });
    if ((await pick.count()) > 0) {
      await pick.first().click();
      return;
    }
    await page.getByRole('button', { name: 'Step', exact: true }).click();
  }
  throw new Error(`no message matching ${re} in flight within 60 steps`);
}

/** The subpaths of a path's `d`. */
function subpaths(d) {
  return d.split('M').filter(Boolean);
}

test('every message pill carries an arrowhead', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await selectInFlight(page, /Fetch/);
  const ds = await page
    .locator('.messages path.msg:not(.k-heartbeat):not(.focus)')
    .evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''));
  let pills = 0;
  for (const d of ds) {
    const parts = subpaths(d);
    // A pill's outline has arcs; an arrowhead is three straight corners.
    const outlines = parts.filter((s) => s.includes('a'));
    const heads = parts.filter((s) => !s.includes('a') && (s.match(/L/g) ?? []).length === 2);
    expect(heads.length).toBe(outlines.length);
    pills += outlines.length;
  }
  expect(pills).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});

test('a selected message is followed: its route, between its two nodes, and a caption', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page);
  const layer = page.locator('.messages');
  await expect(layer).not.toHaveClass(/following/);
  await selectInFlight(page, /Fetch/);
  await expect(layer).toHaveClass(/following/);
  const id = await layer.getAttribute('data-follow');
  expect((await layer.getAttribute('data-msg-ids')).split(' ')).toContain(id);
  const caption = page.locator('.msg-caption');
  await expect(caption).toHaveText(/^b(\d) → b(\d) · Fetch/);
  const [, from, to] = (await caption.textContent()).match(/^b(\d) → b(\d)/);
  expect(from).not.toBe(to);
  // The route lies within the heights of its two brokers, right of them.
  const route = await page.locator('.messages .msg-route').boundingBox();
  const a = await page.locator(`.cluster-svg [data-broker="${from}"]`).first().boundingBox();
  const b = await page.locator(`.cluster-svg [data-broker="${to}"]`).first().boundingBox();
  const top = Math.min(a.y, b.y);
  const bottom = Math.max(a.y + a.height, b.y + b.height);
  expect(route.y).toBeGreaterThanOrEqual(top - 1);
  expect(route.y + route.height).toBeLessThanOrEqual(bottom + 1);
  expect(route.x).toBeGreaterThanOrEqual(Math.min(a.x + a.width, b.x + b.width) - 4);
  // An arrowhead marks the receiver's end, and the followed pill is drawn on top.
  await expect(page.locator('.messages .msg-route-head')).toHaveCount(1);
  await expect(page.locator('.messages path.msg.focus')).toHaveCount(1);
  for (const width of [1280, 600]) {
    for (const colorScheme of ['light', 'dark']) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme });
      await expect(caption).toBeVisible();
      await page.locator('.picture').screenshot({ path: `e2e/screenshots/paths-${width}-${colorScheme}.png` });
    }
  }
  expect(problems).toEqual([]);
});

test('hovering a message previews it; leaving it ends the preview', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page);
  await selectInFlight(page, /Fetch/);
  const ring = await page.locator('.msg-ring.selected').boundingBox();
  // Deselect (Escape), then point at the same message.
  await page.keyboard.press('Escape');
  await expect(page.locator('.messages')).not.toHaveClass(/following/);
  await page.mouse.move(ring.x + ring.width / 2, ring.y + ring.height / 2);
  await expect(page.locator('.msg-ring.hover')).toHaveCount(1);
  await expect(page.locator('.messages')).toHaveClass(/following/);
  await expect(page.locator('.msg-caption')).toHaveText(/→ .* · Fetch/);
  await page.mouse.move(5, 5);
  await expect(page.locator('.messages')).not.toHaveClass(/following/);
  expect(problems).toEqual([]);
});
