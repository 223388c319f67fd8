// Transitions from a review card: the lapse on Again, and the Hard/Good/Easy intervals for SM-2
// (on time, late or early in a filtered deck) and FSRS.

import { add, asU32, div, f32, mul, roundHalfAway, sub } from '../f32';
import { minimumReviewFuzzInterval } from '../fuzz';
import {
  daysLate,
  daysToSecs,
  EASE_FACTOR_AGAIN_DELTA,
  EASE_FACTOR_EASY_DELTA,
  EASE_FACTOR_HARD_DELTA,
  leechThresholdMet,
  minAndMaxReviewIntervals,
  MINIMUM_EASE_FACTOR,
  relearn,
  review,
  reviewFuzz,
  roundDaysMin1,
  shortTermAllowed,
  stripKind,
} from './state-helpers';
import type { CardState, MemoryState, ReviewState, SchedulingStates, StateContext } from './types';

/** Lapse interval (float days) and the memory state after Again. */
export function failingReviewInterval(s: Omit<ReviewState, 'kind'>, ctx: StateContext): [number, MemoryState | null] {
  const states = ctx.fsrsNextStates;
  if (states) {
    // FSRS: fuzz is applied when the card leaves relearning
    return [states.again.interval, states.again.memory];
  }
  const [minimum, maximum] = minAndMaxReviewIntervals(ctx, ctx.minimumLapseInterval);
  const interval = reviewFuzz(ctx, mul(Math.max(f32(s.scheduledDays), 1), ctx.lapseMultiplier), minimum, maximum);
  return [f32(interval), null];
}

/** Hard/Good/Easy interval: interval modifier (SM-2 only), fuzz, then `[max(min,1), max_ivl]`. */
function constrainPassingInterval(ctx: StateContext, interval: number, minimum: number, fuzz: boolean): number {
  const ivl = ctx.fsrsNextStates ? f32(interval) : mul(interval, ctx.intervalMultiplier);
  const [min, max] = minAndMaxReviewIntervals(ctx, minimum);
  if (fuzz) return reviewFuzz(ctx, ivl, min, max);
  return Math.min(Math.max(asU32(roundHalfAway(ivl)), min), max);
}

function passingFsrsReviewIntervals(s: ReviewState, ctx: StateContext): [number, number, number] {
  const states = ctx.fsrsNextStates!;
  const maxIvl = ctx.maximumReviewInterval;
  const hard = constrainPassingInterval(
    ctx,
    states.hard.interval,
    Math.max(minimumReviewFuzzInterval(states.hard.interval, s.scheduledDays, maxIvl), 1),
    true,
  );
  const good = constrainPassingInterval(
    ctx,
    states.good.interval,
    Math.max(minimumReviewFuzzInterval(states.good.interval, s.scheduledDays, maxIvl), hard + 1),
    true,
  );
  const easy = constrainPassingInterval(
    ctx,
    states.easy.interval,
    Math.max(minimumReviewFuzzInterval(states.easy.interval, s.scheduledDays, maxIvl), good + 1),
    true,
  );
  return [hard, good, easy];
}

function passingNonEarlyReviewIntervals(s: ReviewState, ctx: StateContext): [number, number, number] {
  const current = Math.max(f32(s.scheduledDays), 1);
  const late = f32(Math.max(daysLate(s), 0));
  const hardFactor = f32(ctx.hardMultiplier);
  const hardMinimum = hardFactor <= 1 ? 0 : s.scheduledDays + 1;
  const hard = constrainPassingInterval(ctx, mul(current, hardFactor), hardMinimum, true);
  const goodMinimum = hardFactor <= 1 ? s.scheduledDays + 1 : hard + 1;
  const good = constrainPassingInterval(ctx, mul(add(current, div(late, 2)), s.easeFactor), goodMinimum, true);
  const easy = constrainPassingInterval(
    ctx,
    mul(mul(add(current, late), s.easeFactor), ctx.easyMultiplier),
    good + 1,
    true,
  );
  return [hard, good, easy];
}

