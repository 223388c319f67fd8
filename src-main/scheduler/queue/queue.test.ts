// Queue building on small collections: gather priorities, sort orders, review orders, mixes,
// learn-ahead, and the v3 limits (parent/child, review limit capping new cards, today-only limits).
// Several cases restate Anki's own queue-builder tests (rslib scheduler/queue/builder/mod.rs).

import { afterEach, describe, expect, it } from 'vitest';
import { CardQueue, CardType } from '../../cards/card';
import { setConfig } from '../../config/config-service';
import { setCurrentDeck } from '../../decks/decks-service';
import { answerCard, clearStudyQueues, getQueuedCards, Rating, setDueDate, timingToday } from '../sched-service';
import {
  addCards,
  card,
  closeAll,
  deck,
  editCards,
  freshCollection,
  presetFor,
  updateDefaultPreset,
  updateNormalDeck,
} from '../test-support/fixture';
import { knuthSalt, NewCardGatherPriority, NewCardSortOrder, ReviewCardOrder, reviewOrderSql } from './builder';
import { intersperse, ReviewMix } from './mix';
import type { Collection } from '../../collection/collection';

afterEach(closeAll);

/** The whole queue of a deck as [deck id, template ord] pairs. */
function queueAsDeckAndOrd(col: Collection, deckId: number): [number, number][] {
  clearStudyQueues(col);
  return getQueuedCards(col, deckId, 1000).cards.map((q) => [q.card.deckId, q.card.ord]);
}

function queueIds(col: Collection, deckId: number): number[] {
  clearStudyQueues(col);
  return getQueuedCards(col, deckId, 1000).cards.map((q) => q.card.id);
}

function makeReview(col: Collection, ids: number[], dueOffset: number, ivl = 1, extra: { factor?: number } = {}): void {
  const today = timingToday(col).daysElapsed;
  editCards(col, ids, (c) => {
    c.ctype = CardType.Review;
    c.queue = CardQueue.Review;
    c.due = today + dueOffset;
    c.interval = ivl;
    c.easeFactor = extra.factor ?? 2500;
    c.reps = 3;
  });
}

describe('intersperse (MixWithReviews)', () => {
  it('spreads the second list evenly, as Anki', () => {
    expect(intersperse<number | string>([1, 2, 3, 4, 5, 6], ['a', 'b']).join('')).toBe('12a34b56');
    expect(intersperse<number | string>([1, 2], ['a', 'b', 'c', 'd', 'e']).join('')).toBe('a1bc2de');
    expect(intersperse<number | string>([], ['a']).join('')).toBe('a');
    expect(intersperse<number | string>([1, 2, 3], []).join('')).toBe('123');
  });
});

describe('order SQL', () => {
  const timing = { now: 1_700_000_000, daysElapsed: 500, nextDayAt: 1_700_010_000 };
  it('review orders end with the fnvhash(id, mod) tie-break, FSRS orders use the card data', () => {
    expect(reviewOrderSql(ReviewCardOrder.Day, timing, false)).toBe('due, fnvhash(id, mod)');
    expect(reviewOrderSql(ReviewCardOrder.Random, timing, false)).toBe('fnvhash(id, mod)');
    expect(reviewOrderSql(ReviewCardOrder.EaseAscending, timing, true)).toBe("extract_fsrs_variable(data, 'd') desc, fnvhash(id, mod)");
    expect(reviewOrderSql(ReviewCardOrder.RelativeOverdueness, timing, false)).toBe('-(1 + cast(500-due+0.001 as real)/ivl) asc, fnvhash(id, mod)');
  });
  it('the random salt is today × 2654435761 in u32', () => {
    expect(knuthSalt(3)).toBe(3_668_339_987);
    expect(knuthSalt(123_456)).toBe(16_625_216);
  });
});

