// Answering a card in the collection (Anki's Collection::answer_card): the pure layer computes the
// new card and revlog row; this persists them in ONE transaction with the deck's "studied today"
// counters, sibling burying and the leech tag, then updates the in-memory queue.

import { type Card, CardQueue } from '../cards/card';
import type { Collection } from '../collection/collection';
import { notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { getNotetypeOrThrow } from '../notes/notes-service';
import { noteDerivedColumns } from '../notes/derived';
import type { RevlogRow } from '../storage/misc-stores';
import { SchedStore } from '../storage/sched-store';
import { unicaseFold } from '../storage/unicase';
import { canonifyAndRegister } from '../tags/tags-service';
import { ancestorNames } from '../decks/deck-names';
import { answerCard as computeAnswer, describeNextStates, getSchedulingStates, Rating } from './answer';
import { burySiblingsInTx } from './bury-service';
import { recordLocalOffsetInTx, schedSettings, timingAt, type Reader } from './collection-timing';
import type { LoadBalancer } from './load-balancer';
import type { FuzzOption } from './prepare';
import { addStudiedToday } from './queue/limits';
import { ANSWER_CARD_OP, clearStudyQueues, currentQueues, recordAnswerUpdate, type QueueUpdate } from './queue/queue-service';
import { SchedLookup, scheduleInputFor } from './schedule-input';
import type { CardState, SchedulingStates } from './states/types';
import type { SchedTimingToday } from './timing';

export { Rating } from './answer';

export interface AnswerCardOptions {
  /** Fuzz control (tests); default Anki's seeded fuzz. */
  fuzz?: FuzzOption;
  /** Replacement custom data (`cd`) from custom scheduling. */
  customData?: string;
  /**
   * The card was taken from the study queue (default true): the queue is updated in place.
   * Otherwise (grade now, AnkiConnect) the queue is rebuilt on the next request.
   */
  fromQueue?: boolean;
}

export interface AnsweredCard {
  /** The card as written. */
  card: Card;
  /** The revlog row as written (its id bumped past the largest id if the answer time was taken). */
  revlog: RevlogRow;
  newState: CardState;
  /** The note got the `leech` tag. */
  leeched: boolean;
  /** Siblings buried by this answer. */
  buriedSiblings: number[];
  /** Preset of the card's home deck. */
  presetId: number;
}

/** Adds to the studied-today counters of a deck and all its parents (Anki's update_deck_stats). */
export function updateDeckStatsInTx(tx: Tx, deckId: number, today: number, delta: { new: number; review: number; ms: number }): void {
  const deck = tx.storage.decks.get(deckId);
  if (!deck) return;
  const decks = [deck];
  for (const name of ancestorNames(deck.name)) {
    const parent = tx.storage.decks.byName(name);
    if (!parent) break;
    decks.push(parent);
  }
  for (const d of decks) {
    addStudiedToday(d, today, delta);
    tx.putDeck(d);
  }
}

/** Gives a note the `leech` tag (registered, canonical order), unless it already has it. */
export function addLeechTagInTx(tx: Tx, noteId: number): boolean {
  const note = tx.storage.notes.get(noteId);
  if (!note) return false;
  if (note.tags.some((t) => unicaseFold(t) === 'leech')) return false;
  note.tags = canonifyAndRegister(tx, [...note.tags, 'leech']);
  tx.putNote(note, noteDerivedColumns(note, getNotetypeOrThrow(tx, note.notetypeId)));
  return true;
}

export interface AnswerInTxOptions extends AnswerCardOptions {
  loadBalancer?: LoadBalancer | null;
}

/** The answer's writes inside an existing transaction. */
export function answerCardInTx(tx: Tx, cardId: number, rating: Rating, millisecondsTaken: number, opts: AnswerInTxOptions = {}): AnsweredCard {
  const original = tx.storage.cards.get(cardId);
  if (!original) throw notFound(`card ${cardId}`);
  const timing = timingAt(tx, tx.nowMs);
  recordLocalOffsetInTx(tx);
  const settings = schedSettings(tx);
  const lookup = new SchedLookup(tx);
  const { input, home } = scheduleInputFor(tx, original, { timing, nowMs: tx.nowMs, settings, lookup, loadBalancer: opts.loadBalancer, fuzz: opts.fuzz });
  const r = computeAnswer(input, { rating, millisecondsTaken, customData: opts.customData, usn: -1 });

  const revlog: RevlogRow = { ...r.revlog, id: SchedStore.of(tx.storage.db).uniqueRevlogId(r.revlog.id) };
  tx.addRevlog(revlog);
  updateDeckStatsInTx(tx, r.deckStats.deckId, timing.daysElapsed, { new: r.deckStats.newDelta, review: r.deckStats.reviewDelta, ms: r.deckStats.millisecondsDelta });
  const buriedSiblings = burySiblingsInTx(tx, original, home.config);
  tx.putCard(r.card);
  if (r.leeched) addLeechTagInTx(tx, original.noteId);
  return { card: r.card, revlog, newState: r.newState, leeched: r.leeched, buriedSiblings, presetId: home.presetId };
}

/**
 * Answers a card (button 1–4, time taken in ms) as ONE undoable "Answer Card" operation: the card,
 * a revlog row, the deck counters of its deck and parents, sibling burying and the leech tag.
 * `col.undo()` restores all of it.
 */
export function answerCard(col: Collection, cardId: number, rating: Rating, millisecondsTaken: number, opts: AnswerCardOptions = {}): OpResult<AnsweredCard> {
  if (![Rating.Again, Rating.Hard, Rating.Good, Rating.Easy].includes(rating)) throw new RangeError(`invalid rating ${String(rating)}: use 1–4`);
  const queues = currentQueues(col);
  const out = col.transact(ANSWER_CARD_OP, (tx) =>
    answerCardInTx(tx, cardId, rating, millisecondsTaken, { ...opts, loadBalancer: queues?.loadBalancer ?? null }),
  );
  const a = out.result;
  let update: QueueUpdate | null = null;
  if (queues) {
    if (a.card.queue === CardQueue.Review && queues.loadBalancer) queues.loadBalancer.addCard(a.card.id, a.card.noteId, a.presetId, a.card.interval);
    const finishedPreview = a.newState.kind === 'preview' && a.newState.finished;
    const entry = opts.fromQueue === false ? null : queues.popEntry(a.card.id);
    if (!entry) {
      clearStudyQueues(col);
    } else {
      const nowMs = col.clock.nowMs();
      const requeued = finishedPreview ? false : queues.maybeRequeueLearningCard(a.card, timingAt(col, nowMs).nextDayAt);
      const cutoff = queues.updateLearningCutoffAndCount(Math.floor(nowMs / 1000));
      let siblingsLeft = false;
      for (const id of a.buriedSiblings) siblingsLeft = queues.removeCard(id) || siblingsLeft;
      // undoing brings back siblings this queue dropped: then the queue is rebuilt instead
      update = siblingsLeft ? null : { cardId: a.card.id, entry, requeued, cutoff, buildTimeMs: queues.buildTimeMs };
    }
  }
  recordAnswerUpdate(col, update);
  return out;
}

/** The current state and the four candidate states of a card. */
export function schedulingStates(r: Reader, cardId: number, opts: { fuzz?: FuzzOption; nowMs?: number } = {}): SchedulingStates & { timing: SchedTimingToday; nowSecs: number } {
  const card = r.storage.cards.get(cardId);
  if (!card) throw notFound(`card ${cardId}`);
  const nowMs = opts.nowMs ?? ('clock' in r ? r.clock.nowMs() : r.nowMs);
  const timing = timingAt(r, nowMs);
  const settings = schedSettings(r);
  const lb = 'clock' in r ? (currentQueues(r)?.loadBalancer ?? null) : null;
  const { input } = scheduleInputFor(r, card, { timing, nowMs, settings, lookup: new SchedLookup(r), loadBalancer: lb, fuzz: opts.fuzz });
  const { prepared, states } = getSchedulingStates(input);
  return { ...states, timing, nowSecs: prepared.nowSecs };
}

/** The labels of the four answer buttons for a card as it stands ("<1m", "<10m", "1d", "4d"…). */
export function nextIntervalLabels(col: Collection, cardId: number, opts: { fuzz?: FuzzOption } = {}): [string, string, string, string] {
  const s = schedulingStates(col, cardId, opts);
  return describeNextStates(s, { timing: s.timing, nowSecs: s.nowSecs, collapseSecs: schedSettings(col).learnAheadSecs });
}
