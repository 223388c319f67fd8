// Building the study queues of a deck (Anki's scheduler/queue/builder/*): gather intraday learning,
// interday learning, reviews and new cards from the deck and its subdecks under the daily limits,
// skip siblings the presets bury, sort, and mix into presentation order.

import type { Deck } from '../../decks/deck';
import { notFound } from '../../collection/errors';
import type { DeckConfigConfig } from '../../storage/proto/messages';
import { SchedStore, type DueCardRow, type NewCardRow } from '../../storage/sched-store';
import { sqlFnvHash } from '../../storage/search/sql-functions';
import { ensureDeckConfigValuesValid } from '../../storage/proto/codecs';
import { ancestorNames } from '../../decks/deck-names';
import { schedSettings, timingAt, type Reader, type SchedSettings } from '../collection-timing';
import { LoadBalancer, LOAD_BALANCE_DAYS } from '../load-balancer';
import type { SchedTimingToday } from '../timing';
import { CardQueues, compareLearning, type LearningQueueEntry, type MainQueueEntry } from './card-queues';
import { LimitTree } from './limits';
import { mixWith, ReviewMix } from './mix';

export enum NewCardGatherPriority {
  Deck = 0,
  LowestPosition = 1,
  HighestPosition = 2,
  RandomNotes = 3,
  RandomCards = 4,
  DeckThenRandomNotes = 5,
}

export enum NewCardSortOrder {
  Template = 0,
  NoSort = 1,
  TemplateThenRandom = 2,
  RandomNoteThenTemplate = 3,
  RandomCard = 4,
}

export enum ReviewCardOrder {
  Day = 0,
  DayThenDeck = 1,
  DeckThenDay = 2,
  IntervalsAscending = 3,
  IntervalsDescending = 4,
  EaseAscending = 5,
  EaseDescending = 6,
  RetrievabilityAscending = 7,
  Random = 8,
  Added = 9,
  ReverseAdded = 10,
  RetrievabilityDescending = 11,
  RelativeOverdueness = 12,
}

export interface QueueSortOptions {
  newOrder: NewCardSortOrder;
  newGatherPriority: NewCardGatherPriority;
  reviewOrder: ReviewCardOrder;
  dayLearnMix: ReviewMix;
  newReviewMix: ReviewMix;
}

/** The display options come from the selected deck's preset; filtered decks do not sort new cards. */
export function sortOptionsFor(root: Deck, presets: ReadonlyMap<number, DeckConfigConfig>): QueueSortOptions {
  const config = root.kind.normal ? presets.get(Number(root.kind.normal.configId)) : undefined;
  if (!config) {
    return {
      newOrder: NewCardSortOrder.NoSort,
      newGatherPriority: NewCardGatherPriority.Deck,
      reviewOrder: ReviewCardOrder.Day,
      dayLearnMix: ReviewMix.MixWithReviews,
      newReviewMix: ReviewMix.MixWithReviews,
    };
  }
  return {
    newOrder: config.newCardSortOrder,
    newGatherPriority: config.newCardGatherPriority,
    reviewOrder: config.reviewOrder,
    dayLearnMix: config.interdayLearningMix,
    newReviewMix: config.newMix,
  };
}

/**
 * ORDER BY of the review/interday-learning gather (Anki's review_order_sql). `@ids` is the JSON array
 * of active deck ids in deck-list order (used by the deck orders).
 */