describe('new cards', () => {
  // parent ┣ child ━ grandchild, ┗ child_2; one note with two cards in each deck
  function tree(col: Collection) {
    const parent = deck(col, 'parent');
    const child = deck(col, 'parent::child');
    const child2 = deck(col, 'parent::child_2');
    const grandchild = deck(col, 'parent::child::grandchild');
    for (const d of [parent, child, child2, grandchild]) addCards(col, d, 1, { reversed: true });
    return { parent, child, child2, grandchild };
  }

  it('gather priorities, with a child limit that caps the grandchild (Anki new_queue_building)', () => {
    const { col } = freshCollection();
    const { parent, child, child2, grandchild } = tree(col);
    presetFor(col, child, (c) => (c.newPerDay = 3));
    const parentPreset = presetFor(col, parent, (c) => {
      c.newCardGatherPriority = NewCardGatherPriority.Deck;
      c.newCardSortOrder = NewCardSortOrder.NoSort;
    });
    expect(queueAsDeckAndOrd(col, parent)).toEqual([
      [parent, 0],
      [parent, 1],
      [child, 0],
      [child, 1],
      [grandchild, 0],
      [child2, 0],
      [child2, 1],
    ]);
    const setGather = (p: NewCardGatherPriority) => {
      const conf = col.storage.deckConfigs.get(parentPreset)!;
      conf.config.newCardGatherPriority = p;
      col.transact('conf', (tx) => tx.putDeckConfig(conf));
    };
    setGather(NewCardGatherPriority.LowestPosition);
    expect(queueAsDeckAndOrd(col, parent)).toEqual([
      [parent, 0],
      [parent, 1],
      [child, 0],
      [child, 1],
      [child2, 0],
      [child2, 1],
      [grandchild, 0],
    ]);
    setGather(NewCardGatherPriority.HighestPosition);
    expect(queueAsDeckAndOrd(col, parent)).toEqual([
      [grandchild, 0],
      [grandchild, 1],
      [child2, 0],
      [child2, 1],
      [child, 0],
      [parent, 0],
      [parent, 1],
    ]);
  });

  it('sort orders: template first by default; random orders are stable for the day', () => {
    const { col } = freshCollection();
    const d = deck(col, 'D');
    addCards(col, d, 5, { reversed: true });
    // Template (default): all ord 0 cards, then all ord 1
    expect(queueAsDeckAndOrd(col, d).map((x) => x[1])).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    presetFor(col, d, (c) => (c.newCardSortOrder = NewCardSortOrder.RandomNoteThenTemplate));
    const a = queueIds(col, d);
    expect(queueIds(col, d)).toEqual(a);
    // siblings stay together, template order within a note
    const cards = a.map((id) => card(col, id));
    for (let i = 0; i < cards.length; i += 2) {
      expect(cards[i].noteId).toBe(cards[i + 1].noteId);
      expect([cards[i].ord, cards[i + 1].ord]).toEqual([0, 1]);
    }
  });

  it('random gather orders keep siblings together (random notes) or not (random cards), stable for the day', () => {
    const { col } = freshCollection();
    const d = deck(col, 'D');
    addCards(col, d, 10, { reversed: true });
    presetFor(col, d, (c) => {
      c.newCardGatherPriority = NewCardGatherPriority.RandomNotes;
      c.newCardSortOrder = NewCardSortOrder.NoSort;
      c.newPerDay = 100;
    });
    const notes = queueIds(col, d).map((id) => card(col, id).noteId);
    for (let i = 0; i < notes.length; i += 2) expect(notes[i]).toBe(notes[i + 1]);
    const byId = [...notes].sort((a, b) => a - b);
    expect(notes).not.toEqual(byId);
    expect(queueIds(col, d).map((id) => card(col, id).noteId)).toEqual(notes);
  });

  it('new limit, and the review limit caps new cards unless newCardsIgnoreReviewLimit', () => {
    const { col } = freshCollection();
    const d = deck(col, 'D');
    const ids = addCards(col, d, 10).flat();
    updateDefaultPreset(col, (c) => {
      c.newPerDay = 4;
      c.reviewsPerDay = 6;
    });
    makeReview(col, ids.slice(0, 4), 0);
    let q = getQueuedCards(col, d, 100);
    expect([q.newCount, q.reviewCount]).toEqual([2, 4]);
    setConfig(col, 'newCardsIgnoreReviewLimit', true);
    q = getQueuedCards(col, d, 100);
    expect([q.newCount, q.reviewCount]).toEqual([4, 4]);
    updateDefaultPreset(col, (c) => (c.reviewsPerDay = 0));
    q = getQueuedCards(col, d, 100);
    expect([q.newCount, q.reviewCount]).toEqual([4, 0]);
  });

  it('reviews do not affect the new limit before the review limit is reached', () => {
    const { col } = freshCollection();
    updateDefaultPreset(col, (c) => (c.newPerDay = 1));
    const [[a]] = addCards(col, 1, 1, { reversed: true });
    makeReview(col, [a], 0);
    expect(getQueuedCards(col, 1, 10).cards).toHaveLength(2);
  });

  it('a review limit of 0 gives an empty queue', () => {
    const { col } = freshCollection();
    const [[a]] = addCards(col, 1, 1);
    makeReview(col, [a], 0);
    updateDefaultPreset(col, (c) => (c.reviewsPerDay = 0));
    expect(getQueuedCards(col, 1, 10).cards).toEqual([]);
  });

  it('applyAllParentLimits applies limits above the selected deck', () => {
    const { col } = freshCollection();
    updateDefaultPreset(col, (c) => (c.newPerDay = 0));
    const child = deck(col, 'Default::child');
    presetFor(col, child, () => undefined);
    addCards(col, child, 1);
    setCurrentDeck(col, child);
    expect(getQueuedCards(col).cards).toHaveLength(1);
    setConfig(col, 'applyAllParentLimits', true);
    expect(getQueuedCards(col).cards).toHaveLength(0);
  });

  it('today-only and deck-specific limits', () => {
    const { col } = freshCollection();
    const d = deck(col, 'D');
    addCards(col, d, 30);
    const today = timingToday(col).daysElapsed;
    expect(getQueuedCards(col, d).newCount).toBe(20);
    updateNormalDeck(col, d, (n) => (n.newLimit = 7));
    expect(getQueuedCards(col, d).newCount).toBe(7);
    updateNormalDeck(col, d, (n) => (n.newLimitToday = { limit: 3, today }));
    expect(getQueuedCards(col, d).newCount).toBe(3);
    // a today-only limit from another day no longer applies
    updateNormalDeck(col, d, (n) => (n.newLimitToday = { limit: 3, today: today + 1 }));
    expect(getQueuedCards(col, d).newCount).toBe(7);
  });

  it('studied-today counters reduce the limits of the deck and its parents', () => {
    const { col } = freshCollection();
    const p = deck(col, 'P');
    const c = deck(col, 'P::C');
    addCards(col, c, 30);
    for (let i = 0; i < 5; i++) {
      const next = getQueuedCards(col, c).cards[0];
      answerCard(col, next.card.id, Rating.Easy, 1000);
    }
    expect(getQueuedCards(col, c).newCount).toBe(15);
    expect(getQueuedCards(col, p).newCount).toBe(15);
    const today = timingToday(col).daysElapsed;
    expect(col.storage.decks.get(p)!.common).toMatchObject({ lastDayStudied: today, newStudied: 5, reviewStudied: 0 });
  });
});

