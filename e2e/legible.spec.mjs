// Issue 16: a path through the course (welcome, next chapter, progress, the article, sources that
// open) and a picture legible at a glance (rendered font sizes, nothing clipped, the legend closed).
import { test, expect } from '@playwright/test';
import { watchConsole, open, requestsFor, refuseFile } from './helpers.mjs';

const FIRST = '01-a-records-journey';
const welcome = (page) => page.locator('.welcome');

test('a first visit is welcomed once and can start the first chapter', async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  await expect(welcome(page)).toBeVisible();
  await welcome(page).getByRole('button', { name: 'Start the first chapter' }).click();
  await expect(page.locator('.tutorial-panel h2')).toHaveText("1. A record's journey with acks=all");
  await expect(welcome(page)).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('highwater.welcome'))).toBe('dismissed');
  // Closing the chapter does not bring the card back, nor does a reload.
  await page.getByRole('button', { name: 'Close the tutorial' }).click();
  await expect(page.locator('.tutorial-panel')).toHaveCount(0);
  await expect(welcome(page)).toHaveCount(0);
  await page.goto('/');
  await expect(page.locator('.cluster-svg')).toBeVisible();
  await expect(welcome(page)).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('"Play freely" dismisses the welcome for good', async ({ page }) => {
  await open(page);
  await welcome(page).getByRole('button', { name: 'Play freely' }).click();
  await expect(welcome(page)).toHaveCount(0);
  await expect(page.locator('.tutorial-panel')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.cluster-svg')).toBeVisible();
  await expect(welcome(page)).toHaveCount(0);
});

test("a chapter's last step leads to the next chapter and the index marks it done", async ({ page }) => {
  const problems = watchConsole(page);
  await open(page, `/#tutorial=${FIRST}&step=5`);
  const panel = page.locator('.tutorial-panel');
  await expect(panel.locator('.tut-counter')).toHaveText('Step 5 of 6');
  // Not before the last step.
  await expect(panel.getByRole('button', { name: 'Next chapter →' })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Next step' }).click();
  await expect(panel.locator('.tut-counter')).toHaveText('Step 6 of 6');
  await expect(panel.getByRole('button', { name: 'Next step' })).toBeDisabled();
  const next = panel.getByRole('button', { name: 'Next chapter →' });
  await expect(next).toBeVisible();
  await expect(panel.locator('.tut-next-name')).toHaveText('2. The high watermark, and why consumers wait');

  // The index counts chapter 1 as done.
  await panel.getByRole('button', { name: 'All chapters' }).click();
  const index = page.locator('.tutorial-index');
  await expect(index.locator(`li:has([data-id="${FIRST}"]) .tut-done`)).toHaveText('✓ done');
  await expect(index.locator('li.done')).toHaveCount(1);
  await expect(index.locator('.tut-progress')).toContainText(/^1 of \d+ chapters done/);
  await index.getByRole('button', { name: 'Close the list of chapters' }).click();

  await panel.getByRole('button', { name: 'Next chapter →' }).click();
  await expect(page.locator('.tutorial-panel h2')).toHaveText('2. The high watermark, and why consumers wait');
  await expect(page.locator('.tutorial-panel .tut-counter')).toHaveText(/^Introduction/);
  await expect(page).toHaveURL(/#tutorial=02-the-high-watermark&step=0$/);

  // Kept in the browser: a new page still shows chapter 1 done, chapter 2 not.
  await page.goto('/');
  await page.getByRole('button', { name: 'Tutorials', exact: true }).click();
  await expect(page.locator(`.tutorial-index li:has([data-id="${FIRST}"])`)).toHaveClass(/done/);
  await expect(page.locator('.tutorial-index li:has([data-id="02-the-high-watermark"])')).not.toHaveClass(/done/);
  expect(problems).toEqual([]);
});

test('the index names the article, and Source lines open the rules reference', async ({ page, context }) => {
  const problems = watchConsole(page);
  await open(page, `/#tutorial=${FIRST}&step=0`);
  const source = page.locator('.tutorial-panel .tut-source');
  await expect(source).toContainText('Source: KAFKA-SEMANTICS.md S1, R1.3–R1.6, R2.6;');
  await expect(source.getByRole('link', { name: 'R1.3' })).toHaveAttribute('href', 'rules.html#R1.3');
  await expect(source.getByRole('link', { name: 'KAFKA-SEMANTICS.md' })).toHaveAttribute('href', 'rules.html');

  // The link opens the reference (a new tab) at the rule's heading.
  const [tab] = await Promise.all([context.waitForEvent('page'), source.getByRole('link', { name: 'S1', exact: true }).click()]);
  await tab.waitForLoadState();
  const heading = tab.locator('h3[id="S1"]');
  await expect(heading).toContainText('S1 — Baseline replication and HW propagation');
  await expect(heading).toBeInViewport();
  await expect(tab.locator('h3[id="R1.5"]')).toContainText('Leader high watermark');
  await tab.close();

  await page.locator('.tutorial-panel').getByRole('button', { name: 'All chapters' }).click();
  const article = page.locator('.tutorial-index .tut-article');
  await expect(article.locator('summary')).toContainText("Kafka's message delivery guarantees and consistency");
  await article.locator('summary').click();
  await expect(article.locator('cite')).toHaveText('Kafka的消息传递保证和一致性');
  await expect(article).toContainText('at least once');
  expect(problems).toEqual([]);
});

// ---- legible at a glance ----------------------------------------------------------------------

// The smallest text allowed in the picture, in CSS px, at the page's two design widths.
const MIN_PX = { 1280: 11, 600: 9 };
// States with every kind of text: a message in flight (chapter 1), long record values and a lost
// record (chapter 7's end), consumers and __consumer_offsets (chapter 15), a producer's last
// error (chapter 6).
const STATES = [
  ['01-a-records-journey', 3],
  ['07-unclean-leader-election', 8], // a partition without a leader: "none" on the controller's line
  ['07-unclean-leader-election', 10],
  ['15-consumer-offsets', 5],
  ['06-min-insync-replicas', 7], // the producer card with its last error
  ['18-the-zombie-consumer', 8], // a consumer with no generation
  ['19-consumer-log-truncation', 6],
  ['20-exactly-once-effects', 2], // the coordinator's badge in CompletingRebalance
  ['22-transactions-atomic-write', 9], // the transaction coordinator's badge: txn · CompleteCommit
  ['24-exactly-once-pipeline', 6], // longer partition names: orders-0, receipts-0
];

/** Every visible text of the picture (cluster, message layer) and the clock above it: its
 *  rendered size in px. (The legend below, closed by default, is HTML text of the page.) */
async function renderedText(page) {
  return page.evaluate(() => {
    const out = [];
    const stage = document.querySelector('.stage');
    for (const el of stage.querySelector('.cluster').querySelectorAll('text, tspan')) {
      if (el.tagName === 'text' && el.querySelector('tspan')) continue; // measured per tspan
      if (!el.textContent.trim() || el.getClientRects().length === 0) continue;
      if (getComputedStyle(el).visibility === 'hidden' || el.closest('[display="none"]')) continue;
      const m = el.getScreenCTM();
      const px = parseFloat(getComputedStyle(el).fontSize) * Math.hypot(m.a, m.b);
      out.push({ px, text: el.textContent.trim(), cls: el.getAttribute('class') ?? el.parentElement.getAttribute('class') });
    }
    // HTML text of the stage (the clock, the legend's summary).
    for (const el of stage.querySelectorAll('*')) {
      if (el instanceof SVGElement || el.closest('details:not([open]) > :not(summary)')) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.getClientRects().length === 0) continue;
      out.push({ px: parseFloat(getComputedStyle(el).fontSize), text: el.textContent.trim().slice(0, 30), cls: el.className });
    }
    return out;
  });
}

/** Texts of a node card (controller, broker, producer, consumer) that stick out of its box. */
async function overflowing(page) {
  return page.evaluate(() => {
    const out = [];
    for (const box of document.querySelectorAll('.cluster-svg g > rect.box')) {
      const b = box.getBoundingClientRect();
      for (const t of box.parentElement.querySelectorAll('text')) {
        if (!t.textContent.trim() || t.getClientRects().length === 0) continue;
        const r = t.getBoundingClientRect();
        if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1) {
          out.push(`${t.textContent.trim()} (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(b.left)}–${Math.round(b.right)})`);
        }
      }
    }
    // A badge's text inside its pill.
    for (const g of document.querySelectorAll('.cluster-svg .badge, .cluster-svg .coord-badge, .cluster-svg .txn-badge')) {
      const b = g.querySelector('rect').getBoundingClientRect();
      const r = g.querySelector('text').getBoundingClientRect();
      if (r.left < b.left - 1 || r.right > b.right + 1) out.push(`badge ${g.textContent.trim()}`);
    }
    // The coordinator's badge inside its broker's box.
    for (const g of document.querySelectorAll('.cluster-svg .coord-badge')) {
      const box = document.querySelector(`.cluster-svg [data-broker="${g.dataset.coordinator}"] > rect.box`);
      const [b, r] = [box.getBoundingClientRect(), g.querySelector('rect').getBoundingClientRect()];
      if (r.right > b.right + 1) out.push(`coordinator badge ${Math.round(r.right - b.right)} px past b${g.dataset.coordinator}'s box`);
    }
    // A partition's name clear of the marks after it: its row's epoch and ISR dot, and on the
    // controller's line the crown and the leader.
    // On the same line: the mark's middle within the name's height (an epoch drawn under the
    // name touches the name's box with its own, not its glyphs).
    const beside = (n, m) => n.left < m.right && m.left < n.right && (m.top + m.bottom) / 2 > n.top && (m.top + m.bottom) / 2 < n.bottom;
    for (const row of document.querySelectorAll('.cluster-svg .replica')) {
      const name = row.querySelector('.part-label');
      if (!name || name.getClientRects().length === 0) continue;
      const n = name.getBoundingClientRect();
      for (const mark of row.querySelectorAll('.epoch-label, .isr-dot')) {
        if (mark.getClientRects().length && beside(n, mark.getBoundingClientRect())) {
          out.push(`${name.textContent} over its ${mark.getAttribute('class')}`);
        }
      }
    }
    for (const entry of document.querySelectorAll('.cluster-svg .ctrl-part')) {
      if (entry.getClientRects().length === 0) continue;
      // The name, the crown, the leader (or "none"), the epoch and the ISR, each clear of the next.
      const parts = [...entry.querySelectorAll('.crown, text')];
      for (let i = 0; i + 1 < parts.length; i++) {
        const [a, b] = [parts[i], parts[i + 1]];
        if (beside(a.getBoundingClientRect(), b.getBoundingClientRect())) {
          out.push(`controller: ${a.textContent || 'the crown'} over ${b.textContent || 'the crown'}`);
        }
      }
    }
    // The internal partition's label clear of the ISR dots.
    const dots = [...document.querySelectorAll('.cluster-svg .isr-dot')].map((d) => d.getBoundingClientRect());
    for (const t of document.querySelectorAll('.cluster-svg .internal-label')) {
      const r = t.getBoundingClientRect();
      if (dots.some((d) => r.left < d.right && d.left < r.right && r.top < d.bottom && d.top < r.bottom)) {
        out.push(`internal label over an ISR dot: ${t.textContent.trim()}`);
      }
    }
    return out;
  });
}

/** Runs `body(width)` at 1280 and 600 px wide, with the welcome card already answered. */
async function atBothWidths(page, body) {
  await page.addInitScript(() => localStorage.setItem('highwater.welcome', 'dismissed'));
  for (const width of [1280, 600]) {
    await page.setViewportSize({ width, height: 900 });
    await body(width);
  }
}

for (const width of [1280, 600]) {
  test(`no text in the picture below ${MIN_PX[width]} px and none sticking out of its card at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.addInitScript(() => localStorage.setItem('highwater.welcome', 'dismissed'));
    for (const [chapter, step] of STATES) {
      await open(page, `/#tutorial=${chapter}&step=${step}`);
      await expect(page.locator('.tutorial-panel .tut-counter')).toHaveText(new RegExp(`^Step ${step} of`));
      const texts = await renderedText(page);
      // The measurement saw the picture's parts: cells, figures, node names.
      expect(texts.some((t) => t.cls?.includes('cell-label'))).toBe(true);
      expect(texts.some((t) => t.cls?.includes('figures'))).toBe(true);
      if (chapter === '01-a-records-journey') expect(texts.some((t) => t.cls === 'msg-tags')).toBe(true);
      if (chapter === '15-consumer-offsets') expect(texts.some((t) => t.cls?.includes('internal-label'))).toBe(true);
      const small = texts.filter((t) => t.px < MIN_PX[width] - 0.01).map((t) => `${t.px.toFixed(2)} px ${t.cls}: ${t.text}`);
      expect(small, `${chapter} step ${step}`).toEqual([]);
      expect(await overflowing(page), `${chapter} step ${step}`).toEqual([]);
    }
    await page.screenshot({ path: `e2e/screenshots/legible-consumers-${width}.png` });
  });
}

