// Statistics summaries of a collection (the figures of Anki's legacy stats report's "Today" and
// card-count sections), for a deck and its subdecks or the whole collection.

import type { Collection } from '../collection/collection';
import { deckAndChildIds, getCurrentDeck } from '../decks/decks-service';
import { timingAt } from '../scheduler/collection-timing';
import { type CardCountsRow, type ReviewSummaryRow, StatsStore } from '../storage/stats-store';

export interface CollectionStats {
  /** null = the whole collection. */
  deck: { id: number; name: string } | null;
  today: ReviewSummaryRow;
  cards: CardCountsRow;
}

/** Today's answers and the card counts of the whole collection, or of `deckId` (default: the current deck) with its subdecks. */
export function collectionStats(col: Collection, scope: { wholeCollection: boolean; deckId?: number }): CollectionStats {
  const store = new StatsStore(col.db);
  const deck = scope.wholeCollection ? null : scope.deckId !== undefined ? col.storage.decks.get(scope.deckId) ?? getCurrentDeck(col) : getCurrentDeck(col);
  const deckIds = deck ? deckAndChildIds(col, deck.id) : null;
  const timing = timingAt(col, col.clock.nowMs());
  return {
    deck: deck ? { id: deck.id, name: deck.name } : null,
    today: store.reviewSummary((timing.nextDayAt - 86_400) * 1000, deckIds),
    cards: store.cardCounts(deckIds),
  };
}
