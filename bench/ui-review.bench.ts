// The reviewer's answer-to-next-card time, in Chromium against `deckhand serve`:
//   UI:       from the key press ("3" = Good, on the answer side) to the next card's content being
//             in the card frame (the frame's 'shown' message, after it set the card's HTML), timed
//             in the page with performance.now();
//   baseline: the raw transport time of the same calls — POST /api/review.answer then
//             /api/review.next — made with fetch from a page of the same origin (no app loaded),
//             timed in the page, in the same run; and of the single review.answer {next} call the
//             UI actually makes (one round trip), so the UI's own overhead shows too.
// Rounds alternate between the two so drift hits both alike. Target: UI < 16 ms (one frame).
// Run: npx tsx bench/ui-review.bench.ts   (builds the renderer first when out/renderer is missing;
// CHROMIUM_BIN overrides /usr/bin/chromium)
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from 'playwright-core';
import { benchDir, report } from './support';

const ROOT = join(import.meta.dirname, '..');
const NOTES = 400;
const ROUNDS = 6;
const PER_ROUND = 20;

interface Served {
  openUrl: string;
  url: string;
  ankiConnectUrl: string;
  child: ChildProcess;
}

async function serve(dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'deckhand.mjs'), 'serve', '--data-dir', dataDir, '--profile', 'Bench', '--port', '0', '--ui-port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  let ankiConnectUrl = '';
  const openUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const ac = /AnkiConnect listening on (\S+)/.exec(line);
      if (ac) ankiConnectUrl = ac[1];
      const m = /Open the app in a browser: (\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`deckhand serve exited with ${code}:\n${output}`)));
  });
  return { openUrl, url: new URL(openUrl).origin, ankiConnectUrl, child };
}

async function ac<T>(s: Served, action: string, params: object = {}): Promise<T> {
  const r = (await (await fetch(s.ankiConnectUrl, { method: 'POST', body: JSON.stringify({ action, version: 6, params }) })).json()) as { result: T; error: string | null };
  if (r.error) throw new Error(`${action}: ${r.error}`);
  return r.result;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

/** In the app: answer PER_ROUND cards with the keyboard, each timed from the key press to the next card shown. */
async function uiRound(page: Page, url: string, deckId: number): Promise<number[]> {
  await page.goto(`${url}/#/review/${deckId}`);
  await page.frameLocator('iframe.card-frame').locator('#qa').waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { pressedAt: number | null; shown: { key: string; at: number }[] } };
    w.__bench = { pressedAt: null, shown: [] };
    window.addEventListener('keydown', (e) => {
      if (e.key === '3') w.__bench.pressedAt = performance.now();
    }, true);
    window.addEventListener('deckhand:card-shown', (e) => w.__bench.shown.push({ key: String((e as CustomEvent).detail?.key), at: performance.now() }));
  });
  const samples: number[] = [];
  for (let i = 0; i < PER_ROUND; i++) {
    // show the answer and wait until the frame has it
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (window as unknown as { __bench: { shown: { key: string }[] } }).__bench.shown.some((s) => s.key.includes(':answer:')));
    await page.evaluate(() => ((window as unknown as { __bench: { shown: unknown[] } }).__bench.shown = []));
    await page.keyboard.press('3');
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const w = window as unknown as { __bench: { pressedAt: number; shown: { key: string; at: number }[] } };
          const check = () => {
            const hit = w.__bench.shown.find((s) => s.key.includes(':question:'));
            if (hit) resolve(hit.at - w.__bench.pressedAt);
            else setTimeout(check, 1);
          };
          check();
        }),
    );
    samples.push(ms);
    await page.evaluate(() => ((window as unknown as { __bench: { shown: unknown[] } }).__bench.shown = []));
  }
  return samples;
}

/**
 * The same calls over the transport, from a page of the app's origin without the app, timed:
 * review.answer then review.next (`combined`: the one review.answer with `next` the UI makes).
 */
async function baselineRound(page: Page, url: string, deckId: number, combined = false): Promise<number[]> {
  await page.goto(`${url}/favicon.png`);
  return page.evaluate(
    async ({ deckId, n, combined }) => {
      const call = async (channel: string, input: unknown) => {
        const res = await fetch(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
        const reply = (await res.json()) as { ok: boolean; value: { card: { cardId: number } | null }; error?: { message: string } };
        if (!reply.ok) throw new Error(reply.error?.message);
        return reply.value;
      };
      let next = await call('review.next', { deckId });
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        if (!next.card) throw new Error('ran out of cards');
        const t0 = performance.now();
        if (combined) {
          next = ((await call('review.answer', { cardId: next.card.cardId, rating: 3, millisecondsTaken: 1000, next: { deckId } })) as unknown as { next: typeof next }).next;
        } else {
          await call('review.answer', { cardId: next.card.cardId, rating: 3, millisecondsTaken: 1000 });
          next = await call('review.next', { deckId });
        }
        out.push(performance.now() - t0);
      }
      return out;
    },
    { deckId, n: PER_ROUND, combined },
  );
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  const served = await serve(benchDir());
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await ac(served, 'createDeck', { deck: 'Bench' });
    const notes = Array.from({ length: NOTES }, (_, i) => ({
      deckName: 'Bench',
      modelName: 'Basic',
      fields: { Front: `<div class="q">question ${i} <b>bold</b> <i>italic</i></div>`, Back: `answer ${i} — ${'lorem ipsum '.repeat(8)}` },
    }));
    await ac(served, 'addNotes', { notes });
    const deckId = (await ac<Record<string, number>>(served, 'deckNamesAndIds')).Bench;
    // plenty of new cards a day for the whole run
    const conf = await ac<{ id: number; new: { perDay: number } }>(served, 'getDeckConfig', { deck: 'Bench' });
    await ac(served, 'saveDeckConfig', { config: { ...conf, new: { ...conf.new, perDay: 9999 } } });

    const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    // tsx keeps function names with a `__name` helper the page does not have
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(served.openUrl);
    await page.getByRole('heading', { name: 'Decks' }).waitFor();

    // warm-up (not counted)
    await uiRound(page, served.url, deckId);
    await baselineRound(page, served.url, deckId);
    const ui: number[] = [];
    const raw: number[] = [];
    const one: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ui.push(...(await uiRound(page, served.url, deckId)));
      raw.push(...(await baselineRound(page, served.url, deckId)));
      one.push(...(await baselineRound(page, served.url, deckId, true)));
    }
    console.log(`${ui.length} answers through the UI, ${raw.length} + ${one.length} through the transport alone (${NOTES} new cards; Chromium headless)`);
    report({ name: 'UI: key press → next card shown (median)', ms: median(ui), baselineName: 'review.answer + review.next over HTTP', baselineMs: median(raw), target: '< 16 ms' });
    report({ name: 'UI: key press → next card shown (p95)', ms: p95(ui), baselineName: 'review.answer + review.next over HTTP (p95)', baselineMs: p95(raw), target: '< 16 ms' });
    report({ name: 'UI: key press → next card shown (median)', ms: median(ui), baselineName: 'review.answer {next} over HTTP (the UI’s one call)', baselineMs: median(one) });
    console.log(`UI overhead over the raw calls (median): ${(median(ui) - median(raw)).toFixed(2)} ms; over its own single call: ${(median(ui) - median(one)).toFixed(2)} ms`);
  } finally {
    await browser.close();
    served.child.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
