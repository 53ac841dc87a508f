#!/usr/bin/env node
// Browser measurements of the built playground (dist/), in Debian's headless Chromium:
//   - transfer size, gzipped (what a gzip-serving host sends): the playground page's own load
//     (index.html and every file it requests) apart from the JavaScript API's module
//     (highwater-api.js and its wasm, loaded only by pages that drive the simulator from a script);
//   - time until the first complete picture (every broker drawn), from navigation start, and until
//     the frame that shows it has been painted;
//   - main-thread busy share and frame-time percentiles while animating a busy run
//     (5 brokers, 12 partitions, RF 3, 3 producers sending as fast as the page lets them), and
//     the main thread's CPU time over the same run (steadier than the busy share on a loaded machine);
//   - the simulator core's speed in wasm (through the JS API's module), to compare with
//     `highwater bench`.
//
//   node scripts/measure-browser.mjs [--seconds 10] [--json] [--dist DIR] [--diagram] [--peer DIR]
// --diagram opens the space-time diagram panel before animating the busy run.
// --peer DIR also measures RaftScope (ongardie/raftscope, the best-known Raft visualiser) from a
// checkout in DIR (its submodules bootstrap-slider and bootstrap-contextmenu in place; nothing here
// downloads it), served by a second static server, in the same browser and with the same methods:
// its cold loads alternate with ours, its animated window (its default simulation, which plays by
// itself) follows ours with the same duration, and our default run is animated too, for a like
// for like. A second table compares the two pages.
// Prints a Markdown table (or JSON). Used by scripts/bench; figures go to BENCHMARKS.md.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] || 10) || 10;
const asJson = args.includes('--json');
const dist = args.includes('--dist') ? args[args.indexOf('--dist') + 1] : 'dist';
const diagram = args.includes('--diagram');
const peerDir = args.includes('--peer') ? args[args.indexOf('--peer') + 1] : null;
if (peerDir && !(existsSync(join(peerDir, 'index.html')) && existsSync(join(peerDir, 'bootstrap-slider', 'js')))) {
  throw new Error(`--peer ${peerDir}: not a RaftScope checkout with its submodules (index.html, bootstrap-slider/js/)`);
}

function gzipSizes(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) continue;
    const raw = readFileSync(p);
    out.push({ name, bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length });
  }
  return out;
}

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

// The busy run, as the URL fragment the page understands (Run::to_fragment: JSON in base64url).
const busyRun = {
  config: {
    brokers: 5,
    producers: 3,
    topics: [{ name: 't', partitions: 12, 'replication.factor': 3 }],
    broker: { 'min.insync.replicas': 2 },
  },
  seed: 1,
  inputs: [1, 2, 3].map((p) => ({ command: { cmd: 'auto-produce', producer: p, interval_ms: 1 } })),
};
const fragment = Buffer.from(JSON.stringify(busyRun)).toString('base64url');

const files = gzipSizes(dist);
const sum = (list) => list.reduce((a, f) => ({ bytes: a.bytes + f.bytes, gzip: a.gzip + f.gzip }), { bytes: 0, gzip: 0 });
const apiFiles = ['highwater-api.js', 'highwater-api_bg.wasm'];

const port = await freePort();
const server = spawn('node', ['scripts/static-server.mjs', dist, String(port), '127.0.0.1'], { stdio: 'ignore' });
const peerPort = peerDir ? await freePort() : null;
const peerServer = peerDir ? spawn('node', ['scripts/static-server.mjs', peerDir, String(peerPort), '127.0.0.1'], { stdio: 'ignore' }) : null;
await new Promise((r) => setTimeout(r, 400));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic', '--no-first-run'],
});
const results = { files };

// After the first complete picture is in the DOM, when the frame that shows it is done: the
// animation frame after it, then a message posted from that frame, which runs once the frame's
// style, layout and paint are through (the picture painted, not yet on screen). The same for
// both pages.
const markPainted = () => {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { window.__picturePainted = performance.now(); };
    channel.port2.postMessage(0);
  });
};

