// Decks: add, rename, drag (reparent), delete, look up, list, tree, collapse, current deck, and
// creating filtered decks. Behaviour follows Anki's rslib decks/* (restated, not copied).
//
// Duplicate names (compared with the unicase collation, so "Maße" = "MASSE"): Anki's backend
// appends "+" until a name is free whenever a deck is added or renamed. Deckhand keeps that where
// the name was not typed by the person (drag and drop, the Default deck coming back after a
// delete, imports), but where someone asked for an exact name — "Add deck", "Rename deck",
// "Create filtered deck" — the default is a clear `duplicate-name` error instead of a silently
// different name. `onDuplicate: 'suffix'` gives Anki's backend behaviour, and `'existing'` (add
// only) gives what Anki's "Add deck" dialog and `col.decks.id()` / AnkiConnect `createDeck` do:
// return the deck that already has that name.
//
// Reading is in deck-lookup, the tree in deck-tree, the steps inside a transaction in deck-writes
// and deck-removal; this module has the undoable operations and re-exports the rest.

import type { Collection } from '../collection/collection';
import { invalid } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { defaultDeckCommon, defaultFilteredDeck, defaultNormalDeck } from '../storage/proto/codecs';
import type { FilteredDeck } from '../storage/proto/messages';
import type { Deck } from './deck';
import { childDecks, getDeck, isFilteredDeck } from './deck-lookup';
import { reparentedDeckName } from './deck-names';
import { removeDecksInTx } from './deck-removal';
import {
  addDeckInTx,
  ensureNameUnique,
  filteredParentError,
  getOrCreateDeckInTx,
  type OnDuplicateName,
  renameChildDecks,
  updateDeckInTx,
} from './deck-writes';
import { newFilteredDeckDefaults } from './filtered-decks';

export {
  deckAndChildIds,
  deckAndChildNames,
  DEFAULT_DECK_NAME,
  type DeckNameId,
  deckNames,
  type DeckNamesOptions,
  getCurrentDeck,
  getCurrentDeckId,
  getDeck,
  getDeckByName,
  getDeckIdByName,
  isFilteredDeck,
  parentDecks,
} from './deck-lookup';
export { removeCardsAndOrphanedNotes, removeDecksInTx } from './deck-removal';
export { deckTree, type DeckTreeNode, type DeckTreeOptions, findDeckInTree } from './deck-tree';
export { addDeckInTx, getOrCreateDeckInTx, type OnDuplicateName, updateDeckInTx } from './deck-writes';

// ---------------------------------------------------------------------------------------------
// Operations

export interface AddDeckOptions {
  /** Default 'error' (see the top of this file). */
  onDuplicate?: OnDuplicateName;
}

/** Adds a normal deck by name ("A::B::C" creates missing "A" and "A::B"). */
export function addDeck(col: Collection, name: string, opts: AddDeckOptions = {}): OpResult<Deck> {
  return col.transact('Add Deck', (tx) => addDeckInTx(tx, { name, common: defaultDeckCommon(), kind: { normal: defaultNormalDeck() } }, opts.onDuplicate));
}

/** The deck with this name, added if missing (Anki's `col.decks.id(name)`, AnkiConnect `createDeck`). */
export function getOrCreateDeck(col: Collection, name: string): OpResult<Deck> {
  return col.transact('Add Deck', (tx) => getOrCreateDeckInTx(tx, name));
}

export interface RenameDeckOptions {
  /** Default 'error'; 'suffix' appends "+" as Anki's backend does. */
  onDuplicate?: 'error' | 'suffix';
}

/** Renames a deck; its subdecks follow. Missing parents of the new name are created. */
export function renameDeck(col: Collection, id: number, newName: string, opts: RenameDeckOptions = {}): OpResult<Deck> {
  return col.transact('Rename Deck', (tx) => {
    const deck = getDeck(tx, id);
    deck.name = newName;
    return updateDeckInTx(tx, deck, opts.onDuplicate ?? 'error');
  });
}

/** Saves changes to a deck (description, limits, filtered-deck settings, name…). */
export function updateDeck(col: Collection, deck: Deck, opts: RenameDeckOptions = {}): OpResult<Deck> {
  return col.transact('Update Deck', (tx) => updateDeckInTx(tx, deck, opts.onDuplicate ?? 'error'));
}

/**
 * Drag and drop: moves decks (with their subdecks) under `newParentId`, or to the top level when
 * null. Returns how many decks moved. Refused: a filtered target, or a target that is the dragged
 * deck's own subdeck. Dropping a deck on itself or on its current parent changes nothing. When
 * the new name is taken, "+" is appended as Anki does (the person did not type the name).
 *
 * Deviation: Anki decides "own subdeck" by a string prefix test, which also makes it silently
 * ignore dropping "a::b" on its sibling "a::bc"; Deckhand checks the actual subdecks.
 */
