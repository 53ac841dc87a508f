// Share / Export: the dialog's downloads happen; the scenario file is what the JS API writes for
// the same run and replays (as JSON, through Simulation.fromScenario) to the page's state hash
// with every expectation holding; the run JSON is the API's toJSON().run; the diagram's SVG and
// the picture's (styles inlined) parse, and the PNGs are PNGs.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { watchConsole, open, step } from './helpers.mjs';

/** Clicks a download button of the dialog and returns the file's name and bytes. */
async function download(page, name) {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

test('the dialog downloads a scenario that replays to this state, the run and the diagram', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  // A record sent by hand, a few steps, then a manual delivery: inputs of every kind.
  await page.getByLabel('value').fill('exported');
  await page.getByRole('button', { name: 'Send' }).click();
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Manual' }).click();
  const choice = page.locator('.enabled-event.deliver').last();
  await expect(choice).toBeVisible();
  const before = await step(page);
  await choice.click();
  await expect.poll(() => step(page)).toBe(before + 1);
  const at = await step(page);
  const hash = await page.locator('.cluster-svg').getAttribute('data-hash');
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#run=/);
  const fragment = await page.evaluate(() => location.hash);

  await page.getByRole('button', { name: 'Share / Export' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Share / Export' })).toBeVisible();

  const toml = await download(page, 'Scenario .toml');
  expect(toml.name).toBe(`highwater-step-${at}.toml`);
  const text = toml.bytes.toString('utf8');
  expect(text).toContain('produce = "exported"');
  expect(text).toContain('deliver = {');
  expect(text).toContain('[step.expect]');
  expect(text).toContain('delete the rest');
  await expect(page.locator('.export-status')).toHaveText(`Saved ${toml.name}.`);

  const json = await download(page, 'Run .json');
  expect(json.name).toBe(`highwater-step-${at}.json`);
  const run = JSON.parse(json.bytes.toString('utf8'));

  const svg = await download(page, 'Diagram .svg');
  expect(svg.name).toBe(`highwater-step-${at}-diagram.svg`);
  const png = await download(page, 'Diagram .png');
  expect(png.name).toBe(`highwater-step-${at}-diagram.png`);
  expect([...png.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  expect(png.bytes.length).toBeGreaterThan(1000);

  const picture = await download(page, 'Picture .svg');
  expect(picture.name).toBe(`highwater-step-${at}-picture.svg`);
  const picturePng = await download(page, 'Picture .png');
  expect(picturePng.name).toBe(`highwater-step-${at}-picture.png`);
  expect([...picturePng.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

  const got = await page.evaluate(
    async ({ fragment, name, svgText, pictureText }) => {
      const mod = await import('/highwater-api.js');
      await mod.default();
      const sim = mod.Simulation.fromFragment(fragment);
      const replay = mod.Simulation.fromScenario(sim.toScenario({ format: 'json', name }));
      const report = replay.runScenario();
      const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
      const pic = new DOMParser().parseFromString(pictureText, 'image/svg+xml');
      return {
        toml: sim.toScenario({ name }),
        passed: report.passed,
        checks: report.passed_checks,
        hash: sim.stateHash(),
        replayHash: replay.stateHash(),
        run: JSON.parse(JSON.stringify(sim)).run,
        svgRoot: doc.documentElement.tagName,
        svgErrors: doc.getElementsByTagName('parsererror').length,
        lanes: doc.querySelectorAll('.st-lane').length,
        apiSvg: sim.toSVG(),
        picRoot: pic.documentElement.tagName,
        picErrors: pic.getElementsByTagName('parsererror').length,
        picBrokers: pic.querySelectorAll('[data-broker]').length,
        picStyled: [...pic.querySelectorAll('[data-broker] text')].every((t) => /fill:/.test(t.getAttribute('style'))),
      };
    },
    {
      fragment,
      name: `Highwater run at step ${at}`,
      svgText: svg.bytes.toString('utf8'),
      pictureText: picture.bytes.toString('utf8'),
    },
  );
  // The file is the API's export of the same run; its JSON form replays to the page's state.
  expect(got.toml).toBe(text);
  expect(got.hash).toBe(hash);
  expect(got.replayHash).toBe(hash);
  expect(got.passed).toBe(true);
  expect(got.checks).toBeGreaterThan(5);
  expect(run).toEqual(got.run);
  expect(got.svgRoot).toBe('svg');
  expect(got.svgErrors).toBe(0);
  expect(got.lanes).toBeGreaterThanOrEqual(5);
  expect(got.apiSvg).toBe(svg.bytes.toString('utf8'));
  // The picture: the live drawing with its computed styles inline.
  expect(got.picRoot).toBe('svg');
  expect(got.picErrors).toBe(0);
  expect(got.picBrokers).toBeGreaterThanOrEqual(3);
  expect(got.picStyled).toBe(true);
  expect(problems).toEqual([]);
});

test('the API refuses bad export options with a clear message', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  const errors = await page.evaluate(async () => {
    const mod = await import('/highwater-api.js');
    await mod.default();
    const sim = new mod.Simulation();
    const attempt = (options) => {
      try {
        sim.toScenario(options);
        return null;
      } catch (e) {
        return e.message;
      }
    };
    return [attempt({ format: 'yaml' }), attempt({ fromat: 'json' }), attempt(undefined)];
  });
  expect(errors[0]).toMatch(/^toScenario: options.format must be "toml" or "json", not "yaml"/);
  expect(errors[1]).toMatch(/^toScenario: options: .*fromat/);
  expect(errors[2]).toBeNull();
  expect(problems).toEqual([]);
});
