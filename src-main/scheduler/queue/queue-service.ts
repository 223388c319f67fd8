// The study queue of the deck being studied, kept per open collection between calls as Anki keeps
// its CardQueues: built on first use, updated in place after each answer, dropped when anything
// else changes cards, decks, presets or settings, and rebuilt when the day rolls over.

import type { Card } from '../../cards/card';
import type { Collection } from '../../collection/collection';
import { notFound } from '../../collection/errors';
import { getCurrentDeck } from '../../decks/decks-service';
import { getSchedulingStates, describeNextStates } from '../answer';
import { unburyIfDayRolledOver } from '../bury-service';
import { schedSettings, timingAt } from '../collection-timing';
import type { FuzzOption } from '../prepare';
import { SchedLookup, scheduleInputFor } from '../schedule-input';
import type { SchedulingStates } from '../states/types';
import { buildQueues } from './builder';
import type { CardQueues, Counts, CutoffSnapshot, QueueEntry, QueueEntryKind } from './card-queues';

/** The undo name of an answer; the queue is updated in place for it instead of being rebuilt. */
export const ANSWER_CARD_OP = 'Answer Card';

const queuesByCol = new WeakMap<Collection, CardQueues>();
const listening = new WeakSet<Collection>();

/** What an answer did to the queues, so undoing it can put the card back on top (Anki's QueueUpdate). */
export interface QueueUpdate {
  cardId: number;
  entry: QueueEntry;
  /** The answered card went back into intraday learning. */
  requeued: boolean;
  cutoff: CutoffSnapshot;
  buildTimeMs: number;
}

/** One record per answer (null when the queues were not updated), in the order of the undo steps. */
const answerUpdates = new WeakMap<Collection, (QueueUpdate | null)[]>();
const UNDO_DEPTH = 30;

/** Called by answering after each answer. */
export function recordAnswerUpdate(col: Collection, update: QueueUpdate | null): void {
  let stack = answerUpdates.get(col);
  if (!stack) {
    stack = [];
    answerUpdates.set(col, stack);
  }
  stack.push(update);
  if (stack.length > UNDO_DEPTH) stack.shift();
}

/** After "undo Answer Card": the card back on top of its queue, if the queues are the same ones. */
function restoreAfterUndo(col: Collection): boolean {
  const update = answerUpdates.get(col)?.pop();
  const queues = queuesByCol.get(col);
  if (!update || !queues || queues.buildTimeMs !== update.buildTimeMs) return false;
  const card = col.storage.cards.get(update.cardId);
  if (!card) return false;
  queues.restoreCutoff(update.cutoff);
  if (update.requeued) queues.removeCard(update.cardId);
  queues.pushUndoEntry({ ...update.entry, entry: { ...update.entry.entry, mtime: card.mtimeSecs } } as QueueEntry);
  queues.loadBalancer?.removeCard(update.cardId);
  return true;
}

function watch(col: Collection): void {
  if (listening.has(col)) return;
  listening.add(col);
  col.onChange((op, changes) => {
    if (op === ANSWER_CARD_OP) return;
    if (op === `undo ${ANSWER_CARD_OP}` && restoreAfterUndo(col)) return;
    if (op === `redo ${ANSWER_CARD_OP}`) recordAnswerUpdate(col, null);
    if (changes.studyQueues || changes.cards || changes.decks || changes.deckConfigs || changes.config) queuesByCol.delete(col);
  });
}

/** Forgets the built queues (the next request rebuilds them). */
export function clearStudyQueues(col: Collection): void {
  queuesByCol.delete(col);
}

/** The queues built for this collection, if any (used by answering and the load balancer). */
export function currentQueues(col: Collection): CardQueues | undefined {
  return queuesByCol.get(col);
}

/**
 * The queues of `deckId`, built if needed. On a new day the old queues are dropped and buried
 * cards are unburied first (Anki's get_queues / clear_queues_if_day_changed).
 */
