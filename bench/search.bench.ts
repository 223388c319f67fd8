// Search benchmark: 100,000 notes / 150,000 cards; each search through findCards/findNotes against
// a hand-written SQL equivalent in the same run. Target: < 50 ms and within 1.5x of hand-written.
// Run: npx tsx src-main/search/search.bench.ts
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { initializeNewCollection } from '../src-main/collection/create';
import { encodeDeckCommon, encodeDeckKind, defaultDeckCommon, defaultNormalDeck } from '../src-main/storage/proto/codecs';
import { registerUnicase } from '../src-main/storage/unicase';
import { noteSortAndChecksum } from '../src-main/text/checksum';
import type { SearchContext } from '../src-main/search/context';
import { findCards, findNotes } from '../src-main/search/search-service';

const N_NOTES = 100_000;
const TODAY = 1000;
const CUTOFF = 1_800_000_000;
const ctx: SearchContext = { today: TODAY, dayCutoff: CUTOFF, nowSecs: CUTOFF - 3600, currentDeckId: 1 };

/** Median times of two functions, run alternately (so machine load affects both alike). */
function timePair(a: () => unknown, b: () => unknown, runs = 11): [number, number] {
  a();
  b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let s = performance.now();
    a();
    ta.push(performance.now() - s);
    s = performance.now();
    b();
    tb.push(performance.now() - s);
  }
  const median = (t: number[]) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)];
  return [median(ta), median(tb)];
}

const WORDS = (
  'apple banana cherry dog elephant fish goat house island jungle kite lemon mountain night ocean ' +
  'piano queen river sun tree umbrella violin water xylophone yacht zebra über café naïve straße'
).split(' ');

