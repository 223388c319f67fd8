// Due counts on the deck list and the deck overview (Anki's decks/tree.rs deck_tree with counts,
// v3 limits; congrats.rs; the future-due "due tomorrow" figure).

import type { Collection } from '../collection/collection';
import { notFound } from '../collection/errors';
import { deckAndChildIds, deckTree, type DeckTreeNode, findDeckInTree } from '../decks/decks-service';
import type { Deck } from '../decks/deck';
import { ensureDeckConfigValuesValid } from '../storage/proto/codecs';
import type { DeckConfigConfig } from '../storage/proto/messages';
import { SchedStore } from '../storage/sched-store';
import { unburyIfDayRolledOver } from './bury-service';
import { schedSettings, timingAt } from './collection-timing';
import { buildQueues } from './queue/builder';
import { currentQueues } from './queue/queue-service';
import { capTo, remainingLimits, studiedToday, UNLIMITED, type RemainingLimits } from './queue/limits';
import { isUnixEpochTimestamp } from './timing';

/** A deck tree node (see DeckTreeNode) with its due counts. */
export interface DeckCountsNode extends Omit<DeckTreeNode, 'children'> {
  /** Counts as the deck list shows them: this deck and its subdecks, limits applied. */
  newCount: number;
  learnCount: number;
  reviewCount: number;
  /** This deck alone, before limits. */
  newUncapped: number;
  reviewUncapped: number;
  intradayLearning: number;
  interdayLearningUncapped: number;
  /** Cards whose current deck is this one. */
  totalInDeck: number;
  totalIncludingChildren: number;
  children: DeckCountsNode[];
}

interface Sums {
  new: number;
  review: number;
  intraday: number;
  interday: number;
}

function capped(c: Sums, remaining: RemainingLimits): Sums {
  const interday = Math.min(c.interday, remaining.review);
  let remainingReviews = Math.max(remaining.review - interday, 0);
  const review = Math.min(c.review, remainingReviews);
  let newCount = Math.min(c.new, remaining.new);
  if (remaining.capNewToReview) {
    remainingReviews = Math.max(remainingReviews - review, 0);
    newCount = Math.min(newCount, remainingReviews);
  }
  return { new: newCount, review, intraday: c.intraday, interday };
}

export interface DeckTreeCountsOptions {
  /** Counts as of this time (default now). Buried cards are unburied first when the day rolled over. */
  nowMs?: number;
  /** Hide an empty, childless Default deck (default true, as Anki). */
  hideEmptyDefault?: boolean;
}

/**
 * The deck tree with new/learn/review counts per deck as Anki's deck list shows them: each deck's
 * own due cards plus its subdecks' limited counts, capped by the deck's remaining limits; with
 * `applyAllParentLimits` every deck is also capped by its ancestors' limits.
 */
export function deckTreeWithCounts(col: Collection, opts: DeckTreeCountsOptions = {}): DeckCountsNode {
  const nowMs = opts.nowMs ?? col.clock.nowMs();
  unburyIfDayRolledOver(col, timingAt(col, col.clock.nowMs()));
  const timing = timingAt(col, nowMs);
  const today = timing.daysElapsed;
  const settings = schedSettings(col);
  const s = col.storage;
  const store = SchedStore.of(s.db);

  const structure = deckTree(col, { hideEmptyDefault: opts.hideEmptyDefault ?? true });
  const learnCutoff = ((Math.floor(nowMs / 1000) >>> 0) + settings.learnAheadSecs) >>> 0;
  const counts = new Map(store.dueCounts(today, learnCutoff).map((r) => [r.did, r]));
  const presets = new Map<number, DeckConfigConfig>();
  for (const c of s.deckConfigs.all()) presets.set(c.id, ensureDeckConfigValuesValid(c.config));
  const limits = new Map<number, RemainingLimits>();
  for (const d of s.decks.all()) {
    const preset = d.kind.normal ? presets.get(Number(d.kind.normal.configId)) : undefined;
    limits.set(d.id, remainingLimits(d, preset, today, settings.newCardsIgnoreReviewLimit));
  }

  const convert = ({ children, ...n }: DeckTreeNode): DeckCountsNode => {
    const c = counts.get(n.deckId);
    return {
      ...n,
      newCount: c?.new ?? 0,
      learnCount: 0,
      reviewCount: c?.review ?? 0,
      newUncapped: c?.new ?? 0,
      reviewUncapped: c?.review ?? 0,
      intradayLearning: c?.intradayLearning ?? 0,
      interdayLearningUncapped: c?.interdayLearning ?? 0,
      totalInDeck: c?.total ?? 0,
      totalIncludingChildren: 0,
      children: children.map(convert),
    };
  };
  const root = convert(structure);

  const sum = (node: DeckCountsNode, parentLimits: RemainingLimits | null): Sums => {
    const remaining = { ...(limits.get(node.deckId) ?? UNLIMITED) };
    let forChildren = parentLimits;
    if (parentLimits) {
      capTo(remaining, parentLimits);
      forChildren = remaining;
    }
    const uncapped: Sums = { new: node.newUncapped, review: node.reviewUncapped, intraday: node.intradayLearning, interday: node.interdayLearningUncapped };
    let total = node.totalInDeck;
    for (const child of node.children) {
      const c = sum(child, forChildren);
      uncapped.new += c.new;
      uncapped.review += c.review;
      uncapped.intraday += c.intraday;
      uncapped.interday += c.interday;
      total += child.totalIncludingChildren;
    }
    const out = capped(uncapped, remaining);
    node.newCount = out.new;
    node.reviewCount = out.review;
    node.learnCount = out.intraday + out.interday;
    node.totalIncludingChildren = total;
    return out;
  };
  sum(root, settings.applyAllParentLimits ? { ...UNLIMITED } : null);
  return root;
}