describe('reviews', () => {
  it('relative overdueness order (Anki review_queue_building)', () => {
    const { col } = freshCollection();
    const expected: [number, number][] = [
      [-150, 1],
      [-100, 1],
      [-50, 1],
      [-150, 5],
      [-100, 5],
      [-50, 5],
      [-150, 20],
      [-150, 20],
      [-100, 20],
      [-50, 20],
      [-150, 100],
      [-100, 100],
      [-50, 100],
      [0, 1],
      [0, 5],
      [0, 20],
      [0, 100],
    ];
    const ids = addCards(col, 1, expected.length).flat();
    const today = timingToday(col).daysElapsed;
    // shift into the past from today (today is > 0 here); the order only depends on today − due
    col.transact('edit', (tx) => {
      ids.forEach((id, i) => {
        const c = tx.storage.cards.get(id)!;
        Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today + expected[i][0], interval: expected[i][1], easeFactor: 2500 });
        tx.putCard(c);
      });
    });
    updateDefaultPreset(col, (c) => (c.reviewOrder = ReviewCardOrder.RelativeOverdueness));
    const got = getQueuedCards(col, 1, 100).cards.map((q) => [q.card.due - today, q.card.interval]);
    expect(got).toEqual(expected);
  });

  it('review orders: due, intervals, ease, deck then day', () => {
    const { col } = freshCollection();
    const a = deck(col, 'R::a');
    const b = deck(col, 'R::b');
    const root = col.storage.decks.byName('R')!.id;
    const [ia, ib] = [addCards(col, a, 3).flat(), addCards(col, b, 3).flat()];
    const today = timingToday(col).daysElapsed;
    col.transact('edit', (tx) => {
      [...ia, ...ib].forEach((id, i) => {
        const c = tx.storage.cards.get(id)!;
        Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today - (i % 3) - (i >= 3 ? 3 : 0), interval: 10 + i, easeFactor: 1300 + 100 * ((i * 7) % 6) });
        tx.putCard(c);
      });
    });
    const order = (o: ReviewCardOrder) => {
      updateDefaultPreset(col, (c) => (c.reviewOrder = o));
      clearStudyQueues(col);
      return getQueuedCards(col, root, 100).cards.map((q) => q.card);
    };
    const dues = order(ReviewCardOrder.Day).map((c) => c.due);
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    const ivls = order(ReviewCardOrder.IntervalsDescending).map((c) => c.interval);
    expect(ivls).toEqual([...ivls].sort((x, y) => y - x));
    const eases = order(ReviewCardOrder.EaseAscending).map((c) => c.easeFactor);
    expect(eases).toEqual([...eases].sort((x, y) => x - y));
    const byDeck = order(ReviewCardOrder.DeckThenDay);
    expect(byDeck.map((c) => c.deckId)).toEqual([a, a, a, b, b, b]);
    expect(byDeck.slice(0, 3).map((c) => c.due)).toEqual([today - 2, today - 1, today]);
  });

  it('interday learning counts against the review limit and is mixed per preset', () => {
    const { col } = freshCollection();
    const ids = addCards(col, 1, 6).flat();
    const today = timingToday(col).daysElapsed;
    makeReview(col, ids.slice(0, 4), -1);
    editCards(col, ids.slice(4), (c) => {
      c.ctype = CardType.Learn;
      c.queue = CardQueue.DayLearn;
      c.due = today;
      c.remainingSteps = 1;
    });
    updateDefaultPreset(col, (c) => {
      c.interdayLearningMix = ReviewMix.BeforeReviews;
      c.reviewsPerDay = 5;
    });
    const q = getQueuedCards(col, 1, 100);
    expect(q.cards.map((c) => c.card.queue)).toEqual([3, 3, 2, 2, 2]);
    expect([q.learningCount, q.reviewCount]).toEqual([2, 3]);
    expect(q.cards[0].kind).toBe('learning');
  });

  it('new cards before or after reviews', () => {
    const { col } = freshCollection();
    const ids = addCards(col, 1, 4).flat();
    makeReview(col, ids.slice(0, 2), 0);
    updateDefaultPreset(col, (c) => (c.newMix = ReviewMix.BeforeReviews));
    expect(getQueuedCards(col, 1, 10).cards.map((c) => c.kind)).toEqual(['new', 'new', 'review', 'review']);
    updateDefaultPreset(col, (c) => (c.newMix = ReviewMix.AfterReviews));
    expect(getQueuedCards(col, 1, 10).cards.map((c) => c.kind)).toEqual(['review', 'review', 'new', 'new']);
  });
});

