// Set due date, forget, reposition, and the AnkiConnect card/review-log helpers.

import { afterEach, describe, expect, it } from 'vitest';
import { CardQueue, CardType } from '../cards/card';
import { expectCollectionPasses } from '../collection/test-support/check';
import { setConfig } from '../config/config-service';
import { parseCardData } from './card-data';
import {
  answerCard,
  answerCards,
  areDue,
  cardReviews,
  forgetCards,
  getEaseFactors,
  getIntervals,
  getLatestReviewId,
  getReviewsOfCards,
  insertReviews,
  numCardsReviewedToday,
  parseDueDateStr,
  Rating,
  relearnCards,
  repositionNewCards,
  setCardValues,
  setDueDate,
  setEaseFactors,
  sortDeckNewCards,
  timingToday,
} from './sched-service';
import { RevlogReviewKind } from './states/next-states';
import { addCards, card, closeAll, deck, editCards, freshCollection } from './test-support/fixture';

afterEach(closeAll);

describe('parseDueDateStr', () => {
  it('accepts Anki’s forms', () => {
    expect(parseDueDateStr('0')).toEqual({ min: 0, max: 0, forceReset: false });
    expect(parseDueDateStr('1!')).toEqual({ min: 1, max: 1, forceReset: true });
    expect(parseDueDateStr('3-7')).toEqual({ min: 3, max: 7, forceReset: false });
    expect(parseDueDateStr('7-3!')).toEqual({ min: 3, max: 7, forceReset: true });
  });
  it('refuses anything else', () => {
    for (const bad of ['', ' 1', '1 ', '-1', '1-', '1-2-3', 'a', '1.5', '!', '99999999999']) expect(() => parseDueDateStr(bad), bad).toThrow(/invalid due date/);
  });
});

describe('set due date', () => {
  it('turns new and learning cards into review cards and logs a manual entry', () => {
    const { col, clock } = freshCollection();
    const ids = addCards(col, 1, 3).flat();
    const today = timingToday(col).daysElapsed;
    answerCard(col, ids[1], Rating.Good, 1000); // learning
    clock.advanceSecs(5);
    setDueDate(col, [ids[0], ids[1]], '0', { context: 'browser' });
    for (const id of [ids[0], ids[1]]) {
      expect(card(col, id)).toMatchObject({ ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 1, easeFactor: 2500 });
      const log = col.storage.revlog.ofCard(id).at(-1)!;
      expect(log).toMatchObject({ ease: 0, ivl: 1, lastIvl: 0, factor: 2500, time: 0, type: RevlogReviewKind.Manual, usn: -1 });
    }
    // original position kept for a later reset
    expect(parseCardData(card(col, ids[0]).data).originalPosition).toBe(1);
    expect(col.storage.config.get('setDueBrowser')).toBe('0');
    // two cards at the same moment: the second revlog id follows the first
    const [r0] = col.storage.revlog.ofCard(ids[0]);
    expect(col.storage.revlog.ofCard(ids[1]).at(-1)!.id).toBe(r0.id + 1);
  });

  it('keeps a review card’s interval unless "!"; ranges pick a day in range', () => {
    const { col } = freshCollection();
    const ids = addCards(col, 1, 3).flat();
    const today = timingToday(col).daysElapsed;
    editCards(col, ids, (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today + 3, interval: 10, easeFactor: 2300 }));
    setDueDate(col, [ids[0]], '5');
    expect(card(col, ids[0])).toMatchObject({ due: today + 5, interval: 10, easeFactor: 2300 });
    setDueDate(col, [ids[1]], '5!');
    expect(card(col, ids[1])).toMatchObject({ due: today + 5, interval: 5 });
    expect(col.storage.revlog.ofCard(ids[1])[0]).toMatchObject({ ivl: 5, lastIvl: 10, factor: 2300 });
    setDueDate(col, [ids[2]], '3-7', { randomInt: (min, max) => (min + max) >> 1 });
    expect(card(col, ids[2]).due).toBe(today + 5);
  });

  it('in FSRS mode: interval = days since the last review + delay; revlog factor is the difficulty', () => {
    const { col, clock } = freshCollection();
    setConfig(col, 'fsrs', true);
    const [[a]] = addCards(col, 1, 1);
    answerCard(col, a, Rating.Easy, 1000);
    clock.advanceSecs(2 * 86_400);
    setDueDate(col, [a], '3');
    const c = card(col, a);
    expect(c.interval).toBe(5);
    const log = col.storage.revlog.ofCard(a).at(-1)!;
    expect(log).toMatchObject({ type: RevlogReviewKind.Manual, factor: 100, ivl: 5 });
  });

  it('takes cards out of filtered decks', () => {
    const { col } = freshCollection();
    const [[a]] = addCards(col, 1, 1);
    const f = deck(col, 'tmp');
    editCards(col, [a], (c) => Object.assign(c, { originalDeckId: 1, deckId: f, originalDue: 1, due: -100000 }));
    col.transact('kind', (tx) => tx.putDeck({ ...tx.storage.decks.get(f)!, kind: { filtered: { reschedule: true, searchTerms: [{ search: '', limit: 1, order: 0 }], delays: [], previewDelay: 0, previewAgainSecs: 60, previewHardSecs: 600, previewGoodSecs: 0 } } }));
    setDueDate(col, [a], '2');
    expect(card(col, a)).toMatchObject({ deckId: 1, originalDeckId: 0, originalDue: 0, queue: CardQueue.Review });
    expect(parseCardData(card(col, a).data).originalPosition).toBe(1);
  });
});

