// Shared helpers of the Playwright specs.
import { expect } from '@playwright/test';

/** Collects console errors/warnings, uncaught exceptions and failed requests of a page. */
export function watchConsole(page) {
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

/**
 * Opens the playground and waits for the picture; a chapter or scenario link also waits until
 * its file arrived and it opened (or was refused): the page fetches built-in files on demand.
 */
export async function open(page, path = '/') {
  await page.goto(path);
  await expect(page.locator('.cluster-svg')).toBeVisible();
  if (/#(tutorial|scenario)=/.test(path)) {
    await expect(page.locator('.tutorial-panel, .notice.error').first()).toBeVisible();
  }
}

/**
 * A text rendering of the simulation state as the page shows it: the step, the state hash and
 * every data attribute of brokers, replicas, controller entries, producers and the messages in flight.
 */
export async function stateText(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('.cluster-svg');
    const parts = [
      ...document.querySelectorAll(
        '.picture [data-broker], .picture [data-partition], .picture [data-producer], .picture [data-msg-ids], .picture [data-cut]',
      ),
    ].map((e) =>
      [...e.attributes]
        .filter((a) => a.name.startsWith('data-'))
        .map((a) => `${a.name}=${a.value}`)
        .join(' '),
    );
    return [`step=${svg.dataset.step}`, `time=${svg.dataset.time}`, `hash=${svg.dataset.hash}`, ...parts].join('\n');
  });
}

export async function step(page) {
  return Number(await page.locator('.cluster-svg').getAttribute('data-step'));
}

/** The controller's registration of a partition: leader, epoch, ISR. */
export async function controllerPartition(page, label) {
  const el = page.locator(`.controller [data-partition="${label}"]`);
  return {
    leader: await el.getAttribute('data-leader'),
    epoch: Number(await el.getAttribute('data-epoch')),
    isr: (await el.getAttribute('data-isr')).split(',').filter(Boolean).map(Number),
  };
}

/** The replica of `label` on broker `b`. */
export function replica(page, b, label) {
  return page.locator(`[data-broker="${b}"] [data-partition="${label}"]`);
}

/** Sets the speed slider (0 = 0.1× … 9 = 100×). */
export async function setSpeed(page, index) {
  await page.locator('#speed').fill(String(index));
}

export async function play(page) {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
}

export async function pause(page) {
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.locator('.cluster-svg')).not.toHaveAttribute('data-hash', '');
}

/**
 * The requests the page makes for `catalog/<file>` (a file it fetches when first shown: the
 * summary's table, the legend, the help), recorded from now on, as a live array of URLs.
 */
export function requestsFor(page, file) {
  const urls = [];
  page.on('request', (r) => {
    if (r.url().includes(`/catalog/${file}`)) urls.push(r.url());
  });
  return urls;
}

/** Answers every request for `catalog/<file>` with a 404 until the returned function is called. */
export async function refuseFile(page, file) {
  const pattern = `**/catalog/${file}*`;
  await page.route(pattern, (route) => route.fulfill({ status: 404, body: 'gone' }));
  return () => page.unroute(pattern);
}

/**
 * The frames the page draws during the next second, counted inside the page. With `press`, the
 * button of that text inside `within` is then pressed from inside the page too, with no round
 * trip in between; `pressed` says whether there was one.
 */
export async function framesInASecond(page, press = null, within = 'body') {
  return page.evaluate(
    ([press, within]) =>
      new Promise((done) => {
        let frames = 0;
        const t0 = performance.now();
        const tick = () => {
          frames += 1;
          if (performance.now() - t0 < 1000) return requestAnimationFrame(tick);
          const buttons = press ? [...document.querySelectorAll(`${within} button`)] : [];
          const button = buttons.find((b) => b.textContent.trim() === press);
          button?.click();
          done({ frames, pressed: !!button });
        };
        requestAnimationFrame(tick);
      }),
    [press, within],
  );
}
