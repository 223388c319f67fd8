// Filtered decks (build, rebuild, empty) and custom study.

import { afterEach, describe, expect, it } from 'vitest';
import { type Card, CardQueue, CardType } from '../cards/card';
import { buryCards, suspendCards } from '../cards/cards-service';
import type { Collection } from '../collection/collection';
import { expectCollectionPasses } from '../collection/test-support/check';
import { FilteredSearchOrder, type FilteredDeck } from '../storage/proto/messages';
import {
  addOrUpdateFilteredDeck,
  answerCard,
  CUSTOM_STUDY_DECK_NAME,
  customStudy,
  customStudyDeckConfig,
  customStudyDefaults,
  emptyFilteredDeck,
  getOrProposeFilteredDeck,
  getQueuedCards,
  Rating,
  rebuildFilteredDeck,
  timingToday,
  unburyIfDayRolledOver,
} from './sched-service';
import { addCards, card, closeAll, deck, editCards, type FakeClock, freshCollection } from './test-support/fixture';

afterEach(closeAll);

function filteredConfig(terms: { search: string; limit: number; order: FilteredSearchOrder }[], reschedule = true): FilteredDeck {
  return { reschedule, searchTerms: terms, delays: [], previewDelay: 0, previewAgainSecs: 60, previewHardSecs: 600, previewGoodSecs: 0 };
}

const withoutStamps = (c: Card) => {
  const { mtimeSecs: _m, usn: _u, ...rest } = c;
  return rest;
};

/** A deck with new, learning, due and not-due review, suspended and buried cards. */
function mixedDeck(col: Collection) {
  // a few days after creation, so that review due days are > 0 (a due of 0 keeps its value in a filtered deck)
  (col.clock as FakeClock).advanceSecs(5 * 86_400);
  unburyIfDayRolledOver(col);
  const d = deck(col, 'Lang::Words');
  const ids = addCards(col, d, 8).flat();
  const today = timingToday(col).daysElapsed;
  const now = Math.floor(col.clock.nowMs() / 1000);
  editCards(col, [ids[1]], (c) => Object.assign(c, { ctype: CardType.Learn, queue: CardQueue.Learn, due: now + 300, remainingSteps: 1, reps: 1 }));
  editCards(col, [ids[2], ids[3]], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 4, easeFactor: 2500, reps: 3 }));
  editCards(col, [ids[4]], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today + 9, interval: 12, easeFactor: 2500, reps: 4 }));
  suspendCards(col, [ids[5]]);
  buryCards(col, [ids[6]]);
  return { d, ids };
}

