import { describe, expect, it } from 'vitest';
import type { FsrsNextStates } from '../fsrs/model';
import { leechThresholdMet, nextStates } from './next-states';
import { LearningSteps } from './steps';
import type { CardState, LearnState, RelearnState, ReviewState, StateContext } from './types';

/** Anki's StateContext::defaults_for_testing(). */
function ctx(overrides: Partial<StateContext> = {}): StateContext {
  return {
    fuzzFactor: null,
    fsrsNextStates: null,
    fsrsShortTermWithStepsEnabled: false,
    fsrsAllowShortTerm: false,
    steps: new LearningSteps([1, 10]),
    graduatingIntervalGood: 1,
    graduatingIntervalEasy: 4,
    initialEaseFactor: 2.5,
    hardMultiplier: Math.fround(1.2),
    easyMultiplier: Math.fround(1.3),
    intervalMultiplier: 1,
    maximumReviewInterval: 36500,
    leechThreshold: 8,
    loadBalancer: null,
    relearnSteps: new LearningSteps([10]),
    lapseMultiplier: 0,
    minimumLapseInterval: 1,
    inFilteredDeck: false,
    previewDelays: { again: 1, hard: 10, good: 0 },
    ...overrides,
  };
}

const review = (p: Partial<ReviewState>): ReviewState => ({
  kind: 'review',
  scheduledDays: 1,
  elapsedDays: 1,
  easeFactor: Math.fround(1.3),
  lapses: 0,
  leeched: false,
  memoryState: null,
  ...p,
});

const learn = (remainingSteps: number): LearnState => ({
  kind: 'learning',
  remainingSteps,
  scheduledSecs: 60,
  elapsedSecs: 0,
  memoryState: null,
});

const relearnState = (): RelearnState => ({
  kind: 'relearning',
  learning: { remainingSteps: 1, scheduledSecs: 600, elapsedSecs: 0, memoryState: null },
  review: { scheduledDays: 3, elapsedDays: 3, easeFactor: 2.5, lapses: 1, leeched: false, memoryState: null },
});

function days(s: CardState): number {
  if (s.kind !== 'review') throw new Error(`expected review, got ${s.kind}`);
  return s.scheduledDays;
}

function passing(state: ReviewState, c: StateContext): [number, number, number] {
  const n = nextStates(state, c);
  return [days(n.hard), days(n.good), days(n.easy)];
}

function fsrsStates(again: number, hard: number, good: number, easy: number): FsrsNextStates {
  const m = { stability: 1, difficulty: 5 };
  return {
    again: { memory: m, interval: again },
    hard: { memory: m, interval: hard },
    good: { memory: m, interval: good },
    easy: { memory: m, interval: easy },
  };
}

describe('review intervals (Anki review.rs tests)', () => {
  it('extreme multipliers', () => {
    const s = review({});
    expect(passing(s, ctx({ fuzzFactor: 0 }))).toEqual([2, 3, 4]);
    expect(passing(s, ctx({ fuzzFactor: 0, intervalMultiplier: Math.fround(0.1) }))).toEqual([2, 3, 4]);
    expect(passing(s, ctx({ fuzzFactor: 0.99, intervalMultiplier: Math.fround(0.1) }))).toEqual([2, 4, 6]);
    expect(passing(s, ctx({ fuzzFactor: 0.99, intervalMultiplier: 10, maximumReviewInterval: 5 }))).toEqual([5, 5, 5]);
  });

  it('a low hard multiplier does not pull good down', () => {
    const s = review({ scheduledDays: 2, elapsedDays: 2 });
    expect(passing(s, ctx({ fuzzFactor: 0, hardMultiplier: Math.fround(0.1) }))).toEqual([1, 3, 4]);
  });

  it('leech threshold: at threshold and every half threshold after', () => {
    const hits = (t: number, max: number) => Array.from({ length: max + 1 }, (_, l) => l).filter((l) => leechThresholdMet(l, t));
    expect(hits(3, 7)).toEqual([3, 5, 7]);
    expect(hits(8, 16)).toEqual([8, 12, 16]);
    expect(hits(0, 5)).toEqual([]);
    expect(hits(1, 3)).toEqual([1, 2, 3]);
  });

  it('early review (filtered deck) uses elapsed days and no fuzz', () => {
    // ivl 10, reviewed 4 days after the last review
    const n = nextStates(review({ scheduledDays: 10, elapsedDays: 4, easeFactor: 2.5 }), ctx({ fuzzFactor: 0.99 }));
    // hard max(4×1.2, 10×0.6)=6; good max(4×2.5, 10)=10; easy 10×(1.3−0.15)=11.5→12
    expect([days(n.hard), days(n.good), days(n.easy)]).toEqual([6, 10, 12]);
  });
});

