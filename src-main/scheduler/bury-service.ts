// Burying (Anki's scheduler/bury_and_suspend.rs): siblings buried after an answer, buried cards
// returned at the day rollover, and "Unbury" on a deck.

import { type Card, CardQueue } from '../cards/card';
import { queueFromType } from '../cards/cards-service';
import type { Collection } from '../collection/collection';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { getConfig } from '../config/config-service';
import { deckAndChildIds } from '../decks/decks-service';
import type { DeckConfigConfig } from '../storage/proto/messages';
import { SchedStore } from '../storage/sched-store';
import { normalizeCardDataForWrite } from './card-write';
import { timingToday } from './collection-timing';
import type { SchedTimingToday } from './timing';

/** The order Anki gathers queues in; burying never reaches back to queues gathered earlier. */
function gatherOrder(queue: CardQueue): number {
  switch (queue) {
    case CardQueue.Learn:
    case CardQueue.Preview:
      return 0;
    case CardQueue.DayLearn:
      return 1;
    case CardQueue.Review:
      return 2;
    case CardQueue.New:
      return 3;
    default:
      return 255;
  }
}

/**
 * After answering `answered` (as it was before the answer), buries its siblings per the home
 * preset: new siblings if bury_new; review siblings if bury_reviews and the card came from
 * learning/interday learning/review; interday learning siblings if bury_interday_learning and the
 * card came from (interday) learning. Returns the ids buried.
 */
export function burySiblingsInTx(tx: Tx, answered: Card, config: DeckConfigConfig): number[] {
  const order = gatherOrder(answered.queue);
  const mode = {
    new: config.buryNew,
    review: config.buryReviews && order <= gatherOrder(CardQueue.Review),
    dayLearn: config.buryInterdayLearning && order <= gatherOrder(CardQueue.DayLearn),
  };
  if (!config.buryNew && !config.buryReviews && !config.buryInterdayLearning) return [];
  const buried: number[] = [];
  for (const sib of SchedStore.of(tx.storage.db).siblingsForBury(answered.id, answered.noteId, mode)) {
    if (sib.queue === CardQueue.SchedBuried || sib.queue === CardQueue.Suspended) continue;
    sib.queue = CardQueue.SchedBuried;
    normalizeCardDataForWrite(sib);
    tx.putCard(sib);
    buried.push(sib.id);
  }
  return buried;
}

/**
 * Unburies every buried card when the day has rolled over since the last time (`lastUnburied`),
 * or when that day lies more than a week ahead (a clock that went back). Like Anki this does not
 * mark the cards modified; it records the day and, as a day change does, clears the undo history.
 * Returns true if it ran.
 */
export function unburyIfDayRolledOver(col: Collection, timing: SchedTimingToday = timingToday(col)): boolean {
  const last = getConfig(col, 'lastUnburied');
  const today = timing.daysElapsed;
  if (!(last < today || today + 7 < last)) return false;
  col.transact(
    'Unbury',
    (tx) => {
      for (const card of SchedStore.of(tx.storage.db).buriedCards()) {
        card.queue = queueFromType(card);
        tx.putCard(card);
      }
      tx.setConfig('lastUnburied', today);
    },
    { keepStamps: true, undoable: false },
  );
  return true;
}

export type UnburyMode = 'all' | 'user' | 'sched';

/** "Unbury" on a deck and its subdecks: buried cards back to their queues (marked modified). */
export function unburyDeck(col: Collection, deckId: number, mode: UnburyMode = 'all'): OpResult<number> {
  const queues = mode === 'all' ? [CardQueue.SchedBuried, CardQueue.UserBuried] : mode === 'user' ? [CardQueue.UserBuried] : [CardQueue.SchedBuried];
  return col.transact('Unbury', (tx) => {
    let n = 0;
    for (const card of SchedStore.of(tx.storage.db).buriedCardsInDecks(deckAndChildIds(tx, deckId), queues)) {
      card.queue = queueFromType(card);
      normalizeCardDataForWrite(card);
      tx.putCard(card);
      n++;
    }
    return n;
  });
}
