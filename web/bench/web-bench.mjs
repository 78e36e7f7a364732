// The web interface's hot paths, measured in Debian's chromium (playwright-core)
// against a running Agora (scripts/bench-web starts one and seeds it): the first load
// of the agenda with a cold cache, what it downloads (bytes, and gzip -9 bytes), and
// the time from "next week" / "next month" to the new period drawn, on a calendar of
// EVENTS events. Benchmarks measure, they do not assert: results go to OUT as JSON.
//
//   BASE=http://127.0.0.1:PORT USER=… PASSWORD=… EVENTS=20000 OUT=… node web-bench.mjs
import { chromium } from 'playwright-core';
import { gzipSync } from 'node:zlib';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

const BASE = process.env.BASE;
/** Where events are seeded (Agora itself; BASE may be the dev server in front of it). */
const DAV = process.env.DAV ?? BASE;
const USER = process.env.USER_LOGIN ?? 'bench';
const PASSWORD = process.env.PASSWORD ?? 'bench-password-1';
const EVENTS = Number(process.env.EVENTS ?? 20000);
const RUNS = Number(process.env.RUNS ?? 5);
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 500);
const OUT = process.env.OUT ?? 'target/bench-web/results.json';
const CAL = `/calendars/${USER}/calendar/`;
const auth = 'Basic ' + Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

const pad = (n) => String(n).padStart(2, '0');
const stamp = (d) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00Z`;

/** EVENTS one-hour events spread over a year before and after now, 8:00-18:00 UTC. */
async function seed() {
  const now = Date.now();
  const span = 365 * 86400e3;
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < EVENTS) {
      const i = next++;
      const day = Math.floor(now - span + ((2 * span) / EVENTS) * i);
      const start = new Date(day - (day % 86400e3) + (8 + (i % 10)) * 3600e3);
      const end = new Date(start.getTime() + 3600e3);
      const body = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agora bench//EN\r\nBEGIN:VEVENT\r\nUID:webbench-${i}\r\nDTSTAMP:${stamp(start)}\r\nDTSTART:${stamp(start)}\r\nDTEND:${stamp(end)}\r\nSUMMARY:Bench event ${i}\r\nLOCATION:Room ${i % 40}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
      const res = await fetch(`${DAV}${CAL}webbench-${i}.ics`, { method: 'PUT', body, headers: { Authorization: auth, 'Content-Type': 'text/calendar' } });
      if (res.status !== 201 && res.status !== 204) throw new Error(`PUT ${i}: ${res.status} ${await res.text()}`);
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  return (performance.now() - started) / 1000;
}

/** The calendar-query REPORTs the page sent for the step, once answered: those sent by
 * 20 ms after the new title (the new range's), not the reading ahead of the months
 * around it that the month view starts once the step is drawn. */
const sent = new WeakMap();
function trackReports(page) {
  const list = [];
  sent.set(page, list);
  page.on('request', (r) => r.method() === 'REPORT' && list.push(r.response()));
}
async function reportsAnswered(page) {
  await new Promise((r) => setTimeout(r, 20));
  const list = sent.get(page) ?? [];
  await Promise.all(list.splice(0));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function signedInContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'Europe/Paris' });
  const res = await context.request.post(`${BASE}/api/login`, { data: { login: USER, password: PASSWORD } });
  if (res.status() !== 200) throw new Error(`login ${res.status()}`);
  return context;
}

/** Waits until the grid shows events and the page is quiet (two animation frames). */
async function drawn(page) {
  await page.locator('.ec-event').first().waitFor({ timeout: 30000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function firstLoad(browser) {
  const context = await signedInContext(browser);
  const page = await context.newPage();
  const bytes = { raw: 0, gzip: 0, files: [] };
  page.on('response', async (r) => {
    const type = r.request().resourceType();
    if (!['document', 'script', 'stylesheet', 'font', 'image'].includes(type)) return;
    try {
      const body = await r.body();
      bytes.raw += body.length;
      bytes.gzip += gzipSync(body, { level: 9 }).length;
      bytes.files.push(`${type} ${new URL(r.url()).pathname} ${body.length}`);
    } catch {
      /* a redirect has no body */
    }
  });
  const t0 = performance.now();
  await page.goto(`${BASE}/`);
  await page.locator('.ec').waitFor();
  const interactive = performance.now() - t0;
  await drawn(page);
  const withEvents = performance.now() - t0;
  await context.close();
  return { interactive, withEvents, bytes };
}

async function navigate(browser, view, steps) {
  const context = await signedInContext(browser);
  const page = await context.newPage();
  trackReports(page);
  await page.goto(`${BASE}/`);
  await page.locator('#view-select').selectOption(view);
  await drawn(page);
  const times = [];
  // The calendar-query REPORTs' own time (request sent to last byte), to tell the
  // server and the network from the page's parse and layout.
  const reports = [];
  page.on('requestfinished', (r) => {
    if (r.method() !== 'REPORT') return;
    const t = r.timing();
    if (t.responseEnd > 0) reports.push(t.responseEnd - t.requestStart);
  });
  // The page's main-thread CPU time per step (Chrome's ThreadTime metric) and its
  // layouts: unlike the wall-clock time, not inflated when other work shares the CPU.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const cpu = [];
  const layouts = [];
  for (let i = 0; i < steps; i++) {
    // A person looks at a period before asking for the next one (PAUSE_MS, default half a
    // second, not timed): time for the month view's reading ahead.
    await page.waitForTimeout(PAUSE_MS);
    const before = await page.locator('#view-title').textContent();
    const m0 = await metrics();
    // Drawn means: the new range's calendar-queries answered (if the range was not
    // loaded already), then two frames; events of the old range that overlap the new
    // one are on screen before that.
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.waitForFunction((b) => document.querySelector('#view-title')?.textContent !== b, before);
    await reportsAnswered(page);
    await drawn(page);
    times.push(performance.now() - t0);
    const m1 = await metrics();
    cpu.push((m1.ThreadTime - m0.ThreadTime) * 1000);
    layouts.push(m1.LayoutCount - m0.LayoutCount);
  }
  const shown = await page.locator('.ec-event').count();
  const profile = process.env.PROFILE && view === 'month' ? await profileNext(page) : undefined;
  const drag = view === 'month' ? await dragFrames(page) : undefined;
  await context.close();
  return { medianMs: median(times), maxMs: Math.max(...times), cpuMedianMs: median(cpu), layoutsMedian: median(layouts), steps: times.length, eventsOnScreen: shown, profile, reportMedianMs: reports.length ? median(reports) : undefined, drag };
}

/** With PROFILE set: one more "next" under the CPU profiler (Chrome DevTools Protocol),
 * summed as self time per function, the 15 largest. */
async function profileNext(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await page.evaluate(() => {
    // Layout reads during the step: how many, and how long they took.
    const real = Element.prototype.getBoundingClientRect;
    window.__rects = { calls: 0, ms: 0, maxMs: 0, over2ms: 0 };
    Element.prototype.getBoundingClientRect = function () {
      const t0 = performance.now();
      const r = real.call(this);
      window.__rects.calls++;
      const ms = performance.now() - t0;
      window.__rects.ms += ms;
      window.__rects.maxMs = Math.max(window.__rects.maxMs, ms);
      if (ms > 2) window.__rects.over2ms++;
      return r;
    };
  });
  await cdp.send('Profiler.start');
  const before = await page.locator('#view-title').textContent();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.waitForFunction((b) => document.querySelector('#view-title')?.textContent !== b, before);
  await reportsAnswered(page);
  await drawn(page);
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const dt = new Map(profile.nodes.map((n) => [n.id, 0]));
  profile.samples.forEach((id, i) => dt.set(id, dt.get(id) + (profile.timeDeltas[i] ?? 0)));
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(name, (self.get(name) ?? 0) + dt.get(n.id) / 1000);
  }
  const rects = await page.evaluate(() => window.__rects);
  return { layoutReads: rects, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v.toFixed(1)} ms ${k}`) };
}