function rnd(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function build(path: string): { db: Database.Database; basic: number; langDeck: string } {
  const db = new Database(path);
  registerUnicase(db);
  db.pragma('journal_mode = wal');
  initializeNewCollection(db, Date.UTC(2024, 0, 1));
  const basic = db.prepare("select id from notetypes where name = 'Basic'").pluck().get() as number;
  const common = Buffer.from(encodeDeckCommon(defaultDeckCommon()));
  const kind = Buffer.from(encodeDeckKind({ normal: { ...defaultNormalDeck(), configId: 1n } }));
  const deckIds: number[] = [1];
  const insDeck = db.prepare('insert into decks values (?, ?, 0, 0, ?, ?)');
  let did = 1000;
  for (const top of ['Languages', 'Science', 'History', 'Music']) {
    insDeck.run(++did, top, common, kind);
    deckIds.push(did);
    for (const sub of ['One', 'Two', 'Three', 'Four']) {
      insDeck.run(++did, `${top}\x1f${sub}`, common, kind);
      deckIds.push(did);
    }
  }
  const tags = Array.from({ length: 40 }, (_, i) => `tag${i}`).concat(['lang::de', 'lang::fr', 'Ünï']);
  const r = rnd(42);
  const insNote = db.prepare("insert into notes values (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')");
  const insCard = db.prepare("insert into cards values (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, '{}')");
  db.transaction(() => {
    let cid = 1_600_000_000_000;
    for (let i = 0; i < N_NOTES; i++) {
      const nid = 1_500_000_000_000 + i;
      const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
      const fields = [`${words(3)} ${i}`, `<b>${words(8)}</b> ${words(10)}`];
      const { sfld, csum } = noteSortAndChecksum(fields, 0);
      const noteTags = [tags[Math.floor(r() * tags.length)], tags[Math.floor(r() * tags.length)]].sort();
      insNote.run(nid, `g${i}`, basic, 1_700_000_000, ` ${[...new Set(noteTags)].join(' ')} `, fields.join('\x1f'), sfld, csum);
      const nCards = i % 2 === 0 ? 2 : 1;
      const deck = deckIds[Math.floor(r() * deckIds.length)];
      for (let ord = 0; ord < nCards; ord++) {
        const type = Math.floor(r() * 4);
        const queue = type === 0 ? 0 : type === 1 ? 1 : type === 3 ? 3 : 2;
        const due = type === 0 ? i : queue === 1 ? CUTOFF - Math.floor(r() * 86400) : TODAY - 50 + Math.floor(r() * 100);
        insCard.run(cid++, nid, deck, ord, 1_700_000_000, type, queue, due, type === 0 ? 0 : 5, 2500, 3, 0);
      }
    }
  })();
  db.exec('analyze');
  return { db, basic, langDeck: 'Languages' };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-search-bench-'));
  const { db, basic } = build(join(dir, 'collection.anki2'));
  const langIds = db
    .prepare("select id from decks where name = 'Languages' or name like 'Languages\x1f%'")
    .pluck()
    .all() as number[];
  const list = langIds.join(',');
  const cases: Array<{ name: string; ours: () => unknown[]; raw: () => unknown[] }> = [
    {
      name: 'findCards deck:Languages',
      ours: () => findCards(db, 'deck:Languages', ctx),
      raw: () => db.prepare(`select id from cards where did in (${list})`).pluck().all(),
    },
    {
      name: 'findCards tag:tag7',
      ours: () => findCards(db, 'tag:tag7', ctx),
      raw: () =>
        db
          .prepare("select c.id from cards c, notes n where c.nid = n.id and (n.tags like '% tag7 %' or n.tags like '% tag7::%')")
          .pluck()
          .all(),
    },
    {
      name: 'findNotes tag:lang',
      ours: () => findNotes(db, 'tag:lang', ctx),
      raw: () => db.prepare("select id from notes where tags like '% lang %' or tags like '% lang::%'").pluck().all(),
    },
    {
      name: 'findNotes tag:ünï (LIKE pre-filter + regex)',
      ours: () => findNotes(db, 'tag:ünï', ctx),
      raw: () => db.prepare("select id from notes where tags like '% Ünï %'").pluck().all(),
    },
    {
      name: 'findCards piano',
      ours: () => findCards(db, 'piano', ctx),
      raw: () =>
        db
          .prepare("select c.id from cards c, notes n where c.nid = n.id and (n.sfld like '%piano%' or n.flds like '%piano%')")
          .pluck()
          .all(),
    },
    {
      name: 'findNotes piano',
      ours: () => findNotes(db, 'piano', ctx),
      raw: () => db.prepare("select id from notes where sfld like '%piano%' or flds like '%piano%'").pluck().all(),
    },
    {
      name: 'findCards is:due',
      ours: () => findCards(db, 'is:due', ctx),
      raw: () =>
        db
          .prepare('select id from cards where (queue in (2,3) and due <= ?) or (queue in (1,4) and due <= ?)')
          .pluck()
          .all(TODAY, ctx.nowSecs + 1200),
    },
    {
      name: 'findNotes front:apple*',
      ours: () => findNotes(db, 'front:apple*', ctx),
      raw: () => db.prepare("select id from notes where mid = ? and flds like 'apple%\x1f%'").pluck().all(basic),
    },
    {
      name: 'findCards deck:Languages is:due',
      ours: () => findCards(db, 'deck:Languages is:due', ctx),
      raw: () =>
        db
          .prepare(`select id from cards where did in (${list}) and ((queue in (2,3) and due <= ?) or (queue in (1,4) and due <= ?))`)
          .pluck()
          .all(TODAY, ctx.nowSecs + 1200),
    },
    {
      name: 'findCards deck:Languages (sorted: noteFld)',
      ours: () => findCards(db, 'deck:Languages', ctx, { kind: 'builtin', column: 'noteFld' }),
      raw: () =>
        db
          .prepare(`select c.id from cards c, notes n where c.nid = n.id and c.did in (${list}) order by n.sfld collate nocase, c.ord`)
          .pluck()
          .all(),
    },
  ];
  for (const c of cases) {
    const a = c.ours().length;
    const b = c.raw().length;
    const [ours, raw] = timePair(c.ours, c.raw);
    console.log(
      `${c.name.padEnd(44)} ${ours.toFixed(2).padStart(8)} ms | hand-written: ${raw.toFixed(2).padStart(7)} ms | ratio ${(ours / raw).toFixed(2)}x | rows ${a}${a === b ? '' : ` (hand-written ${b})`}`,
    );
  }
  db.close();
}

if (process.argv[1]?.endsWith('search.bench.ts')) main();
