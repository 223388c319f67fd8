// Deck list counts (limits applied as Anki's deck list shows them), the overview, and unburying at
// the day rollover.

import { afterEach, describe, expect, it } from 'vitest';
import { CardQueue, CardType } from '../cards/card';
import { buryCards } from '../cards/cards-service';
import type { Collection } from '../collection/collection';
import { setConfig } from '../config/config-service';
import {
  answerCard,
  clearStudyQueues,
  deckOverview,
  deckTreeWithCounts,
  findCountsNode,
  getQueuedCards,
  Rating,
  timingToday,
  unburyDeck,
  type DeckCountsNode,
} from './sched-service';
import { addCards, card, closeAll, deck, editCards, freshCollection, presetFor, updateNormalDeck } from './test-support/fixture';

afterEach(closeAll);

function node(col: Collection, name: string): DeckCountsNode {
  return findCountsNode(deckTreeWithCounts(col), col.storage.decks.byName(name)!.id)!;
}

const counts = (n: DeckCountsNode) => [n.newCount, n.learnCount, n.reviewCount];

describe('deck tree counts', () => {
  it('sums subdecks and caps by each deck’s own limits; parents cap children only with applyAllParentLimits', () => {
    const { col } = freshCollection();
    const p = deck(col, 'P');
    presetFor(col, p, (c) => (c.newPerDay = 10));
    const kids = ['P::a', 'P::b', 'P::c'].map((n) => deck(col, n));
    for (const k of kids) addCards(col, k, 15);
    expect(counts(node(col, 'P::a'))).toEqual([15, 0, 0]);
    expect(counts(node(col, 'P'))).toEqual([10, 0, 0]);
    expect(node(col, 'P')).toMatchObject({ totalInDeck: 0, totalIncludingChildren: 45, newUncapped: 0 });
    expect(node(col, 'P::a')).toMatchObject({ totalInDeck: 15, newUncapped: 15 });
    setConfig(col, 'applyAllParentLimits', true);
    expect(counts(node(col, 'P::a'))).toEqual([10, 0, 0]);
    // the study queue agrees
    expect(getQueuedCards(col, p).newCount).toBe(10);
  });

  it('reviews cap new cards; interday learning uses the review limit; intraday learning is never capped', () => {
    const { col, clock } = freshCollection();
    const d = deck(col, 'D');
    presetFor(col, d, (c) => {
      c.reviewsPerDay = 5;
      c.newPerDay = 5;
    });
    const ids = addCards(col, d, 12).flat();
    const today = timingToday(col).daysElapsed;
    const now = Math.floor(clock.ms / 1000);
    editCards(col, ids.slice(0, 3), (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 3, easeFactor: 2500 }));
    editCards(col, ids.slice(3, 5), (c) => Object.assign(c, { ctype: CardType.Learn, queue: CardQueue.DayLearn, due: today, remainingSteps: 1 }));
    editCards(col, ids.slice(5, 7), (c) => Object.assign(c, { ctype: CardType.Learn, queue: CardQueue.Learn, due: now - 10, remainingSteps: 1 }));
    const n = node(col, 'D');
    // interday 2 of 5, reviews 3 of the remaining 3, new capped at what is left of the review limit (0)
    expect(counts(n)).toEqual([0, 4, 3]);
    expect(n).toMatchObject({ intradayLearning: 2, interdayLearningUncapped: 2, reviewUncapped: 3, newUncapped: 5 });
    const q = getQueuedCards(col, d);
    expect([q.newCount, q.learningCount, q.reviewCount]).toEqual([0, 4, 3]);
  });

  it('today-only limits on a child deck', () => {
    const { col } = freshCollection();
    const c = deck(col, 'P::c');
    addCards(col, c, 30);
    const today = timingToday(col).daysElapsed;
    updateNormalDeck(col, c, (n) => (n.newLimitToday = { limit: 4, today }));
    expect(counts(node(col, 'P::c'))).toEqual([4, 0, 0]);
    expect(counts(node(col, 'P'))).toEqual([4, 0, 0]);
  });

  it('100 decks: every deck’s counts agree with its study queue', () => {
    const { col } = freshCollection();
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const names: string[] = [];
    for (let i = 0; i < 10; i++) {
      names.push(`T${i}`);
      for (let j = 0; j < 9; j++) names.push(j < 5 ? `T${i}::c${j}` : `T${i}::c0::g${j}`);
    }
    const ids = names.map((n) => deck(col, n));
    expect(col.storage.decks.all().length).toBe(101);
    // a few presets with different limits
    const presets = [0, 1, 2].map((k) => presetFor(col, ids[k], (c) => ((c.newPerDay = 3 + 7 * k), (c.reviewsPerDay = 8 + 5 * k))));
    for (let i = 3; i < ids.length; i++) {
      if (rand() < 0.5) col.transact('p', (tx) => tx.putDeck({ ...tx.storage.decks.get(ids[i])!, kind: { normal: { ...tx.storage.decks.get(ids[i])!.kind.normal!, configId: BigInt(presets[i % 3]) } } }));
    }
    const today = timingToday(col).daysElapsed;
    for (const id of ids) {
      const cards = addCards(col, id, 1 + Math.floor(rand() * 8)).flat();
      const reviews = cards.filter(() => rand() < 0.4);
      editCards(col, reviews, (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today - Math.floor(rand() * 3), interval: 5, easeFactor: 2500 }));
    }
    const tree = deckTreeWithCounts(col);
    expect(tree.totalIncludingChildren).toBe(col.storage.cards.count());
    for (const id of ids) {
      const n = findCountsNode(tree, id)!;
      clearStudyQueues(col);
      const q = getQueuedCards(col, id, 0);
      expect([n.newCount, n.reviewCount], n.fullName).toEqual([q.newCount, q.reviewCount]);
    }
  });

  it('hides an empty Default deck, shows it when it has cards', () => {
    const { col } = freshCollection();
    deck(col, 'Other');
    expect(deckTreeWithCounts(col).children.map((c) => c.name)).toEqual(['Other']);
    addCards(col, 1, 1);
    expect(deckTreeWithCounts(col).children.map((c) => c.name)).toEqual(['Default', 'Other']);
  });
});

