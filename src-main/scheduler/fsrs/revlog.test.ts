import { describe, expect, it } from 'vitest';
import { Fsrs } from './model';
import { forwardReviews, ignoreRevlogsBeforeMs, memoryStateForCard, reviewsForFsrs, type RevlogForFsrs } from './revlog';

const NEXT_DAY_AT = 86_400 * 1000;
const LEARNING = 0;
const REVIEW = 1;
const FILTERED = 3;
const MANUAL = 4;

/** Anki params.rs tests `revlog(kind, days_ago)`: rating 3 (0 for manual), interval 1, factor 0. */
function revlog(type: number, daysAgo: number, extra: Partial<RevlogForFsrs> = {}): RevlogForFsrs {
  return { id: (NEXT_DAY_AT - daysAgo * 86_400) * 1000, ease: type === MANUAL || type === 5 ? 0 : 3, ivl: 1, factor: 0, type, ...extra };
}

const deltas = (entries: RevlogForFsrs[]) => reviewsForFsrs(entries, NEXT_DAY_AT, 0)?.reviews.map((r) => r.deltaT) ?? null;

describe('reviews_for_fsrs (memory-state mode)', () => {
  it('computes delta_t between rated entries', () => {
    expect(deltas([revlog(LEARNING, 1), revlog(REVIEW, 0)])).toEqual([0, 1]);
    expect(deltas([revlog(LEARNING, 15), revlog(LEARNING, 13), revlog(REVIEW, 10), revlog(REVIEW, 5)])).toEqual([0, 2, 3, 5]);
  });

  it('skips cram entries and history before a reset', () => {
    expect(deltas([revlog(LEARNING, 10), revlog(FILTERED, 8), revlog(REVIEW, 5)])).toEqual([0, 5]);
    expect(deltas([revlog(LEARNING, 20), revlog(REVIEW, 15), revlog(MANUAL, 10), revlog(LEARNING, 9), revlog(REVIEW, 2)])).toEqual([0, 7]);
    // reset with no grade after it: nothing left
    expect(deltas([revlog(LEARNING, 20), revlog(MANUAL, 10)])).toBeNull();
  });

  it('parses the ignore-before date as UTC midnight', () => {
    expect(ignoreRevlogsBeforeMs('')).toBe(0);
    expect(ignoreRevlogsBeforeMs('2024-01-02')).toBe(Date.UTC(2024, 0, 2));
  });
});

describe('memory state from revlog (Anki memory_state.rs tests)', () => {
  const fsrs = new Fsrs();
  const opts = { nextDayAt: NEXT_DAY_AT, historicalRetention: 0.9 };
  const card = { ctype: 2, interval: 100, easeFactor: 2500 };

  it('bypassed learning: starting state from SM-2, then the later review', () => {
    const m = memoryStateForCard(fsrs, card, [revlog(REVIEW, 99, { factor: 2500, ivl: 100 }), revlog(REVIEW, 0)], opts)!;
    expect(Math.round(m.stability)).toBe(Math.round(248.9251));
    expect(Math.round(m.difficulty)).toBe(Math.round(4.9938006));
    const single = memoryStateForCard(fsrs, card, [revlog(REVIEW, 100, { factor: 2500, ivl: 100 })], opts)!;
    expect(Math.round(single.stability)).toBe(100);
    expect(Math.round(single.difficulty)).toBe(5);
  });

  it('zero history falls back to the card’s ease and interval', () => {
    const m = memoryStateForCard(fsrs, { ctype: 2, interval: 100, easeFactor: 1300 }, [], opts)!;
    // Anki compares rounded values (its literals predate the FSRS-6 defaults);
    // by hand: D = 11 − 0.3 / (e^w8 · 100^−w9 · expm1(0.1·w10)) = 9.8005
    expect(Math.round(m.stability)).toBe(100);
    expect(Math.round(m.difficulty)).toBe(10);
    expect(m.difficulty).toBeCloseTo(9.8005, 3);
    expect(memoryStateForCard(fsrs, { ctype: 1, interval: 0, easeFactor: 0 }, [], opts)).toBeNull();
  });

  it('a complete history replays from the first learning step', () => {
    const m = memoryStateForCard(fsrs, card, [revlog(LEARNING, 3), revlog(REVIEW, 1)], opts)!;
    const expected = forwardReviews(fsrs, [
      { rating: 3, deltaT: 0 },
      { rating: 3, deltaT: 2 },
    ], null);
    expect(m).toEqual(expected);
    expect(fsrs.nextStates(fsrs.nextStates(null, 0.9, 0).good.memory, 0.9, 2).good.memory).toEqual(expected);
  });
});
