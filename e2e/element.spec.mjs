// <highwater-playground> (www/highwater-element.js): the example page (www/elements-example.html,
// copied into dist/) holds three elements — a chapter at a step, a built-in scenario with
// playback controls only, an inline scenario — that load and play independently; the embeds'
// step and invariant events reach the host page as DOM events of the right element; changing
// an attribute re-points the frame; bad attributes are explained inside the element.
// Screenshots at 600 and 1280 px in both color schemes go to $HW_SHOTS_DIR (default
// e2e/screenshots/, gitignored).
import { test, expect } from '@playwright/test';
import { watchConsole } from './helpers.mjs';

const SHOTS = process.env.HW_SHOTS_DIR ?? 'e2e/screenshots';

/** Records every highwater-* event that bubbles to the document: { type, target, detail }. */
async function recordEvents(page) {
  await page.addInitScript(() => {
    window.__hw = [];
    for (const type of ['highwater-step', 'highwater-invariant-broken']) {
      document.addEventListener(type, (e) => window.__hw.push({ type, target: e.target.id, detail: e.detail }));
    }
  });
}

const events = (page, target, type) =>
  page.evaluate(([t, ty]) => window.__hw.filter((e) => e.target === t && e.type === ty).map((e) => e.detail), [target, type]);

const frameOf = (page, id) => page.locator(`#${id} iframe`).contentFrame();

test('three elements load and play independently, and their events reach the host', async ({ page }) => {
  const problems = watchConsole(page);
  await recordEvents(page);
  await page.goto('/elements-example.html');
  await expect(page.locator('highwater-playground')).toHaveCount(3);

  const chapter = frameOf(page, 'chapter-5');
  const kip = frameOf(page, 'kip101');
  const inline = frameOf(page, 'inline');
  for (const id of ['chapter-5', 'kip101', 'inline']) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await expect(frameOf(page, id).locator('.cluster-svg')).toBeVisible();
  }
  await expect(chapter.locator('.tut-counter')).toHaveText('Step 5 of 8');
  await expect(chapter.locator('.cluster-svg [data-broker]')).toHaveCount(2);
  // controls="playback": the toolbar without the narration panel.
  await expect(kip.locator('.embed-bar')).toBeVisible();
  await expect(kip.locator('.tutorial-panel')).toHaveCount(0);
  await expect(kip.locator('[data-broker="1"] [data-partition="t-0"]')).toHaveAttribute('data-log', 'm1');
  // The inline scenario: its own three brokers, at its step 2.
  await expect(inline.locator('.tut-counter')).toHaveText('Step 2 of 4');
  await expect(inline.locator('.tutorial-panel')).toContainText('A leader crash with acks=all');
  await expect(inline.locator('.cluster-svg [data-broker]')).toHaveCount(3);
  await expect(inline.locator('[data-broker="2"] [data-partition="t-0"]')).toHaveAttribute('data-log', 'a');

  // Each element reports its own position, under its own id.
  await expect.poll(async () => (await events(page, 'chapter-5', 'highwater-step')).at(-1)?.position).toBe(5);
  await expect.poll(async () => (await events(page, 'inline', 'highwater-step')).at(-1)?.position).toBe(2);
  const chapterStep = (await events(page, 'chapter-5', 'highwater-step')).at(-1);
  expect(chapterStep.steps).toBe(8);
  expect(chapterStep.step).toBe(Number(await chapter.locator('.cluster-svg').getAttribute('data-step')));
  expect(await events(page, 'chapter-5', 'highwater-invariant-broken')).toEqual([]);

  // KIP-101 scenario 1 at step 11 has lost a committed record: the element says so on load.
  await expect.poll(async () => (await events(page, 'kip101', 'highwater-invariant-broken')).map((d) => d.name)).toContain('no committed record lost');
  const kipBroken = (await events(page, 'kip101', 'highwater-invariant-broken')).length;

  // Next in the chapter: the clean election loses b, and the host hears which invariant broke.
  const kipStep = await kip.locator('.cluster-svg').getAttribute('data-step');
  const inlineStep = await inline.locator('.cluster-svg').getAttribute('data-step');
  await page.locator('#chapter-5').scrollIntoViewIfNeeded();
  await chapter.getByRole('button', { name: 'Next step' }).click();
  await expect(chapter.locator('.tut-counter')).toHaveText('Step 6 of 8');
  await expect.poll(() => events(page, 'chapter-5', 'highwater-invariant-broken')).toEqual([
    expect.objectContaining({ name: 'no acknowledged record lost', promised: false }),
  ]);
  await expect.poll(async () => (await events(page, 'chapter-5', 'highwater-step')).at(-1)?.position).toBe(6);
  await expect(page.locator('#event-list')).toContainText('highwater-invariant-broken: “no acknowledged record lost”');
  // The others did not move and heard nothing.
  await expect(kip.locator('.cluster-svg')).toHaveAttribute('data-step', kipStep);
  await expect(inline.locator('.cluster-svg')).toHaveAttribute('data-step', inlineStep);
  expect((await events(page, 'kip101', 'highwater-invariant-broken')).length).toBe(kipBroken);

  // Playing the scenario moves only it.
  const chapterEvents = (await events(page, 'chapter-5', 'highwater-step')).length;
  const chapterAt = await chapter.locator('.cluster-svg').getAttribute('data-step');
  await page.locator('#kip101').scrollIntoViewIfNeeded();
  await kip.getByRole('button', { name: 'Step', exact: true }).click();
  await kip.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(async () => Number(await kip.locator('.cluster-svg').getAttribute('data-step'))).toBeGreaterThan(Number(kipStep) + 1);
  await kip.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect.poll(async () => (await events(page, 'kip101', 'highwater-step')).at(-1)?.step).toBe(
    Number(await kip.locator('.cluster-svg').getAttribute('data-step')),
  );
  // Off the script (an ordinary Step), the position is null.
  expect((await events(page, 'kip101', 'highwater-step')).at(-1).position).toBeNull();
  await expect(chapter.locator('.cluster-svg')).toHaveAttribute('data-step', chapterAt);
  await expect(inline.locator('.cluster-svg')).toHaveAttribute('data-step', inlineStep);
  expect((await events(page, 'chapter-5', 'highwater-step')).length).toBe(chapterEvents);
  expect(problems).toEqual([]);
});

