// A year of daily study on a 1,000-card deck with a seeded mix of answers, on a fake clock: every
// due card answered every day; at the end no card is lost, duplicated or stuck, the bookkeeping
// (reps, revlog, deck counters) agrees, and the file passes the Anki collection checker.

import { afterEach, describe, expect, it } from 'vitest';
import { CardQueue, CardType } from '../cards/card';
import type { Collection } from '../collection/collection';
import { expectCollectionPasses } from '../collection/test-support/check';
import { setConfig } from '../config/config-service';
import { answerCard, getQueuedCards, Rating, timingToday, deckTreeWithCounts, findCountsNode } from './sched-service';
import { addCards, closeAll, deck, type FakeClock, freshCollection, localMoment } from './test-support/fixture';

afterEach(closeAll);

/** mulberry32: a small seeded PRNG. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickRating(rand: () => number): Rating {
  const x = rand();
  if (x < 0.1) return Rating.Again;
  if (x < 0.22) return Rating.Hard;
  if (x < 0.9) return Rating.Good;
  return Rating.Easy;
}

interface SimStats {
  answers: number;
  newPerDay: number[];
  maxReviewsPerDay: number;
}

/** Studies `days` days: every day at 09:00 local time, answer until nothing is left due today. */
function simulate(col: Collection, clock: FakeClock, deckId: number, days: number, startDaysAgo: number, seed: number): SimStats {
  const rand = seeded(seed);
  const stats: SimStats = { answers: 0, newPerDay: [], maxReviewsPerDay: 0 };
  for (let day = 0; day < days; day++) {
    clock.ms = localMoment(startDaysAgo - day, 9, 0);
    const timing = timingToday(col);
    let newToday = 0;
    let reviewsToday = 0;
    for (let guard = 0; ; guard++) {
      if (guard > 5000) throw new Error(`day ${day}: study did not finish`);
      const q = getQueuedCards(col, deckId, 1);
      const next = q.cards[0];
      if (!next) {
        // learning cards due later today: wait for them
        const waiting = col.db
          .prepare('SELECT min(due) FROM cards WHERE queue = 1 AND did = ?')
          .pluck()
          .get(deckId) as number | null;
        if (waiting !== null && waiting < timing.nextDayAt) {
          clock.ms = Math.max(clock.ms, (waiting - 1200) * 1000 + 1000);
          continue;
        }
        break;
      }
      if (next.kind === 'new') newToday++;
      if (next.card.queue === CardQueue.Review || next.card.queue === CardQueue.DayLearn) reviewsToday++;
      answerCard(col, next.card.id, pickRating(rand), 2000 + Math.floor(rand() * 12_000));
      stats.answers++;
      clock.advance(3000 + Math.floor(rand() * 10_000));
    }
    stats.newPerDay.push(newToday);
    stats.maxReviewsPerDay = Math.max(stats.maxReviewsPerDay, reviewsToday);
    // nothing due is left in the deck for today
    const counts = findCountsNode(deckTreeWithCounts(col), deckId)!;
    expect(counts.reviewCount + counts.learnCount, `day ${day}`).toBe(0);
  }
  return stats;
}