export function reviewOrderSql(order: ReviewCardOrder, timing: SchedTimingToday, fsrs: boolean): string {
  const { daysElapsed: today, nextDayAt, now } = timing;
  const deck = '(SELECT key FROM json_each(@ids) WHERE value = did)';
  const retrievability = (dir: string) =>
    `extract_fsrs_retrievability(data, case when odue !=0 then odue else due end, ivl, ${today}, ${nextDayAt}, ${now}) ${dir}`;
  let parts: string[];
  switch (order) {
    case ReviewCardOrder.Day:
      parts = ['due'];
      break;
    case ReviewCardOrder.DayThenDeck:
      parts = ['due', deck];
      break;
    case ReviewCardOrder.DeckThenDay:
      parts = [deck, 'due'];
      break;
    case ReviewCardOrder.IntervalsAscending:
      parts = ['ivl asc'];
      break;
    case ReviewCardOrder.IntervalsDescending:
      parts = ['ivl desc'];
      break;
    case ReviewCardOrder.EaseAscending:
      parts = [fsrs ? "extract_fsrs_variable(data, 'd') desc" : 'factor asc'];
      break;
    case ReviewCardOrder.EaseDescending:
      parts = [fsrs ? "extract_fsrs_variable(data, 'd') asc" : 'factor desc'];
      break;
    case ReviewCardOrder.RetrievabilityAscending:
      parts = [retrievability('asc')];
      break;
    case ReviewCardOrder.RetrievabilityDescending:
      parts = [retrievability('desc')];
      break;
    case ReviewCardOrder.RelativeOverdueness:
      parts = [
        fsrs
          ? `extract_fsrs_relative_retrievability(data, case when odue !=0 then odue else due end, ivl, ${today}, ${nextDayAt}, ${now}) asc`
          : `-(1 + cast(${today}-due+0.001 as real)/ivl) asc`,
      ];
      break;
    case ReviewCardOrder.Added:
      parts = ['nid asc, ord asc'];
      break;
    case ReviewCardOrder.ReverseAdded:
      parts = ['nid desc, ord asc'];
      break;
    default:
      parts = [];
  }
  parts.push('fnvhash(id, mod)');
  return parts.join(', ');
}

/** Anki's knuth_salt: today × 2654435761, wrapping in u32. */
export function knuthSalt(today: number): number {
  return Math.imul(today, 2654435761 | 0) >>> 0;
}

type NewCardSorting = 'lowest' | 'highest' | { randomNotes: number } | { randomCards: number };

function newSortingSql(s: NewCardSorting): string {
  if (s === 'lowest') return 'due ASC, ord ASC';
  if (s === 'highest') return 'due DESC, ord ASC';
  if ('randomNotes' in s) return `fnvhash(nid, ${s.randomNotes}), ord ASC`;
  return `fnvhash(id, ${s.randomCards})`;
}

/** Unsigned FNV-1a 64 of (value, salt), as Rust's FnvHasher over two i64 writes. */
function fnvU64(value: number, salt: number): bigint {
  return BigInt.asUintN(64, sqlFnvHash(value, salt));
}

interface BuryMode {
  buryNew: boolean;
  buryReviews: boolean;
  buryInterdayLearning: boolean;
}

const NO_BURY: BuryMode = { buryNew: false, buryReviews: false, buryInterdayLearning: false };

interface NewCard extends NewCardRow {
  hash: bigint;
}

export interface BuildOptions {
  /** Reuse settings already read. */
  settings?: SchedSettings;
}

