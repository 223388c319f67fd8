// Deleting decks with their subdecks, their cards and the notes left without cards.

import type { Tx } from '../collection/tx';
import { DEFAULT_DECK_ID, type Deck } from './deck';
import { childDecks, DEFAULT_DECK_NAME, getCurrentDeckId, isFilteredDeck } from './deck-lookup';
import { ensureNameUnique } from './deck-writes';
import { returnAllCardsInFilteredDeckInTx } from './filtered-decks';

export function removeDecksInTx(tx: Tx, deckIds: readonly number[]): number {
  const s = tx.storage;
  const current = getCurrentDeckId(tx);
  let cards = 0;
  for (const id of deckIds) {
    const deck = s.decks.get(id);
    if (!deck) continue;
    const children = childDecks(s, deck);
    cards += removeSingleDeck(tx, deck);
    for (const child of children) {
      // a child may already be gone if it was also listed
      const still = s.decks.get(child.id);
      if (still) cards += removeSingleDeck(tx, still);
    }
  }
  // Deviation: Anki leaves `curDeck` naming the deleted deck (and falls back to deck 1 when it
  // reads it); we store the fallback so the file carries no dangling reference.
  if (current !== DEFAULT_DECK_ID && !s.decks.getRow(current) && s.config.getRow('curDeck')) tx.setConfig('curDeck', DEFAULT_DECK_ID);
  return cards;
}

function removeSingleDeck(tx: Tx, deck: Deck): number {
  const s = tx.storage;
  let removed = 0;
  if (isFilteredDeck(deck)) {
    returnAllCardsInFilteredDeckInTx(tx, deck);
  } else {
    const ids = [...new Set([...s.cards.idsInDecks([deck.id]), ...s.cards.idsOfOriginalDecks([deck.id])])];
    removed = removeCardsAndOrphanedNotes(tx, ids);
  }
  const prefix = `_deck_${deck.id}_`;
  for (const key of s.config.keys()) if (key.startsWith(prefix)) tx.removeConfig(key);
  if (deck.id === DEFAULT_DECK_ID) {
    const reset = structuredClone(deck);
    reset.name = DEFAULT_DECK_NAME;
    ensureNameUnique(s, reset, 'suffix');
    tx.putDeck(reset);
  } else {
    tx.removeDeck(deck.id);
  }
  return removed;
}

/** Deletes cards (with graves) and then any of their notes left without cards. */
export function removeCardsAndOrphanedNotes(tx: Tx, cardIds: readonly number[]): number {
  const s = tx.storage;
  const noteIds = new Set<number>();
  let n = 0;
  for (const card of s.cards.getMany(cardIds)) {
    noteIds.add(card.noteId);
    tx.removeCard(card.id);
    n++;
  }
  for (const nid of noteIds) if (s.cards.ofNote(nid).length === 0 && s.notes.exists(nid)) tx.removeNote(nid);
  return n;
}
