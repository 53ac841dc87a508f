// Hostile links and stored sessions: a well-formed link that asks for a huge amount of work, or a
// configuration far beyond the limits, is refused with a message within about a second, and the
// page keeps playing the default run; corrupt localStorage never stops the page from loading.
import { test, expect } from '@playwright/test';
import { framesInASecond, open, step, watchConsole } from './helpers.mjs';

const b64 = (text) =>
  Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64 = (text) => Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');

/** A real run from the page itself (so the configuration is complete), to be made hostile. */
async function baseRun(page) {
  await open(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#run=/);
  const hash = await page.evaluate(() => location.hash.replace('#run=', ''));
  return JSON.parse(unb64(hash));
}

const hostile = [
  ['a trillion steps', (r) => ({ ...r, inputs: [{ steps: 1e12 }] }), 'replay budget'],
  ['a run until 10^12 ms', (r) => ({ ...r, inputs: [{ 'run-until': 1e12 }] }), 'virtual time'],
  ['many inputs adding up', (r) => ({ ...r, inputs: Array(3000).fill({ steps: 900 }) }), 'replay budget'],
  ['a million brokers', (r) => ({ ...r, config: { ...r.config, brokers: 1000000 } }), 'brokers must be between 1 and 7'],
  [
    '2,000 topics of 64 partitions',
    (r) => ({
      ...r,
      config: {
        ...r.config,
        topics: Array.from({ length: 2000 }, (_, i) => ({ ...r.config.topics[0], name: `t${i}`, partitions: 64 })),
      },
    }),
    'at most 256 partitions',
  ],
  [
    'HTML in a topic name',
    (r) => ({ ...r, config: { ...r.config, topics: [{ ...r.config.topics[0], name: '<img src=x onerror=alert(1)>' }] } }),
    "ASCII alphanumerics, '.', '_' and '-'",
  ],
  ['a negative seed', (r) => ({ ...r, seed: -1 }), 'This link could not be opened'],
];

for (const [what, make, words] of hostile) {
  test(`a link with ${what} is refused at once and the default run plays`, async ({ page, context }) => {
    const run = await baseRun(page);
    const problems = watchConsole(page);
    const fresh = await context.newPage();
    const problems2 = watchConsole(fresh);
    const started = Date.now();
    await fresh.goto(`/#run=${b64(JSON.stringify(make(run)))}`);
    await expect(fresh.locator('.notice.error')).toContainText('This link could not be opened', { timeout: 5000 });
    const took = Date.now() - started;
    await expect(fresh.locator('.notice.error')).toContainText(words);
    // Page load included; about 2 s was measured with the machine fully loaded (load average 11).
    console.log(`a link with ${what} was refused after ${took} ms`);
    expect(took, `answered in ${took} ms`).toBeLessThan(3000);
    // No markup from the link reached the page.
    expect(await fresh.locator('img[src="x"]').count()).toBe(0);
    // The default run is there and plays.
    await expect(fresh.locator('.cluster-svg [data-broker]')).toHaveCount(3);
    const before = await step(fresh);
    await fresh.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => step(fresh)).toBeGreaterThan(before);
    expect(problems).toEqual([]);
    expect(problems2).toEqual([]);
  });
}

const corrupt = [
  ['not base64', '%%% not a run %%%'],
  ['valid base64, not JSON', b64('not json at all')],
  ['JSON that is not a run', b64('{"nope": [1, 2, 3]}')],
  ['a huge string', 'A'.repeat(2_000_000)],
  ['a run asking for a trillion steps', null],
];