export function getQueues(col: Collection, deckId: number, nowMs = col.clock.nowMs(), timing = timingAt(col, nowMs)): CardQueues {
  watch(col);
  let queues = queuesByCol.get(col);
  if (queues && queues.currentDay !== timing.daysElapsed) {
    queuesByCol.delete(col);
    queues = undefined;
  }
  unburyIfDayRolledOver(col, timing);
  queues = queuesByCol.get(col);
  if (!queues || queues.deckId !== deckId) {
    const settings = schedSettings(col);
    queues = buildQueues(col, deckId, nowMs, { settings });
    queues.settings = settings;
    queuesByCol.set(col, queues);
  }
  return queues;
}

export interface QueuedCard {
  card: Card;
  kind: QueueEntryKind;
  /** Current state and the state each button leads to. */
  states: SchedulingStates;
  /** Button labels (Again, Hard, Good, Easy), e.g. "<1m", "<10m", "1d", "4d". */
  labels: [string, string, string, string];
}

export interface QueuedCards {
  cards: QueuedCard[];
  newCount: number;
  learningCount: number;
  reviewCount: number;
}

export interface QueuedCardsOptions {
  /** Only intraday learning cards (due now, then within the learn-ahead window). */
  intradayLearningOnly?: boolean;
  /** Fuzz control for the states shown (tests). */
  fuzz?: FuzzOption;
}

function entryKind(e: QueueEntry): QueueEntryKind {
  if (e.intraday) return 'learning';
  return e.entry.kind === 'interdayLearning' ? 'learning' : e.entry.kind;
}

/**
 * The next `fetchLimit` cards of `deckId` (default: the current deck, or Default when it is gone)
 * in presentation order, with their states and button labels, and the new/learning/review counts
 * (Anki's get_queued_cards).
 */
export function getQueuedCards(col: Collection, deckId?: number, fetchLimit = 1, opts: QueuedCardsOptions = {}): QueuedCards {
  const did = deckId ?? getCurrentDeck(col).id;
  if (!col.storage.decks.getRow(did)) throw notFound(`deck ${did}`);
  for (let attempt = 0; ; attempt++) {
    const nowMs = col.clock.nowMs();
    const timing = timingAt(col, nowMs);
    const queues = getQueues(col, did, nowMs, timing);
    const nowSecs = Math.floor(nowMs / 1000);
    const counts: Counts = queues.currentCounts(nowSecs);
    const entries: QueueEntry[] = opts.intradayLearningOnly
      ? [...queues.intradayNow(), ...queues.intradayAhead()].map((entry) => ({ intraday: true, entry }))
      : queues.entries(fetchLimit);
    const cards: Card[] = [];
    let stale = false;
    for (const e of entries) {
      const card = col.storage.cards.get(e.entry.id);
      if (!card || card.mtimeSecs !== e.entry.mtime) {
        stale = true;
        break;
      }
      cards.push(card);
    }
    if (stale && attempt === 0) {
      // a card changed without the queues hearing of it (Anki reports a bug): rebuild once
      queuesByCol.delete(col);
      continue;
    }
    const settings = queues.settings ?? schedSettings(col);
    const lookup = new SchedLookup(col);
    return {
      cards: cards.map((card, i) => {
        const { input } = scheduleInputFor(col, card, { timing, nowMs, settings, lookup, loadBalancer: queues.loadBalancer, fuzz: opts.fuzz });
        const { prepared, states } = getSchedulingStates(input);
        return {
          card,
          kind: entryKind(entries[i]),
          states,
          labels: describeNextStates(states, { timing, nowSecs: prepared.nowSecs, collapseSecs: settings.learnAheadSecs }),
        };
      }),
      newCount: counts.new,
      learningCount: counts.learning,
      reviewCount: counts.review,
    };
  }
}

/** The next card to show, or null when the deck is done for now. */
export function getNextCard(col: Collection, deckId?: number, opts: QueuedCardsOptions = {}): QueuedCard | null {
  return getQueuedCards(col, deckId, 1, opts).cards[0] ?? null;
}

/** New / learning / review counts of the study queue (what the study screen shows). */
export function studyCounts(col: Collection, deckId?: number): Counts {
  const q = getQueuedCards(col, deckId, 0);
  return { new: q.newCount, learning: q.learningCount, review: q.reviewCount };
}