describe('forget', () => {
  it('resets to new at the original position, keeps counts, logs a reset', () => {
    const { col, path } = freshCollection();
    const ids = addCards(col, 1, 3).flat();
    for (const id of ids) answerCard(col, id, Rating.Easy, 1000);
    expect(card(col, ids[1])).toMatchObject({ ctype: CardType.Review, reps: 1 });
    forgetCards(col, [ids[1]]);
    expect(card(col, ids[1])).toMatchObject({ ctype: CardType.New, queue: CardQueue.New, due: 2, interval: 0, easeFactor: 0, reps: 1 });
    expect(parseCardData(card(col, ids[1]).data).originalPosition).toBeNull();
    expect(col.storage.revlog.ofCard(ids[1]).at(-1)).toMatchObject({ ease: 0, ivl: 0, factor: 0, type: RevlogReviewKind.Manual });
    // without restoring: to the end of the new queue, nextPos advanced; counts reset on request
    const nextPos = col.storage.config.get<number>('nextPos')!;
    forgetCards(col, [ids[0], ids[2]], { restorePosition: false, resetCounts: true, context: 'reviewer' });
    expect(card(col, ids[0])).toMatchObject({ due: nextPos, reps: 0, lapses: 0 });
    expect(card(col, ids[2]).due).toBe(nextPos + 1);
    expect(col.storage.config.get('nextPos')).toBe(nextPos + 2);
    expect(col.storage.config.get('restorePositionReviewer')).toBe(false);
    col.close();
    expectCollectionPasses(path);
  });
});

describe('reposition', () => {
  it('positions notes in the given order, siblings together; shifts others; leaves non-new cards', () => {
    const { col } = freshCollection();
    const notes = addCards(col, 1, 4, { reversed: true }); // positions 1..4
    const [[x]] = addCards(col, 1, 1); // position 5
    answerCard(col, x, Rating.Easy, 0);
    const n = repositionNewCards(col, [notes[2][0], notes[0][1], notes[0][0], x], 2, 3, false, true).result;
    expect(n).toBe(3);
    expect(card(col, notes[2][0]).due).toBe(2);
    expect([card(col, notes[0][0]).due, card(col, notes[0][1]).due]).toEqual([5, 5]);
    // not repositioned, but shifted by 3 × 4 = 12 as they were at or after 2
    expect(card(col, notes[1][0]).due).toBe(2 + 12);
    expect(card(col, notes[2][1]).due).toBe(3 + 12);
    expect(card(col, notes[3][0]).due).toBe(4 + 12);
    expect(card(col, x).ctype).toBe(CardType.Review);
    expect(col.storage.config.get('shiftPositionOfExistingCards')).toBe(true);
    // random order: a permutation of the same positions
    repositionNewCards(col, notes.map((c) => c[0]), 100, 1, true, false, { random: () => 0.5 });
    expect(notes.map((c) => card(col, c[0]).due).sort()).toEqual([100, 101, 102, 103]);
    expect(col.storage.config.get('nextPos')).toBe(104);
  });
});