describe('learning cards', () => {
  it('come first when due, after the main queue when within the learn-ahead window, then not at all', () => {
    const { col, clock } = freshCollection();
    const ids = addCards(col, 1, 3).flat();
    let q = getQueuedCards(col, 1);
    expect(q.cards[0].card.id).toBe(ids[0]);
    answerCard(col, ids[0], Rating.Again, 1000); // due in ~60 s
    q = getQueuedCards(col, 1, 10);
    // counted, but shown after the remaining new cards (learn ahead)
    expect([q.newCount, q.learningCount]).toEqual([2, 1]);
    expect(q.cards.map((c) => c.card.id)).toEqual([ids[1], ids[2], ids[0]]);
    clock.advanceSecs(120);
    answerCard(col, ids[1], Rating.Good, 1000); // moves the cutoff: ids[0] is now due
    q = getQueuedCards(col, 1, 10);
    expect(q.cards[0].card.id).toBe(ids[0]);
    expect(q.cards[0].kind).toBe('learning');
    // a learning card due later than the learn-ahead window is not shown
    editCards(col, [ids[0], ids[1]], (c) => (c.due = Math.floor(clock.ms / 1000) + 3600));
    answerCard(col, ids[2], Rating.Good, 1000);
    editCards(col, [ids[2]], (c) => (c.due = Math.floor(clock.ms / 1000) + 3600));
    q = getQueuedCards(col, 1, 10);
    expect(q.cards).toEqual([]);
    expect(q.learningCount).toBe(0);
    clock.advanceSecs(3600 - 1200 + 1);
    q = getQueuedCards(col, 1, 10);
    expect(q.learningCount).toBe(3);
  });

  it('cards answered before come before never-answered learning cards', () => {
    const { col } = freshCollection();
    const ids = addCards(col, 1, 2).flat();
    const now = Math.floor(col.clock.nowMs() / 1000);
    editCards(col, [ids[0]], (c) => Object.assign(c, { ctype: CardType.Learn, queue: CardQueue.Learn, due: now - 100, reps: 0, remainingSteps: 2 }));
    editCards(col, [ids[1]], (c) => Object.assign(c, { ctype: CardType.Learn, queue: CardQueue.Learn, due: now - 10, reps: 2, remainingSteps: 1 }));
    expect(getQueuedCards(col, 1, 2).cards.map((c) => c.card.id)).toEqual([ids[1], ids[0]]);
  });
});

