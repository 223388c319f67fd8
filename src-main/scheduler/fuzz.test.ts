import { describe, expect, it } from 'vitest';
import {
  constrainedFuzzBounds,
  fuzzDelta,
  fuzzFactorFromSeed,
  fuzzSeed,
  learningIvlWithFuzz,
  minimumReviewFuzzInterval,
  withReviewFuzz,
} from './fuzz';

describe('review fuzz', () => {
  it('without a factor just rounds and clamps', () => {
    expect(withReviewFuzz(null, 1.5, 1, 100)).toBe(2);
    expect(withReviewFuzz(null, 0.1, 1, 100)).toBe(1);
    expect(withReviewFuzz(null, 101, 1, 100)).toBe(100);
  });

  // Anki fuzz.rs test table: (interval, min, max) → value at factor 0, 0.5, 0.99
  it.each([
    [1.0, 1, 1000, 1, 1, 1],
    [2.49, 1, 1000, 2, 2, 2],
    [2.5, 1, 1000, 2, 3, 4],
    [7.0, 1, 1000, 5, 7, 9],
    [17.0, 1, 1000, 14, 17, 20],
    [37.0, 1, 1000, 33, 37, 41],
    [2.0, 2, 1000, 2, 2, 2],
    [2.0, 3, 1000, 3, 4, 4],
    [2.0, 3, 3, 3, 3, 3],
    [6.9, 3, 1000, 5, 7, 9],
    [7.0, 3, 1000, 5, 7, 9],
    [7.1, 3, 1000, 5, 7, 9],
    [19.9, 3, 1000, 17, 20, 23],
    [20.0, 3, 1000, 17, 20, 23],
    [20.1, 3, 1000, 17, 20, 23],
    [100.0, 101, 1000, 101, 105, 108],
    [100.0, 1, 99, 92, 96, 99],
    [100.0, 97, 103, 97, 100, 103],
  ])('fuzz(%s, %s..%s) = %s / %s / %s', (ivl, min, max, lo, mid, hi) => {
    expect(withReviewFuzz(0, ivl, min, max)).toBe(lo);
    expect(withReviewFuzz(0.5, ivl, min, max)).toBe(mid);
    expect(withReviewFuzz(0.99, ivl, min, max)).toBe(hi);
  });

  it('does not throw on min > max', () => {
    expect(() => constrainedFuzzBounds(1, 3, 2)).not.toThrow();
  });

  // spec §5 reference ranges
  it.each([
    [2.5, 1.0, 2, 4],
    [3, 1.075, 2, 4],
    [5, 1.375, 4, 6],
    [7, 1.675, 5, 9],
    [10, 1.975, 8, 12],
    [12, 2.175, 10, 14],
    [15, 2.475, 13, 17],
    [20, 2.975, 17, 23],
    [25, 3.225, 22, 28],
    [30, 3.475, 27, 33],
    [50, 4.475, 46, 54],
    [100, 6.975, 93, 107],
    [180, 10.975, 169, 191],
    [365, 20.225, 345, 385],
  ])('interval %s: delta %s, range %s–%s', (ivl, delta, lo, hi) => {
    expect(fuzzDelta(ivl)).toBeCloseTo(delta, 5);
    expect(constrainedFuzzBounds(ivl, 1, 36500)).toEqual([lo, hi]);
  });

  it('minimum_review_fuzz_interval keeps the previous interval only inside the range', () => {
    expect(minimumReviewFuzzInterval(2.7269483, 4, 36500)).toBe(4);
    expect(minimumReviewFuzzInterval(2.7269483, 5, 36500)).toBe(0);
    expect(minimumReviewFuzzInterval(4.591988, 4, 36500)).toBe(5);
  });

  it('seeds with card id + reps', () => {
    expect(fuzzSeed(1_700_000_000_000, 5)).toBe(1700000000005n);
    expect(fuzzFactorFromSeed(fuzzSeed(1_700_000_000_000, 5))).toBeCloseTo(0.601891875, 8);
    expect(fuzzFactorFromSeed(null)).toBeNull();
  });
});

describe('learning-step fuzz', () => {
  it('adds up to 25% (max 300 s) from the seeded generator', () => {
    expect(learningIvlWithFuzz(0n, 60)).toBe(72);
    expect(learningIvlWithFuzz(1700000000005n, 600)).toBe(690);
    expect(learningIvlWithFuzz(null, 600)).toBe(600);
    for (let seed = 0n; seed < 200n; seed++) {
      const v = learningIvlWithFuzz(seed, 6000);
      expect(v).toBeGreaterThanOrEqual(6000);
      expect(v).toBeLessThan(6300);
      const w = learningIvlWithFuzz(seed, 60);
      expect(w).toBeGreaterThanOrEqual(60);
      expect(w).toBeLessThan(75);
    }
    // too short to fuzz: 3 s → floor(0.75) = 0 extra
    expect(learningIvlWithFuzz(5n, 3)).toBe(3);
  });
});
