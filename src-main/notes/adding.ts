// The Add screen's choices, as Anki keeps them (rslib `adding.rs`, `notes/mod.rs`): the deck and
// note type it opens with, the deck a note type last added to (`_nt_<id>_lastDeck`), the note type
// a deck last received (`_deck_<id>_lastNotetype`) and the current note type (`curModel`).

import type { Collection } from '../collection/collection';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { getConfig } from '../config/config-service';
import { DEFAULT_DECK_ID } from '../decks/deck';
import { getCurrentDeckId, isFilteredDeck } from '../decks/decks-service';
import { currentNotetypeId } from '../notetypes/notetypes-service';
import { type AddedNote, addNoteInTx, type NewNote } from './notes-service';

type Reader = Collection | Tx;

export const lastDeckKey = (notetypeId: number) => `_nt_${notetypeId}_lastDeck`;
export const lastNotetypeKey = (deckId: number) => `_deck_${deckId}_lastNotetype`;

const validId = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null);

/** A normal (not filtered) deck's id, or null. */
function normalDeck(col: Reader, id: number | null): number | null {
  if (id === null) return null;
  const d = col.storage.decks.get(id);
  return d && !isFilteredDeck(d) ? d.id : null;
}

/** The current deck unless it is filtered (then the home deck of the reviewer's card, else Default). */
function currentDeckForAdding(col: Reader, homeDeckOfReviewerCard: number | null): number {
  return normalDeck(col, getCurrentDeckId(col)) ?? normalDeck(col, homeDeckOfReviewerCard) ?? DEFAULT_DECK_ID;
}

/** The deck a note type last added to, when it still exists and is not filtered. */
export function defaultDeckForNotetype(col: Reader, notetypeId: number): number | null {
  return normalDeck(col, validId(col.storage.config.get<unknown>(lastDeckKey(notetypeId))));
}

/** The note type a deck last received, else the current one. */
function defaultNotetypeForDeck(col: Reader, deckId: number): number {
  const last = validId(col.storage.config.get<unknown>(lastNotetypeKey(deckId)));
  if (last !== null && col.storage.notetypes.get(last)) return last;
  return currentNotetypeId(col);
}

export interface AddingDefaults {
  notetypeId: number;
  deckId: number;
}

/**
 * Anki's `defaults_for_adding`: with "add to current deck" (`addToCur`, the default) the current
 * deck and the note type it last received; otherwise the current note type and the deck it last
 * added to. Given a note type (the person just chose one), the deck that goes with it.
 */
export function addingDefaults(col: Reader, opts: { notetypeId?: number; homeDeckOfReviewerCard?: number | null } = {}): AddingDefaults {
  const home = opts.homeDeckOfReviewerCard ?? null;
  if (opts.notetypeId !== undefined) {
    const deckId = defaultDeckForNotetype(col, opts.notetypeId) ?? currentDeckForAdding(col, home);
    return { notetypeId: opts.notetypeId, deckId };
  }
  if (getConfig(col, 'addToCur')) {
    const deckId = currentDeckForAdding(col, home);
    return { deckId, notetypeId: defaultNotetypeForDeck(col, deckId) };
  }
  const notetypeId = currentNotetypeId(col);
  return { notetypeId, deckId: defaultDeckForNotetype(col, notetypeId) ?? currentDeckForAdding(col, home) };
}

/** Remembers what a note was added with, as Anki does after each add. */
export function rememberAddInTx(tx: Tx, notetypeId: number, deckId: number): void {
  const set = (key: string, value: number) => {
    if (tx.storage.config.get<unknown>(key) !== value) tx.setConfig(key, value);
  };
  set(lastDeckKey(notetypeId), deckId);
  set(lastNotetypeKey(deckId), notetypeId);
  set('curModel', notetypeId);
}

/** Adds a note from the Add screen: the note, its cards, and the choices remembered (one undo step). */
export function addNoteFromEditor(col: Collection, note: NewNote): OpResult<AddedNote> {
  return col.transact('Add Note', (tx) => {
    const added = addNoteInTx(tx, note);
    rememberAddInTx(tx, note.notetypeId, note.deckId);
    return added;
  });
}
