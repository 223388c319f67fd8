// Reading decks: by id or name, the name list, a deck with its children or parents, and the
// current deck.

import type { Collection } from '../collection/collection';
import { notFound } from '../collection/errors';
import type { Tx } from '../collection/tx';
import type { Storage } from '../storage/storage';
import { DEFAULT_DECK_ID, type Deck } from './deck';
import { ancestorNames, normalizeDeckName } from './deck-names';

/** Anki's localised name of deck 1 and deck config 1, in English. */
export const DEFAULT_DECK_NAME = 'Default';

export interface DeckNameId {
  id: number;
  name: string;
}

export type Reader = Collection | Tx;

export const isFilteredDeck = (deck: Deck): boolean => deck.kind.filtered !== undefined;

// ---------------------------------------------------------------------------------------------
// Reading

/** The deck with this id; throws `not-found`. */
export function getDeck(col: Reader, id: number): Deck {
  const deck = col.storage.decks.get(id);
  if (!deck) throw notFound(`deck ${id}`);
  return deck;
}

/** The deck with this name (normalised, compared case-insensitively as Anki does), if any. */
export function getDeckByName(col: Reader, name: string): Deck | undefined {
  return col.storage.decks.byName(normalizeDeckName(name));
}

export function getDeckIdByName(col: Reader, name: string): number | undefined {
  return getDeckByName(col, name)?.id;
}

export interface DeckNamesOptions {
  /** Leave out deck 1 when it holds no cards (Anki's `skip_empty_default`). Default false. */
  skipEmptyDefault?: boolean;
  /** Include filtered decks. Default true. */
  includeFiltered?: boolean;
}

/** Ids and names of all decks in Anki's `deckNames` order (unicase order of the stored names). */
export function deckNames(col: Reader, opts: DeckNamesOptions = {}): DeckNameId[] {
  const s = col.storage;
  const skipDefault = !!opts.skipEmptyDefault && s.decks.hasNoCards(DEFAULT_DECK_ID);
  let names = s.decks.allNames();
  if (skipDefault) names = names.filter((n) => n.id !== DEFAULT_DECK_ID);
  if (opts.includeFiltered === false) {
    const filtered = new Set(s.decks.all().filter(isFilteredDeck).map((d) => d.id));
    names = names.filter((n) => !filtered.has(n.id));
  }
  return names;
}

/** The deck and all decks below it, parent first, as (id, name). */
export function deckAndChildNames(col: Reader, id: number): DeckNameId[] {
  const deck = getDeck(col, id);
  return [deck, ...childDecks(col.storage, deck)].map((d) => ({ id: d.id, name: d.name }));
}

/** Ids of the deck and all its descendants. */
export function deckAndChildIds(col: Reader, id: number): number[] {
  return deckAndChildNames(col, id).map((d) => d.id);
}

/** Decks below `parent`, in name order (Anki's `child_decks`). */
export function childDecks(s: Storage, parent: Deck): Deck[] {
  return s.decks.withChildren(parent.name).filter((d) => d.id !== parent.id);
}

/** Existing decks above this one, nearest first (stops at the first missing one, as Anki). */
export function parentDecks(col: Reader, id: number): Deck[] {
  const out: Deck[] = [];
  for (const name of ancestorNames(getDeck(col, id).name)) {
    const d = col.storage.decks.byName(name);
    if (!d) break;
    out.push(d);
  }
  return out;
}

/** The raw `curDeck` setting (1 when missing or invalid); may name a deck that no longer exists. */
export function getCurrentDeckId(col: Reader): number {
  const v = col.storage.config.get<unknown>('curDeck');
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : DEFAULT_DECK_ID;
}

/** The current deck, falling back to deck 1 when the selected one is gone (as Anki does). */
export function getCurrentDeck(col: Reader): Deck {
  return col.storage.decks.get(getCurrentDeckId(col)) ?? getDeck(col, DEFAULT_DECK_ID);
}
