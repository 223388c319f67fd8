// Adding and saving decks inside a transaction, as Anki's `add_deck` / `update_deck`: names
// normalised and made unique (see decks-service for the duplicate-name rules), parents matched or
// created, children renamed with their parent.

import { DeckhandError, invalid, notFound } from '../collection/errors';
import type { Tx } from '../collection/tx';
import { deckToRow } from '../storage/deck-store';
import { defaultDeckCommon, defaultNormalDeck } from '../storage/proto/codecs';
import type { Storage } from '../storage/storage';
import type { Deck } from './deck';
import { childDecks, isFilteredDeck } from './deck-lookup';
import {
  ancestorNames,
  DECK_NAME_SEPARATOR,
  deckNameComponents,
  deckNameLevel,
  immediateParentName,
  MAX_MISSING_PARENT_LEVELS,
  normalizeDeckName,
  reparentDeckName,
} from './deck-names';

/** What to do when the wanted name is taken (case-insensitively) by another deck. */
export type OnDuplicateName = 'error' | 'suffix' | 'existing';

function duplicateError(name: string, existing: Deck): DeckhandError {
  const same = existing.name === name ? `“${existing.name}”` : `“${existing.name}” (names are compared without regard to case, so it counts as “${name}”)`;
  return new DeckhandError('duplicate-name', `A deck named ${same} already exists. Choose another name.`);
}

/**
 * Makes `deck.name` free: nothing to do when no other deck has it; otherwise an error or, like
 * Anki, "+" appended until it is free.
 */
export function ensureNameUnique(s: Storage, deck: Deck, onDuplicate: 'error' | 'suffix'): void {
  for (;;) {
    const existing = s.decks.byName(deck.name);
    if (!existing || existing.id === deck.id) return;
    if (onDuplicate === 'error') throw duplicateError(deck.name, existing);
    deck.name += '+';
  }
}

/**
 * The nearest existing ancestor of `name`. Like Anki, gives up ("nesting too deep") after walking
 * up through 11 missing levels.
 */
function firstExistingParent(s: Storage, name: string): Deck | undefined {
  let cur = name;
  for (let level = 0; ; level++) {
    if (level >= MAX_MISSING_PARENT_LEVELS) throw invalid(`“${name}” is nested too deeply: create some of its parent decks first`);
    const parent = immediateParentName(cur);
    if (parent === null) return undefined;
    const found = s.decks.byName(parent);
    if (found) return found;
    cur = parent;
  }
}

export const filteredParentError = (parent: Deck) =>
  new DeckhandError('invalid-input', `“${parent.name}” is a filtered deck, and filtered decks cannot have subdecks.`);

function newNormalDeck(tx: Tx, name: string): Deck {
  return { id: tx.nextId('decks'), name, mtimeSecs: 0, usn: -1, common: defaultDeckCommon(), kind: { normal: defaultNormalDeck() } };
}

function createMissingParents(tx: Tx, name: string): void {
  for (const parent of ancestorNames(name)) {
    if (!tx.storage.decks.byName(parent)) tx.putDeck(newNormalDeck(tx, parent), true);
  }
}

/** Adopts the case of the nearest existing parent and creates the missing levels below it. */
function matchOrCreateParents(tx: Tx, deck: Deck): void {
  const parts = deckNameComponents(deck.name);
  const parent = firstExistingParent(tx.storage, deck.name);
  if (parent) {
    if (isFilteredDeck(parent)) throw filteredParentError(parent);
    const parentLevels = deckNameLevel(parent.name);
    deck.name = [parent.name, ...parts.slice(parentLevels)].join(DECK_NAME_SEPARATOR);
    if (parentLevels !== parts.length - 1) createMissingParents(tx, deck.name);
  } else if (parts.length > 1) {
    createMissingParents(tx, deck.name);
  }
}

export function renameChildDecks(tx: Tx, original: Deck, newName: string): void {
  for (const child of childDecks(tx.storage, original)) {
    child.name = reparentDeckName(child.name, original.name, newName);
    tx.putDeck(child);
  }
}

function sameDeck(a: Deck, b: Deck): boolean {
  const ra = deckToRow(a);
  const rb = deckToRow(b);
  return ra.name === rb.name && Buffer.compare(ra.common, rb.common) === 0 && Buffer.compare(ra.kind, rb.kind) === 0;
}

/**
 * Adds a deck (id assigned here) as Anki's `add_deck` does: name normalised, made unique per
 * `onDuplicate`, case of existing parents adopted, missing parents created. With 'existing' a deck
 * that already has the name is returned unchanged.
 */
export function addDeckInTx(tx: Tx, deck: Omit<Deck, 'id' | 'mtimeSecs' | 'usn'>, onDuplicate: OnDuplicateName = 'error'): Deck {
  const name = normalizeDeckName(deck.name);
  if (onDuplicate === 'existing') {
    const existing = tx.storage.decks.byName(name);
    if (existing) return existing;
  }
  const added: Deck = { ...structuredClone(deck), name, id: 0, mtimeSecs: 0, usn: -1 };
  ensureNameUnique(tx.storage, added, onDuplicate === 'existing' ? 'error' : onDuplicate);
  matchOrCreateParents(tx, added);
  added.id = tx.nextId('decks');
  return tx.putDeck(added, true);
}

/**
 * Saves a changed deck as Anki's `update_deck` does. When the name changed: normalised, made
 * unique, parents matched/created, children renamed with it (so "A" → "A::B" works, and a new
 * "A" is created). No-op when nothing changed.
 */
export function updateDeckInTx(tx: Tx, deck: Deck, onDuplicate: 'error' | 'suffix' = 'error'): Deck {
  const original = tx.storage.decks.get(deck.id);
  if (!original) throw notFound(`deck ${deck.id}`);
  const updated = structuredClone(deck);
  updated.name = normalizeDeckName(updated.name);
  ensureNameUnique(tx.storage, updated, onDuplicate);
  if (sameDeck(updated, original)) return original;
  const nameChanged = updated.name !== original.name;
  if (nameChanged) {
    matchOrCreateParents(tx, updated);
    renameChildDecks(tx, original, updated.name);
  }
  tx.putDeck(updated);
  // renaming a parent to one of its own children leaves the old top level to recreate
  if (nameChanged) createMissingParents(tx, updated.name);
  return updated;
}

/** Anki's `get_or_create_normal_deck`, for other services (import, AnkiConnect). */
export function getOrCreateDeckInTx(tx: Tx, name: string): Deck {
  return addDeckInTx(tx, { name, common: defaultDeckCommon(), kind: { normal: defaultNormalDeck() } }, 'existing');
}
