import type { Collection } from '../collection/collection';
import { DeckhandError, notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { type Card, CardQueue, CardType } from './card';

export function getCard(col: Collection, id: number): Card {
  const c = col.storage.cards.get(id);
  if (!c) throw notFound(`card ${id}`);
  return c;
}

/** Applies `change` to each existing card and writes those it reports as changed. */
export function updateCardsInTx(tx: Tx, cardIds: readonly number[], change: (c: Card) => boolean): number {
  let n = 0;
  for (const card of tx.storage.cards.getMany([...new Set(cardIds)])) {
    if (change(card)) {
      tx.putCard(card);
      n++;
    }
  }
  return n;
}

/** The queue a card returns to when it is unsuspended/unburied (Anki's `restore_queue_from_type`). */
export function queueFromType(c: Card): CardQueue {
  switch (c.ctype) {
    case CardType.New:
      return CardQueue.New;
    case CardType.Review:
      return CardQueue.Review;
    default:
      return c.due > 1_000_000_000 ? CardQueue.Learn : CardQueue.DayLearn;
  }
}

export function setDeck(col: Collection, cardIds: readonly number[], deckId: number): OpResult<number> {
  return col.transact('Change Deck', (tx) => setDeckInTx(tx, cardIds, deckId));
}

export function setDeckInTx(tx: Tx, cardIds: readonly number[], deckId: number): number {
  const deck = tx.storage.decks.get(deckId);
  if (!deck) throw notFound(`deck ${deckId}`);
  if (deck.kind.filtered) throw new DeckhandError('invalid-input', 'cards cannot be moved into a filtered deck');
  return updateCardsInTx(tx, cardIds, (c) => {
    if (c.deckId === deckId && !c.originalDeckId) return false;
    if (c.originalDeckId) {
      // moving a card out of a filtered deck returns it home first, as Anki does
      c.originalDeckId = 0;
      if (c.originalDue) c.due = c.originalDue;
      c.originalDue = 0;
    }
    c.deckId = deckId;
    return true;
  });
}

/** The cards with these ids that exist, by id (missing ids are absent). */
export function cardsById(col: Collection | Tx, cardIds: readonly number[]): Map<number, Card> {
  const out = new Map<number, Card>();
  for (const c of col.storage.cards.getMany([...new Set(cardIds)])) out.set(c.id, c);
  return out;
}

/** Card ids of each note, in template (ord) order; notes without cards are absent. */
export function cardIdsByNote(col: Collection | Tx, noteIds: readonly number[]): Map<number, number[]> {
  const cards = col.storage.cards.ofNotes([...new Set(noteIds)]);
  cards.sort((a, b) => a.ord - b.ord || a.id - b.id);
  const out = new Map<number, number[]>();
  for (const c of cards) {
    const list = out.get(c.noteId);
    if (list) list.push(c.id);
    else out.set(c.noteId, [c.id]);
  }
  return out;
}

/** Distinct note ids of the given cards (unknown card ids are skipped). */
export function noteIdsOfCards(col: Collection | Tx, cardIds: readonly number[]): number[] {
  return [...new Set([...cardsById(col, cardIds).values()].map((c) => c.noteId))];
}

export function suspendCards(col: Collection, cardIds: readonly number[]): OpResult<number> {
  return col.transact('Suspend Card', (tx) => updateCardsInTx(tx, cardIds, (c) => (c.queue === CardQueue.Suspended ? false : ((c.queue = CardQueue.Suspended), true))));
}

export function unsuspendCards(col: Collection, cardIds: readonly number[]): OpResult<number> {
  return col.transact('Unsuspend Card', (tx) => updateCardsInTx(tx, cardIds, (c) => (c.queue !== CardQueue.Suspended ? false : ((c.queue = queueFromType(c)), true))));
}

export function buryCards(col: Collection, cardIds: readonly number[], manual = true): OpResult<number> {
  const q = manual ? CardQueue.UserBuried : CardQueue.SchedBuried;
  return col.transact('Bury', (tx) => updateCardsInTx(tx, cardIds, (c) => (c.queue < 0 ? false : ((c.queue = q), true))));
}

export function unburyCards(col: Collection, cardIds: readonly number[]): OpResult<number> {
  return col.transact('Unbury', (tx) =>
    updateCardsInTx(tx, cardIds, (c) => (c.queue !== CardQueue.UserBuried && c.queue !== CardQueue.SchedBuried ? false : ((c.queue = queueFromType(c)), true))),
  );
}

/** Sets the user flag (0–7) in the low 3 bits, keeping the other bits as Anki does. */
export function setFlag(col: Collection, cardIds: readonly number[], flag: number): OpResult<number> {
  if (!Number.isInteger(flag) || flag < 0 || flag > 7) throw new DeckhandError('invalid-input', `invalid flag ${flag}: use 0 (none) to 7`);
  return col.transact('Set Flag', (tx) => updateCardsInTx(tx, cardIds, (c) => ((c.flags & 7) === flag ? false : ((c.flags = (c.flags & ~7) | flag), true))));
}
