// Review-log reads and writes AnkiConnect offers (answerCards, getIntervals, areDue, cardReviews,
// getReviewsOfCards, getLatestReviewID, insertReviews, getNumCardsReviewedToday), restated from
// AnkiConnect's behaviour (see shared/spec/ankiconnect-actions.json).

import { CardType } from '../cards/card';
import type { Collection } from '../collection/collection';
import { DeckhandError, invalid } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import { findCards } from '../search/search-service';
import type { RevlogRow } from '../storage/misc-stores';
import { SchedStore } from '../storage/sched-store';
import { Rating } from './answer';
import { answerCardInTx } from './answering-service';
import { ANSWER_CARD_OP, clearStudyQueues, currentQueues } from './queue/queue-service';
import { timingAt } from './collection-timing';
import { searchContextFor } from './filtered-service';

/** AnkiConnect's error for reading the last review of a card that has none. */
const indexError = () => new DeckhandError('invalid-input', 'list index out of range');

/**
 * Answers cards in order (time taken 0), as AnkiConnect answerCards: true where answered, false
 * for unknown card ids. One operation (one undo step), so a failure leaves no card answered; the
 * study queues are rebuilt afterwards.
 */
export function answerCards(col: Collection, answers: readonly { cardId: number; ease: number }[]): boolean[] {
  for (const a of answers) {
    if (![1, 2, 3, 4].includes(a.ease)) throw invalid(`invalid ease ${String(a.ease)}: use 1–4`);
  }
  const loadBalancer = currentQueues(col)?.loadBalancer ?? null;
  const out = col.transact(ANSWER_CARD_OP, (tx) =>
    answers.map((a) => {
      if (!tx.storage.cards.getRow(a.cardId)) return false;
      answerCardInTx(tx, a.cardId, a.ease as Rating, 0, { loadBalancer });
      return true;
    }),
  );
  if (out.result.some(Boolean)) clearStudyQueues(col);
  return out.result;
}

/**
 * Per card: 0 for a new card, else the interval of its latest review-log row (negative = seconds),
 * or with `complete` every logged interval in order. A non-new card without rows (or an unknown
 * id) fails as AnkiConnect does, unless `complete` (then []).
 */
export function getIntervals(col: Collection, cardIds: readonly number[], complete = false): (number | number[])[] {
  const store = SchedStore.of(col.storage.db);
  return cardIds.map((id) => {
    const card = col.storage.cards.get(id);
    if (card?.ctype === CardType.New) return 0;
    const ivls = store.revlogOfCard(id).map((r) => r.ivl);
    if (complete) return ivls;
    if (!ivls.length) throw indexError();
    return ivls[ivls.length - 1];
  });
}

/**
 * AnkiConnect areDue: new cards are due; otherwise, from the card's latest review-log row, a
 * learning step longer than 20 minutes is due when its time has come, anything else when the card
 * matches `is:due`.
 */
export function areDue(col: Collection, cardIds: readonly number[]): boolean[] {
  const store = SchedStore.of(col.storage.db);
  const nowMs = col.clock.nowMs();
  const timing = timingAt(col, nowMs);
  const known = cardIds.filter((id) => Number.isSafeInteger(id) && id >= 0);
  const due = new Set(known.length ? findCards(col.db, `cid:${known.join(',')} is:due`, searchContextFor(col, timing)) : []);
  return cardIds.map((id) => {
    const card = col.storage.cards.get(id);
    if (card?.ctype === CardType.New) return true;
    const log = store.revlogOfCard(id);
    const last = log[log.length - 1];
    if (!last) throw indexError();
    if (last.ivl >= -1200) return due.has(id);
    return last.id / 1000 - last.ivl <= nowMs / 1000;
  });
}

const asTuple = (r: RevlogRow): number[] => [r.id, r.cid, r.usn, r.ease, r.ivl, r.lastIvl, r.factor, r.time, r.type];

/** Review-log rows newer than `startId` of cards whose current deck is `deckId`, as 9-tuples. */
export function cardReviews(col: Collection, deckId: number, startId: number): number[][] {
  return SchedStore.of(col.storage.db).revlogOfDeckSince(deckId, startId).map(asTuple);
}

export type ReviewOfCard = Omit<RevlogRow, 'cid'>;

/** Each card's review-log rows, keyed by card id (cards without reviews map to []). */
export function getReviewsOfCards(col: Collection, cardIds: readonly number[]): Record<string, ReviewOfCard[]> {
  const out: Record<string, ReviewOfCard[]> = {};
  for (const id of cardIds) out[String(id)] = [];
  for (const r of SchedStore.of(col.storage.db).revlogOfCards(cardIds)) {
    out[String(r.cid)]?.push({ id: r.id, usn: r.usn, ease: r.ease, ivl: r.ivl, lastIvl: r.lastIvl, factor: r.factor, time: r.time, type: r.type });
  }
  return out;
}

/** The newest review-log id of cards whose current deck is `deckId`, or 0. */
export function getLatestReviewId(col: Collection, deckId: number): number {
  return SchedStore.of(col.storage.db).latestRevlogIdOfDeck(deckId);
}

/**
 * Inserts review-log rows verbatim ([id, cid, usn, ease, ivl, lastIvl, factor, time, type]) in
 * one operation; an id already present fails the whole batch, as SQLite's UNIQUE constraint does.
 */
export function insertReviews(col: Collection, rows: readonly (readonly number[])[]): OpResult<number> {
  const parsed: RevlogRow[] = rows.map((row) => {
    if (!Array.isArray(row) || row.length !== 9 || !row.every((v) => typeof v === 'number' && Number.isSafeInteger(v)))
      throw invalid('each review must be 9 whole numbers: [id, cid, usn, ease, ivl, lastIvl, factor, time, type]');
    const [id, cid, usn, ease, ivl, lastIvl, factor, time, type] = row;
    return { id, cid, usn, ease, ivl, lastIvl, factor, time, type };
  });
  return col.transact('Insert Reviews', (tx) => {
    const store = SchedStore.of(tx.storage.db);
    for (const r of parsed) {
      if (store.revlogExists(r.id)) throw new DeckhandError('invalid-input', 'UNIQUE constraint failed: revlog.id');
      tx.addRevlog(r);
    }
    return parsed.length;
  });
}

/** Review-log rows since the start of the current scheduling day. */
export function numCardsReviewedToday(col: Collection): number {
  const timing = timingAt(col, col.clock.nowMs());
  return SchedStore.of(col.storage.db).revlogCountSince((timing.nextDayAt - 86_400) * 1000);
}

/**
 * Review-log rows per day, newest first (AnkiConnect getNumCardsReviewedByDay): local dates, a
 * day starting at the collection's rollover hour.
 */
export function numCardsReviewedByDay(col: Collection): [string, number][] {
  const timing = timingAt(col, col.clock.nowMs());
  const rolloverHour = new Date(timing.nextDayAt * 1000).getHours();
  return SchedStore.of(col.storage.db).revlogCountsByDay(rolloverHour * 3600);
}