test('changing an attribute re-points the frame', async ({ page }) => {
  const problems = watchConsole(page);
  await recordEvents(page);
  await page.goto('/elements-example.html');
  const chapter = frameOf(page, 'chapter-5');
  await expect(chapter.locator('.tut-counter')).toHaveText('Step 5 of 8');
  // The page's own chapter picker sets tutorial and step.
  await page.locator('#chapter').selectOption('01-a-records-journey');
  await expect(chapter.locator('.tut-counter')).toHaveText('Step 1 of 6');
  await expect(chapter.locator('.tutorial-panel')).toContainText("A record's journey");
  await expect.poll(async () => (await events(page, 'chapter-5', 'highwater-step')).at(-1)?.steps).toBe(6);

  // theme and controls go to the frame.
  const inline = page.locator('#inline');
  await inline.scrollIntoViewIfNeeded();
  await expect(frameOf(page, 'inline').locator('.tut-counter')).toHaveText('Step 2 of 4');
  await inline.evaluate((el) => {
    el.setAttribute('theme', 'dark');
    el.setAttribute('controls', 'none');
    el.setAttribute('step', '4');
  });
  const f = frameOf(page, 'inline');
  await expect(f.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(f.locator('.cluster-svg')).toBeVisible();
  await expect(f.locator('.embed-bar')).toHaveCount(0);
  await expect(f.locator('.tutorial-panel')).toHaveCount(0);
  // Step 4: b1 crashed and b2 leads, with a kept.
  await expect(f.locator('[data-broker="2"] [data-partition="t-0"]')).toHaveAttribute('data-log', 'a');
  await expect.poll(async () => (await events(page, 'inline', 'highwater-step')).at(-1)?.position).toBe(4);
  // The inline scenario itself can change too.
  await inline.evaluate((el) => {
    const s = el.querySelector('script');
    const sc = JSON.parse(s.textContent);
    sc.config.brokers = 4;
    s.textContent = JSON.stringify(sc);
  });
  await expect(frameOf(page, 'inline').locator('.cluster-svg [data-broker]')).toHaveCount(4);
  expect(problems).toEqual([]);
});

test('view="diagram" draws the space-time diagram in the element, following its step', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/elements-example.html');
  const kip = page.locator('#kip101');
  await kip.scrollIntoViewIfNeeded();
  await expect(frameOf(page, 'kip101').locator('.cluster-svg')).toBeVisible();
  await kip.evaluate((el) => el.setAttribute('view', 'diagram'));
  const f = frameOf(page, 'kip101');
  await expect(f.locator('.st-svg')).toBeVisible();
  await expect(f.locator('.cluster-svg')).toHaveCount(0);
  // Open (the page's panel is closed by default), with arrows up to the scenario's step.
  await expect(f.locator('.spacetime .st-toggle')).toHaveAttribute('aria-expanded', 'true');
  await expect(f.locator('.st-arrow').first()).toBeVisible();
  await kip.evaluate((el) => el.setAttribute('view', 'both'));
  await expect(frameOf(page, 'kip101').locator('.cluster-svg')).toBeVisible();
  await expect(frameOf(page, 'kip101').locator('.st-svg')).toBeVisible();
  await kip.evaluate((el) => el.setAttribute('view', 'sideways'));
  await expect(kip.locator('.problem')).toContainText('view');
  expect(problems).toEqual([]);
});