/** Builds the queues of `deckId` and its subdecks at `nowMs` (Anki's build_queues). */
export function buildQueues(r: Reader, deckId: number, nowMs: number, opts: BuildOptions = {}): CardQueues {
  const s = r.storage;
  const store = SchedStore.of(s.db);
  const timing = timingAt(r, nowMs);
  const today = timing.daysElapsed;
  const settings = opts.settings ?? schedSettings(r);

  const presets = new Map<number, DeckConfigConfig>();
  for (const c of s.deckConfigs.all()) presets.set(c.id, ensureDeckConfigValuesValid(c.config));
  const allDecks = s.decks.all();
  const deckMap = new Map<number, Deck>(allDecks.map((d) => [d.id, d]));
  const root = deckMap.get(deckId);
  if (!root) throw notFound(`deck ${deckId}`);
  // the selected deck and its subdecks, in deck-list (name) order
  const active = s.decks.withChildren(root.name).map((d) => deckMap.get(d.id) ?? d);
  const limitDecks = [...active];
  if (settings.applyAllParentLimits) {
    for (const name of ancestorNames(root.name)) {
      const parent = s.decks.byName(name);
      if (!parent) break;
      limitDecks.unshift(parent);
    }
  }
  const presetOf = (d: Deck | undefined) => (d?.kind.normal ? presets.get(Number(d.kind.normal.configId)) : undefined);
  const limits = new LimitTree(limitDecks, presetOf, today, settings.newCardsIgnoreReviewLimit);
  const sort = sortOptionsFor(root, presets);
  const activeIds = active.map((d) => d.id);

  // burying during gathering: the first card of a note records its home preset's bury flags
  const buryModes = new Map<number, BuryMode>();
  const buryModeOfDeck = new Map<number, BuryMode>();
  const buryModeOf = (did: number): BuryMode => {
    let m = buryModeOfDeck.get(did);
    if (!m) {
      const c = presetOf(deckMap.get(did));
      m = c ? { buryNew: c.buryNew, buryReviews: c.buryReviews, buryInterdayLearning: c.buryInterdayLearning } : NO_BURY;
      buryModeOfDeck.set(did, m);
    }
    return m;
  };
  const previousModeForNote = (card: { nid: number; did: number; odid: number }): BuryMode | undefined => {
    const mode = buryModeOf(card.odid || card.did);
    const prev = buryModes.get(card.nid);
    if (prev) {
      buryModes.set(card.nid, {
        buryNew: prev.buryNew || mode.buryNew,
        buryReviews: prev.buryReviews || mode.buryReviews,
        buryInterdayLearning: prev.buryInterdayLearning || mode.buryInterdayLearning,
      });
    } else {
      buryModes.set(card.nid, mode);
    }
    return prev;
  };

  // 1. intraday learning: everything due before the next day, no limit
  const learning: DueCardRow[] = [];
  for (const c of store.intradayDue(activeIds, timing.nextDayAt)) {
    previousModeForNote(c);
    learning.push(c);
  }

  // 2./3. interday learning, then reviews, in the review order, under the review limit
  const dayLearning: DueCardRow[] = [];
  const reviews: DueCardRow[] = [];
  const orderSql = reviewOrderSql(sort.reviewOrder, timing, settings.fsrs);
  for (const [queue, list, kind] of [
    [3, dayLearning, 'learning'],
    [2, reviews, 'review'],
  ] as const) {
    if (limits.rootLimitReached('review')) continue;
    for (const c of store.dueCards(activeIds, queue, today, orderSql)) {
      if (limits.rootLimitReached('review')) break;
      // a deck outside the limit tree (its parent is missing) cannot be limited: skip its cards
      if (limits.limitReached(c.did, 'review') !== false) continue;
      const prev = previousModeForNote(c);
      const bury = prev ? (kind === 'review' ? prev.buryReviews : prev.buryInterdayLearning) : false;
      if (bury) continue;
      list.push(c);
      limits.decrementDeckAndParents(c.did, 'review');
    }
  }

  // 4. new cards, in the gather priority, under the new limit
  const newCards: NewCard[] = [];
  const addNew = (c: NewCardRow): boolean => {
    const prev = previousModeForNote(c);
    if (prev?.buryNew) return false;
    newCards.push({ ...c, hash: 0n });
    return true;
  };
  const salt = knuthSalt(today);
  const byDeck = (sorting: NewCardSorting) => {
    const sql = newSortingSql(sorting);
    for (const did of activeIds) {
      if (limits.rootLimitReached('new')) break;
      if (limits.limitReached(did, 'new') !== false) continue;
      for (const c of store.newCardsInDeck(did, sql)) {
        const reached = limits.limitReached(did, 'new') !== false;
        if (reached) break;
        if (addNew(c)) limits.decrementDeckAndParents(did, 'new');
      }
    }
  };
  const sorted = (sorting: NewCardSorting) => {
    if (limits.rootLimitReached('new')) return;
    for (const c of store.newCardsInDecks(activeIds, newSortingSql(sorting))) {
      if (limits.rootLimitReached('new')) break;
      if (limits.limitReached(c.did, 'new') !== false) continue;
      if (addNew(c)) limits.decrementDeckAndParents(c.did, 'new');
    }
  };
  switch (sort.newGatherPriority) {
    case NewCardGatherPriority.DeckThenRandomNotes:
      byDeck({ randomNotes: salt });
      break;
    case NewCardGatherPriority.LowestPosition:
      sorted('lowest');
      break;
    case NewCardGatherPriority.HighestPosition:
      sorted('highest');
      break;
    case NewCardGatherPriority.RandomNotes:
      sorted({ randomNotes: salt });
      break;
    case NewCardGatherPriority.RandomCards:
      sorted({ randomCards: salt });
      break;
    default:
      byDeck('lowest');
  }

  sortNew(newCards, sort.newOrder, today);

  // presentation
  const nowSecs = Math.floor(nowMs / 1000);
  const intraday: LearningQueueEntry[] = learning.map((c) => ({ due: c.due, id: c.id, mtime: c.mod, reps: c.reps }));
  intraday.sort(compareLearning);
  const learnCutoff = nowSecs + settings.learnAheadSecs;
  const learnCount = intraday.filter((e) => e.due <= learnCutoff).length + dayLearning.length;
  const toMain = (kind: MainQueueEntry['kind']) => (c: { id: number; mod: number }): MainQueueEntry => ({ id: c.id, mtime: c.mod, kind });
  const withDayLearning = mixWith(reviews.map(toMain('review')), dayLearning.map(toMain('interdayLearning')), sort.dayLearnMix);
  const main = mixWith(withDayLearning, newCards.map(toMain('new')), sort.newReviewMix);

  let loadBalancer: LoadBalancer | null = null;
  if (settings.loadBalancerEnabled) loadBalancer = buildLoadBalancer(store, allDecks, presets, timing);

  return new CardQueues({
    deckId,
    counts: { new: newCards.length, review: reviews.length, learning: learnCount },
    main,
    intradayLearning: intraday,
    currentDay: today,
    learnAheadSecs: settings.learnAheadSecs,
    buildTimeMs: nowMs,
    nowSecs,
    loadBalancer,
  });
}