describe('learning (Anki learning.rs tests)', () => {
  it('again on any step resets to the first step', () => {
    for (const r of [1, 2]) {
      expect(nextStates(learn(r), ctx()).again).toMatchObject({ kind: 'learning', remainingSteps: 2, scheduledSecs: 60 });
    }
  });
  it('without steps every button graduates', () => {
    const c = ctx({ steps: new LearningSteps([]) });
    const n = nextStates(learn(0), c);
    expect(days(n.again)).toBe(1);
    expect(days(n.hard)).toBe(1);
    expect(days(n.good)).toBe(1);
    expect(days(n.easy)).toBe(4);
  });
  it('hard keeps the step', () => {
    expect(nextStates(learn(2), ctx()).hard).toMatchObject({ remainingSteps: 2, scheduledSecs: 330 });
    expect(nextStates(learn(1), ctx()).hard).toMatchObject({ remainingSteps: 1, scheduledSecs: 600 });
  });
  it('good advances, then graduates', () => {
    expect(nextStates(learn(2), ctx()).good).toMatchObject({ kind: 'learning', remainingSteps: 1, scheduledSecs: 600 });
    expect(days(nextStates(learn(1), ctx()).good)).toBe(1);
  });
  it('new card acts like a failed learning card but keeps current = new', () => {
    const n = nextStates({ kind: 'new', position: 3 }, ctx());
    expect(n.current).toEqual({ kind: 'new', position: 3 });
    expect(n.again).toMatchObject({ kind: 'learning', remainingSteps: 2, scheduledSecs: 60 });
    expect(n.hard).toMatchObject({ kind: 'learning', remainingSteps: 2, scheduledSecs: 330 });
    expect(n.good).toMatchObject({ kind: 'learning', remainingSteps: 1, scheduledSecs: 600 });
    expect(n.easy).toMatchObject({ kind: 'review', scheduledDays: 4, easeFactor: 2.5 });
  });
});

describe('relearning (Anki relearning.rs tests)', () => {
  it('SM-2 easy adds a day; good on the last step returns the stored review', () => {
    const n = nextStates(relearnState(), ctx());
    expect(days(n.easy)).toBe(4);
    expect(days(n.good)).toBe(3);
  });
  it('FSRS without relearning steps uses the FSRS intervals', () => {
    const c = ctx({ relearnSteps: new LearningSteps([]), fsrsNextStates: fsrsStates(2, 3, 5, 7) });
    const n = nextStates(relearnState(), c);
    expect(days(n.again)).toBe(2);
    expect(days(n.hard)).toBe(3);
    expect(days(n.good)).toBe(5);
  });
  it('FSRS short-term intervals keep the card relearning', () => {
    const c = ctx({
      relearnSteps: new LearningSteps([]),
      fsrsNextStates: fsrsStates(0.2, 0.3, 0.4, 7),
      fsrsAllowShortTerm: true,
    });
    const n = nextStates(relearnState(), c);
    expect(n.again).toMatchObject({ kind: 'relearning', learning: { scheduledSecs: 17280 } });
    expect(n.hard).toMatchObject({ kind: 'relearning', learning: { scheduledSecs: 25920 } });
    expect(n.good).toMatchObject({ kind: 'relearning', learning: { scheduledSecs: 34560 } });
  });
  it('FSRS easy uses the algorithm interval, not +1', () => {
    const n = nextStates(relearnState(), ctx({ fsrsNextStates: fsrsStates(1, 2, 3, 7) }));
    expect(days(n.easy)).toBe(7);
  });
  it('two relearning steps', () => {
    const c = ctx({ relearnSteps: new LearningSteps([5, 10]) });
    const last = relearnState();
    expect(nextStates(last, c).again).toMatchObject({ learning: { remainingSteps: 2 } });
    expect(nextStates(last, c).hard).toMatchObject({ learning: { remainingSteps: 1 } });
    const first: RelearnState = { ...last, learning: { ...last.learning, remainingSteps: 2 } };
    expect(nextStates(first, c).good).toMatchObject({ kind: 'relearning', learning: { remainingSteps: 1 } });
  });
});

describe('filtered states', () => {
  it('preview: again/hard delay, good/easy finish', () => {
    const n = nextStates({ kind: 'preview', scheduledSecs: 60, finished: false }, ctx({ previewDelays: { again: 60, hard: 600, good: 0 } }));
    expect(n.again).toEqual({ kind: 'preview', scheduledSecs: 60, finished: false });
    expect(n.hard).toEqual({ kind: 'preview', scheduledSecs: 600, finished: false });
    expect(n.good).toEqual({ kind: 'preview', scheduledSecs: 0, finished: true });
    expect(n.easy).toEqual({ kind: 'preview', scheduledSecs: 0, finished: true });
  });
  it('rescheduling: review results leave the deck, others stay wrapped', () => {
    const n = nextStates({ kind: 'rescheduling', originalState: learn(1) }, ctx({ inFilteredDeck: true }));
    expect(n.again.kind).toBe('rescheduling');
    expect(n.good.kind).toBe('review');
    const outside = nextStates({ kind: 'rescheduling', originalState: learn(1) }, ctx({ inFilteredDeck: false }));
    expect(outside.again.kind).toBe('learning');
  });
});
