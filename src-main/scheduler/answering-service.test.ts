// Answering through the collection: exactly the card and revlog row the pure layer computes, in
// one undoable operation with the deck counters, sibling burying and the leech tag.

import { afterEach, describe, expect, it } from 'vitest';
import { type Card, CardQueue, CardType } from '../cards/card';
import type { Collection } from '../collection/collection';
import { expectCollectionPasses } from '../collection/test-support/check';
import { setConfig } from '../config/config-service';
import { cardToRow } from '../storage/card-store';
import { answerCard as pureAnswer, LeechAction } from './answer';
import { parseCardData } from './card-data';
import {
  addOrUpdateFilteredDeck,
  answerCard,
  getQueuedCards,
  nextIntervalLabels,
  Rating,
  schedulingStates,
  timingToday,
} from './sched-service';
import type { ScheduleInput } from './prepare';
import { currentQueues } from './queue/queue-service';
import { RevlogReviewKind } from './states/next-states';
import { addCards, card, closeAll, deck, editCards, freshCollection, updateDefaultPreset } from './test-support/fixture';

afterEach(closeAll);

/** The pure layer's input for a card in a normal deck with the default preset, built by hand. */
function handInput(col: Collection, c: Card, extra: Partial<ScheduleInput> = {}): ScheduleInput {
  return {
    card: c,
    config: col.storage.deckConfigs.get(1)!.config,
    timing: timingToday(col),
    nowMs: col.clock.nowMs(),
    fsrs: false,
    ...extra,
  };
}

const withoutStamps = (c: Card) => {
  const { mtimeSecs: _m, usn: _u, ...rest } = c;
  return rest;
};

describe('answering persists what the pure layer computed', () => {
  it('new, learning, review and relearning cards: card row and revlog row', () => {
    const { col, clock } = freshCollection();
    const ids = addCards(col, 1, 4).flat();
    const today = timingToday(col).daysElapsed;
    const now = Math.floor(clock.ms / 1000);
    editCards(col, [ids[1]], (c) => Object.assign(c, { ctype: CardType.Learn, queue: CardQueue.Learn, due: now - 5, remainingSteps: 1, reps: 1 }));
    editCards(col, [ids[2]], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 10, easeFactor: 2500, reps: 5 }));
    editCards(col, [ids[3]], (c) => Object.assign(c, { ctype: CardType.Relearn, queue: CardQueue.Learn, due: now - 1, interval: 3, easeFactor: 2300, reps: 7, lapses: 1, remainingSteps: 1 }));
    clock.advanceSecs(30);
    for (const [id, rating] of [
      [ids[0], Rating.Good],
      [ids[1], Rating.Good],
      [ids[2], Rating.Hard],
      [ids[3], Rating.Easy],
    ] as const) {
      const before = card(col, id);
      const expected = pureAnswer(handInput(col, before), { rating, millisecondsTaken: 7000 });
      const got = answerCard(col, id, rating, 7000, { fromQueue: false }).result;
      expect(got.card).toEqual(expected.card);
      expect(card(col, id)).toEqual(expected.card);
      expect(col.storage.revlog.getRow(got.revlog.id)).toEqual(expected.revlog);
      clock.advanceSecs(10);
    }
    // the spot checks of spec §8
    expect(card(col, ids[0])).toMatchObject({ ctype: CardType.Learn, queue: CardQueue.Learn, remainingSteps: 1, reps: 1 });
    expect(parseCardData(card(col, ids[0]).data).originalPosition).toBe(1);
    expect(card(col, ids[1])).toMatchObject({ ctype: CardType.Review, interval: 1, due: today + 1, easeFactor: 2500 });
    const hard = col.storage.revlog.ofCard(ids[2])[0];
    expect(hard).toMatchObject({ ease: 2, lastIvl: 10, factor: 2350, type: RevlogReviewKind.Review, time: 7000, usn: -1 });
    expect(card(col, ids[3])).toMatchObject({ ctype: CardType.Review, interval: 4, lapses: 1 });
  });

  it('caps the time taken, bumps a taken revlog id past the largest id', () => {
    const { col, clock } = freshCollection();
    const [[a], [b]] = addCards(col, 1, 2);
    col.transact('seed', (tx) =>
      tx.addRevlog({ id: clock.ms, cid: b, usn: -1, ease: 3, ivl: 1, lastIvl: 0, factor: 2500, time: 1, type: 0 }),
    );
    col.transact('seed', (tx) =>
      tx.addRevlog({ id: clock.ms + 5000, cid: b, usn: -1, ease: 3, ivl: 1, lastIvl: 0, factor: 2500, time: 1, type: 0 }),
    );
    const r = answerCard(col, a, Rating.Good, 3_600_000).result;
    expect(r.revlog.id).toBe(clock.ms + 5001);
    expect(r.revlog.time).toBe(60_000);
    // the machine's UTC offset is recorded, as an Anki client does
    expect(col.storage.config.get('localOffset')).toBe(new Date(clock.ms).getTimezoneOffset());
  });

  it('updates the studied counters of the deck and all its parents', () => {
    const { col } = freshCollection();
    const gc = deck(col, 'A::B::C');
    const [[n], [r]] = addCards(col, gc, 2);
    const today = timingToday(col).daysElapsed;
    editCards(col, [r], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 3, easeFactor: 2500 }));
    answerCard(col, n, Rating.Good, 1500);
    answerCard(col, r, Rating.Good, 2500);
    for (const name of ['A', 'A::B', 'A::B::C']) {
      expect(col.storage.decks.byName(name)!.common).toMatchObject({ lastDayStudied: today, newStudied: 1, reviewStudied: 1, millisecondsStudied: 4000 });
    }
    expect(col.storage.decks.get(1)!.common.newStudied).toBe(0);
  });

  it('button labels and states come from the same computation', () => {
    const { col } = freshCollection();
    const [[a]] = addCards(col, 1, 1);
    expect(nextIntervalLabels(col, a, { fuzz: false })).toEqual(['<1m', '<6m', '<10m', '4d']);
    const s = schedulingStates(col, a, { fuzz: false });
    expect(s.good).toMatchObject({ kind: 'learning', scheduledSecs: 600, remainingSteps: 1 });
    const q = getQueuedCards(col, 1, 1, { fuzz: false });
    expect(q.cards[0].labels).toEqual(['<1m', '<6m', '<10m', '4d']);
  });
});