// RaftScope's first complete picture: its five servers drawn in the ring, i.e. every
// `#servers g.server` (appended at start-up, NUM_SERVERS of them) has its term written in
// `text.term` by the first render.update(), which also draws the logs.
const peerFirstPictureInit = () => {
  const done = () => {
    const terms = [...document.querySelectorAll('#servers g.server text.term')];
    if (window.NUM_SERVERS && terms.length === window.NUM_SERVERS && terms.every((t) => t.textContent !== '')
      && !window.__firstPicture) {
      window.__firstPicture = performance.now();
      window.__markPainted();
    }
    return !!window.__firstPicture;
  };
  new MutationObserver((_, obs) => { if (done()) obs.disconnect(); })
    .observe(document, { childList: true, subtree: true });
};

// A cold load of RaftScope in a fresh context, until its first complete picture.
async function peerFirstPicture() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(`window.__markPainted = ${markPainted.toString()};`);
  await page.addInitScript(peerFirstPictureInit);
  await page.goto(`http://127.0.0.1:${peerPort}/`);
  await page.waitForFunction(() => window.__picturePainted, null, { timeout: 10_000 });
  const t = await page.evaluate(() => [window.__firstPicture, window.__picturePainted]);
  await context.close();
  return t;
}

// Frame times (rAF deltas) and main-thread busy share (CDP TaskDuration) over `seconds` of a page
// that is animating; progress() reads how far the page's simulation got.
async function animatedWindow(page, cdp, progress) {
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; window.__rafId = requestAnimationFrame(tick); };
    window.__rafId = requestAnimationFrame(tick);
  });
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metric();
  const before = await progress();
  await page.waitForTimeout(seconds * 1000);
  const m1 = await metric();
  const after = await progress();
  const frames = (await page.evaluate(() => { cancelAnimationFrame(window.__rafId); return window.__frames; })).slice(1).sort((a, b) => a - b);
  const wall = m1.Timestamp - m0.Timestamp;
  return {
    seconds: wall,
    mainThreadBusy: (m1.TaskDuration - m0.TaskDuration) / wall,
    scriptShare: (m1.ScriptDuration - m0.ScriptDuration) / wall,
    frames: frames.length,
    fps: frames.length / wall,
    p50: percentile(frames, 50),
    p95: percentile(frames, 95),
    p99: percentile(frames, 99),
    progress: after - before,
  };
}

// Main-thread *CPU* time (thread time of the renderer's top-level tasks, from a trace) while the
// page keeps animating: unlike the busy share it barely moves when other processes load the machine.
async function mainThreadCpu(page) {
  const path = join(tmpdir(), `highwater-trace-${process.pid}.json`);
  await browser.startTracing(page, { path, categories: ['devtools.timeline', 'toplevel'] });
  await page.waitForTimeout(Math.min(seconds, 5) * 1000);
  await browser.stopTracing();
  const events = JSON.parse(readFileSync(path, 'utf8')).traceEvents;
  unlinkSync(path);
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const main = events
    .filter((e) => e.ph === 'X' && threads.get(`${e.pid}:${e.tid}`) === 'CrRendererMain')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  let cpu = 0;
  let end = -1;
  for (const e of main) {
    if (e.ts >= end) { cpu += e.tdur ?? 0; end = e.ts + e.dur; } // top-level events only
  }
  const span = main.length ? main.at(-1).ts + main.at(-1).dur - main[0].ts : 1;
  return cpu / span;
}