/** Drags the first event chip of the month grid across two rows of days, 30 pointer
 * moves, and records the time between animation frames meanwhile: the longest frame
 * says whether the drag stutters (≤ 50 ms reads as smooth). The drop is undone by
 * Escape before the button is released, so nothing is written. */
async function dragFrames(page) {
  const chip = page.locator('.ec-month-view .ec-event:not(.ev-more)').nth(3);
  const box = await chip.boundingBox();
  if (!box) return undefined;
  // Stop counting the frames of the navigation before.
  await page.waitForTimeout(300);
  const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const day = await page.locator('.ec-day').first().boundingBox();
  const to = { x: from.x + day.width * 2, y: from.y + day.height * 2 };
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__frames.length < 10000 && !window.__stop) requestAnimationFrame(tick);
    };
    window.__stop = false;
    requestAnimationFrame(tick);
  });
  const t0 = performance.now();
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const steps = 30;
  for (let i = 1; i <= steps; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
  const elapsed = performance.now() - t0;
  await page.keyboard.press('Escape');
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    window.__stop = true;
    return window.__frames.slice(1);
  });
  return { moves: steps, elapsedMs: elapsed, frames: frames.length, medianFrameMs: median(frames), longestFrameMs: Math.max(...frames) };
}

const seedSeconds = EVENTS > 0 ? await seed() : 0;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const loads = [];
for (let i = 0; i < RUNS; i++) loads.push(await firstLoad(browser));
const week = await navigate(browser, 'week', RUNS * 2);
const month = await navigate(browser, 'month', RUNS * 2);
await browser.close();
const result = {
  date: new Date().toISOString(),
  events: EVENTS,
  seedSeconds,
  firstLoad: {
    interactiveMedianMs: median(loads.map((l) => l.interactive)),
    withEventsMedianMs: median(loads.map((l) => l.withEvents)),
    bytes: loads[0].bytes.raw,
    gzipBytes: loads[0].bytes.gzip,
    files: loads[0].bytes.files,
  },
  nextWeek: week,
  nextMonth: month,
};
await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