function sortNew(cards: NewCard[], order: NewCardSortOrder, today: number): void {
  switch (order) {
    case NewCardSortOrder.Template:
      cards.sort((a, b) => a.ord - b.ord);
      break;
    case NewCardSortOrder.TemplateThenRandom:
      for (const c of cards) c.hash = fnvU64(c.id, today);
      cards.sort((a, b) => a.ord - b.ord || cmpBig(a.hash, b.hash));
      break;
    case NewCardSortOrder.RandomNoteThenTemplate:
      for (const c of cards) c.hash = fnvU64(c.nid, today);
      cards.sort((a, b) => cmpBig(a.hash, b.hash) || a.ord - b.ord);
      break;
    case NewCardSortOrder.RandomCard:
      for (const c of cards) c.hash = fnvU64(c.id, today);
      cards.sort((a, b) => cmpBig(a.hash, b.hash));
      break;
    default:
      break;
  }
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Anki's load balancer input: every card with today ≤ due < today+99 (whatever its queue), counted
 * per preset of its current deck (cards in filtered decks are left out), plus each preset's easy days.
 */
export function buildLoadBalancer(
  store: SchedStore,
  decks: readonly Deck[],
  presets: ReadonlyMap<number, DeckConfigConfig>,
  timing: SchedTimingToday,
): LoadBalancer | null {
  const presetOfDeck = new Map<number, number>();
  for (const d of decks) if (d.kind.normal) presetOfDeck.set(d.id, Number(d.kind.normal.configId));
  const easyDaysByPreset = new Map<number, readonly number[]>();
  for (const [id, c] of presets) easyDaysByPreset.set(id, c.easyDaysPercentages);
  try {
    return new LoadBalancer({
      today: timing.daysElapsed,
      nextDayAt: timing.nextDayAt,
      easyDaysByPreset,
      cards: store
        .cardsDueInRange(timing.daysElapsed, timing.daysElapsed + LOAD_BALANCE_DAYS)
        .map((c) => ({ cardId: c.id, noteId: c.nid, presetId: presetOfDeck.get(c.did), due: c.due })),
    });
  } catch {
    // Anki refuses to build queues with invalid easy days; we fall back to plain fuzz
    return null;
  }
}
