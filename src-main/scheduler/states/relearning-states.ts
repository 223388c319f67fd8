// Transitions from a relearning card.

import { asU32 } from '../f32';
import {
  daysToSecs,
  minAndMaxReviewIntervals,
  relearn,
  review,
  reviewFuzz,
  roundDaysMin1,
  shortTermAllowed,
} from './state-helpers';
import { failingReviewInterval } from './review-states';
import type { CardState, RelearnState, ReviewState, SchedulingStates, StateContext } from './types';

function relearnAgain(s: RelearnState, ctx: StateContext): CardState {
  const [scheduledDays, memoryState] = failingReviewInterval(s.review, ctx);
  const againDelay = ctx.relearnSteps.againDelaySecs();
  if (againDelay !== null) {
    return relearn(
      { remainingSteps: ctx.relearnSteps.remainingForFailed(), scheduledSecs: againDelay, elapsedSecs: 0, memoryState },
      { ...s.review, scheduledDays: asU32(roundDaysMin1(scheduledDays)), elapsedDays: 0, memoryState },
    );
  }
  const states = ctx.fsrsNextStates;
  if (states) {
    const [minimum, maximum] = minAndMaxReviewIntervals(ctx, 1);
    const interval = states.again.interval;
    const againReview = {
      ...s.review,
      scheduledDays: reviewFuzz(ctx, roundDaysMin1(interval), minimum, maximum),
      memoryState,
    };
    if (shortTermAllowed(ctx, ctx.relearnSteps.isEmpty(), interval)) {
      return relearn(
        {
          remainingSteps: ctx.relearnSteps.remainingForFailed(),
          scheduledSecs: daysToSecs(interval),
          elapsedSecs: 0,
          memoryState,
        },
        againReview,
      );
    }
    return review(againReview);
  }
  return review({ ...s.review });
}

function relearnHard(s: RelearnState, ctx: StateContext): CardState {
  const memoryState = ctx.fsrsNextStates?.hard.memory ?? null;
  const hardDelay = ctx.relearnSteps.hardDelaySecs(s.learning.remainingSteps);
  if (hardDelay !== null) {
    return relearn(
      { ...s.learning, scheduledSecs: hardDelay, memoryState },
      { ...s.review, elapsedDays: 0, memoryState },
    );
  }
  const states = ctx.fsrsNextStates;
  if (states) {
    const [minimum, maximum] = minAndMaxReviewIntervals(ctx, 1);
    const interval = states.hard.interval;
    const hardReview = { ...s.review, scheduledDays: reviewFuzz(ctx, roundDaysMin1(interval), minimum, maximum), memoryState };
    if (shortTermAllowed(ctx, ctx.relearnSteps.isEmpty(), interval)) {
      return relearn({ ...s.learning, scheduledSecs: daysToSecs(interval), memoryState }, hardReview);
    }
    return review(hardReview);
  }
  return review({ ...s.review });
}

function relearnGood(s: RelearnState, ctx: StateContext): CardState {
  const memoryState = ctx.fsrsNextStates?.good.memory ?? null;
  const goodDelay = ctx.relearnSteps.goodDelaySecs(s.learning.remainingSteps);
  if (goodDelay !== null) {
    return relearn(
      {
        scheduledSecs: goodDelay,
        remainingSteps: ctx.relearnSteps.remainingForGood(s.learning.remainingSteps),
        elapsedSecs: 0,
        memoryState,
      },
      { ...s.review, elapsedDays: 0, memoryState },
    );
  }
  const states = ctx.fsrsNextStates;
  if (states) {
    const [minimum, maximum] = minAndMaxReviewIntervals(ctx, 1);
    const interval = states.good.interval;
    const goodReview = { ...s.review, scheduledDays: reviewFuzz(ctx, roundDaysMin1(interval), minimum, maximum), memoryState };
    if (shortTermAllowed(ctx, ctx.relearnSteps.isEmpty(), interval)) {
      return relearn(
        {
          ...s.learning,
          scheduledSecs: daysToSecs(interval),
          remainingSteps: ctx.relearnSteps.remainingForGood(s.learning.remainingSteps),
          memoryState,
        },
        goodReview,
      );
    }
    return review(goodReview);
  }
  return review({ ...s.review });
}

function relearnEasy(s: RelearnState, ctx: StateContext): ReviewState {
  const states = ctx.fsrsNextStates;
  let scheduledDays: number;
  if (states) {
    const [minimum, maximum] = minAndMaxReviewIntervals(ctx, 1);
    const good = reviewFuzz(ctx, states.good.interval, minimum, maximum);
    scheduledDays = reviewFuzz(ctx, roundDaysMin1(states.easy.interval), good + 1, maximum);
  } else {
    scheduledDays = s.review.scheduledDays + 1;
  }
  return review({ ...s.review, scheduledDays, elapsedDays: 0, memoryState: states ? states.easy.memory : null });
}

export function relearningNextStates(s: RelearnState, ctx: StateContext): SchedulingStates {
  return {
    current: s,
    again: relearnAgain(s, ctx),
    hard: relearnHard(s, ctx),
    good: relearnGood(s, ctx),
    easy: relearnEasy(s, ctx),
  };
}