test('bad attributes are explained inside the element', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/elements-example.html');
  await page.evaluate(() => {
    const add = (id, attrs, json) => {
      const el = document.createElement('highwater-playground');
      el.id = id;
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      if (json !== undefined) {
        const s = document.createElement('script');
        s.type = 'application/json';
        s.textContent = json;
        el.append(s);
      }
      document.querySelector('article').prepend(el);
    };
    add('both', { tutorial: '05-acks1-loses-a-record', scenario: 's04-acks1-loss' });
    add('bad-step', { tutorial: '05-acks1-loses-a-record', step: 'two' });
    add('bad-theme', { scenario: 's04-acks1-loss', theme: 'blue' });
    add('bad-json', {}, '{ "name": "half a scenario", ');
    add('several', { scenario: 's04 acks1', height: 'tall', controls: 'some', src: 'http://[oops' });
    add('unknown', { tutorial: '99-no-such-chapter', loading: 'eager' });
    add('not-scenario', { loading: 'eager' }, '{ "nme": "typo" }');
  });
  const problem = (id) => page.locator(`#${id} .problem`);
  await expect(problem('both')).toContainText('Give one thing to show, not tutorial and scenario.');
  await expect(problem('bad-step')).toContainText('step="two" is not a step number');
  await expect(problem('bad-theme')).toContainText('theme="blue" is not one of light, dark, auto.');
  await expect(problem('bad-json')).toContainText('The inline scenario is not valid JSON');
  // Every problem of one element, each in its own words.
  await expect(page.locator('#several .problem li')).toHaveText([
    'scenario="s04 acks1" is not a scenario name (letters, digits and dashes, as in 05-acks1-loses-a-record).',
    'controls="some" is not one of full, playback, none.',
    'height="tall" is not a length (such as 560 or 560px or 40rem).',
    'src="http://[oops" is not an address.',
  ]);
  for (const id of ['both', 'bad-step', 'bad-theme', 'bad-json', 'several']) {
    await expect(problem(id)).toBeVisible();
    await expect(problem(id)).toHaveAttribute('role', 'alert');
    await expect(page.locator(`#${id} iframe`)).toHaveCount(0);
  }
  // What only the playground knows (its catalog, the scenario format) is said in the frame.
  await expect(frameOf(page, 'unknown').locator('.notice')).toContainText('there is no tutorial called "99-no-such-chapter"');
  await expect(frameOf(page, 'unknown').locator('.notice')).toContainText('The default run is shown instead.');
  await expect(frameOf(page, 'not-scenario').locator('.notice')).toContainText('not a valid scenario');
  await expect(frameOf(page, 'not-scenario').locator('.notice')).toContainText('nme');

  await page.screenshot({ path: `${SHOTS}/elements-problems.png`, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1700 } });
  // Fixed, the element shows the playground.
  await page.locator('#both').evaluate((el) => el.removeAttribute('scenario'));
  await expect(page.locator('#both .problem')).toHaveCount(0);
  await expect(frameOf(page, 'both').locator('.tut-counter')).toHaveText(/^Introduction/);
  expect(problems).toEqual([]);
});

for (const { width, height } of [{ width: 1280, height: 900 }, { width: 600, height: 1000 }]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`elements page screenshot at ${width}px, ${colorScheme}`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await page.goto('/elements-example.html');
      for (const id of ['chapter-5', 'kip101', 'inline']) {
        await page.locator(`#${id}`).scrollIntoViewIfNeeded();
        await expect(frameOf(page, id).locator('.cluster-svg')).toBeVisible();
      }
      await frameOf(page, 'chapter-5').getByRole('button', { name: 'Next step' }).click();
      await expect(page.locator('#event-list .broken')).toHaveCount(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${SHOTS}/elements-${width}-${colorScheme}.png`, fullPage: true });
      expect(problems).toEqual([]);
    });
  }
}
