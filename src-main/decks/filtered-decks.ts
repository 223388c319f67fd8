// The parts of filtered decks the deck service needs: Anki's defaults for a new filtered deck, and
// returning cards to their home decks (needed before a filtered deck can be deleted). Building and
// rebuilding filtered decks (the searches) belongs to the scheduler.

import { type Card, CardQueue } from '../cards/card';
import { queueFromType } from '../cards/cards-service';
import type { Tx } from '../collection/tx';
import { defaultFilteredDeck } from '../storage/proto/codecs';
import type { FilteredDeck } from '../storage/proto/messages';
import type { Storage } from '../storage/storage';
import { DEFAULT_DECK_ID, type Deck } from './deck';
import { deckSearch } from './deck-names';

/**
 * Moves a card out of its filtered deck as Anki's `remove_from_filtered_deck_restoring_queue`
 * does: home deck back, original due back (when set), queue recomputed from the type unless the
 * card is suspended or buried. Returns false if the card was not in a filtered deck.
 */
export function restoreCardFromFilteredDeck(card: Card): boolean {
  if (!card.originalDeckId) return false;
  card.deckId = card.originalDeckId;
  card.originalDeckId = 0;
  if (card.originalDue !== 0) card.due = card.originalDue;
  if (card.queue >= CardQueue.New) card.queue = queueFromType(card);
  card.originalDue = 0;
  return true;
}

/** Returns every card of a filtered deck to its home deck ("Empty"). Returns how many moved. */
export function returnAllCardsInFilteredDeckInTx(tx: Tx, deck: Deck): number {
  let n = 0;
  for (const card of tx.storage.cards.getMany(tx.storage.cards.idsInDecks([deck.id]))) {
    // Anki marks the card modified even when it has no home deck recorded
    restoreCardFromFilteredDeck(card);
    tx.putCard(card);
    n++;
  }
  return n;
}

/** "HH:MM" in local time, as Anki's `TimestampSecs::time_string`. */
function localTimeString(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * What Anki proposes for a new filtered deck (`new_filtered_deck_for_adding`): the name
 * "Filtered Deck HH:MM", the defaults of `Deck::new_filtered`, and — when the current deck is a
 * normal deck — searches limited to it (`deck:"Name" is:due`, `deck:"Name" is:new`).
 */
export function newFilteredDeckDefaults(storage: Storage, nowMs: number): { name: string; config: FilteredDeck } {
  const config = defaultFilteredDeck();
  const curId = storage.config.get<number>('curDeck');
  const current = storage.decks.get(typeof curId === 'number' ? curId : DEFAULT_DECK_ID);
  if (current && current.kind.normal) {
    const search = deckSearch(current.name);
    config.searchTerms[0].search = `${search} is:due`;
    config.searchTerms[1].search = `${search} is:new`;
  }
  return { name: `Filtered Deck ${localTimeString(nowMs)}`, config };
}
