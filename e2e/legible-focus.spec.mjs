// Issue 16 items 3 and 9: what the narration points at is in view, the expert's missing control
// (unclean.leader.election.enable mid-run), and keyboard focus that stays where the user was.
import { test, expect } from '@playwright/test';
import { watchConsole, open, controllerPartition } from './helpers.mjs';

const ACKS1 = '05-acks1-loses-a-record';

/** The panel's box lies inside the viewport. */
async function inViewport(page, selector) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0;
  }, selector);
}

const outline = (page, selector) =>
  page.evaluate((sel) => {
    const s = getComputedStyle(document.querySelector(sel));
    return `${s.outlineStyle} ${s.outlineWidth}`;
  }, selector);

test('a step whose note names the invariants panel brings it into view and outlines it', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, `/#tutorial=${ACKS1}&step=5`);
  const panel = page.locator('.tutorial-panel');
  await expect(panel.locator('.tut-counter')).toHaveText('Step 5 of 8');
  // Step 5 names no panel: the invariants panel is not outlined.
  expect(await outline(page, '.panel.invariants')).not.toMatch(/^solid/);
  await panel.getByRole('button', { name: 'Next step' }).click();
  await expect(panel.locator('.tut-counter')).toHaveText('Step 6 of 8');
  await expect(panel.locator('.tut-note')).toContainText('The invariant "no acknowledged record lost" breaks');
  await expect.poll(() => outline(page, '.panel.invariants')).toBe('solid 3px');
  await expect.poll(() => inViewport(page, '.panel.invariants')).toBe(true);
  // It shows the broken invariant the note speaks of, beside the picture, under the narration.
  await expect(page.locator('.panel.invariants')).toContainText('no acknowledged record lost');
  const [narration, invariants, picture] = await Promise.all(
    ['.tutorial-panel', '.panel.invariants', '.cluster-svg'].map((s) =>
      page.locator(s).evaluate((e) => e.getBoundingClientRect().toJSON()),
    ),
  );
  expect(invariants.top).toBeGreaterThan(narration.top);
  expect(invariants.left).toBeGreaterThan(picture.right - 1);
  // The next step names no panel: the outline goes.
  await panel.getByRole('button', { name: 'Next step' }).click();
  await expect(panel.locator('.tut-counter')).toHaveText('Step 7 of 8');
  await expect.poll(() => outline(page, '.panel.invariants')).not.toMatch(/^solid/);
  expect(problems).toEqual([]);
});

test('a panel of the lower row is brought beside the picture and the narration; reduced motion stops the pulse', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, '/#tutorial=16-consumer-offsets-at-most-once&step=4');
  await page.locator('.tutorial-panel').getByRole('button', { name: 'Next step' }).click();
  await expect(page.locator('.tutorial-panel .tut-note')).toContainText('The consumer group panel already counts them');
  const group = '.panel.group-panel';
  await expect.poll(() => outline(page, group)).toBe('solid 3px');
  await expect.poll(() => inViewport(page, group)).toBe(true);
  await expect(page.locator(group)).toContainText('2 lost by the consumers');
  // Under the picture, left of the narration, whose Next button stays in view.
  const [panel, picture, narration] = await Promise.all(
    [group, '.stage', '.tutorial-panel'].map((s) => page.locator(s).evaluate((e) => e.getBoundingClientRect().toJSON())),
  );
  expect(panel.top).toBeGreaterThan(picture.bottom - 1);
  expect(panel.right).toBeLessThan(narration.left + 1);
  expect(await inViewport(page, '.tutorial-panel .tut-nav')).toBe(true);
  expect(await page.locator(group).evaluate((e) => getComputedStyle(e).animationName)).toBe('none');
});

test('unclean.leader.election.enable switched on mid-run elects a leader for an offline partition', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  // S13: b1 (the last ISR member) is down, b2 is up but out of the ISR: no leader.
  await open(page, '/#scenario=s13-unclean-disabled&step=10');
  expect((await controllerPartition(page, 't-0')).leader).toBe('');
  await page.locator('.cluster-svg [data-node="controller"]').first().click();
  const toggle = page.getByRole('checkbox', { name: 'unclean.leader.election.enable' });
  await expect(toggle).not.toBeChecked();
  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(toggle).toBeChecked();
  await expect(toggle).toBeFocused();
  await expect.poll(async () => (await controllerPartition(page, 't-0')).leader).toBe('2');
  await expect(page.locator('.event-log')).toContainText('admin.incrementalAlterConfigs(unclean.leader.election.enable=true)');
  await expect(page.locator('.event-log')).toContainText('UNCLEAN election');
  // Recorded on the timeline: the address replays it.
  await expect(page).toHaveURL(/#run=/);
  const url = page.url();
  await page.goto('about:blank');
  await open(page, url.slice(url.indexOf('/#')));
  await expect.poll(async () => (await controllerPartition(page, 't-0')).leader).toBe('2');
  expect(problems).toEqual([]);
});

test('keyboard focus stays where the user was after a crash button and after closing help', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  const welcome = page.locator('.welcome');
  if (await welcome.count()) await welcome.getByRole('button', { name: 'Play freely' }).click();
  // A broker node of the picture, reached by keyboard.
  const b1 = page.locator('.cluster-svg [data-broker="1"][tabindex]');
  await b1.focus();
  await page.keyboard.press('Enter');
  const inspector = page.locator('.inspector');
  await expect(inspector.locator('h2')).toHaveText('Broker b1');
  const crash = inspector.getByRole('button', { name: 'Crash (kill -9)' });
  await crash.focus();
  await page.keyboard.press('Enter');
  // Crash disabled itself: the focus moves to what undoes it, not to the page body.
  const restart = inspector.getByRole('button', { name: 'Restart' });
  await expect(restart).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(crash).toBeEnabled();
  await expect(crash).toBeFocused();

  // Help opened from the picture by "?" gives the focus back to the node on close.
  await b1.focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Help' });
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(b1).toBeFocused();
  // And opened by its button, closed by its ✕: back on the button.
  const helpButton = page.locator('.toolbar button', { hasText: '?' });
  await helpButton.focus();
  await page.keyboard.press('Enter');
  await help.getByRole('button', { name: 'Close' }).click();
  await expect(helpButton).toBeFocused();
  expect(problems).toEqual([]);
});

test("a chapter's last Next hands the keyboard focus to the next chapter", async ({ page }) => {
  await open(page, '/#tutorial=01-a-records-journey&step=5');
  const panel = page.locator('.tutorial-panel');
  const next = panel.getByRole('button', { name: 'Next step' });
  await next.focus();
  await page.keyboard.press('Enter');
  await expect(panel.locator('.tut-counter')).toHaveText('Step 6 of 6');
  await expect(next).toBeDisabled();
  await expect(panel.getByRole('button', { name: 'Next chapter →' })).toBeFocused();
});
