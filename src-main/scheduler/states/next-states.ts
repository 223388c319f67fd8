// The v3 state machine: for a current card state, the state each answer button leads to.
// Behaviour follows Anki's scheduler/states/{learning,review,relearning,normal,filtered,…}.rs.
//
// Per current state: learning-states (and new), review-states, relearning-states; this module
// adds preview and the rescheduling filter. The queries about a state are in state-queries.

import { learningNextStates } from './learning-states';
import { relearningNextStates } from './relearning-states';
import { reviewNextStates } from './review-states';
import { learn } from './state-helpers';
import type { CardState, NormalState, PreviewState, SchedulingStates, StateContext } from './types';

export {
  daysLate,
  EASE_FACTOR_AGAIN_DELTA,
  EASE_FACTOR_EASY_DELTA,
  EASE_FACTOR_HARD_DELTA,
  INITIAL_EASE_FACTOR,
  leechThresholdMet,
  minAndMaxReviewIntervals,
  MINIMUM_EASE_FACTOR,
  reviewFuzz,
} from './state-helpers';
export {
  intervalAsRevlog,
  intervalAsSeconds,
  intervalKind,
  isLeeched,
  maybeAsDays,
  newPosition,
  reviewStateOf,
  RevlogReviewKind,
  revlogKind,
} from './state-queries';

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
