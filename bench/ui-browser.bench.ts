// The browser screen on a 100,000-note profile, in Chromium against `deckhand serve`:
//   - UI: from submitting a search (notes mode, sorted by the sort field) to the first table row
//     with its cells in the DOM, timed in the page with performance.now()   (target: < 100 ms)
//   - baseline: the same calls the screen makes — search.notes, then browser.rows for the first
//     page of ids — over the same HTTP transport from the same page, without rendering
// Each round starts from an empty table (a search matching nothing), then times both sides in turn.
// Run: npx tsx bench/ui-browser.bench.ts   (CHROMIUM_BIN overrides /usr/bin/chromium)
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { openProfile } from '../src-main/host/open-profile';
import { addNotes } from '../src-main/notes/notes-service';
import { ProfileManager } from '../src-main/profiles/profiles-service';
import { setBrowserState } from '../src-main/browser/browser-state';
import { benchDir, report } from './support';

const NOTES = 100_000;
const ROUNDS = 9;
const root = join(import.meta.dirname, '..');

function makeProfile(dataDir: string): void {
  const session = openProfile(new ProfileManager({ baseDir: dataDir }), 'Bench');
  const col = session.col;
  const basic = col.storage.notetypes.all().find((n) => n.name === 'Basic')!.id;
  for (let start = 0; start < NOTES; start += 10_000) {
    addNotes(
      col,
      Array.from({ length: 10_000 }, (_, k) => {
        const i = start + k;
        return { notetypeId: basic, deckId: 1, fields: [`word ${i} <b>${(i * 7919) % 100_003}</b>`, `meaning of ${i}`], tags: [i % 3 ? 'common' : 'rare'] };
      }),
    );
  }
  // the browser opens in notes mode with Anki's default note columns, sorted by the sort field
  setBrowserState(col, { notesMode: true, noteSort: { column: 'noteFld', reverse: false } });
  session.close();
}

async function serve(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'deckhand.mjs'), 'serve', '--data-dir', dataDir, '--profile', 'Bench', '--port', '0', '--ui-port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const m = /Open the app in a browser: (\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`deckhand serve exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`deckhand serve printed no URL:\n${output}`)), 60_000).unref();
  });
  return { url, child };
}

// The in-page parts are plain JavaScript text: functions compiled by tsx may carry helpers the page lacks.

/** In the page: type a search into the browser's search bar, submit, and wait for the first loaded row. */
const UI_SEARCH = `async (query) => {
  const input = document.querySelector('form[role=search] input[aria-label=Search]');
  const form = input.form;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const grid = () => document.querySelector('[role=grid]');
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // start from an empty table
  setValue.call(input, 'nid:1');
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await sleep(30);
  form.requestSubmit();
  while (grid().querySelector('[role=row]')) await sleep(10);
  setValue.call(input, query);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await sleep(50);
  // timed: submit → the first row with its cells is in the DOM
  return new Promise((resolve) => {
    const start = performance.now();
    const obs = new MutationObserver(() => {
      if (grid().querySelector('[role=row][data-loaded]')) {
        obs.disconnect();
        resolve(performance.now() - start);
      }
    });
    obs.observe(grid(), { subtree: true, childList: true, attributes: true });
    form.requestSubmit();
  });
}`;

/** In the page: the same two calls over the transport, no rendering. */
const RAW_SEARCH = `async (query) => {
  const call = async (channel, input) => {
    const res = await fetch('/api/' + channel, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input), credentials: 'same-origin' });
    const reply = await res.json();
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value;
  };
  const start = performance.now();
  const { ids } = await call('search.notes', { query, order: { column: 'noteFld', reverse: false } });
  await call('browser.rows', { mode: 'notes', ids: ids.slice(0, 100), columns: ['noteFld', 'note', 'template', 'noteTags'] });
  return performance.now() - start;
}`;

/** In the page: jump the table to row `index` and wait for that row with its cells. */
const UI_SCROLL = `async (index) => {
  const body = document.querySelector('[role=grid]');
  return new Promise((resolve) => {
    const start = performance.now();
    const done = () => body.querySelector('[role=row][aria-rowindex="' + (index + 1) + '"][data-loaded]');
    const obs = new MutationObserver(() => {
      if (done()) {
        obs.disconnect();
        resolve(performance.now() - start);
      }
    });
    obs.observe(body, { subtree: true, childList: true, attributes: true });
    body.scrollTop = index * 28;
  });
}`;

/** In the page: the one browser.rows call such a jump needs, over the transport. */
const RAW_ROWS = `async (from) => {
  const call = async (channel, input) => {
    const res = await fetch('/api/' + channel, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input), credentials: 'same-origin' });
    const reply = await res.json();
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value;
  };
  const ids = window.__benchIds.slice(from, from + 100);
  const start = performance.now();
  await call('browser.rows', { mode: 'notes', ids, columns: ['noteFld', 'note', 'template', 'noteTags'] });
  return performance.now() - start;
}`;

const inPage = (fn: string, arg: string | number) => `(${fn})(${JSON.stringify(arg)})`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dataDir = join(benchDir(), 'data');
  const t0 = performance.now();
  makeProfile(dataDir);
  console.log(`(generated ${NOTES.toLocaleString('en')} notes in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const { url, child } = await serve(dataDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(url);
    await page.waitForSelector('nav[aria-label=Main]');
    await page.evaluate(() => (window.location.hash = '#/browse'));
    await page.waitForSelector('[role=grid][aria-label=Notes] [role=row][data-loaded]', { timeout: 60_000 });
    const queries = (i: number) => `-tag:absent${i}`; // every note matches; a fresh query each time
    // warm-up (JIT, statement caches on both sides)
    for (let i = 0; i < 2; i++) {
      await page.evaluate(inPage(UI_SEARCH, queries(1000 + i)));
      await page.evaluate(inPage(RAW_SEARCH, queries(2000 + i)));
    }
    const ui: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      ui.push((await page.evaluate(inPage(UI_SEARCH, queries(i)))) as number);
      raw.push((await page.evaluate(inPage(RAW_SEARCH, queries(100 + i)))) as number);
    }
    // jumping far down the table: only the rows in view are fetched and drawn
    await page.evaluate(`(async () => { const r = await fetch('/api/search.notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '', order: { column: 'noteFld', reverse: false } }) }); window.__benchIds = (await r.json()).value.ids; })()`);
    const uiScroll: number[] = [];
    const rawRows: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      uiScroll.push((await page.evaluate(inPage(UI_SCROLL, 20_000 + i * 7_000))) as number);
      rawRows.push((await page.evaluate(inPage(RAW_ROWS, 21_000 + i * 7_000))) as number);
    }
    report({ name: 'browser: jump to row 20k–76k → row painted', ms: median(uiScroll), baselineName: 'browser.rows (100 ids) over HTTP', baselineMs: median(rawRows) });
    const count = await page.locator('.result-count').textContent();
    console.log(`(table shows: ${count})`);
    report({ name: 'browser: search 100k notes → first row painted', ms: median(ui), baselineName: 'search.notes + browser.rows over HTTP', baselineMs: median(raw), target: '< 100 ms' });
    console.log(`(UI runs: ${ui.map((x) => x.toFixed(1)).join(', ')} ms; raw runs: ${raw.map((x) => x.toFixed(1)).join(', ')} ms)`);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}

await main();