test('a long topic name is shortened to fit, keeping its partition numbers apart', async ({ page }) => {
  const topic = 'customer-orders-from-the-web-shop';
  const scenario = {
    name: 'Long names',
    // A consumer too: its card lists the partitions it owns.
    config: { brokers: 3, consumers: 1, topics: [{ name: topic, partitions: 2, replication_factor: 3 }, { name: 't', partitions: 1, replication_factor: 3 }] },
    step: [{ produce: 'a' }, { run_ms: 9000 }],
  };
  await atBothWidths(page, async (width) => {
    await open(page, `/#scenario-json=${encodeURIComponent(JSON.stringify(scenario))}&step=2`);
    await expect(page.locator('g.consumer[data-consumer="1"]')).toHaveAttribute('data-owns', `${topic}-0,${topic}-1,t-0`);
    // The card says what fits and how many more; its label names them all.
    await expect(page.locator('g.consumer[data-consumer="1"] .cons-owned')).toHaveText(/^cust.*…-0@\d+ \+2$/);
    await expect(page.locator('g.consumer[data-consumer="1"]')).toHaveAttribute('aria-label', new RegExp(`owns ${topic}-0@\\d+ ${topic}-1@\\d+ t-0@\\d+`));
    for (const p of [0, 1]) {
      const row = page.locator(`[data-broker="1"] [data-partition="${topic}-${p}"]`);
      const name = await row.locator('.part-label').textContent();
      // The topic's head (a few letters at least), an ellipsis, the partition number.
      const head = name.slice(0, -`…-${p}`.length);
      expect(name.endsWith(`…-${p}`) && head.length >= 4 && topic.startsWith(head), `${width} px: ${name}`).toBe(true);
      // The row's tooltip names the partition in full.
      expect(await row.locator(':scope > title').textContent()).toContain(`${topic}-${p}:`);
      const entry = page.locator(`.controller [data-partition="${topic}-${p}"]`);
      await expect(entry.locator('.ctrl-label')).toHaveText(new RegExp(`…-${p}$`));
      await expect(entry.locator('title')).toContainText(`${topic}-${p}:`);
    }
    // The short name beside them is whole.
    await expect(page.locator('[data-broker="1"] [data-partition="t-0"] .part-label')).toHaveText('t-0');
    expect(await overflowing(page), `${width} px`).toEqual([]);
  });
});

