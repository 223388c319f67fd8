// What the learning, review and relearning transitions share: the ease constants, interval
// clamping and fuzz, and the state constructors.

import { asU32, f32, mul, roundHalfAway } from '../f32';
import { withReviewFuzz } from '../fuzz';
import type { LearnState, MemoryState, RelearnState, ReviewState, StateContext } from './types';

export const INITIAL_EASE_FACTOR = 2.5;
export const MINIMUM_EASE_FACTOR = f32(1.3);
export const EASE_FACTOR_AGAIN_DELTA = f32(-0.2);
export const EASE_FACTOR_HARD_DELTA = f32(-0.15);
export const EASE_FACTOR_EASY_DELTA = f32(0.15);

/** `[minimum, maximum]` review interval: maximum ≥ 1; minimum clamped into [1, maximum]. */
export function minAndMaxReviewIntervals(ctx: StateContext, minimum: number): [number, number] {
  const maximum = Math.max(ctx.maximumReviewInterval, 1);
  return [Math.min(Math.max(minimum, 1), maximum), maximum];
}

/** Fuzz through the load balancer when one is set, else plain seeded fuzz. */
export function reviewFuzz(ctx: StateContext, interval: number, minimum: number, maximum: number): number {
  const balanced = ctx.loadBalancer?.(f32(interval), minimum, maximum) ?? null;
  return balanced ?? withReviewFuzz(ctx.fuzzFactor, interval, minimum, maximum);
}

export const roundDaysMin1 = (v: number): number => Math.max(roundHalfAway(f32(v)), 1);
export const daysToSecs = (v: number): number => asU32(mul(v, 86_400));

export function learn(s: Omit<LearnState, 'kind'>): LearnState {
  return { kind: 'learning', ...s };
}
export function review(s: Omit<ReviewState, 'kind'>): ReviewState {
  return { kind: 'review', ...s };
}
export function relearn(learning: Omit<LearnState, 'kind'>, reviewState: Omit<ReviewState, 'kind'>): RelearnState {
  return { kind: 'relearning', learning: { ...learning }, review: { ...reviewState } };
}
export function stripKind<T extends { kind: string }>(s: T): Omit<T, 'kind'> {
  const { kind: _kind, ...rest } = s;
  return rest;
}

export function newReview(ctx: StateContext, scheduledDays: number, memoryState: MemoryState | null): ReviewState {
  return review({
    scheduledDays,
    elapsedDays: 0,
    easeFactor: f32(ctx.initialEaseFactor),
    lapses: 0,
    leeched: false,
    memoryState,
  });
}

/** True at the threshold, then every half threshold (rounded up) after it. */
export function leechThresholdMet(lapses: number, threshold: number): boolean {
  if (threshold <= 0) return false;
  const half = Math.max(Math.ceil(threshold / 2), 1);
  return lapses >= threshold && (lapses - threshold) % half === 0;
}

export function shortTermAllowed(ctx: StateContext, stepsEmpty: boolean, interval: number): boolean {
  return ctx.fsrsAllowShortTerm && (ctx.fsrsShortTermWithStepsEnabled || stepsEmpty) && interval < 0.5;
}

export function daysLate(s: Omit<ReviewState, 'kind'>): number {
  return s.elapsedDays - s.scheduledDays;
}
