// Transitions from a learning card (and, via normalNextStates, a new one).

import { asU32, f32 } from '../f32';
import {
  daysToSecs,
  learn,
  minAndMaxReviewIntervals,
  newReview,
  reviewFuzz,
  roundDaysMin1,
  shortTermAllowed,
  stripKind,
} from './state-helpers';
import type { CardState, LearnState, ReviewState, SchedulingStates, StateContext } from './types';

function learnAgain(s: LearnState, ctx: StateContext): CardState {
  const memoryState = ctx.fsrsNextStates?.again.memory ?? null;
  const againDelay = ctx.steps.againDelaySecs();
  if (againDelay !== null) {
    return learn({ remainingSteps: ctx.steps.remainingForFailed(), scheduledSecs: againDelay, elapsedSecs: 0, memoryState });
  }
  const [minimum, maximum] = minAndMaxReviewIntervals(ctx, 1);
  const states = ctx.fsrsNextStates;
  const interval = states ? states.again.interval : f32(ctx.graduatingIntervalGood);
  if (states && shortTermAllowed(ctx, ctx.steps.isEmpty(), interval)) {
    return learn({ remainingSteps: ctx.steps.remainingForFailed(), scheduledSecs: daysToSecs(interval), elapsedSecs: 0, memoryState });
  }
  return newReview(ctx, reviewFuzz(ctx, roundDaysMin1(interval), minimum, maximum), memoryState);
}

function learnHard(s: LearnState, ctx: StateContext): CardState {
  const memoryState = ctx.fsrsNextStates?.hard.memory ?? null;
  const hardDelay = ctx.steps.hardDelaySecs(s.remainingSteps);
  if (hardDelay !== null) {
    return learn({ ...stripKind(s), scheduledSecs: hardDelay, elapsedSecs: 0, memoryState });
  }
  const [minimum, maximum] = minAndMaxReviewIntervals(ctx, 1);
  const states = ctx.fsrsNextStates;
  const interval = states ? states.hard.interval : f32(ctx.graduatingIntervalGood);
  if (states && shortTermAllowed(ctx, ctx.steps.isEmpty(), interval)) {
    return learn({ ...stripKind(s), scheduledSecs: daysToSecs(interval), elapsedSecs: 0, memoryState });
  }
  return newReview(ctx, reviewFuzz(ctx, roundDaysMin1(interval), minimum, maximum), memoryState);
}

function learnGood(s: LearnState, ctx: StateContext): CardState {
  const memoryState = ctx.fsrsNextStates?.good.memory ?? null;
  const goodDelay = ctx.steps.goodDelaySecs(s.remainingSteps);
  if (goodDelay !== null) {
    return learn({
      remainingSteps: ctx.steps.remainingForGood(s.remainingSteps),
      scheduledSecs: goodDelay,
      elapsedSecs: 0,
      memoryState,
    });
  }
  const [minimum, maximum] = minAndMaxReviewIntervals(ctx, 1);
  const states = ctx.fsrsNextStates;
  const interval = states ? states.good.interval : f32(ctx.graduatingIntervalGood);
  if (states && shortTermAllowed(ctx, ctx.steps.isEmpty(), interval)) {
    return learn({ ...stripKind(s), scheduledSecs: daysToSecs(interval), elapsedSecs: 0, memoryState });
  }
  return newReview(ctx, reviewFuzz(ctx, roundDaysMin1(interval), minimum, maximum), memoryState);
}

function learnEasy(_s: LearnState, ctx: StateContext): ReviewState {
  const [minimumBase, maximum] = minAndMaxReviewIntervals(ctx, 1);
  let minimum = minimumBase;
  let interval: number;
  const states = ctx.fsrsNextStates;
  if (states) {
    const good = reviewFuzz(ctx, states.good.interval, minimum, maximum);
    minimum = good + 1;
    interval = asU32(roundDaysMin1(states.easy.interval));
  } else {
    interval = ctx.graduatingIntervalEasy;
  }
  return newReview(ctx, reviewFuzz(ctx, f32(interval), minimum, maximum), states?.easy.memory ?? null);
}

export function learningNextStates(s: LearnState, ctx: StateContext): SchedulingStates {
  return {
    current: s,
    again: learnAgain(s, ctx),
    hard: learnHard(s, ctx),
    good: learnGood(s, ctx),
    easy: learnEasy(s, ctx),
  };
}