/** A deck's node in a counted tree. */
export function findCountsNode(node: DeckCountsNode, deckId: number): DeckCountsNode | undefined {
  return findDeckInTree(node, deckId);
}

export interface CongratsInfo {
  /** Intraday learning cards left in the deck (due later today). */
  learnRemaining: number;
  /** Seconds until the next learning card is due (minus the learn-ahead window, at least 60; 86400 when none). */
  secsUntilNextLearn: number;
  reviewRemaining: boolean;
  newRemaining: boolean;
  haveSchedBuried: boolean;
  haveUserBuried: boolean;
  isFilteredDeck: boolean;
}

/** What Anki's "Congratulations!" screen says about a deck and its subdecks. */
export function congratsInfo(col: Collection, deckId: number): CongratsInfo {
  const deck = col.storage.decks.get(deckId);
  if (!deck) throw notFound(`deck ${deckId}`);
  const nowMs = col.clock.nowMs();
  const timing = timingAt(col, nowMs);
  const info = SchedStore.of(col.storage.db).congrats(deckAndChildIds(col, deckId), timing.daysElapsed);
  const learnAhead = schedSettings(col).learnAheadSecs;
  return {
    learnRemaining: info.learnCount,
    secsUntilNextLearn: info.firstLearnDue === 0 ? 86_400 : Math.max(info.firstLearnDue - learnAhead - Math.floor(nowMs / 1000), 60),
    reviewRemaining: info.reviewRemaining > 0,
    newRemaining: info.newRemaining > 0,
    haveSchedBuried: info.schedBuried > 0,
    haveUserBuried: info.userBuried > 0,
    isFilteredDeck: deck.kind.filtered !== undefined,
  };
}

/**
 * Reviews due tomorrow for a deck and its subdecks, as Anki's future-due statistics count them
 * (non-new, unsuspended cards, by current or home deck, whose due day is tomorrow).
 */
export function dueTomorrow(col: Collection, deckId: number): number {
  const timing = timingAt(col, col.clock.nowMs());
  let n = 0;
  for (const c of SchedStore.of(col.storage.db).dueOfNonNewCards(deckAndChildIds(col, deckId))) {
    const day = isUnixEpochTimestamp(c.due) ? Math.trunc((c.due - timing.nextDayAt) / 86_400) : c.due - timing.daysElapsed;
    if (day === 1) n++;
  }
  return n;
}

export interface DeckOverview {
  deckId: number;
  name: string;
  description: string;
  markdownDescription: boolean;
  filtered: boolean;
  /** The study screen's counts (the study queue of this deck). */
  counts: { new: number; learning: number; review: number };
  /** Studied today in this deck (and, through their counters, its subdecks). */
  studiedToday: { new: number; review: number; milliseconds: number };
  congrats: CongratsInfo;
  /** Reviews due tomorrow. */
  dueTomorrow: number;
}

/** What the overview (study) screen of a deck shows. */
export function deckOverview(col: Collection, deckId: number): DeckOverview {
  const deck: Deck | undefined = col.storage.decks.get(deckId);
  if (!deck) throw notFound(`deck ${deckId}`);
  const nowMs = col.clock.nowMs();
  const timing = timingAt(col, nowMs);
  unburyIfDayRolledOver(col, timing);
  const cached = currentQueues(col);
  const queues = cached && cached.deckId === deckId && cached.currentDay === timing.daysElapsed ? cached : buildQueues(col, deckId, nowMs);
  const counts = queues.currentCounts(Math.floor(nowMs / 1000));
  const done = studiedToday(deck, timing.daysElapsed);
  return {
    deckId,
    name: deck.name,
    description: deck.kind.normal?.description ?? '',
    markdownDescription: deck.kind.normal?.markdownDescription ?? false,
    filtered: deck.kind.filtered !== undefined,
    counts: { new: counts.new, learning: counts.learning, review: counts.review },
    studiedToday: {
      new: done.new,
      review: done.review,
      milliseconds: deck.common.lastDayStudied === timing.daysElapsed ? deck.common.millisecondsStudied : 0,
    },
    congrats: congratsInfo(col, deckId),
    dueTomorrow: dueTomorrow(col, deckId),
  };
}