test('long values are abbreviated visibly, a lost label stays readable, figures are named', async ({ page }) => {
  await atBothWidths(page, async () => {
    await open(page, '/#tutorial=07-unclean-leader-election&step=10');
    const b1 = page.locator('[data-broker="1"] [data-partition="t-0"]');
    await expect(b1).toHaveAttribute('data-log', 'first,second');
    // "first" and "second" are never cut to "fir" and "sec": the abbreviation shows.
    const labels = await b1.locator('.cell-label').allTextContents();
    expect(labels.join('')).toBe('fi…se…');
    // second is lost: its label is drawn over the red cross, with a halo.
    const lost = b1.locator('.cell-label.lost');
    await expect(lost).toHaveText('se…');
    const halo = await lost.evaluate((e) => [getComputedStyle(e).paintOrder, getComputedStyle(e).stroke]);
    expect(halo[0]).toMatch(/^stroke/);
    expect(halo[1]).not.toBe('none');
    const after = await b1.evaluate((g) => {
      const mark = g.querySelector('.lost-mark');
      const label = g.querySelector('.cell-label.lost');
      return !!(mark.compareDocumentPosition(label) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(after).toBe(true);
    // HW and LEO are named at both widths (no bare "0/1").
    const figures = (await b1.locator('.figures').textContent()).replace(/\s+/g, ' ');
    expect(figures).toMatch(/HW \d+.*LEO \d+/);
  });
});

test('the legend is closed by default and opens from its summary', async ({ page }) => {
  await atBothWidths(page, async () => {
    await open(page);
    const legend = page.locator('details.legend');
    await expect(legend).not.toHaveAttribute('open', '');
    await expect(legend.locator('li').first()).toBeHidden();
    const summary = legend.locator('summary');
    await expect(summary).toBeVisible();
    await expect(summary).toHaveText('Legend: what the symbols mean');
    await summary.click();
    await expect(legend.locator('li').first()).toBeVisible();
    // Fetched when first opened (catalog/legend.html): every symbol, each with its swatch.
    expect(await legend.locator('li').count()).toBeGreaterThanOrEqual(30);
    await expect(legend.locator('li svg.swatch')).toHaveCount(await legend.locator('li').count());
    await expect(legend.locator('li', { hasText: 'HW line: the high watermark' }).locator('line.hw')).toHaveCount(1);
  });
});

test('the legend is fetched only when opened, and says so when it cannot be', async ({ page }) => {
  const fetched = requestsFor(page, 'legend.html');
  await refuseFile(page, 'legend.html');
  await open(page);
  expect(fetched).toEqual([]);
  const legend = page.locator('details.legend');
  await legend.locator('summary').click();
  await expect(legend.locator('[role="alert"]')).toHaveText('The legend could not be loaded (HTTP 404).');
  await expect(legend.locator('li')).toHaveCount(0);
  expect(fetched.length).toBe(1);
});

test('the help is fetched when first opened, in full, and says so when it cannot be', async ({ page }) => {
  const fetched = requestsFor(page, 'help.html');
  await open(page);
  expect(fetched).toEqual([]);
  const restore = await refuseFile(page, 'help.html');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Help' });
  await expect(help.locator('[role="alert"]')).toHaveText('The help could not be loaded (HTTP 404).');
  await page.keyboard.press('Escape');
  await restore();
  await page.keyboard.press('?');
  await expect(help.locator('h3')).toHaveText(['Names', 'Keyboard shortcuts', 'Time', 'Manual mode']);
  await expect(help.locator('.keys tr')).toHaveCount(7);
  await expect(help.locator('.names dt')).toHaveCount(6);
  await expect(help).toContainText('Highwater simulates Kafka\'s partition replication.');
  expect(fetched.length).toBe(2);
});

// ---- the producer card's last error (issue 16 item 9) --------------------------------------------

test('the producer card shows the last error its produce got', async ({ page }) => {
  const problems = watchConsole(page);
  await atBothWidths(page, async (width) => {
    // Before x is produced: no error yet.
    await open(page, '/#tutorial=06-min-insync-replicas&step=5');
    const p1 = page.locator('.cluster-svg [data-producer="1"]');
    await expect(p1).toHaveAttribute('data-last-error', '');
    await expect(p1.locator('.last-error')).toHaveCount(0);
    // The leader refuses x with NOT_ENOUGH_REPLICAS until the producer gives up.
    await open(page, '/#tutorial=06-min-insync-replicas&step=7');
    await expect(page.locator('.tutorial-panel .tut-title')).toHaveText('NOT_ENOUGH_REPLICAS');
    await expect(p1).toHaveAttribute('data-last-error', 'NOT_ENOUGH_REPLICAS');
    await expect(p1.locator('.last-error')).toHaveText('last error:');
    const name = (await p1.locator('.err-name tspan').allTextContents()).join('');
    expect(name).toBe('NOT_ENOUGH_REPLICAS');
    await expect(p1).toHaveAttribute('aria-label', /last error NOT_ENOUGH_REPLICAS/);
    // The inspector says it too, with the time.
    await p1.click();
    await expect(page.locator('.inspector .last-error')).toHaveText(/^Last error: NOT_ENOUGH_REPLICAS at t = \d+\.\d s$/);
    await page.screenshot({ path: `e2e/screenshots/legible-last-error-${width}.png` });
  });
  expect(problems).toEqual([]);
});