describe('undo of an answer', () => {
  it('restores the card, removes the revlog row, restores counters, unburies siblings and removes the leech tag', () => {
    const { col, path } = freshCollection();
    const [[a, b]] = addCards(col, 1, 1, { reversed: true });
    updateDefaultPreset(col, (c) => {
      c.buryReviews = true;
      c.leechThreshold = 3;
    });
    const today = timingToday(col).daysElapsed;
    editCards(col, [a, b], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 10, easeFactor: 2500, reps: 9, lapses: 2 }));
    const before = card(col, a);
    const deckBefore = col.storage.decks.get(1)!;
    const q = getQueuedCards(col, 1, 5);
    expect(q.reviewCount).toBe(1); // the sibling was skipped when gathering
    const r = answerCard(col, a, Rating.Again, 4000);
    expect(r.result.leeched).toBe(true);
    expect(r.result.buriedSiblings).toEqual([b]);
    expect(col.storage.notes.get(before.noteId)!.tags).toEqual(['leech']);
    expect(col.undoStatus().undo).toBe('Answer Card');

    col.undo();
    expect(withoutStamps(card(col, a))).toEqual(withoutStamps(before));
    expect(col.storage.revlog.getRow(r.result.revlog.id)).toBeUndefined();
    expect(col.storage.revlog.ofCard(a)).toEqual([]);
    expect(card(col, b).queue).toBe(CardQueue.Review);
    expect(col.storage.notes.get(before.noteId)!.tags).toEqual([]);
    expect(col.storage.decks.get(1)!.common).toEqual(deckBefore.common);
    // the queue offers the card again
    expect(getQueuedCards(col, 1, 1).cards[0].card.id).toBe(a);
    // redo gives the same result again
    col.redo();
    expect(cardToRow(card(col, a))).toMatchObject({ queue: CardQueue.Learn, lapses: 3 });
    col.close();
    expectCollectionPasses(path);
  });
});

describe('undo and the study queue', () => {
  it('puts the card back on top of its queue with the counts and the learning cutoff as they were', () => {
    const { col, clock } = freshCollection();
    const ids = addCards(col, 1, 5).flat();
    const today = timingToday(col).daysElapsed;
    editCards(col, ids.slice(3), (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 4, easeFactor: 2500 }));
    let q = getQueuedCards(col, 1, 10);
    const order = q.cards.map((c) => c.card.id);
    const counts = [q.newCount, q.learningCount, q.reviewCount];
    const built = currentQueues(col)!.buildTimeMs;
    // answer the first two cards; the first goes to learning
    answerCard(col, order[0], Rating.Again, 1000);
    clock.advanceSecs(5);
    answerCard(col, order[1], Rating.Good, 1000);
    clock.advanceSecs(5);
    col.undo();
    q = getQueuedCards(col, 1, 10);
    expect(q.cards[0].card.id).toBe(order[1]);
    col.undo();
    q = getQueuedCards(col, 1, 10);
    expect(q.cards.map((c) => c.card.id)).toEqual(order);
    expect([q.newCount, q.learningCount, q.reviewCount]).toEqual(counts);
    // restored in place, not rebuilt
    expect(currentQueues(col)!.buildTimeMs).toBe(built);
    // redo, then undo: the queue is rebuilt (Anki re-applies; a rebuild gives the same cards)
    col.redo();
    expect(getQueuedCards(col, 1, 1).cards[0].card.id).toBe(order[1]);
  });
});

