// The timeline scrubber spans the recording: at the head of the run its thumb is at the right end
// of the track (it used to stop at a rounded-up scale, two thirds along), and a marker sits at its
// step's fraction of the recording.
import { test, expect } from '@playwright/test';
import { watchConsole, open, step } from './helpers.mjs';

test('at the head the thumb is at the end; markers sit at their step', async ({ page }) => {
  const problems = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  const range = page.locator('.scrubber input[type=range]');
  const stepButton = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 0; i < 10; i++) await stepButton.click();
  await page.locator('[data-broker="2"]').click();
  await page.getByRole('button', { name: 'Crash (kill -9)' }).click();
  const crashed = await step(page);
  for (let i = 0; i < 30; i++) await stepButton.click();
  const end = await step(page);
  expect(end).toBeGreaterThan(crashed);
  // The head: the range's value is its maximum.
  await expect(range).toHaveAttribute('max', String(end));
  expect(Number(await range.inputValue())).toBe(end);
  // The crash's marker lies at crashed / end of the track.
  const track = await page.locator('.scrubber .track').boundingBox();
  const marker = await page.locator('.scrubber .marker.crash').first().boundingBox();
  const at = (marker.x + marker.width / 2 - track.x) / track.width;
  expect(Math.abs(at - crashed / end)).toBeLessThan(0.02);
  // Back one step: off the head, the thumb value follows.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  expect(Number(await range.inputValue())).toBe(end - 1);
  expect(problems).toEqual([]);
});