describe('sort a deck’s new cards', () => {
  it('renumbers by note creation from 1, or randomly', () => {
    const { col } = freshCollection();
    const d = deck(col, 'D');
    const notes = addCards(col, d, 3, { reversed: true });
    repositionNewCards(col, [notes[2][0], notes[1][0], notes[0][0]], 50);
    expect(sortDeckNewCards(col, d, false).result).toBe(6);
    expect(notes.map((n) => n.map((id) => card(col, id).due))).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    sortDeckNewCards(col, d, true);
    expect(notes.map((n) => card(col, n[0]).due).sort()).toEqual([1, 2, 3]);
  });
});

describe('AnkiConnect helpers', () => {
  it('ease factors, specific values, relearn', () => {
    const { col, path } = freshCollection();
    const [[a], [b]] = addCards(col, 1, 2);
    expect(getEaseFactors(col, [a, 123])).toEqual([0, null]);
    expect(setEaseFactors(col, [a, 123], [2100, 2200]).result).toEqual([true, false]);
    expect(getEaseFactors(col, [a])).toEqual([2100]);
    expect(() => setEaseFactors(col, [a, b], [2000])).toThrow('list index out of range');
    setCardValues(col, a, { flags: 3, due: 42 });
    expect(card(col, a)).toMatchObject({ flags: 3, due: 42 });
    // a new position past nextPos moves nextPos on, so new cards never reuse it
    expect(col.storage.config.get('nextPos')).toBe(43);
    expect(() => setCardValues(col, 999, { flags: 1 })).toThrow('Card was not found: 999');
    answerCard(col, b, Rating.Easy, 0);
    relearnCards(col, [b, 777]);
    expect(card(col, b)).toMatchObject({ ctype: CardType.Relearn, queue: CardQueue.Learn });
    expect(card(col, b).due).toBeGreaterThan(1_000_000_000);
    col.close();
    expectCollectionPasses(path);
  });

  it('answerCards, getIntervals, areDue, review log reads and inserts', () => {
    const { col, clock } = freshCollection();
    const d = deck(col, 'D');
    const [[a], [b], [c]] = addCards(col, d, 3);
    expect(areDue(col, [a, b])).toEqual([true, true]);
    expect(getIntervals(col, [a])).toEqual([0]);
    expect(answerCards(col, [{ cardId: a, ease: 3 }, { cardId: 123, ease: 1 }, { cardId: b, ease: 4 }])).toEqual([true, false, true]);
    expect(getIntervals(col, [a, b])).toEqual([-600, card(col, b).interval]);
    expect(card(col, b).interval).toBeGreaterThanOrEqual(3);
    expect(getIntervals(col, [a], true)).toEqual([[-600]]);
    expect(() => getIntervals(col, [999])).toThrow('list index out of range');
    expect(getIntervals(col, [999], true)).toEqual([[]]);
    // a (10-minute step, within the learn-ahead window) is due; b (days away) is not
    expect(areDue(col, [a, b, c])).toEqual([true, false, true]);
    expect(numCardsReviewedToday(col)).toBe(2);
    const startId = clock.ms - 1;
    expect(cardReviews(col, d, startId)).toHaveLength(2);
    expect(cardReviews(col, d, startId)[0]).toEqual([clock.ms, a, -1, 3, -600, 0, 0, 0, 0]);
    expect(getLatestReviewId(col, d)).toBe(clock.ms + 1);
    expect(getLatestReviewId(col, 1)).toBe(0);
    insertReviews(col, [
      [456, c, -1, 3, 4, -60, 2500, 6157, 0],
      [789, c, -1, 1, -60, -60, 0, 4846, 0],
    ]);
    expect(getReviewsOfCards(col, [c, 5])).toEqual({
      [c]: [
        { id: 456, usn: -1, ease: 3, ivl: 4, lastIvl: -60, factor: 2500, time: 6157, type: 0 },
        { id: 789, usn: -1, ease: 1, ivl: -60, lastIvl: -60, factor: 0, time: 4846, type: 0 },
      ],
      5: [],
    });
    expect(() => insertReviews(col, [[999, c, -1, 3, 4, -60, 2500, 1, 0], [456, c, -1, 3, 4, -60, 2500, 1, 0]])).toThrow('UNIQUE constraint failed: revlog.id');
    expect(col.storage.revlog.getRow(999)).toBeUndefined();
  });
});