describe('leeches', () => {
  it('tags the note (tag only) or also suspends (suspend action)', () => {
    const { col } = freshCollection();
    const [[a], [b]] = addCards(col, 1, 2, { tags: ['vocab'] });
    const today = timingToday(col).daysElapsed;
    editCards(col, [a, b], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 5, easeFactor: 2500, lapses: 7, reps: 20 }));
    const r = answerCard(col, a, Rating.Again, 1000).result;
    expect(r.leeched).toBe(true);
    expect(card(col, a).queue).toBe(CardQueue.Learn);
    expect(col.storage.notes.get(card(col, a).noteId)!.tags).toEqual(['leech', 'vocab']);
    updateDefaultPreset(col, (c) => (c.leechAction = LeechAction.Suspend));
    answerCard(col, b, Rating.Again, 1000);
    expect(card(col, b).queue).toBe(CardQueue.Suspended);
    expect(col.storage.notes.get(card(col, b).noteId)!.tags).toEqual(['leech', 'vocab']);
  });
});

describe('filtered decks', () => {
  it('preview (no rescheduling): Again/Hard/Good delays, Good returns the card home unchanged', () => {
    const { col, clock } = freshCollection();
    const home = deck(col, 'Home');
    const [[a]] = addCards(col, home, 1);
    const before = card(col, a);
    const f = addOrUpdateFilteredDeck(col, {
      id: 0,
      name: 'Preview',
      config: { reschedule: false, searchTerms: [{ search: 'deck:Home', limit: 10, order: 5 }], delays: [], previewDelay: 0, previewAgainSecs: 60, previewHardSecs: 600, previewGoodSecs: 0 },
    }).result;
    expect(card(col, a)).toMatchObject({ deckId: f.deckId, originalDeckId: home, queue: CardQueue.Review, due: -100_000, originalDue: 1 });
    const q = getQueuedCards(col, f.deckId, 1, { fuzz: false });
    expect(q.cards[0].labels).toEqual(['<1m', '<10m', '(end)', '(end)']);
    const r1 = answerCard(col, a, Rating.Again, 1000, { fuzz: false }).result;
    expect(r1.card).toMatchObject({ queue: CardQueue.Preview, due: Math.floor(clock.ms / 1000) + 60, reps: 0 });
    expect(r1.revlog).toMatchObject({ type: RevlogReviewKind.Filtered, ivl: -60, factor: 0 });
    clock.advanceSecs(61);
    const r2 = answerCard(col, a, Rating.Good, 1000).result;
    expect(withoutStamps(r2.card)).toEqual(withoutStamps({ ...before, data: card(col, a).data }));
    expect(r2.revlog).toMatchObject({ type: RevlogReviewKind.Filtered, ivl: 0 });
  });

  it('rescheduling: answering in a filtered deck schedules normally and sends the card home', () => {
    const { col } = freshCollection();
    const home = deck(col, 'Home');
    const [[a]] = addCards(col, home, 1);
    const f = addOrUpdateFilteredDeck(col, {
      id: 0,
      name: 'Cram',
      config: { reschedule: true, searchTerms: [{ search: 'deck:Home', limit: 10, order: 5 }], delays: [], previewDelay: 0, previewAgainSecs: 60, previewHardSecs: 600, previewGoodSecs: 0 },
    }).result;
    expect(getQueuedCards(col, f.deckId).newCount).toBe(1);
    answerCard(col, a, Rating.Easy, 1000);
    expect(card(col, a)).toMatchObject({ deckId: home, originalDeckId: 0, originalDue: 0, ctype: CardType.Review, queue: CardQueue.Review });
    // counters go to the filtered deck (the card's deck when answered)
    expect(col.storage.decks.get(f.deckId)!.common.newStudied).toBe(1);
  });
});

describe('FSRS', () => {
  it('writes the memory state and the shifted difficulty in the revlog', () => {
    const { col } = freshCollection();
    setConfig(col, 'fsrs', true);
    const [[a]] = addCards(col, 1, 1);
    const r = answerCard(col, a, Rating.Easy, 1000, { fuzz: false }).result;
    const data = parseCardData(r.card.data);
    expect(data.memoryState!.stability).toBeCloseTo(8.2956, 3);
    expect(data.memoryState!.difficulty).toBe(1);
    expect(r.revlog.factor).toBe(100);
    expect(r.card.interval).toBe(8);
  });
});