/** Early review in a rescheduling filtered deck: no fuzz, no previous-interval minimum. */
function passingEarlyReviewIntervals(s: ReviewState, ctx: StateContext): [number, number, number] {
  const scheduled = Math.max(f32(s.scheduledDays), 1);
  const elapsed = f32(s.elapsedDays);
  const hardFactor = f32(ctx.hardMultiplier);
  const hard = constrainPassingInterval(
    ctx,
    Math.max(mul(elapsed, hardFactor), mul(scheduled, div(hardFactor, 2))),
    0,
    false,
  );
  const good = constrainPassingInterval(ctx, Math.max(mul(elapsed, s.easeFactor), scheduled), 0, false);
  const easyMult = f32(ctx.easyMultiplier);
  const reducedBonus = sub(easyMult, div(sub(easyMult, 1), 2));
  const easy = constrainPassingInterval(
    ctx,
    mul(Math.max(mul(elapsed, s.easeFactor), scheduled), reducedBonus),
    0,
    false,
  );
  return [hard, good, easy];
}

function passingReviewIntervals(s: ReviewState, ctx: StateContext): [number, number, number] {
  if (ctx.fsrsNextStates) return passingFsrsReviewIntervals(s, ctx);
  if (daysLate(s) < 0) return passingEarlyReviewIntervals(s, ctx);
  return passingNonEarlyReviewIntervals(s, ctx);
}

function reviewAgain(s: ReviewState, ctx: StateContext): CardState {
  const lapses = s.lapses + 1;
  const leeched = leechThresholdMet(lapses, ctx.leechThreshold);
  const [scheduledDays, memoryState] = failingReviewInterval(s, ctx);
  const againReview: Omit<ReviewState, 'kind'> = {
    scheduledDays: asU32(roundDaysMin1(scheduledDays)),
    elapsedDays: 0,
    easeFactor: Math.max(add(s.easeFactor, EASE_FACTOR_AGAIN_DELTA), MINIMUM_EASE_FACTOR),
    lapses,
    leeched,
    memoryState,
  };
  const againDelay = ctx.relearnSteps.againDelaySecs();
  if (againDelay !== null) {
    return relearn(
      { remainingSteps: ctx.relearnSteps.remainingForFailed(), scheduledSecs: againDelay, elapsedSecs: 0, memoryState },
      againReview,
    );
  }
  if (shortTermAllowed(ctx, ctx.relearnSteps.isEmpty(), scheduledDays)) {
    return relearn(
      {
        remainingSteps: ctx.relearnSteps.remainingForFailed(),
        scheduledSecs: daysToSecs(scheduledDays),
        elapsedSecs: 0,
        memoryState,
      },
      againReview,
    );
  }
  return review(againReview);
}

export function reviewNextStates(s: ReviewState, ctx: StateContext): SchedulingStates {
  const [hard, good, easy] = passingReviewIntervals(s, ctx);
  const states = ctx.fsrsNextStates;
  return {
    current: s,
    again: reviewAgain(s, ctx),
    hard: review({
      ...stripKind(s),
      scheduledDays: hard,
      elapsedDays: 0,
      easeFactor: Math.max(add(s.easeFactor, EASE_FACTOR_HARD_DELTA), MINIMUM_EASE_FACTOR),
      memoryState: states ? states.hard.memory : null,
    }),
    good: review({
      ...stripKind(s),
      scheduledDays: good,
      elapsedDays: 0,
      memoryState: states ? states.good.memory : null,
    }),
    easy: review({
      ...stripKind(s),
      scheduledDays: easy,
      elapsedDays: 0,
      easeFactor: add(s.easeFactor, EASE_FACTOR_EASY_DELTA),
      memoryState: states ? states.easy.memory : null,
    }),
  };
}
