// Issue 16 item 1: each chapter's claim is visible at the step that makes it. Every `shows`
// claim of every chapter (tutorials/*.toml; checked natively against the read model by
// core/tests/tutorials.rs) is looked for here in the drawn picture at that step: a record
// processed twice on a consumer's card (`a ×2`), the sink's contents, an idempotent producer's
// epoch and next sequence on its card, a Produce badge's sequence (`s0`).
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { watchConsole, open } from './helpers.mjs';

/**
 * The `shows = [...]` claims of a chapter file, by step (1-based). The claims are TOML inline
 * tables of a fixed shape (`{ processed = { consumer = "c1", record = "a", times = 2 } }`),
 * read here by turning `key =` into `"key":`.
 */
function claimsOf(text) {
  const out = [];
  let step = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '[[step]]') step++;
    if (!lines[i].startsWith('shows = [')) continue;
    let src = lines[i].slice('shows = '.length);
    while (!src.trimEnd().endsWith(']') || src.trim() === '[') src += lines[++i];
    const json = src.replace(/([a-z_]+) = /g, '"$1": ').replace(/,\s*([\]}])/g, '$1');
    for (const claim of JSON.parse(json)) out.push({ step, claim });
  }
  return out;
}

const chapters = readdirSync('tutorials')
  .filter((f) => f.endsWith('.toml'))
  .sort()
  .map((f) => ({ id: f.replace(/\.toml$/, ''), claims: claimsOf(readFileSync(`tutorials/${f}`, 'utf8')) }))
  .filter((c) => c.claims.length > 0);

const num = (node) => node.replace(/^[a-z]+/, '');

/** Looks for one claim in the picture. */
async function expectShown(page, { processed, sink, idempotence, produce_sequence }) {
  const svg = page.locator('.cluster-svg');
  if (processed) {
    const card = svg.locator(`.consumer[data-consumer="${num(processed.consumer)}"]`);
    const rec = card.locator(`.cons-record[data-record="${processed.record}"]`);
    await expect(rec).toHaveAttribute('data-times', String(processed.times));
    if (processed.times > 1) await expect(rec).toContainText(`×${processed.times}`);
  } else if (sink) {
    const box = svg.locator('.sink[data-sink="dedup"]');
    await expect(box).toBeVisible();
    const attrs = (sel, a) => box.locator(sel).evaluateAll((es, a) => es.map((e) => e.getAttribute(a)), a);
    await expect.poll(() => attrs('[data-kept]', 'data-kept')).toEqual(sink.kept);
    await expect.poll(() => attrs('[data-dropped]', 'data-dropped')).toEqual(sink.dropped);
  } else if (idempotence) {
    const card = svg.locator(`.producer[data-producer="${num(idempotence.producer)}"] .idempotence`);
    await expect(card).toHaveAttribute('data-epoch', String(idempotence.epoch));
    await expect(card).toHaveAttribute('data-next-sequence', String(idempotence.next_sequence));
    // One partition: `next seq 3`; several: the first named, `next seq t-0:3 t-1:0` (`seq t-0:3…`
    // on the narrow card).
    await expect(card).toContainText(new RegExp(`seq (\\S+:)?${idempotence.next_sequence}\\b`));
  } else if (produce_sequence) {
    const tags = page.locator('.picture .messages-svg .msg-tags tspan');
    await expect.poll(() => tags.allTextContents()).toContain(`s${produce_sequence.sequence}`);
  } else {
    throw new Error(`a claim this spec does not know: ${JSON.stringify(arguments[1])}`);
  }
}

test('the chapters make claims about processed records, the sink and idempotent producers', () => {
  const ids = chapters.map((c) => c.id.slice(0, 2));
  for (const n of ['10', '15', '16', '18', '20']) expect(ids).toContain(n);
  const kinds = new Set(chapters.flatMap((c) => c.claims.map((x) => Object.keys(x.claim)[0])));
  expect([...kinds].sort()).toEqual(['idempotence', 'processed', 'produce_sequence', 'sink']);
});

for (const { id, claims } of chapters) {
  test(`${id}: what each step says the picture shows is drawn`, async ({ page }) => {
    const problems = watchConsole(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const step of [...new Set(claims.map((c) => c.step))]) {
      await open(page, `/#tutorial=${id}&step=${step}`);
      await expect(page.locator('.tutorial-panel .tut-counter')).toHaveText(new RegExp(`^Step ${step} of`));
      for (const { claim } of claims.filter((c) => c.step === step)) await expectShown(page, claim);
    }
    expect(problems).toEqual([]);
  });
}

/** The smallest rendered font size (CSS px) of the text under `selector` in the picture. */
async function smallestFont(page, selector) {
  return page.evaluate((selector) => {
    const svg = document.querySelector('.cluster-svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll(selector)].map((e) => parseFloat(getComputedStyle(e).fontSize) * scale);
    return sizes.length ? Math.min(...sizes) : null;
  }, selector);
}

const SHOTS = [
  ['15-consumer-offsets', 7, 'claims-ch15'],
  ['20-exactly-once-effects', 10, 'claims-ch20'],
  ['20-exactly-once-effects', 1, 'claims-ch20-produce'],
];

for (const width of [600, 1280]) {
  for (const scheme of ['light', 'dark']) {
    test(`the claims' elements at ${width} px, ${scheme}: legible, nothing clipped`, async ({ page }) => {
      const problems = watchConsole(page);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      for (const [id, step, name] of SHOTS) {
        await open(page, `/#tutorial=${id}&step=${step}`);
        await expect(page.locator('.tutorial-panel .tut-counter')).toHaveText(new RegExp(`^Step ${step} of`));
        const min = width === 1280 ? 11 : 9; // e2e/legible.spec.mjs's MIN_PX
        for (const sel of ['.cons-records', '.sink text', '.idempotence text']) {
          const px = await smallestFont(page, sel);
          if (px !== null) expect(px, `${id} step ${step}: ${sel} at ${width} px`).toBeGreaterThanOrEqual(min);
        }
        // Each card's text stays inside its card.
        const overflow = await page.evaluate(() =>
          [...document.querySelectorAll('.cluster-svg .consumer, .cluster-svg .sink, .cluster-svg .producer')].flatMap((g) => {
            const box = g.querySelector('rect.box').getBoundingClientRect();
            return [...g.querySelectorAll('text')]
              .filter((t) => {
                const r = t.getBoundingClientRect();
                return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5);
              })
              .map((t) => t.textContent);
          }),
        );
        expect(overflow, `${id} step ${step}: text outside its card`).toEqual([]);
        await page.locator('.picture').screenshot({ path: `e2e/screenshots/${name}-${width}-${scheme}.png` });
      }
      expect(problems).toEqual([]);
    });
  }
}