try {
  // 0. Which files of dist/ the playground page requests while it loads (index.html included).
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requested = new Set();
    const offHost = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.host === `127.0.0.1:${port}`) requested.add(url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1)));
      else if (url.protocol !== 'data:') offHost.push(r.url());
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('[data-broker]');
    await context.close();
    const loaded = files.filter((f) => requested.has(f.name));
    const api = files.filter((f) => apiFiles.includes(f.name));
    const missing = [...requested].filter((n) => !files.some((f) => f.name === n));
    if (missing.length) throw new Error(`the page requested files not in dist/: ${missing.join(', ')}`);
    if (api.length !== apiFiles.length) throw new Error(`dist/ lacks the API module (${apiFiles.join(', ')})`);
    results.page = { files: loaded.map((f) => f.name), ...sum(loaded) };
    results.apiModule = { files: api.map((f) => f.name), ...sum(api) };
    results.pageLoadsApi = api.some((f) => requested.has(f.name));
    if (peerDir) results.offHostRequests = offHost; // reported only next to RaftScope's
  }

  // 0b. RaftScope's transfer: gzip -9 of every file it requests from its local server (index.html,
  // jQuery, bootstrap and its fonts, the slider and context menu, its own scripts), as for ours;
  // requests elsewhere (none expected: they would fail offline) and failures are reported.
  if (peerDir) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requested = new Set();
    const offHost = [];
    const failed = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.host === `127.0.0.1:${peerPort}`) requested.add(url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1)));
      else if (url.protocol !== 'data:') offHost.push(r.url());
    });
    page.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} (${r.status()})`); });
    await page.addInitScript(peerFirstPictureInit);
    await page.goto(`http://127.0.0.1:${peerPort}/`);
    await page.waitForFunction(() => window.__firstPicture, null, { timeout: 10_000 });
    // Its glyph font is requested only once the icons are laid out: wait for the network to settle.
    await page.waitForLoadState('networkidle');
    await context.close();
    const loaded = [...requested].filter((n) => existsSync(join(peerDir, n)) && statSync(join(peerDir, n)).isFile()).map((name) => {
      const raw = readFileSync(join(peerDir, name));
      return { name, bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
    });
    results.peer = { dir: peerDir, page: { files: loaded.map((f) => f.name), ...sum(loaded) }, offHostRequests: offHost, failedRequests: failed };
  }

  // 1. First complete picture of the default run (median of 5 cold loads), alternating with
  // RaftScope's under --peer.
  const firsts = [];
  const peerFirsts = [];
  const painteds = [];
  const peerPainteds = [];
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(`window.__markPainted = ${markPainted.toString()};`);
    await page.addInitScript(() => {
      const done = () => {
        const brokers = document.querySelectorAll('[data-broker]').length;
        if (brokers > 0 && !window.__firstPicture) {
          window.__firstPicture = performance.now();
          window.__markPainted();
        }
        return !!window.__firstPicture;
      };
      new MutationObserver((_, obs) => { if (done()) obs.disconnect(); })
        .observe(document, { childList: true, subtree: true });
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => window.__picturePainted, null, { timeout: 10_000 });
    const [first, painted] = await page.evaluate(() => [window.__firstPicture, window.__picturePainted]);
    firsts.push(first);
    painteds.push(painted);
    await context.close();
    if (peerDir) {
      const [peerFirst, peerPainted] = await peerFirstPicture();
      peerFirsts.push(peerFirst);
      peerPainteds.push(peerPainted);
    }
  }
  firsts.sort((a, b) => a - b);
  results.firstPictureMs = firsts[Math.floor(firsts.length / 2)];
  results.firstPictureAllMs = firsts;
  results.picturePaintedMs = median(painteds);
  if (peerDir) {
    peerFirsts.sort((a, b) => a - b);
    results.peer.firstPictureMs = peerFirsts[Math.floor(peerFirsts.length / 2)];
    results.peer.firstPictureAllMs = peerFirsts;
    results.peer.picturePaintedMs = median(peerPainteds);
  }

  // 2. Animating the busy run: frame times (rAF deltas) and main-thread busy share (CDP TaskDuration).
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`http://127.0.0.1:${port}/#run=${fragment}`);
  await page.waitForSelector('[data-broker]');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (diagram) await page.locator('.spacetime .st-toggle').click();
  await page.getByRole('button', { name: /^play/i }).first().click();
  await page.waitForTimeout(1000); // warm up
  const stepAt = () => page.evaluate(() => Number(document.querySelector('[data-step]')?.getAttribute('data-step') ?? 0));
  const { progress: simulatedSteps, ...w } = await animatedWindow(page, cdp, stepAt);
  results.busy = { ...w, simulatedSteps, consoleErrors: problems.length };

  // 2b. The same run, main-thread CPU time.
  results.busy.mainThreadCpu = await mainThreadCpu(page);

  // 3. The core in wasm, through the JS API's own module (imported into the same page).
  results.wasmCore = await page.evaluate(async () => {
    const api = await import('/highwater-api.js');
    await api.default();
    const t0 = performance.now();
    let events = 0;
    let runs = 0;
    while (performance.now() - t0 < 3000) { events += Number(api.benchmarkBusyCluster(runs + 1, 200000)); runs += 1; }
    const ms = performance.now() - t0;
    return { events, ms, eventsPerSecond: events / (ms / 1000) };
  });
  await context.close();

  if (peerDir) {
    // 4. Under --peer, like for like: our default run (what the page opens with), played for the
    // same window, then RaftScope's default simulation (5 servers, at its default 1/100x speed),
    // which starts playing by itself on load. Both measured as the busy run above.
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForSelector('[data-broker]');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.getByRole('button', { name: /^play/i }).first().click();
      await page.waitForTimeout(1000); // warm up
      const stepAt = () => page.evaluate(() => Number(document.querySelector('[data-step]')?.getAttribute('data-step') ?? 0));
      const { progress: simulatedSteps, ...w } = await animatedWindow(page, cdp, stepAt);
      results.defaultRun = { ...w, simulatedSteps, consoleErrors: problems.length };
      results.defaultRun.mainThreadCpu = await mainThreadCpu(page);
      await context.close();
    }
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const problems = [];
      const pageErrors = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      await page.addInitScript(peerFirstPictureInit);
      await page.goto(`http://127.0.0.1:${peerPort}/`);
      await page.waitForFunction(() => window.__firstPicture, null, { timeout: 10_000 });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.waitForTimeout(1000); // warm up
      const playing = await page.evaluate(() => !window.playback.isPaused());
      // Its progress: the simulated clock (state.current.time, in microseconds).
      const timeAt = () => page.evaluate(() => window.state.current.time);
      const { progress: simulatedMicros, ...w } = await animatedWindow(page, cdp, timeAt);
      results.peer.busy = { ...w, simulatedMicros, playing, consoleErrors: problems.length, consoleErrorTexts: problems, uncaughtErrors: pageErrors };
      results.peer.busy.mainThreadCpu = await mainThreadCpu(page);
      await context.close();
    }
    results.peer.busyRatio = results.busy.mainThreadBusy / results.peer.busy.mainThreadBusy;
    results.peer.defaultRunBusyRatio = results.defaultRun.mainThreadBusy / results.peer.busy.mainThreadBusy;
  }
} finally {
  await browser.close();
  server.kill();
  peerServer?.kill();
}