describe('overview', () => {
  it('counts, description, studied today, congratulations info and reviews due tomorrow', () => {
    const { col, clock } = freshCollection();
    const d = deck(col, 'D');
    updateNormalDeck(col, d, (n) => (n.description = 'Some <b>words</b>'));
    const ids = addCards(col, d, 5).flat();
    const today = timingToday(col).daysElapsed;
    editCards(col, ids.slice(0, 2), (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today + 1, interval: 3, easeFactor: 2500 }));
    answerCard(col, ids[2], Rating.Again, 2000);
    const o = deckOverview(col, d);
    expect(o).toMatchObject({
      name: 'D',
      description: 'Some <b>words</b>',
      filtered: false,
      counts: { new: 2, learning: 1, review: 0 },
      studiedToday: { new: 1, review: 0, milliseconds: 2000 },
      dueTomorrow: 2,
    });
    expect(o.congrats).toMatchObject({ learnRemaining: 1, reviewRemaining: false, newRemaining: true, haveSchedBuried: false, haveUserBuried: false, isFilteredDeck: false });
    expect(o.congrats.secsUntilNextLearn).toBe(60);
    void clock;
  });
});

describe('unburying', () => {
  it('at the day rollover (lastUnburied), without marking cards modified, and on request', () => {
    const { col, clock } = freshCollection();
    const ids = addCards(col, 1, 3).flat();
    buryCards(col, [ids[0]], true);
    buryCards(col, [ids[1]], false);
    const mod = card(col, ids[0]).mtimeSecs;
    expect(node(col, 'Default').newCount).toBe(1);
    expect(unburyDeck(col, 1, 'sched').result).toBe(1);
    expect(card(col, ids[1]).queue).toBe(CardQueue.New);
    clock.advanceSecs(86_400);
    expect(node(col, 'Default').newCount).toBe(3);
    expect(card(col, ids[0])).toMatchObject({ queue: CardQueue.New, mtimeSecs: mod });
    expect(col.storage.config.get('lastUnburied')).toBe(timingToday(col).daysElapsed);
  });
});