describe('burying siblings', () => {
  it('buries siblings after an answer and skips them when gathering; unburied the next day', () => {
    const { col, clock } = freshCollection();
    const notes = addCards(col, 1, 3, { reversed: true });
    updateDefaultPreset(col, (c) => (c.buryNew = true));
    // gathering skips the second card of each note
    let q = getQueuedCards(col, 1, 100);
    expect(q.newCount).toBe(3);
    expect(q.cards.map((c) => c.card.ord)).toEqual([0, 0, 0]);
    const r = answerCard(col, notes[0][0], Rating.Good, 1000);
    expect(r.result.buriedSiblings).toEqual([notes[0][1]]);
    expect(card(col, notes[0][1]).queue).toBe(CardQueue.SchedBuried);
    q = getQueuedCards(col, 1, 100);
    expect(q.newCount).toBe(2);
    // next day: unburied
    clock.advanceSecs(86_400);
    q = getQueuedCards(col, 1, 100);
    expect(card(col, notes[0][1]).queue).toBe(CardQueue.New);
    expect(col.storage.config.get('lastUnburied')).toBe(timingToday(col).daysElapsed);
  });

  it('review siblings are buried only after a learning/review answer; new ones per bury_new', () => {
    const { col } = freshCollection();
    const [[a, b]] = addCards(col, 1, 1, { reversed: true });
    updateDefaultPreset(col, (c) => {
      c.buryNew = false;
      c.buryReviews = true;
    });
    makeReview(col, [b], 0);
    // answering the new card does not bury its review sibling (reviews are gathered earlier)
    answerCard(col, a, Rating.Good, 1000);
    expect(card(col, b).queue).toBe(CardQueue.Review);
    // answering the (learning) card now buries the review sibling
    answerCard(col, a, Rating.Again, 1000);
    expect(card(col, b).queue).toBe(CardQueue.SchedBuried);
  });

  it('a new card potentially burying a review card: the queue shrinks by exactly one (Anki)', () => {
    const { col } = freshCollection();
    const [[a, b]] = addCards(col, 1, 1, { reversed: true });
    makeReview(col, [a], 0);
    updateDefaultPreset(col, (c) => {
      c.newMix = ReviewMix.BeforeReviews;
      c.buryNew = false;
      c.buryReviews = true;
    });
    const before = getQueuedCards(col, 1, 5).cards.length;
    const first = getQueuedCards(col, 1, 1).cards[0].card.id;
    answerCard(col, first, Rating.Easy, 0);
    clearStudyQueues(col);
    expect(getQueuedCards(col, 1, 5).cards.length).toBe(before - 1);
    void b;
  });
});

describe('set due date "0" feeds the review queue', () => {
  it('cards set due today appear as reviews', () => {
    const { col } = freshCollection();
    const ids = addCards(col, 1, 2).flat();
    setDueDate(col, [ids[0]], '0');
    const q = getQueuedCards(col, 1, 10);
    expect(q.reviewCount).toBe(1);
    expect(q.cards[0]).toMatchObject({ kind: 'review' });
  });
});