if (asJson) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const kb = (n) => (n / 1024).toFixed(1) + ' KB';
  console.log('| measure | value |');
  console.log('|---|---|');
  for (const f of files) console.log(`| ${f.name} | ${kb(f.bytes)} raw, ${kb(f.gzip)} gzip |`);
  const p = results.page;
  const a = results.apiModule;
  console.log(`| **the page's transfer (gzip): index.html and what it loads** | **${kb(p.gzip)}** (${kb(p.bytes)} raw; ${p.files.length} files${results.pageLoadsApi ? ', the API module among them' : ''}) |`);
  console.log(`| the JS API's module (gzip), loaded only by pages that use the API | ${kb(a.gzip)} (${kb(a.bytes)} raw) |`);
  console.log(`| first complete picture (median of 5) | ${results.firstPictureMs.toFixed(0)} ms (all: ${results.firstPictureAllMs.map((x) => x.toFixed(0)).join(', ')}) |`);
  console.log(`| the frame showing it painted (median of 5) | ${results.picturePaintedMs.toFixed(0)} ms |`);
  const b = results.busy;
  console.log(`| main-thread busy while animating the busy run | ${(b.mainThreadBusy * 100).toFixed(1)} % (script ${(b.scriptShare * 100).toFixed(1)} %) over ${b.seconds.toFixed(1)} s |`);
  console.log(`| main-thread CPU (thread time) while animating the busy run | ${(b.mainThreadCpu * 100).toFixed(1)} % |`);
  console.log(`| frame time p50 / p95 / p99 | ${b.p50.toFixed(1)} / ${b.p95.toFixed(1)} / ${b.p99.toFixed(1)} ms (${b.fps.toFixed(1)} fps, ${b.frames} frames) |`);
  console.log(`| simulated steps shown | ${b.simulatedSteps} |`);
  console.log(`| console errors | ${b.consoleErrors} |`);
  console.log(`| core in wasm (busy cluster, through the JS API's module) | ${Math.round(results.wasmCore.eventsPerSecond).toLocaleString('en')} events/s |`);
  if (peerDir) {
    // The comparison with RaftScope, same browser, same run.
    const r = results.peer;
    const d = results.defaultRun;
    const pb = r.busy;
    const pct = (x) => `${(x * 100).toFixed(1)} %`;
    const frames = (w) => `${w.p50.toFixed(1)} / ${w.p95.toFixed(1)} ms`;
    console.log('');
    console.log(`| measure | Highwater | RaftScope (${peerDir}) |`);
    console.log('|---|---|---|');
    console.log(`| transfer (gzip): index.html and what it loads | ${kb(p.gzip)} (${p.files.length} files) | ${kb(r.page.gzip)} (${kb(r.page.bytes)} raw; ${r.page.files.length} files) |`);
    console.log(`| requests off the local server | ${results.offHostRequests.length ? results.offHostRequests.join(', ') : 'none'} | ${r.offHostRequests.length ? r.offHostRequests.join(', ') : 'none'} |`);
    if (r.failedRequests.length) console.log(`| failed requests | | ${r.failedRequests.join(', ')} |`);
    console.log(`| first complete picture (median of 5, alternating loads) | ${results.firstPictureMs.toFixed(0)} ms | ${r.firstPictureMs.toFixed(0)} ms (all: ${r.firstPictureAllMs.map((x) => x.toFixed(0)).join(', ')}) |`);
    console.log(`| the frame showing it painted (median of 5) | ${results.picturePaintedMs.toFixed(0)} ms | ${r.picturePaintedMs.toFixed(0)} ms |`);
    console.log(`| main-thread busy, animating (ours: busy run / default run; RaftScope: its default simulation) | ${pct(b.mainThreadBusy)} / ${pct(d.mainThreadBusy)} | ${pct(pb.mainThreadBusy)} (script ${pct(pb.scriptShare)}) over ${pb.seconds.toFixed(1)} s${pb.playing ? '' : ' — NOT PLAYING'} |`);
    console.log(`| main-thread CPU (thread time), same | ${pct(b.mainThreadCpu)} / ${pct(d.mainThreadCpu)} | ${pct(pb.mainThreadCpu)} |`);
    console.log(`| frame time p50 / p95, same | ${frames(b)} / ${frames(d)} | ${frames(pb)} (${pb.fps.toFixed(1)} fps) |`);
    console.log(`| simulated in the window | ${b.simulatedSteps} / ${d.simulatedSteps} steps | ${(pb.simulatedMicros / 1000).toFixed(1)} ms of its clock |`);
    console.log(`| console errors | ${b.consoleErrors} / ${d.consoleErrors} | ${pb.consoleErrors}${pb.uncaughtErrors.length ? ` (+${pb.uncaughtErrors.length} uncaught)` : ''} |`);
    console.log(`| busy(ours) / busy(RaftScope) | ${r.busyRatio.toFixed(2)} (busy run), ${r.defaultRunBusyRatio.toFixed(2)} (default run) | |`);
  }
}
