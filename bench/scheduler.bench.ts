// Scheduler figures, each against a same-run baseline of hand-written SQL:
//  1. answering a card and getting the next one (with its states and labels) — target < 2 ms;
//     baseline: one UPDATE of the card, one INSERT of the revlog row, one SELECT of the next card,
//     committed per answer like the engine's transaction;
//  2. deck tree counts for 100 decks / 150,000 cards — target < 30 ms; baseline: one GROUP BY
//     count query over the cards.
// Run: npx tsx bench/scheduler.bench.ts

import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { Collection } from '../src-main/collection/collection';
import { addDeck } from '../src-main/decks/decks-service';
import { addNotes } from '../src-main/notes/notes-service';
import { OriginalStockKind } from '../src-main/storage/proto/messages';
import { answerCard, deckTreeWithCounts, getQueuedCards, Rating, timingToday } from '../src-main/scheduler/sched-service';
import { benchDir, report, timeMedian } from './support';

const BATCH = 100;

function basicId(col: Collection): number {
  return col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.Basic)!.id;
}

/** Makes every card of the collection a review card due today or earlier (fast, raw). */
function makeDueReviews(db: Database.Database, today: number): void {
  db.prepare(`UPDATE cards SET type = 2, queue = 2, due = ? - (id % 20), ivl = 1 + (id % 30), factor = 2500, reps = 3`).run(today);
}

function benchAnswer(): void {
  const col = Collection.create(join(benchDir(), 'answer.anki2'));
  const deckId = addDeck(col, 'Bench').result.id;
  const conf = col.storage.deckConfigs.get(1)!;
  conf.config.reviewsPerDay = 9999;
  col.transact('bench', (tx) => tx.putDeckConfig(conf));
  addNotes(
    col,
    Array.from({ length: 5000 }, (_, i) => ({ notetypeId: basicId(col), deckId, fields: [`front ${i}`, `back ${i}`] })),
  );
  const today = timingToday(col).daysElapsed;
  makeDueReviews(col.db, today);
  let rating = 0;
  const ratings = [Rating.Good, Rating.Good, Rating.Hard, Rating.Good, Rating.Easy, Rating.Good, Rating.Again];
  getQueuedCards(col, deckId, 1);
  const engine =
    timeMedian(() => {
      for (let i = 0; i < BATCH; i++) {
        const next = getQueuedCards(col, deckId, 1).cards[0];
        answerCard(col, next.card.id, ratings[rating++ % ratings.length], 4000);
      }
    }, 9) / BATCH;

  // baseline on a second collection with the same cards
  const raw = Collection.create(join(benchDir(), 'answer-raw.anki2'));
  const rawDeck = addDeck(raw, 'Bench').result.id;
  addNotes(
    raw,
    Array.from({ length: 5000 }, (_, i) => ({ notetypeId: basicId(raw), deckId: rawDeck, fields: [`front ${i}`, `back ${i}`] })),
  );
  makeDueReviews(raw.db, today);
  const db = raw.db;
  const update = db.prepare('UPDATE cards SET type = 2, queue = 2, due = ?, ivl = ?, factor = ?, reps = reps + 1, mod = ?, usn = -1, data = ? WHERE id = ?');
  const insert = db.prepare('INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?, ?, -1, 3, ?, ?, 2500, 4000, 1)');
  const next = db.prepare('SELECT * FROM cards WHERE did = ? AND queue = 2 AND due <= ? ORDER BY due LIMIT 1');
  let revId = Date.now();
  let current = next.get(rawDeck, today) as { id: number; ivl: number };
  const answerRaw = db.transaction(() => {
    update.run(today + 10, 10, 2500, Math.floor(Date.now() / 1000), '{"lrt":1}', current.id);
    insert.run(revId++, current.id, 10, current.ivl);
  });
  const baseline =
    timeMedian(() => {
      for (let i = 0; i < BATCH; i++) {
        answerRaw();
        current = next.get(rawDeck, today) as { id: number; ivl: number };
      }
    }, 9) / BATCH;
  report({ name: 'answer a card + get the next one', ms: engine, baselineName: 'UPDATE+INSERT+SELECT', baselineMs: baseline, target: '< 2 ms' });
  col.close();
  raw.close();
}

function benchDeckTree(): void {
  const col = Collection.create(join(benchDir(), 'tree.anki2'));
  // 10 top-level decks, each with 9 subdecks (some two levels deep): 100 decks in all
  const deckIds: number[] = [];
  for (let i = 0; i < 10; i++) {
    deckIds.push(addDeck(col, `Top ${i}`).result.id);
    for (let j = 0; j < 9; j++) deckIds.push(addDeck(col, j < 5 ? `Top ${i}::Sub ${j}` : `Top ${i}::Sub 0::Leaf ${j}`).result.id);
  }
  // 150,000 cards (notes + cards written raw, spread over the decks, in mixed states)
  const nt = basicId(col);
  const db = col.db;
  const now = Date.now();
  const today = timingToday(col).daysElapsed;
  const nowSecs = Math.floor(now / 1000);
  const insNote = db.prepare("INSERT INTO notes VALUES (?, ?, ?, ?, -1, '', ?, ?, 0, 0, '')");
  const insCard = db.prepare("INSERT INTO cards VALUES (?, ?, ?, 0, ?, -1, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, '{}')");
  db.transaction(() => {
    for (let k = 0; k < 150_000; k++) {
      const id = now - 200_000 + k;
      insNote.run(id, `g${k}`, nt, nowSecs, `f${k}\x1fb`, `f${k}`);
      const r = k % 20;
      // 60% new, 30% review (half due), 5% learning, 5% suspended
      const [type, queue, due, ivl] =
        r < 12 ? [0, 0, k + 1, 0] : r < 18 ? [2, 2, today - 10 + (k % 25), 5] : r < 19 ? [1, 1, nowSecs + (k % 3000), 0] : [2, -1, today, 5];
      insCard.run(id, id, deckIds[k % deckIds.length], nowSecs, type, queue, due, ivl, type === 2 ? 2500 : 0);
    }
  })();
  db.prepare('UPDATE config SET val = ? WHERE KEY = ?').run(Buffer.from(String(150_001)), 'nextPos');
  const engine = timeMedian(() => {
    const tree = deckTreeWithCounts(col);
    if (tree.totalIncludingChildren !== 150_000) throw new Error(`wrong total ${tree.totalIncludingChildren}`);
  }, 9);
  const group = db.prepare(
    'SELECT did, sum(queue = 0), sum(queue = 2 AND due <= ?), sum(queue = 3 AND due <= ?), sum(queue IN (1, 4) AND due < ?), count() FROM cards GROUP BY did',
  );
  const baseline = timeMedian(() => {
    const rows = group.all(today, today, nowSecs + 1200);
    if (rows.length !== 100) throw new Error(`wrong deck count ${rows.length}`);
  }, 9);
  report({ name: 'deck tree counts, 100 decks / 150,000 cards', ms: engine, baselineName: 'GROUP BY count query', baselineMs: baseline, target: '< 30 ms' });
  col.close();
}

benchAnswer();
benchDeckTree();
