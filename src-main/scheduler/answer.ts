// Answering a card: Anki's answer_card path (answering/{mod,learning,review,relearning,preview,revlog}.rs)
// as a pure function from the card and its context to the updated card, the revlog row and the
// follow-up work (leech tag, deck counters) the caller must persist.

import { CardQueue, CardType, type Card } from '../cards/card';
import type { RevlogRow } from '../storage/misc-stores';
import { serializeCardData, validateCustomData, type CardData } from './card-data';
import { asU32, f32, roundHalfAway } from './f32';
import type { MemoryState } from './fsrs/model';
import { learningIvlWithFuzz } from './fuzz';
import { prepareCard, type PreparedCard, type ScheduleInput } from './prepare';
import {
  intervalAsRevlog,
  intervalAsSeconds,
  intervalKind,
  isLeeched,
  maybeAsDays,
  newPosition,
  nextStates,
  revlogKind,
  RevlogReviewKind,
} from './states/next-states';
import type {
  CardState,
  LearnState,
  NormalState,
  PreviewState,
  RelearnState,
  ReviewState,
  SchedulingStates,
} from './states/types';
import { answerButtonTimeCollapsible } from './timespan';
import { isUnixEpochTimestamp, type SchedTimingToday } from './timing';

export enum Rating {
  Again = 1,
  Hard = 2,
  Good = 3,
  Easy = 4,
}

/** Deck preset `leech_action`. */
export enum LeechAction {
  Suspend = 0,
  TagOnly = 1,
}

/**
 * The `revlog` row an answer writes: its id is the answer time (the caller bumps it to max(id)+1
 * if taken), its time is capped at the preset's cap_answer_time.
 */
export interface RevlogEntry extends RevlogRow {
  type: RevlogReviewKind;
}

export interface AnswerOptions {
  rating: Rating;
  /** Milliseconds the user took (capped here). */
  millisecondsTaken: number;
  /**
   * The state to apply, normally one of `getSchedulingStates(...).states` for this rating. When
   * omitted it is recomputed, which gives the same result for the same input.
   */
  newState?: CardState;
  /** Replacement custom data (`cd`) from custom scheduling, validated like Anki. */
  customData?: string;
  /** usn to stamp on the card and the revlog row (−1 on a client). */
  usn?: number;
}

export interface AnswerResult {
  card: Card;
  revlog: RevlogEntry;
  newState: CardState;
  /** The note must get the `leech` tag. */
  leeched: boolean;
  /** Leech with the Suspend action: the card's queue is now −1. */
  suspendedAsLeech: boolean;
  /** Queue the card was answered from (for deck counters and sibling burying). */
  fromQueue: CardQueue;
  /** Update `decks.common` of `deckId` and all its parents (new/review studied today, ms). */
  deckStats: { deckId: number; newDelta: number; reviewDelta: number; millisecondsDelta: number };
}

export interface SchedulingInfo {
  prepared: PreparedCard;
  current: CardState;
  states: SchedulingStates;
}

/** The current state and the four candidate next states of a card. */
export function getSchedulingStates(input: ScheduleInput): SchedulingInfo {
  const prepared = prepareCard(input);
  return { prepared, current: prepared.current, states: nextStates(prepared.current, prepared.ctx) };
}

export function stateForRating(states: SchedulingStates, rating: Rating): CardState {
  switch (rating) {
    case Rating.Again:
      return states.again;
    case Rating.Hard:
      return states.hard;
    case Rating.Good:
      return states.good;
    case Rating.Easy:
      return states.easy;
    default:
      throw new RangeError(`invalid rating ${String(rating)}`);
  }
}

/** Labels above Again/Hard/Good/Easy ("<1m", "<10m", "1d", "4d", "2.5mo"…), Anki's describe_next_states. */
export function describeNextStates(
  states: SchedulingStates,
  opts: { timing: SchedTimingToday; nowSecs?: number; collapseSecs?: number },
): [string, string, string, string] {
  const now = opts.nowSecs ?? opts.timing.now;
  const untilRollover = Math.max(opts.timing.nextDayAt - now, 0);
  const collapse = opts.collapseSecs ?? 1200;
  const label = (s: CardState): string =>
    answerButtonTimeCollapsible(intervalAsSeconds(maybeAsDays(intervalKind(s), untilRollover)), collapse);
  return [label(states.again), label(states.hard), label(states.good), label(states.easy)];
}