describe('filtered decks', () => {
  it('build and empty round trip: odid/odue, positions from −100,000, suspended/buried left out, everything restored', () => {
    const { col, path } = freshCollection();
    const { d, ids } = mixedDeck(col);
    const before = new Map(ids.map((id) => [id, card(col, id)]));
    const r = addOrUpdateFilteredDeck(col, { id: 0, name: 'Cram', config: filteredConfig([{ search: 'deck:Lang', limit: 100, order: FilteredSearchOrder.Added }]) }).result;
    expect(r.cardCount).toBe(6);
    expect(col.storage.config.get('curDeck')).toBe(r.deckId);
    const moved = ids.filter((id) => card(col, id).deckId === r.deckId);
    expect(moved.sort()).toEqual([ids[0], ids[1], ids[2], ids[3], ids[4], ids[7]].sort());
    // added order: positions −100000… in note order; odue keeps the original due; queues kept (reschedule on)
    moved.sort((a, b) => card(col, a).due - card(col, b).due);
    expect(moved).toEqual([ids[0], ids[1], ids[2], ids[3], ids[4], ids[7]]);
    moved.forEach((id, i) => {
      const c = card(col, id);
      expect(c).toMatchObject({ originalDeckId: d, due: -100_000 + i, originalDue: before.get(id)!.due, queue: before.get(id)!.queue });
    });
    expect(card(col, ids[5]).deckId).toBe(d);
    expect(card(col, ids[6]).deckId).toBe(d);
    // the filtered deck is studied with no limits: all due cards + new cards
    const q = getQueuedCards(col, r.deckId, 100);
    expect([q.newCount, q.learningCount, q.reviewCount]).toEqual([2, 1, 3]);
    // empty: back home exactly as before
    expect(emptyFilteredDeck(col, r.deckId).result).toBe(6);
    for (const id of ids) expect(withoutStamps(card(col, id))).toEqual(withoutStamps(before.get(id)!));
    col.close();
    expectCollectionPasses(path);
  });

  it('without rescheduling every card goes to the review queue; limits, orders and the second search apply', () => {
    const { col } = freshCollection();
    const { ids } = mixedDeck(col);
    const r = addOrUpdateFilteredDeck(col, {
      id: 0,
      name: 'Preview',
      config: filteredConfig(
        [
          { search: 'deck:Lang is:review', limit: 2, order: FilteredSearchOrder.IntervalsDescending },
          { search: 'deck:Lang is:new', limit: 1, order: FilteredSearchOrder.Added },
        ],
        false,
      ),
    }).result;
    expect(r.cardCount).toBe(3);
    expect(card(col, ids[4])).toMatchObject({ due: -100_000, queue: CardQueue.Review });
    expect(card(col, ids[0])).toMatchObject({ due: -99_998, queue: CardQueue.Review, originalDue: 1, ctype: CardType.New });
    // rebuild after answering one: the answered card went home (preview finished), others are pulled again
    answerCard(col, ids[0], Rating.Good, 1000);
    expect(card(col, ids[0])).toMatchObject({ deckId: col.storage.decks.byName('Lang::Words')!.id, queue: CardQueue.New, due: 1 });
    expect(rebuildFilteredDeck(col, r.deckId).result).toBe(3);
  });

  it('a collection with cards being previewed, learned and reviewed in filtered decks passes the checker', () => {
    const { col, path } = freshCollection();
    const { ids } = mixedDeck(col);
    const p = addOrUpdateFilteredDeck(col, { id: 0, name: 'Preview', config: filteredConfig([{ search: 'deck:Lang is:new', limit: 5, order: 5 }], false) }).result;
    answerCard(col, ids[0], Rating.Again, 1000);
    expect(card(col, ids[0])).toMatchObject({ queue: CardQueue.Preview, deckId: p.deckId });
    const r = addOrUpdateFilteredDeck(col, { id: 0, name: 'Resched', config: filteredConfig([{ search: 'deck:Lang', limit: 50, order: 6 }]) }).result;
    for (const id of [ids[1], ids[2], ids[3]]) if (card(col, id).deckId === r.deckId) answerCard(col, id, Rating.Again, 1000);
    col.close();
    expectCollectionPasses(path);
  });

  it('searches are validated and stored normalised; nothing matched is refused with no change', () => {
    const { col } = freshCollection();
    mixedDeck(col);
    expect(() => addOrUpdateFilteredDeck(col, { id: 0, name: 'Bad', config: filteredConfig([{ search: 'deck:(', limit: 1, order: 0 }]) })).toThrow();
    expect(() => addOrUpdateFilteredDeck(col, { id: 0, name: 'None', config: filteredConfig([{ search: 'deck:Nothing', limit: 5, order: 0 }]) })).toThrow(
      'No cards matched the criteria you provided.',
    );
    expect(col.storage.decks.byName('None')).toBeUndefined();
    const r = addOrUpdateFilteredDeck(col, { id: 0, name: 'Ok', config: filteredConfig([{ search: 'deck:Lang  and  is:due', limit: 5, order: 6 }]) }).result;
    expect(col.storage.decks.get(r.deckId)!.kind.filtered!.searchTerms[0].search).toBe('deck:Lang is:due');
    const p = getOrProposeFilteredDeck(col, r.deckId);
    expect(p.name).toBe('Ok');
    expect(getOrProposeFilteredDeck(col).name).toMatch(/^Filtered Deck \d\d:\d\d$/);
    // an empty filtered deck is allowed on request
    const e = addOrUpdateFilteredDeck(col, { id: 0, name: 'Empty', config: filteredConfig([{ search: 'deck:Nothing', limit: 5, order: 0 }]), allowEmpty: true }).result;
    expect(e.cardCount).toBe(0);
  });
});

