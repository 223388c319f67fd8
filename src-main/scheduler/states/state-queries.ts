// Questions about a card state: its interval (as shown, in seconds, as the revlog stores it),
// its revlog kind, its review part, leech flag and new-queue position.

import { daysLate } from './state-helpers';
import type { CardState, IntervalKind, ReviewState } from './types';

export function intervalKind(state: CardState): IntervalKind {
  switch (state.kind) {
    case 'new':
      return { secs: 0 };
    case 'learning':
    case 'preview':
      return { secs: state.scheduledSecs };
    case 'review':
      return { days: state.scheduledDays };
    case 'relearning':
      return { secs: state.learning.scheduledSecs };
    case 'rescheduling':
      return intervalKind(state.originalState);
  }
}

/** Seconds-based intervals that reach the next day cutoff become days. */
export function maybeAsDays(kind: IntervalKind, secsUntilRollover: number): IntervalKind {
  if (kind.secs !== undefined && kind.secs >= secsUntilRollover) {
    return { days: Math.floor((kind.secs - secsUntilRollover) / 86_400) + 1 };
  }
  return kind;
}

export function intervalAsSeconds(kind: IntervalKind): number {
  return kind.secs !== undefined ? kind.secs : kind.days * 86_400;
}

/** Revlog encoding: positive days, negative seconds. */
export function intervalAsRevlog(kind: IntervalKind): number {
  if (kind.days !== undefined) return kind.days;
  return kind.secs === 0 ? 0 : -Math.min(kind.secs, 2147483647);
}

export enum RevlogReviewKind {
  Learning = 0,
  Review = 1,
  Relearning = 2,
  Filtered = 3,
  Manual = 4,
  Rescheduled = 5,
}

/** Revlog `type` for an answer given in this (current) state. */
export function revlogKind(state: CardState): RevlogReviewKind {
  switch (state.kind) {
    case 'new':
    case 'learning':
      return RevlogReviewKind.Learning;
    case 'review':
      return daysLate(state) < 0 ? RevlogReviewKind.Filtered : RevlogReviewKind.Review;
    case 'relearning':
      return RevlogReviewKind.Relearning;
    case 'preview':
      return RevlogReviewKind.Filtered;
    case 'rescheduling':
      return revlogKind(state.originalState);
  }
}

/** The review part of a state, if any (review, relearning, or a rescheduling wrapper of them). */
export function reviewStateOf(state: CardState): Omit<ReviewState, 'kind'> | null {
  switch (state.kind) {
    case 'review':
      return state;
    case 'relearning':
      return state.review;
    case 'rescheduling':
      return reviewStateOf(state.originalState);
    default:
      return null;
  }
}

export function isLeeched(state: CardState): boolean {
  return reviewStateOf(state)?.leeched ?? false;
}

/** The new-queue position when the state is New (possibly inside a rescheduling filter). */
export function newPosition(state: CardState): number | null {
  if (state.kind === 'new') return state.position;
  if (state.kind === 'rescheduling' && state.originalState.kind === 'new') return state.originalState.position;
  return null;
}