export function reparentDecks(col: Collection, deckIds: readonly number[], newParentId: number | null): OpResult<number> {
  return col.transact('Move Deck', (tx) => {
    const s = tx.storage;
    let target: Deck | null = null;
    if (newParentId !== null && newParentId !== 0) {
      target = getDeck(tx, newParentId);
      if (isFilteredDeck(target)) throw filteredParentError(target);
    }
    let count = 0;
    for (const id of deckIds) {
      const deck = s.decks.get(id);
      if (!deck) continue;
      if (target) {
        // the target may have been renamed by an earlier move in this operation
        target = getDeck(tx, target.id);
        if (target.id === deck.id) continue;
        const targetId = target.id;
        if (childDecks(s, deck).some((d) => d.id === targetId))
          throw invalid(`“${deck.name}” cannot be moved into its own subdeck “${target.name}”.`);
      }
      const newName = reparentedDeckName(deck.name, target?.name ?? null);
      if (newName === null || newName === deck.name) continue;
      count++;
      const original = structuredClone(deck);
      deck.name = newName;
      ensureNameUnique(s, deck, 'suffix');
      renameChildDecks(tx, original, deck.name);
      tx.putDeck(deck);
    }
    return count;
  });
}

/**
 * Deletes decks with their subdecks, as Anki's `remove_decks_and_child_decks`:
 * - a normal deck's cards are deleted — including cards whose home deck it is that sit in a
 *   filtered deck — and notes left without cards are deleted too (graves for cards, notes, decks);
 * - a filtered deck's cards go back to their home decks;
 * - the deck's `_deck_<id>_…` config keys are removed;
 * - deck 1 is never removed: its cards go and it is renamed back to "Default" (top level, "+"
 *   appended if another deck has that name).
 * Returns the number of cards deleted.
 */
export function removeDecks(col: Collection, deckIds: readonly number[]): OpResult<number> {
  return col.transact('Delete Deck', (tx) => removeDecksInTx(tx, deckIds));
}

export type CollapseScope = 'study' | 'browser';

/** Collapses or expands a deck on the deck list ('study') or in the browser sidebar. */
export function setDeckCollapsed(col: Collection, id: number, collapsed: boolean, scope: CollapseScope = 'study'): OpResult<void> {
  // Anki skips the undo queue for this (Op::SkipUndo): no undo step, and the real ones are kept.
  return col.transact(
    collapsed ? 'Collapse Deck' : 'Expand Deck',
    (tx) => {
      const deck = getDeck(tx, id);
      const key = scope === 'browser' ? 'browserCollapsed' : 'studyCollapsed';
      if (deck.common[key] === collapsed) return;
      deck.common[key] = collapsed;
      tx.putDeck(deck);
    },
    { undoable: 'skip' },
  );
}

// ---------------------------------------------------------------------------------------------
// Current deck
export function setCurrentDeckInTx(tx: Tx, id: number): void {
  getDeck(tx, id);
  if (tx.storage.config.get('curDeck') !== id) tx.setConfig('curDeck', id);
}

/**
 * Selects the current deck (`curDeck`). Throws `not-found` for a missing deck. A mere selection:
 * no undo step (the steps before it stay undoable).
 */
export function setCurrentDeck(col: Collection, id: number): OpResult<void> {
  return col.transact('Select Deck', (tx) => setCurrentDeckInTx(tx, id), { undoable: 'skip' });
}

// ---------------------------------------------------------------------------------------------
// Filtered decks

export interface NewFilteredDeck {
  /** Default: Anki's "Filtered Deck HH:MM". */
  name?: string;
  /** Merged over Anki's defaults (two terms: 100 random, 20 due; reschedule on). */
  config?: Partial<FilteredDeck>;
  /** Default 'error' for a given name, 'suffix' (Anki's behaviour) for the automatic one. */
  onDuplicate?: 'error' | 'suffix';
}

/** Anki's proposal for a new filtered deck (name and searches based on the current deck). */
export function newFilteredDeckProposal(col: Collection): { name: string; config: FilteredDeck } {
  return newFilteredDeckDefaults(col.storage, col.clock.nowMs());
}

/**
 * Adds a filtered deck with Anki's defaults. It starts empty: building it (pulling in cards,
 * making it current) is the scheduler's job, which can call this inside its own transaction.
 */
export function addFilteredDeckInTx(tx: Tx, input: NewFilteredDeck = {}): Deck {
  const proposal = newFilteredDeckDefaults(tx.storage, tx.nowMs);
  const config: FilteredDeck = { ...defaultFilteredDeck(), ...structuredClone(input.config ?? {}) };
  if (!input.config?.searchTerms) config.searchTerms = proposal.config.searchTerms;
  if (config.searchTerms.length === 0) throw invalid('a filtered deck needs at least one search');
  const onDuplicate = input.onDuplicate ?? (input.name === undefined ? 'suffix' : 'error');
  return addDeckInTx(tx, { name: input.name ?? proposal.name, common: defaultDeckCommon(), kind: { filtered: config } }, onDuplicate);
}

export function addFilteredDeck(col: Collection, input: NewFilteredDeck = {}): OpResult<Deck> {
  return col.transact('Build Filtered Deck', (tx) => addFilteredDeckInTx(tx, input));
}
