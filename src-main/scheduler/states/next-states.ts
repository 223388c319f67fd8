// The v3 state machine: for a current card state, the state each answer button leads to.
// Behaviour follows Anki's scheduler/states/{learning,review,relearning,normal,filtered,…}.rs.

import { add, asU32, div, f32, mul, roundHalfAway, sub } from '../f32';
import { minimumReviewFuzzInterval, withReviewFuzz } from '../fuzz';
import type {
  CardState,
  IntervalKind,
  LearnState,
  MemoryState,
  NormalState,
  PreviewState,
  RelearnState,
  ReviewState,
  SchedulingStates,
  StateContext,
} from './types';

export const INITIAL_EASE_FACTOR = 2.5;
export const MINIMUM_EASE_FACTOR = f32(1.3);
export const EASE_FACTOR_AGAIN_DELTA = f32(-0.2);
export const EASE_FACTOR_HARD_DELTA = f32(-0.15);
export const EASE_FACTOR_EASY_DELTA = f32(0.15);

// ---------------------------------------------------------------- helpers

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

const roundDaysMin1 = (v: number): number => Math.max(roundHalfAway(f32(v)), 1);
const daysToSecs = (v: number): number => asU32(mul(v, 86_400));

function learn(s: Omit<LearnState, 'kind'>): LearnState {
  return { kind: 'learning', ...s };
}
function review(s: Omit<ReviewState, 'kind'>): ReviewState {
  return { kind: 'review', ...s };
}
function relearn(learning: Omit<LearnState, 'kind'>, reviewState: Omit<ReviewState, 'kind'>): RelearnState {
  return { kind: 'relearning', learning: { ...learning }, review: { ...reviewState } };
}
function stripKind<T extends { kind: string }>(s: T): Omit<T, 'kind'> {
  const { kind: _kind, ...rest } = s;
  return rest;
}

function newReview(ctx: StateContext, scheduledDays: number, memoryState: MemoryState | null): ReviewState {
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

function shortTermAllowed(ctx: StateContext, stepsEmpty: boolean, interval: number): boolean {
  return ctx.fsrsAllowShortTerm && (ctx.fsrsShortTermWithStepsEnabled || stepsEmpty) && interval < 0.5;
}

// ---------------------------------------------------------------- learning

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

function learningNextStates(s: LearnState, ctx: StateContext): SchedulingStates {
  return {
    current: s,
    again: learnAgain(s, ctx),
    hard: learnHard(s, ctx),
    good: learnGood(s, ctx),
    easy: learnEasy(s, ctx),
  };
}

// ---------------------------------------------------------------- review

export function daysLate(s: Omit<ReviewState, 'kind'>): number {
  return s.elapsedDays - s.scheduledDays;
}

/** Lapse interval (float days) and the memory state after Again. */
function failingReviewInterval(s: Omit<ReviewState, 'kind'>, ctx: StateContext): [number, MemoryState | null] {
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

function reviewNextStates(s: ReviewState, ctx: StateContext): SchedulingStates {
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

// ---------------------------------------------------------------- relearning

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

function relearningNextStates(s: RelearnState, ctx: StateContext): SchedulingStates {
  return {
    current: s,
    again: relearnAgain(s, ctx),
    hard: relearnHard(s, ctx),
    good: relearnGood(s, ctx),
    easy: relearnEasy(s, ctx),
  };
}

// ---------------------------------------------------------------- normal & filtered

function normalNextStates(s: NormalState, ctx: StateContext): SchedulingStates {
  switch (s.kind) {
    case 'new': {
      // a new card is answered like a failed learning card, but stays "current: New"
      const next = learningNextStates(
        learn({ remainingSteps: ctx.steps.remainingForFailed(), scheduledSecs: 0, elapsedSecs: 0, memoryState: null }),
        ctx,
      );
      return { ...next, current: s };
    }
    case 'learning':
      return learningNextStates(s, ctx);
    case 'review':
      return reviewNextStates(s, ctx);
    case 'relearning':
      return relearningNextStates(s, ctx);
  }
}

function previewDelayOrReturn(seconds: number): PreviewState {
  return seconds === 0
    ? { kind: 'preview', scheduledSecs: 0, finished: true }
    : { kind: 'preview', scheduledSecs: seconds, finished: false };
}

/** Review states leave the filtered deck; the others stay wrapped in the rescheduling state. */
function maybeWrap(state: CardState): CardState {
  if (state.kind === 'preview' || state.kind === 'rescheduling') throw new Error('unexpected filtered state');
  if (state.kind === 'review') return state;
  return { kind: 'rescheduling', originalState: state };
}

/** The state each of Again/Hard/Good/Easy leads to. Pure; fuzz comes from `ctx.fuzzFactor`. */
export function nextStates(current: CardState, ctx: StateContext): SchedulingStates {
  switch (current.kind) {
    case 'preview':
      return {
        current,
        again: previewDelayOrReturn(ctx.previewDelays.again),
        hard: previewDelayOrReturn(ctx.previewDelays.hard),
        good: previewDelayOrReturn(ctx.previewDelays.good),
        easy: previewDelayOrReturn(0),
      };
    case 'rescheduling': {
      const normal = normalNextStates(current.originalState, ctx);
      if (!ctx.inFilteredDeck) return normal; // marked filtered but not in a filtered deck
      return {
        current,
        again: maybeWrap(normal.again),
        hard: maybeWrap(normal.hard),
        good: maybeWrap(normal.good),
        easy: maybeWrap(normal.easy),
      };
    }
    default:
      return normalNextStates(current, ctx);
  }
}

// ---------------------------------------------------------------- queries

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
