// Anki's v3 card states (scheduler/states/*.rs), as plain data.

import type { FsrsNextStates, MemoryState } from '../fsrs/model';
import type { LearningSteps } from './steps';

export type { MemoryState } from '../fsrs/model';

export interface NewState {
  kind: 'new';
  /** New-queue position. */
  position: number;
}

export interface LearnState {
  kind: 'learning';
  remainingSteps: number;
  /** The (unfuzzed) delay of the current step. */
  scheduledSecs: number;
  /** Seconds since the card was last shown (informational; used by custom scheduling). */
  elapsedSecs: number;
  memoryState: MemoryState | null;
}

export interface ReviewState {
  kind: 'review';
  scheduledDays: number;
  elapsedDays: number;
  /** Ease as an f32 multiplier (2.5 = 250%). */
  easeFactor: number;
  lapses: number;
  leeched: boolean;
  memoryState: MemoryState | null;
}

export interface RelearnState {
  kind: 'relearning';
  learning: Omit<LearnState, 'kind'>;
  review: Omit<ReviewState, 'kind'>;
}

export type NormalState = NewState | LearnState | ReviewState | RelearnState;

/** Filtered deck with rescheduling off. */
export interface PreviewState {
  kind: 'preview';
  scheduledSecs: number;
  /** True when the answer returns the card to its home deck. */
  finished: boolean;
}

/** Filtered deck with rescheduling on: a normal state, answered as usual. */
export interface ReschedulingFilterState {
  kind: 'rescheduling';
  originalState: NormalState;
}

export type FilteredState = PreviewState | ReschedulingFilterState;
export type CardState = NormalState | FilteredState;

export interface SchedulingStates {
  current: CardState;
  again: CardState;
  hard: CardState;
  good: CardState;
  easy: CardState;
}

/** Either seconds (learning/preview) or days (review). */
export type IntervalKind = { secs: number; days?: undefined } | { days: number; secs?: undefined };

/** Replaces plain fuzz with another choice of day (Anki's load balancer); null falls back to fuzz. */
export type ReviewFuzzHook = (interval: number, minimum: number, maximum: number) => number | null;

/** Everything a state transition needs (Anki's StateContext). */
export interface StateContext {
  /** In [0, 1); null disables fuzz (rounding and clamping only). */
  fuzzFactor: number | null;
  fsrsNextStates: FsrsNextStates | null;
  fsrsShortTermWithStepsEnabled: boolean;
  fsrsAllowShortTerm: boolean;
  steps: LearningSteps;
  graduatingIntervalGood: number;
  graduatingIntervalEasy: number;
  initialEaseFactor: number;
  hardMultiplier: number;
  easyMultiplier: number;
  intervalMultiplier: number;
  maximumReviewInterval: number;
  leechThreshold: number;
  /** Optional load balancer. Off unless the caller supplies one. */
  loadBalancer: ReviewFuzzHook | null;
  relearnSteps: LearningSteps;
  lapseMultiplier: number;
  minimumLapseInterval: number;
  inFilteredDeck: boolean;
  previewDelays: { again: number; hard: number; good: number };
}
