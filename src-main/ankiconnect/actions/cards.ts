/**
 * Card actions: searches, suspension, ease factors, raw card values, relearning. (Those that
 * schedule or read the review log — answerCards, forgetCards, setDueDate, areDue, getIntervals,
 * cardsInfo — are in sched.ts.)
 */
import { type Card, CardQueue } from '../../cards/card';
import { cardsById, suspendCards, unsuspendCards } from '../../cards/cards-service';
import type { Collection } from '../../collection/collection';
import {
  getEaseFactors as getEaseFactorsService,
  PROTECTED_CARD_KEYS,
  relearnCards as relearnCardsService,
  setCardValues,
  setEaseFactors as setEaseFactorsService,
} from '../../scheduler/sched-service';
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

export const getEaseFactors = defineAnkiAction('getEaseFactors', ({ cards }, ctx) => getEaseFactorsService(collection(ctx), cards));

/** One boolean per card (false: no such card). A list shorter than `cards` fails the whole call. */
export const setEaseFactors = defineAnkiAction('setEaseFactors', ({ cards, easeFactors }, ctx) => setEaseFactorsService(collection(ctx), cards, easeFactors).result);

/** Relearning (type 3) in the learning queue, `left` kept. */
export const relearnCards = defineAnkiAction('relearnCards', ({ cards }, ctx) => {
  relearnCardsService(collection(ctx), cards);
  return null;
});

/**
 * Writes raw card values (by Anki's column names). Answers false when a guard fails (card given
 * as a list, keys/values not lists of the same length, a protected key without `warning_check`),
 * else `[true]`, or `[[false, "<why>"]]` when the card is missing or a value does not fit.
 */
export const setSpecificValueOfCard = defineAnkiAction('setSpecificValueOfCard', ({ card, keys, newValues, warning_check }, ctx) => {
  if (Array.isArray(card)) return false;
  if (!Array.isArray(keys) || !Array.isArray(newValues)) return false;
  if (keys.length !== newValues.length) return false;
  if (!warning_check && keys.some((k) => typeof k === 'string' && PROTECTED_CARD_KEYS.has(k))) return false;
  const col = collection(ctx);
  try {
    if (typeof card !== 'number' || !Number.isSafeInteger(card)) throw new Error(`Card was not found: ${String(card)}`);
    existingCard(col, card);
    const values: Record<string, unknown> = {};
    keys.forEach((k, i) => (values[String(k)] = newValues[i]));
    setCardValues(col, card, values);
    return [true];
  } catch (e) {
    return [[false, (e as Error).message]];
  }
});

export const CARD_ACTIONS = [findCards, cardsModTime, suspended, areSuspended, suspend, unsuspend, getEaseFactors, setEaseFactors, relearnCards, setSpecificValueOfCard];