/** Revlog `factor` column: FSRS difficulty shifted to 0.1–1.1, else the ease, ×1000 rounded. */
function difficultyShifted(m: MemoryState): number {
  return f32(f32(f32(f32(m.difficulty) - 1) / 9) + f32(0.1));
}
function revlogFactor(value: number): number {
  return Math.max(roundHalfAway(f32(f32(value) * 1000)), 0);
}

class Updater {
  readonly card: Card;
  readonly data: CardData;

  constructor(
    private readonly p: PreparedCard,
    private readonly today: number,
  ) {
    this.card = { ...p.card };
    this.data = { ...p.data };
  }

  private revlogParts(current: CardState, next: CardState, easeFactor: number) {
    const su = this.p.secsUntilRollover;
    return {
      ivl: intervalAsRevlog(maybeAsDays(intervalKind(next), su)),
      lastIvl: intervalAsRevlog(maybeAsDays(intervalKind(current), su)),
      factor: revlogFactor(easeFactor),
      type: revlogKind(current),
    };
  }

  private fuzzedLearningDue(secs: number): number {
    return this.p.nowSecs + learningIvlWithFuzz(this.p.fuzzSeed, secs);
  }

  private placeLearning(scheduledSecs: number): void {
    const kind = maybeAsDays({ secs: scheduledSecs }, this.p.secsUntilRollover);
    if (kind.secs !== undefined) {
      this.card.queue = CardQueue.Learn;
      this.card.due = this.fuzzedLearningDue(kind.secs);
    } else {
      this.card.queue = CardQueue.DayLearn;
      this.card.due = this.today + kind.days;
    }
  }

  private keepPosition(current: CardState): void {
    const pos = newPosition(current);
    if (pos !== null) this.data.originalPosition = pos;
  }

  apply(current: CardState, next: CardState) {
    if (next.kind === 'preview' || next.kind === 'rescheduling') {
      if (this.card.originalDeckId === 0) throw new Error("card answering can't transition into filtered state");
      if (next.kind === 'preview') return this.applyPreview(current, next);
      const revlog = this.applyNormal(current, next.originalState);
      this.card.originalDue = this.card.due;
      return revlog;
    }
    if (current.kind === 'preview') throw new Error('a preview answer must return a preview state');
    if (current.kind === 'rescheduling') this.removeFromFilteredDeckBeforeReschedule();
    return this.applyNormal(current, next);
  }

  private removeFromFilteredDeckBeforeReschedule(): void {
    if (this.card.originalDeckId !== 0) {
      this.card.deckId = this.card.originalDeckId;
      this.card.originalDeckId = 0;
      this.card.originalDue = 0;
    }
  }

  private removeFromFilteredDeckRestoringQueue(): void {
    if (this.card.originalDeckId === 0) return;
    this.card.deckId = this.card.originalDeckId;
    this.card.originalDeckId = 0;
    if (this.card.originalDue !== 0) this.card.due = this.card.originalDue;
    if (this.card.queue >= 0) {
      switch (this.card.ctype) {
        case CardType.Learn:
        case CardType.Relearn:
          this.card.queue = isUnixEpochTimestamp(this.card.due) ? CardQueue.Learn : CardQueue.DayLearn;
          break;
        case CardType.New:
          this.card.queue = CardQueue.New;
          break;
        case CardType.Review:
          this.card.queue = CardQueue.Review;
          break;
      }
    }
    this.card.originalDue = 0;
  }

  private applyPreview(current: CardState, next: PreviewState) {
    const revlog = this.revlogParts(current, next, 0);
    if (next.finished) {
      this.removeFromFilteredDeckRestoringQueue();
      return revlog;
    }
    this.card.queue = CardQueue.Preview;
    this.card.due = this.fuzzedLearningDue(next.scheduledSecs);
    return revlog;
  }

  private applyNormal(current: CardState, next: NormalState) {
    this.card.reps += 1;
    this.data.desiredRetention = this.p.desiredRetention;
    let revlog;
    switch (next.kind) {
      case 'new':
        revlog = this.applyNew(current, next);
        break;
      case 'learning':
        revlog = this.applyLearning(current, next);
        break;
      case 'review':
        revlog = this.applyReview(current, next);
        break;
      case 'relearning':
        revlog = this.applyRelearning(current, next);
        break;
    }
    if (isLeeched(next) && this.p.input.config.leechAction === LeechAction.Suspend) {
      this.card.queue = CardQueue.Suspended;
    }
    return revlog;
  }

