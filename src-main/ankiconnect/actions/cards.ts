/**
 * Card actions that need no scheduler: suspension, ease factors, raw card values, relearning,
 * card searches. (answerCards, forgetCards, setDueDate, areDue, getIntervals and cardsInfo live
 * in sched.ts.)
 */
import { type Card, CardQueue, CardType } from '../../cards/card';
import { cardsById, suspendCards, unsuspendCards, updateCardsInTx } from '../../cards/cards-service';
import type { Collection } from '../../collection/collection';
import { describeValue } from './messages';
import { defineAnkiAction } from './define';
import { searchCards } from './search';
import { collection } from './session';

/** The card, or AnkiConnect's `Card was not found: <id>`. */
export function existingCard(col: Collection, id: number): Card {
  const card = cardsById(col, [id]).get(id);
  if (!card) throw new Error(`Card was not found: ${id}`);
  return card;
}

export const findCards = defineAnkiAction('findCards', ({ query }, ctx) => {
  const col = collection(ctx);
  return query === null ? [] : searchCards(col, query);
});

export const cardsModTime = defineAnkiAction('cardsModTime', ({ cards }, ctx) => {
  const byId = cardsById(collection(ctx), cards);
  return cards.map((id) => {
    const c = byId.get(id);
    return c ? { cardId: c.id, mod: c.mtimeSecs } : {};
  });
});

export const suspended = defineAnkiAction('suspended', ({ card }, ctx) => existingCard(collection(ctx), card).queue === CardQueue.Suspended);

export const areSuspended = defineAnkiAction('areSuspended', ({ cards }, ctx) => {
  const byId = cardsById(collection(ctx), cards);
  return cards.map((id) => {
    const c = byId.get(id);
    return c ? c.queue === CardQueue.Suspended : null;
  });
});

/**
 * Suspends (or with `suspend: false` unsuspends) cards; every id must exist. false when every
 * card already was in that state.
 */
export const suspend = defineAnkiAction('suspend', ({ cards, suspend: on }, ctx) => {
  const col = collection(ctx);
  const todo = cards.filter((id) => (existingCard(col, id).queue === CardQueue.Suspended) !== on);
  if (!todo.length) return false;
  if (on) suspendCards(col, todo);
  else unsuspendCards(col, todo);
  return true;
});

/** As upstream, answers null (the README's `true` is not what AnkiConnect returns). */
export const unsuspend = defineAnkiAction('unsuspend', ({ cards }, ctx) => {
  const col = collection(ctx);
  const todo = cards.filter((id) => existingCard(col, id).queue === CardQueue.Suspended);
  if (todo.length) unsuspendCards(col, todo);
  return null;
});

export const getEaseFactors = defineAnkiAction('getEaseFactors', ({ cards }, ctx) => {
  const byId = cardsById(collection(ctx), cards);
  return cards.map((id) => byId.get(id)?.easeFactor ?? null);
});

/** One boolean per card (false: no such card). A list shorter than `cards` fails the whole call. */
export const setEaseFactors = defineAnkiAction('setEaseFactors', ({ cards, easeFactors }, ctx) => {
  const col = collection(ctx);
  return col.transact('Set Ease', (tx) => {
    const byId = cardsById(tx, cards);
    return cards.map((id, i) => {
      if (!byId.has(id)) return false;
      if (i >= easeFactors.length) throw new Error('list index out of range');
      const factor = easeFactors[i];
      updateCardsInTx(tx, [id], (c) => ((c.easeFactor = factor), true));
      return true;
    });
  }).result;
});

/** Sets type = relearning, queue = learning and nothing else, as upstream (unknown ids ignored). */
export const relearnCards = defineAnkiAction('relearnCards', ({ cards }, ctx) => {
  collection(ctx).transact('Relearn Cards', (tx) =>
    updateCardsInTx(tx, cards, (c) => {
      c.ctype = CardType.Relearn;
      c.queue = CardQueue.Learn;
      return true;
    }),
  );
  return null;
});

/** Anki's Card attribute names → ours. */
const CARD_KEYS: Record<string, keyof Card> = {
  id: 'id',
  nid: 'noteId',
  did: 'deckId',
  ord: 'ord',
  mod: 'mtimeSecs',
  usn: 'usn',
  type: 'ctype',
  queue: 'queue',
  due: 'due',
  ivl: 'interval',
  factor: 'easeFactor',
  reps: 'reps',
  lapses: 'lapses',
  left: 'remainingSteps',
  odue: 'originalDue',
  odid: 'originalDeckId',
  flags: 'flags',
  data: 'data',
};

/** Keys AnkiConnect only writes with `warning_check: true`. */
const GUARDED = new Set(['did', 'id', 'ivl', 'lapses', 'left', 'mod', 'nid', 'odid', 'odue', 'ord', 'queue', 'reps', 'type', 'usn']);

/** Python's `int` accepts booleans too. */
const asInt = (v: unknown): number | null => (typeof v === 'boolean' ? Number(v) : typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

/**
 * Writes raw card values. Answers false when a guard fails (card given as a list, keys/values not
 * lists of the same length, a guarded key without `warning_check`), else `[true]`, or
 * `[[false, "<why>"]]` when the card is missing or a value does not fit. Names Anki's Card does
 * not have are ignored, as Python's setattr on it would.
 */
export const setSpecificValueOfCard = defineAnkiAction('setSpecificValueOfCard', ({ card, keys, newValues, warning_check }, ctx) => {
  if (Array.isArray(card)) return false;
  if (!Array.isArray(keys) || !Array.isArray(newValues)) return false;
  if (keys.length !== newValues.length) return false;
  if (!warning_check && keys.some((k) => typeof k === 'string' && GUARDED.has(k))) return false;
  const col = collection(ctx);
  try {
    if (typeof card !== 'number' || !Number.isSafeInteger(card)) throw new Error(`Card was not found: ${String(card)}`);
    const current = existingCard(col, card);
    const changes: [keyof Card, number | string][] = [];
    keys.forEach((k, i) => {
      const field = typeof k === 'string' ? CARD_KEYS[k] : undefined;
      if (!field) return;
      const v = newValues[i];
      if (field === 'data') {
        if (typeof v !== 'string') throw new Error(`data must be a string, not ${describeValue(v)}`);
        changes.push([field, v]);
        return;
      }
      const n = asInt(v);
      if (n === null) throw new Error(`${String(k)} must be an integer, not ${describeValue(v)}`);
      if ((field === 'id' || field === 'noteId') && n !== current[field]) throw new Error(`the ${String(k)} of a card cannot be changed`);
      changes.push([field, n]);
    });
    col.transact('Set Card Values', (tx) =>
      updateCardsInTx(tx, [card], (c) => {
        for (const [f, v] of changes) (c as unknown as Record<string, number | string>)[f] = v;
        return true;
      }),
    );
    return [true];
  } catch (e) {
    return [[false, (e as Error).message]];
  }
});

export const CARD_ACTIONS = [findCards, cardsModTime, suspended, areSuspended, suspend, unsuspend, getEaseFactors, setEaseFactors, relearnCards, setSpecificValueOfCard];