function checkEndState(col: Collection, deckId: number, expectedCards: number, answers: number): void {
  const timing = timingToday(col);
  const cards = col.db.prepare('SELECT id, nid, did, type, queue, due, ivl, reps, odid FROM cards').all() as {
    id: number;
    nid: number;
    did: number;
    type: number;
    queue: number;
    due: number;
    ivl: number;
    reps: number;
    odid: number;
  }[];
  // nothing lost or duplicated
  expect(cards).toHaveLength(expectedCards);
  expect(new Set(cards.map((c) => c.id)).size).toBe(expectedCards);
  for (const c of cards) {
    expect(c.did).toBe(deckId);
    expect(c.odid).toBe(0);
    // nothing stuck: new (not yet introduced), or scheduled after today
    if (c.type === CardType.New) {
      expect(c.queue).toBe(CardQueue.New);
      expect(c.reps).toBe(0);
    } else if (c.queue === CardQueue.Review || c.queue === CardQueue.DayLearn) {
      expect(c.due, `card ${c.id}`).toBeGreaterThan(timing.daysElapsed);
      expect(c.due).toBeLessThan(timing.daysElapsed + 36_501);
    } else if (c.queue === CardQueue.SchedBuried) {
      // a sibling buried today; unburied tomorrow
    } else if (c.queue === CardQueue.Learn) {
      expect(c.due).toBeGreaterThanOrEqual(timing.nextDayAt - 86_400);
    } else {
      throw new Error(`card ${c.id} in queue ${c.queue}`);
    }
    if (c.type === CardType.Review) expect(c.ivl).toBeGreaterThanOrEqual(1);
  }
  // bookkeeping: one revlog row per answer, reps agree
  const revlog = col.db.prepare('SELECT count(*) FROM revlog').pluck().get() as number;
  expect(revlog).toBe(answers);
  const reps = col.db.prepare('SELECT sum(reps) FROM cards').pluck().get() as number;
  expect(reps).toBe(answers);
  const orphan = col.db.prepare('SELECT count(*) FROM revlog WHERE cid NOT IN (SELECT id FROM cards)').pluck().get() as number;
  expect(orphan).toBe(0);
  // the queue is empty and stays empty today
  const q = getQueuedCards(col, deckId, 5);
  expect(q.cards.filter((c) => c.kind !== 'new')).toEqual([]);
}

describe('simulated study', () => {
  it('365 days of a 1,000-card deck (SM-2, load balancer on)', { timeout: 600_000 }, () => {
    const start = 366;
    const { col, path, clock } = freshCollection(start + 1, 9);
    const d = deck(col, 'Year');
    // 600 single cards and 200 notes with two sibling cards each
    addCards(col, d, 600, { prefix: 'single' });
    addCards(col, d, 200, { prefix: 'pair', reversed: true });
    const stats = simulate(col, clock, d, 365, start, 20_240_101);
    // 20 new cards a day until all 1,000 were introduced
    expect(stats.newPerDay.slice(0, 50).every((n) => n === 20)).toBe(true);
    expect(stats.newPerDay.slice(50).every((n) => n === 0)).toBe(true);
    expect(stats.maxReviewsPerDay).toBeLessThanOrEqual(200);
    // some cards lapsed often enough to become leeches: tagged, not suspended (default action)
    expect(col.db.prepare("SELECT count(*) FROM notes WHERE tags LIKE '% leech %'").pluck().get()).toBeGreaterThan(0);
    expect(col.storage.tags.getRow('leech')).toBeDefined();
    checkEndState(col, d, 1000, stats.answers);
    expect(col.db.prepare('SELECT count(*) FROM cards WHERE type = 0').pluck().get()).toBe(0);
    col.close();
    expectCollectionPasses(path);
  });

  it('120 days with FSRS on, bury siblings on', { timeout: 600_000 }, () => {
    const start = 121;
    const { col, path, clock } = freshCollection(start + 1, 9);
    setConfig(col, 'fsrs', true);
    const conf = col.storage.deckConfigs.get(1)!;
    conf.config.buryNew = true;
    conf.config.buryReviews = true;
    conf.config.buryInterdayLearning = true;
    col.transact('conf', (tx) => tx.putDeckConfig(conf));
    const d = deck(col, 'Fsrs');
    addCards(col, d, 150, { prefix: 'pair', reversed: true });
    const stats = simulate(col, clock, d, 120, start, 7);
    checkEndState(col, d, 300, stats.answers);
    const data = col.db.prepare("SELECT data FROM cards WHERE type = 2 LIMIT 1").pluck().get() as string;
    expect(data).toMatch(/"s":.*"d":.*"dr":0\.9.*"decay":0\.154.*"lrt":/);
    col.close();
    expectCollectionPasses(path);
  });
});