  private applyNew(current: CardState, next: { kind: 'new'; position: number }) {
    this.card.ctype = CardType.New;
    this.card.queue = CardQueue.New;
    this.card.due = next.position;
    this.data.originalPosition = null;
    this.data.memoryState = null;
    return this.revlogParts(current, next, 0);
  }

  private applyLearning(current: CardState, next: LearnState) {
    this.card.remainingSteps = next.remainingSteps;
    this.card.ctype = CardType.Learn;
    this.keepPosition(current);
    this.data.memoryState = next.memoryState;
    this.placeLearning(next.scheduledSecs);
    return this.revlogParts(current, next, next.memoryState ? difficultyShifted(next.memoryState) : 0);
  }

  private applyReview(current: CardState, next: ReviewState) {
    this.card.queue = CardQueue.Review;
    this.card.ctype = CardType.Review;
    this.card.interval = next.scheduledDays;
    this.card.due = this.today + next.scheduledDays;
    this.card.easeFactor = Math.min(asU32(roundHalfAway(f32(f32(next.easeFactor) * 1000))), 65535);
    this.card.lapses = next.lapses;
    this.card.remainingSteps = 0;
    this.keepPosition(current);
    this.data.memoryState = next.memoryState;
    return this.revlogParts(current, next, next.memoryState ? difficultyShifted(next.memoryState) : next.easeFactor);
  }

  private applyRelearning(current: CardState, next: RelearnState) {
    this.card.interval = next.review.scheduledDays;
    this.card.remainingSteps = next.learning.remainingSteps;
    this.card.ctype = CardType.Relearn;
    this.card.lapses = next.review.lapses;
    this.card.easeFactor = Math.min(asU32(roundHalfAway(f32(f32(next.review.easeFactor) * 1000))), 65535);
    this.keepPosition(current);
    this.data.memoryState = next.learning.memoryState;
    this.placeLearning(next.learning.scheduledSecs);
    return this.revlogParts(
      current,
      next,
      next.learning.memoryState ? difficultyShifted(next.learning.memoryState) : next.review.easeFactor,
    );
  }
}

/**
 * Answers a card: the updated card row (type/queue/due/ivl/factor/left/reps/lapses/data, filtered-deck
 * fields), the revlog row, and what the caller must still do (leech tag, deck counters, sibling burying).
 */
export function answerCard(input: ScheduleInput, opts: AnswerOptions): AnswerResult {
  const prepared = prepareCard(input);
  const current = prepared.current;
  const newState = opts.newState ?? stateForRating(nextStates(current, prepared.ctx), opts.rating);
  const capSecs = input.config.capAnswerTimeToSecs;
  const millisecondsTaken = Math.min(Math.max(Math.trunc(opts.millisecondsTaken), 0), capSecs * 1000);
  const usn = opts.usn ?? -1;
  const fromQueue = input.card.queue;

  const updater = new Updater(prepared, input.timing.daysElapsed);
  const parts = updater.apply(current, newState);
  const card = updater.card;
  const data = updater.data;

  if (current.kind !== 'preview') data.lastReviewTime = Math.floor(input.nowMs / 1000);
  if (opts.customData !== undefined) {
    const problem = validateCustomData(opts.customData);
    if (problem) throw new Error(problem);
    data.customData = opts.customData;
  }
  card.data = serializeCardData(data);
  card.mtimeSecs = prepared.nowSecs;
  card.usn = usn;

  const leeched = isLeeched(newState);
  return {
    card,
    revlog: {
      id: Math.trunc(input.nowMs),
      cid: card.id,
      usn,
      ease: opts.rating,
      ivl: parts.ivl,
      lastIvl: parts.lastIvl,
      factor: parts.factor,
      time: millisecondsTaken,
      type: parts.type,
    },
    newState,
    leeched,
    suspendedAsLeech: leeched && card.queue === CardQueue.Suspended,
    fromQueue,
    deckStats: {
      deckId: input.card.deckId,
      newDelta: fromQueue === CardQueue.New ? 1 : 0,
      reviewDelta: fromQueue === CardQueue.Review || fromQueue === CardQueue.DayLearn ? 1 : 0,
      millisecondsDelta: millisecondsTaken,
    },
  };
}

/** Alias of {@link answerCard} (the name used in the design notes). */
export const applyAnswer = answerCard;

/** The four button labels for a card as it stands (Again, Hard, Good, Easy). */
export function answerButtonLabels(input: ScheduleInput, collapseSecs = 1200): [string, string, string, string] {
  const { prepared, states } = getSchedulingStates(input);
  return describeNextStates(states, { timing: input.timing, nowSecs: prepared.nowSecs, collapseSecs });
}