for (const [what, value] of corrupt) {
  test(`a stored session that is ${what} never stops the page from loading`, async ({ page, context }) => {
    let stored = value;
    if (stored === null) stored = b64(JSON.stringify({ ...(await baseRun(page)), inputs: [{ steps: 1e12 }] }));
    const fresh = await context.newPage();
    const problems = watchConsole(fresh);
    await fresh.addInitScript((v) => {
      try {
        localStorage.setItem('highwater.session', v);
      } catch {
        /* over the quota: nothing stored, nothing to test beyond loading */
      }
    }, stored);
    await open(fresh);
    await expect(fresh.locator('.cluster-svg [data-broker]')).toHaveCount(3);
    const before = await step(fresh);
    await fresh.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => step(fresh)).toBeGreaterThan(before);
    expect(problems.filter((p) => !p.includes('could not be restored'))).toEqual([]);
  });
}

test('the shipped release wasm computes the determinism probe exactly as the native build did', async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto('/docs-example.html');
  const check = await page.evaluate(async () => {
    const mod = await import('/highwater-api.js');
    await mod.default();
    return mod.Simulation.determinismCheck();
  });
  // Every fault profile, consumers in a group, the event log's text and a long run.
  expect(check.native.length).toBe(10);
  expect(check.wasm).toEqual(check.native);
  expect(new Set(check.native).size).toBe(10);
  expect(problems).toEqual([]);
});

test('a link whose cost shows only while replaying stops at the page budget', async ({ page, context }) => {
  const run = await baseRun(page);
  // Auto-produce every millisecond for a day: far past the page's 200,000-event replay budget.
  const hostileRun = {
    ...run,
    inputs: [{ command: { cmd: 'auto-produce', producer: 1, interval_ms: 1 } }, { 'run-until': 86400000 }],
  };
  const fresh = await context.newPage();
  const problems = watchConsole(fresh);
  const started = Date.now();
  await fresh.goto(`/#run=${b64(JSON.stringify(hostileRun))}`);
  await expect(fresh.locator('.notice.error')).toContainText("page's replay budget of 200000", { timeout: 30000 });
  const took = Date.now() - started;
  console.log(`a 200,000-event hostile replay was refused after ${took} ms`);
  expect(took).toBeLessThan(20000);
  await expect(fresh.locator('.cluster-svg [data-broker]')).toHaveCount(3);
  expect(problems).toEqual([]);
});

test('a long link is replayed in slices: the page answers, shows progress, and can cancel', async ({ page, context }) => {
  const run = await baseRun(page);
  // Tens of thousands of simulated events: inside the page's budget, long enough to take many frames.
  const longRun = {
    ...run,
    inputs: [{ command: { cmd: 'auto-produce', producer: 1, interval_ms: 1 } }, { 'run-until': 120000 }],
  };
  const frag = `/#run=${b64(JSON.stringify(longRun))}`;
  const fresh = await context.newPage();
  const problems = watchConsole(fresh);
  const started = Date.now();
  await fresh.goto(frag);
  const banner = fresh.locator('.replay-progress');
  await expect(banner).toContainText('Opening the link', { timeout: 5000 });
  const shown = Date.now() - started;
  console.log(`a long link showed its progress after ${shown} ms`);
  // The page draws meanwhile: the run shown is there, and frames keep coming.
  await expect(fresh.locator('.cluster-svg [data-broker]')).toHaveCount(3);
  const { frames } = await framesInASecond(fresh);
  console.log(`${frames} frames in the first second of the replay`);
  expect(frames, "frames keep coming while the link replays").toBeGreaterThan(4);
  // It finishes and the link's run replaces the default one.
  await expect(banner).toHaveCount(0, { timeout: 60000 });
  const took = Date.now() - started;
  console.log(`the 120 s, 1 ms auto-produce link was replayed in ${took} ms`);
  await expect(fresh.locator('.notice.error')).toHaveCount(0);
  // Opened again, Cancel drops it and keeps the run shown.
  const again = await context.newPage();
  await again.goto(frag);
  await expect(again.locator('.replay-progress')).toBeVisible({ timeout: 5000 });
  await again.locator('.replay-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(again.locator('.replay-progress')).toHaveCount(0);
  await expect(again.locator('.notice')).toContainText('Opening the link was cancelled');
  const before = await step(again);
  await again.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => step(again)).toBeGreaterThan(before);
  expect(problems).toEqual([]);
});
