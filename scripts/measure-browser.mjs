#!/usr/bin/env node
// Browser measurements of the built playground (dist/), in Debian's headless Chromium:
//   - transfer size, gzipped (what a gzip-serving host sends): the playground page's own load
//     (index.html and every file it requests) apart from the JavaScript API's module
//     (highwater-api.js and its wasm, loaded only by pages that drive the simulator from a script);
//   - time until the first complete picture (every broker drawn), from navigation start;
//   - main-thread busy share and frame-time percentiles while animating a busy run
//     (5 brokers, 12 partitions, RF 3, 3 producers sending as fast as the page lets them), and
//     the main thread's CPU time over the same run (steadier than the busy share on a loaded machine);
//   - the simulator core's speed in wasm (through the JS API's module), to compare with
//     `highwater bench`.
//
//   node scripts/measure-browser.mjs [--seconds 10] [--json] [--dist DIR] [--diagram]
// --diagram opens the space-time diagram panel before animating the busy run.
// Prints a Markdown table (or JSON). Used by scripts/bench; figures go to BENCHMARKS.md.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] || 10) || 10;
const asJson = args.includes('--json');
const dist = args.includes('--dist') ? args[args.indexOf('--dist') + 1] : 'dist';
const diagram = args.includes('--diagram');

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
await new Promise((r) => setTimeout(r, 400));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic', '--no-first-run'],
});
const results = { files };
try {
  // 0. Which files of dist/ the playground page requests while it loads (index.html included).
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requested = new Set();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.host === `127.0.0.1:${port}`) requested.add(url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1)));
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
  }

  // 1. First complete picture of the default run (median of 5 cold loads).
  const firsts = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const done = () => {
        const brokers = document.querySelectorAll('[data-broker]').length;
        if (brokers > 0 && !window.__firstPicture) window.__firstPicture = performance.now();
        return !!window.__firstPicture;
      };
      new MutationObserver((_, obs) => { if (done()) obs.disconnect(); })
        .observe(document, { childList: true, subtree: true });
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => window.__firstPicture, null, { timeout: 10_000 });
    firsts.push(await page.evaluate(() => window.__firstPicture));
    await context.close();
  }
  firsts.sort((a, b) => a - b);
  results.firstPictureMs = firsts[Math.floor(firsts.length / 2)];
  results.firstPictureAllMs = firsts;

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
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; window.__rafId = requestAnimationFrame(tick); };
    window.__rafId = requestAnimationFrame(tick);
  });
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metric();
  const stepsBefore = await page.evaluate(() => Number(document.querySelector('[data-step]')?.getAttribute('data-step') ?? 0));
  await page.waitForTimeout(seconds * 1000);
  const m1 = await metric();
  const stepsAfter = await page.evaluate(() => Number(document.querySelector('[data-step]')?.getAttribute('data-step') ?? 0));
  const frames = (await page.evaluate(() => { cancelAnimationFrame(window.__rafId); return window.__frames; })).slice(1).sort((a, b) => a - b);
  const wall = m1.Timestamp - m0.Timestamp;
  results.busy = {
    seconds: wall,
    mainThreadBusy: (m1.TaskDuration - m0.TaskDuration) / wall,
    scriptShare: (m1.ScriptDuration - m0.ScriptDuration) / wall,
    frames: frames.length,
    fps: frames.length / wall,
    p50: percentile(frames, 50),
    p95: percentile(frames, 95),
    p99: percentile(frames, 99),
    simulatedSteps: stepsAfter - stepsBefore,
    consoleErrors: problems.length,
  };

  // 2b. The same run, main-thread *CPU* time (thread time of the renderer's top-level tasks, from
  // a trace): unlike the busy share above it barely moves when other processes load the machine.
  {
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
    results.busy.mainThreadCpu = cpu / span;
  }

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
} finally {
  await browser.close();
  server.kill();
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
  const b = results.busy;
  console.log(`| main-thread busy while animating the busy run | ${(b.mainThreadBusy * 100).toFixed(1)} % (script ${(b.scriptShare * 100).toFixed(1)} %) over ${b.seconds.toFixed(1)} s |`);
  console.log(`| main-thread CPU (thread time) while animating the busy run | ${(b.mainThreadCpu * 100).toFixed(1)} % |`);
  console.log(`| frame time p50 / p95 / p99 | ${b.p50.toFixed(1)} / ${b.p95.toFixed(1)} / ${b.p99.toFixed(1)} ms (${b.fps.toFixed(1)} fps, ${b.frames} frames) |`);
  console.log(`| simulated steps shown | ${b.simulatedSteps} |`);
  console.log(`| console errors | ${b.consoleErrors} |`);
  console.log(`| core in wasm (busy cluster, through the JS API's module) | ${Math.round(results.wasmCore.eventsPerSecond).toLocaleString('en')} events/s |`);
}