describe('custom study', () => {
  it('extends today’s new and review limits', () => {
    const { col } = freshCollection();
    const d = deck(col, 'D');
    addCards(col, d, 40);
    expect(getQueuedCards(col, d).newCount).toBe(20);
    customStudy(col, d, { kind: 'newLimitDelta', delta: 5 });
    expect(getQueuedCards(col, d).newCount).toBe(25);
    expect(col.storage.decks.get(d)!.kind.normal!.extendNew).toBe(5);
    expect(col.storage.decks.get(d)!.common.newStudied).toBe(-5);
    customStudy(col, d, { kind: 'reviewLimitDelta', delta: 50 });
    expect(col.storage.decks.get(d)!.kind.normal!.extendReview).toBe(50);
    const defaults = customStudyDefaults(col, d);
    expect(defaults).toMatchObject({ extendNew: 5, extendReview: 50, availableNew: 40, availableReview: 0, availableNewInChildren: 0 });
  });

  it('writes Anki’s searches', () => {
    expect(customStudyDeckConfig('My Deck', { kind: 'forgotDays', days: 2 }).searchTerms[0]).toEqual({ search: 'rated:2:1 "deck:My Deck"', limit: 99_999, order: FilteredSearchOrder.Random });
    expect(customStudyDeckConfig('D', { kind: 'reviewAheadDays', days: 3 })).toMatchObject({ reschedule: true, searchTerms: [{ search: 'prop:due<=3 deck:D', order: FilteredSearchOrder.Due }] });
    expect(customStudyDeckConfig('D', { kind: 'previewDays', days: 1 })).toMatchObject({
      reschedule: false,
      previewAgainSecs: 60,
      previewHardSecs: 600,
      previewGoodSecs: 0,
      previewDelay: 10,
      searchTerms: [{ search: 'is:new added:1 deck:D', order: FilteredSearchOrder.Added }],
    });
    expect(customStudyDeckConfig('D', { kind: 'cram', cramKind: 'all', cardLimit: 50, tagsToInclude: ['a', 'b_c'], tagsToExclude: ['x'] }).searchTerms[0]).toEqual({
      search: 'deck:D (tag:a OR tag:b\\_c) -tag:x',
      limit: 50,
      order: FilteredSearchOrder.Random,
    });
    expect(customStudyDeckConfig('D', { kind: 'cram', cramKind: 'review', cardLimit: 10 }).searchTerms[0].search).toBe('-is:new deck:D');
  });

  it('builds (and reuses) the Custom Study Session deck; refuses a normal deck of that name', () => {
    const { col, path } = freshCollection();
    const { d, ids } = mixedDeck(col);
    addCards(col, d, 2, { tags: ['verbs'] });
    const r1 = customStudy(col, d, { kind: 'reviewAheadDays', days: 10 }).result;
    expect(col.storage.decks.get(r1.filteredDeckId!)!.name).toBe(CUSTOM_STUDY_DECK_NAME);
    expect(card(col, ids[4]).deckId).toBe(r1.filteredDeckId);
    const r2 = customStudy(col, d, { kind: 'cram', cramKind: 'new', cardLimit: 100, tagsToInclude: ['verbs'] }).result;
    expect(r2.filteredDeckId).toBe(r1.filteredDeckId);
    expect(r2.cardCount).toBe(2);
    expect(card(col, ids[4]).deckId).toBe(d);
    expect(col.storage.config.get(`_deck_${d}_customStudyIncludeTags`)).toEqual(['verbs']);
    // like Anki, the dialog lists tags of cards currently in the deck (not those in the session deck)
    expect(customStudyDefaults(col, d).tags).toEqual([]);
    emptyFilteredDeck(col, r2.filteredDeckId!);
    expect(customStudyDefaults(col, d).tags).toEqual([{ name: 'verbs', include: true, exclude: false }]);
    expect(() => customStudy(col, d, { kind: 'forgotDays', days: 1 })).toThrow('No cards matched');
    col.close();
    expectCollectionPasses(path);
  });

  it('a normal deck named like the session deck is an error', () => {
    const { col } = freshCollection();
    const { d } = mixedDeck(col);
    deck(col, CUSTOM_STUDY_DECK_NAME);
    expect(() => customStudy(col, d, { kind: 'previewDays', days: 1 })).toThrow(/Rename the existing/);
  });
});
