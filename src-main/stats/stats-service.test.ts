import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { tempDir } from '../collection/test-support/check';
import { addDeck } from '../decks/decks-service';
import { addNote } from '../notes/notes-service';
import { timingAt } from '../scheduler/collection-timing';
import { collectionStats, statsGraphs } from './stats-service';

const open: Collection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

it("counts today's answers and the cards by state, for the collection or a deck with its subdecks", () => {
  const col = Collection.create(join(tempDir(), 'collection.anki2'));
  open.push(col);
  const basic = col.storage.notetypes.all().find((n) => n.name === 'Basic')!.id;
  const sub = addDeck(col, 'A::B').result.id;
  addNote(col, { notetypeId: basic, deckId: 1, fields: ['one', ''] });
  const n2 = addNote(col, { notetypeId: basic, deckId: sub, fields: ['two', ''] }).result;
  const now = col.clock.nowMs();
  col.transact('log', (tx) => {
    tx.addRevlog({ id: now, cid: n2.cardIds[0], usn: -1, ease: 1, ivl: -60, lastIvl: 0, factor: 0, time: 3000, type: 0 });
    tx.addRevlog({ id: now + 1, cid: n2.cardIds[0], usn: -1, ease: 0, ivl: 0, lastIvl: 0, factor: 0, time: 0, type: 4 });
  });
  const all = collectionStats(col, { wholeCollection: true });
  expect(all.deck).toBe(null);
  expect(all.cards).toMatchObject({ total: 2, new: 2, learning: 0, notes: 2 });
  expect(all.today).toMatchObject({ count: 1, timeMs: 3000, again: 1, learn: 1 });
  const a = collectionStats(col, { wholeCollection: false, deckId: col.storage.decks.byName('A')!.id });
  expect(a.deck?.name).toBe('A');
  expect(a.cards.total).toBe(1);
  expect(a.today.count).toBe(1);
  expect(collectionStats(col, { wholeCollection: false }).cards.total).toBe(1);
});

describe('the graphs', () => {
  it("reviews per day by kind, future due, intervals and the true retention table, with Anki's definitions", () => {
    const col = Collection.create(join(tempDir(), 'collection.anki2'));
    open.push(col);
    const basic = col.storage.notetypes.all().find((n) => n.name === 'Basic')!.id;
    const cards = [1, 2, 3, 4].map((i) => addNote(col, { notetypeId: basic, deckId: 1, fields: [`n${i}`, ''] }).result.cardIds[0]);
    const timing = timingAt(col, col.clock.nowMs());
    const dayMs = 86_400_000;
    const today = timing.nextDayAt * 1000 - 3_600_000; // an hour before the next rollover
    col.transact('log', (tx) => {
      const log = (id: number, cid: number, type: number, ease: number, lastIvl: number, factor = 2500) =>
        tx.addRevlog({ id, cid, usn: -1, ease, ivl: 1, lastIvl, factor, time: 1000, type });
      log(today, cards[0], 0, 3, 0); // learning: not in retention (no interval yet)
      log(today + 1, cards[1], 1, 3, 5); // young review, passed
      log(today + 2, cards[2], 1, 1, 30); // mature review, failed
      log(today - dayMs, cards[1], 1, 3, 25); // yesterday, mature passed
      log(today - 3 * dayMs, cards[2], 2, 3, -600); // relearning with a minutes interval: not counted
      log(today - 3 * dayMs + 1, cards[3], 3, 3, 2, 0); // cram without ease: filtered bar, not retention
      log(today - 40 * dayMs, cards[3], 1, 4, 10); // 40 days ago: outside a 30-day chart
      log(today + 3, cards[3], 4, 0, 0); // manual: never counted
    });
    // cards: a review due in 3 days with a 10-day interval, one overdue by 2 days, a learning card due now
    col.db.prepare('UPDATE cards SET type = 2, queue = 2, ivl = 10, due = ? WHERE id = ?').run(timing.daysElapsed + 3, cards[1]);
    col.db.prepare('UPDATE cards SET type = 2, queue = 2, ivl = 40, due = ? WHERE id = ?').run(timing.daysElapsed - 2, cards[2]);
    col.db.prepare('UPDATE cards SET type = 1, queue = 1, due = ? WHERE id = ?').run(timing.nextDayAt - 7200, cards[0]);

    const g = statsGraphs(col, { wholeCollection: true }, 30);
    expect(g.reviews).toHaveLength(30);
    expect(g.reviews.at(-1)).toEqual({ day: 0, learn: 1, relearn: 0, young: 1, mature: 1, filtered: 0, timeMs: 3000 });
    expect(g.reviews.at(-2)).toMatchObject({ day: -1, mature: 1 });
    expect(g.reviews.at(-4)).toMatchObject({ day: -3, relearn: 1, filtered: 1 });
    expect(g.reviews.reduce((n, r) => n + r.learn + r.relearn + r.young + r.mature + r.filtered, 0)).toBe(6);
    expect(g.futureDue).toEqual([
      { day: -2, count: 1 },
      { day: 0, count: 1 },
      { day: 3, count: 1 },
    ]);
    expect(g.intervals).toEqual([
      { days: 10, count: 1 },
      { days: 40, count: 1 },
    ]);
    const period = (p: string) => g.retention.find((r) => r.period === p)!;
    expect(period('today')).toEqual({ period: 'today', young: { passed: 1, failed: 0 }, mature: { passed: 0, failed: 1 } });
    expect(period('yesterday')).toMatchObject({ young: { passed: 0, failed: 0 }, mature: { passed: 1, failed: 0 } });
    expect(period('week')).toMatchObject({ young: { passed: 1, failed: 0 }, mature: { passed: 1, failed: 1 } });
    expect(period('all')).toMatchObject({ young: { passed: 2, failed: 0 }, mature: { passed: 1, failed: 1 } });
    // a deck without those cards has nothing
    const empty = statsGraphs(col, { wholeCollection: false, deckId: addDeck(col, 'Empty').result.id }, 7);
    expect(empty.reviews.every((r) => r.learn + r.young + r.mature === 0)).toBe(true);
    expect(empty.futureDue).toEqual([]);
  });
});
