import { ChaCha12Rng } from '../scheduler/rng';
import { DeckhandError } from '../collection/errors';
import type { Tx } from '../collection/tx';
import { DEFAULT_DECK_ID } from '../decks/deck';
import { DEFAULT_DECK_CONFIG_ID } from '../decks/deck-config';
import type { Note } from '../notes/note';
import { isCloze, type Notetype } from '../notetypes/notetype';
import { cardOrdinalsToGenerate } from '../template/cardgen';
import { type Card, CardQueue, CardType } from './card';

// The one implementation of "which new cards does a note get, where and at which position"
// (Anki's cardgen.rs), used when notes are added or edited and when a notetype's templates change.

/** Anki's `random_position`: a seeded position in 1..max(next, 1000). */
export function randomPosition(highest: number): number {
  return ChaCha12Rng.seedFromU64(BigInt(highest)).randomRangeU32(1, Math.max(highest, 1000));
}

/** A normal deck to add to (the wanted one if it exists and is not filtered, else Default), and its insert order. */
function deckForAdding(tx: Tx, wanted: number | undefined): { deckId: number; randomOrder: boolean } {
  return tx.memoize(`new-cards:deck:${wanted ?? 0}`, () => findDeckForAdding(tx, wanted));
}

function findDeckForAdding(tx: Tx, wanted: number | undefined): { deckId: number; randomOrder: boolean } {
  for (const did of [wanted, DEFAULT_DECK_ID]) {
    if (!did) continue;
    const deck = tx.storage.decks.get(did);
    if (deck?.kind.normal) {
      const conf = tx.storage.deckConfigs.get(Number(deck.kind.normal.configId)) ?? tx.storage.deckConfigs.get(DEFAULT_DECK_CONFIG_ID);
      return { deckId: did, randomOrder: conf?.config.newCardInsertOrder === 1 };
    }
  }
  throw new DeckhandError('corrupt', 'the Default deck (id 1) is missing or filtered');
}

/** Anki's `get_and_update_next_card_position`: `nextPos` (0 if unset), then store it + 1. */
function takeNextPosition(tx: Tx): number {
  // Kept in the operation and written once at commit: adding 10,000 notes writes nextPos once.
  const counter = tx.memoize('new-cards:nextPos', () => {
    const stored = tx.storage.config.get<number>('nextPos');
    return { next: typeof stored === 'number' && stored >= 0 ? Math.floor(stored) : 0 };
  });
  const pos = counter.next++;
  tx.beforeCommit('new-cards:nextPos', () => tx.setConfig('nextPos', counter.next));
  return pos;
}

export interface GenerateOptions {
  /** The deck chosen for a new note (existing notes use the one home deck all their cards share). */
  deckId?: number;
  /** A note being added gets its first template's card even when none would render. */
  isNewNote?: boolean;
}

/**
 * Creates the cards a note's content calls for and it lacks: in the template's deck, else the
 * chosen/shared deck, else Default; at the position of an existing new card of the note, else the
 * next new position (seeded random when the deck's options insert in random order).
 */
export function generateCardsForNote(tx: Tx, note: Note, nt: Notetype, existing: Card[], opts: GenerateOptions = {}): number[] {
  const ords = cardOrdinalsToGenerate(nt, note.fields, { tags: note.tags, existingOrds: existing.map((c) => c.ord), ensureNotEmpty: opts.isNewNote ?? false });
  if (!ords.length) return [];
  const homeDecks = new Set(existing.map((c) => c.originalDeckId || c.deckId));
  const chosenDeck = opts.deckId ?? (homeDecks.size === 1 ? [...homeDecks][0] : undefined);
  const newOne = existing.find((c) => c.ctype === CardType.New);
  const existingPos = newOne ? Math.max(0, newOne.originalDue !== 0 ? newOne.originalDue : newOne.due) : undefined;
  let notePosition: number | undefined;
  const created: number[] = [];
  for (const ord of ords) {
    const override = isCloze(nt) ? 0 : Number(nt.templates[ord]?.config.targetDeckId ?? 0n);
    const { deckId, randomOrder } = deckForAdding(tx, override > 0 ? override : chosenDeck);
    let due = existingPos;
    if (due === undefined) {
      if (notePosition === undefined) notePosition = takeNextPosition(tx);
      due = randomOrder ? randomPosition(notePosition) : notePosition;
    }
    const card: Card = {
      id: tx.nextId('cards'),
      noteId: note.id,
      deckId,
      ord,
      mtimeSecs: 0,
      usn: -1,
      ctype: CardType.New,
      queue: CardQueue.New,
      due,
      interval: 0,
      easeFactor: 0,
      reps: 0,
      lapses: 0,
      remainingSteps: 0,
      originalDue: 0,
      originalDeckId: 0,
      flags: 0,
      data: '{}',
    };
    tx.putCard(card, true);
    created.push(card.id);
  }
  return created;
}
