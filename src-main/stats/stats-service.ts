// Statistics summaries of a collection (the figures of Anki's legacy stats report's "Today" and
// card-count sections), for a deck and its subdecks or the whole collection.

import type { Collection } from '../collection/collection';
import { deckAndChildIds, getCurrentDeck } from '../decks/decks-service';
import { timingAt } from '../scheduler/collection-timing';
import { type CardCountsRow, GraphStore, type ReviewDayRow, type ReviewSummaryRow, StatsStore } from '../storage/stats-store';

export interface CollectionStats {
  /** null = the whole collection. */
  deck: { id: number; name: string } | null;
  today: ReviewSummaryRow;
  cards: CardCountsRow;
}

/** The deck a stats scope names (null: the whole collection). */
function scopeDeck(col: Collection, scope: { wholeCollection: boolean; deckId?: number }) {
  if (scope.wholeCollection) return null;
  return scope.deckId !== undefined ? (col.storage.decks.get(scope.deckId) ?? getCurrentDeck(col)) : getCurrentDeck(col);
}

/** Today's answers and the card counts of the whole collection, or of `deckId` (default: the current deck) with its subdecks. */
export function collectionStats(col: Collection, scope: { wholeCollection: boolean; deckId?: number }): CollectionStats {
  const store = new StatsStore(col.db);
  const deck = scopeDeck(col, scope);
  const deckIds = deck ? deckAndChildIds(col, deck.id) : null;
  const timing = timingAt(col, col.clock.nowMs());
  return {
    deck: deck ? { id: deck.id, name: deck.name } : null,
    today: store.reviewSummary((timing.nextDayAt - 86_400) * 1000, deckIds),
    cards: store.cardCounts(deckIds),
  };
}

// ---------------------------------------------------------------------------------------------
// The graphs

export type RetentionPeriod = 'today' | 'yesterday' | 'week' | 'month' | 'year' | 'all';
export interface PassFail {
  passed: number;
  failed: number;
}

export interface StatsGraphs {
  deck: { id: number; name: string } | null;
  days: number;
  /** One entry per day from -(days-1) to 0, zeros included. */
  reviews: ReviewDayRow[];
  /** Sparse: days with cards due, from the most overdue to `days - 1` (later days left out). */
  futureDue: { day: number; count: number }[];
  intervals: { days: number; count: number }[];
  retention: { period: RetentionPeriod; young: PassFail; mature: PassFail }[];
}

const PERIODS: { period: RetentionPeriod; column: 'today' | 'yesterday' | 'week' | 'month' | 'year' | 'allTime' }[] = [
  { period: 'today', column: 'today' },
  { period: 'yesterday', column: 'yesterday' },
  { period: 'week', column: 'week' },
  { period: 'month', column: 'month' },
  { period: 'year', column: 'year' },
  { period: 'all', column: 'allTime' },
];

/**
 * The data of the statistics charts, with Anki's definitions: answers per day by kind over the
 * last `days` days, cards due per day for the next `days` days (and the overdue backlog),
 * review-card intervals, and the true retention table.
 */
export function statsGraphs(col: Collection, scope: { wholeCollection: boolean; deckId?: number }, days: number): StatsGraphs {
  const store = new GraphStore(col.db);
  const deck = scopeDeck(col, scope);
  const deckIds = deck ? deckAndChildIds(col, deck.id) : null;
  const timing = timingAt(col, col.clock.nowMs());
  const byDay = new Map(store.reviewsByDay(timing.nextDayAt, -(days - 1), deckIds).map((r) => [r.day, r]));
  const reviews: ReviewDayRow[] = [];
  for (let day = -(days - 1); day <= 0; day++) reviews.push(byDay.get(day) ?? { day, learn: 0, relearn: 0, young: 0, mature: 0, filtered: 0, timeMs: 0 });
  const counts = store.retentionCounts(timing.nextDayAt, deckIds);
  const sum = (period: (typeof PERIODS)[number]['column'], young: boolean, passed: boolean) => counts.filter((r) => r.young === young && r.passed === passed).reduce((n, r) => n + r[period], 0);
  return {
    deck: deck ? { id: deck.id, name: deck.name } : null,
    days,
    reviews,
    futureDue: store.futureDue(timing.daysElapsed, timing.nextDayAt, deckIds).filter((r) => r.day < days),
    intervals: store.intervals(deckIds),
    retention: PERIODS.map(({ period, column }) => ({
      period,
      young: { passed: sum(column, true, true), failed: sum(column, true, false) },
      mature: { passed: sum(column, false, true), failed: sum(column, false, false) },
    })),
  };
}
