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

import type { Collection } from '../collection/collection';
import { DeckhandError, invalid, notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { deckToRow } from '../storage/deck-store';
import { defaultDeckCommon, defaultFilteredDeck, defaultNormalDeck } from '../storage/proto/codecs';
import type { FilteredDeck } from '../storage/proto/messages';
import type { Storage } from '../storage/storage';
import { unicaseEquals } from '../storage/unicase';
import { DEFAULT_DECK_ID, type Deck } from './deck';
import {
  ancestorNames,
  DECK_NAME_SEPARATOR,
  deckBaseName,
  deckNameComponents,
  deckNameLevel,
  immediateParentName,
  MAX_MISSING_PARENT_LEVELS,
  normalizeDeckName,
  reparentDeckName,
  reparentedDeckName,
} from './deck-names';
import { newFilteredDeckDefaults, returnAllCardsInFilteredDeckInTx } from './filtered-decks';

/** What to do when the wanted name is taken (case-insensitively) by another deck. */
export type OnDuplicateName = 'error' | 'suffix' | 'existing';

/** Anki's localised name of deck 1 and deck config 1, in English. */
export const DEFAULT_DECK_NAME = 'Default';

export interface DeckNameId {
  id: number;
  name: string;
}

export interface DeckTreeNode {
  /** 0 for the root. */
  deckId: number;
  /** The last level of the name ("" for the root). */
  name: string;
  /** The full human name ("" for the root). */
  fullName: string;
  /** 0 for the root, 1 for top-level decks. */
  level: number;
  /** Collapsed on the deck list / study screen (`study_collapsed`). */
  collapsed: boolean;
  /** Collapsed in the browser sidebar (`browser_collapsed`). */
  browserCollapsed: boolean;
  filtered: boolean;
  children: DeckTreeNode[];
}

type Reader = Collection | Tx;

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
function childDecks(s: Storage, parent: Deck): Deck[] {
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

export interface DeckTreeOptions {
  /** Hide deck 1 when it is empty, childless and not the only deck (Anki does). Default true. */
  hideEmptyDefault?: boolean;
}

/**
 * The deck hierarchy (Anki's `deck_tree` without counts; the scheduler adds counts). Decks whose
 * parent is missing are left out, as Anki does until "Check Database" recreates the parent.
 */
export function deckTree(col: Reader, opts: DeckTreeOptions = {}): DeckTreeNode {
  const s = col.storage;
  const decks = s.decks.all();
  const root: DeckTreeNode = { deckId: 0, name: '', fullName: '', level: 0, collapsed: false, browserCollapsed: false, filtered: false, children: [] };
  let i = 0;
  /** Whether `node` is `name`'s ancestor (unicase, as the names are unique under it). */
  const under = (name: string, node: DeckTreeNode) =>
    node.level === 0 || unicaseEquals(deckNameComponents(name).slice(0, node.level).join(DECK_NAME_SEPARATOR), node.fullName);
  const addChildren = (parent: DeckTreeNode): void => {
    while (i < decks.length) {
      const deck = decks[i];
      // protobuf refuses 100+ levels of nesting; Anki caps the level at 99
      const level = Math.min(deckNameLevel(deck.name), 99);
      if (level <= parent.level || !under(deck.name, parent)) return;
      if (level === parent.level + 1) {
        parent.children.push({
          deckId: deck.id,
          name: deckBaseName(deck.name),
          fullName: deck.name,
          level,
          collapsed: deck.common.studyCollapsed,
          browserCollapsed: deck.common.browserCollapsed,
          filtered: isFilteredDeck(deck),
          children: [],
        });
        i++;
      } else {
        // Deeper: belongs under the last child, or its parent is missing and it is skipped.
        // (Deviation: Anki descends into the last child without comparing names, which can show
        // a deck whose parent is missing under an unrelated sibling.)
        const last = parent.children.at(-1);
        if (last && under(deck.name, last)) addChildren(last);
        else i++;
      }
    }
  };
  addChildren(root);
  if ((opts.hideEmptyDefault ?? true) && s.decks.hasNoCards(DEFAULT_DECK_ID)) {
    const idx = root.children.findIndex((c) => c.deckId === DEFAULT_DECK_ID && c.children.length === 0);
    if (idx >= 0 && root.children.length > 1) root.children.splice(idx, 1);
  }
  return root;
}

/** Finds a deck's node in a tree. */
export function findDeckInTree(node: DeckTreeNode, deckId: number): DeckTreeNode | undefined {
  if (node.deckId === deckId) return node;
  for (const c of node.children) {
    const hit = findDeckInTree(c, deckId);
    if (hit) return hit;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Shared steps (inside a transaction)

function duplicateError(name: string, existing: Deck): DeckhandError {
  const same = existing.name === name ? `“${existing.name}”` : `“${existing.name}” (names are compared without regard to case, so it counts as “${name}”)`;
  return new DeckhandError('duplicate-name', `A deck named ${same} already exists. Choose another name.`);
}

/**
 * Makes `deck.name` free: nothing to do when no other deck has it; otherwise an error or, like
 * Anki, "+" appended until it is free.
 */
function ensureNameUnique(s: Storage, deck: Deck, onDuplicate: 'error' | 'suffix'): void {
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

const filteredParentError = (parent: Deck) =>
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

function renameChildDecks(tx: Tx, original: Deck, newName: string): void {
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

/** The raw `curDeck` setting (1 when missing or invalid); may name a deck that no longer exists. */
export function getCurrentDeckId(col: Reader): number {
  const v = col.storage.config.get<unknown>('curDeck');
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : DEFAULT_DECK_ID;
}

/** The current deck, falling back to deck 1 when the selected one is gone (as Anki does). */
export function getCurrentDeck(col: Reader): Deck {
  return col.storage.decks.get(getCurrentDeckId(col)) ?? getDeck(col, DEFAULT_DECK_ID);
}

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
