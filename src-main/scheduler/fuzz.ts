// Interval fuzz, as Anki's scheduler/states/fuzz.rs and answering/learning.rs apply it.

import { ChaCha12Rng } from './rng';
import { add, asU32, clampInt, f32, mul, roundHalfAway, sub } from './f32';

/** Fuzz seed: card id + reps (wrapping u64), reps being the count *before* this answer. */
export function fuzzSeed(cardId: number, reps: number): bigint {
  return BigInt.asUintN(64, BigInt(cardId) + BigInt(reps >>> 0));
}

/** Anki's fuzz factor in [0, 1): the first f32 drawn from `StdRng::seed_from_u64(seed)`. */
export function fuzzFactorFromSeed(seed: bigint | null): number | null {
  if (seed === null) return null;
  return ChaCha12Rng.seedFromU64(seed).randomF32Unit();
}

const FUZZ_RANGES: ReadonlyArray<{ start: number; end: number; factor: number }> = [
  { start: 2.5, end: 7, factor: f32(0.15) },
  { start: 7, end: 20, factor: f32(0.1) },
  { start: 20, end: f32(3.4028234663852886e38), factor: f32(0.05) },
];

/** Days of fuzz applied in each direction (f32). */
export function fuzzDelta(interval: number): number {
  const i = f32(interval);
  if (i < 2.5) return 0;
  let delta = 1;
  for (const r of FUZZ_RANGES) {
    delta = add(delta, mul(r.factor, Math.max(sub(Math.min(i, r.end), r.start), 0)));
  }
  return delta;
}

/** Unconstrained `[lower, upper]` days around `interval`. */
export function fuzzBounds(interval: number): [number, number] {
  const i = f32(interval);
  const d = fuzzDelta(i);
  return [asU32(roundHalfAway(sub(i, d))), asU32(roundHalfAway(add(i, d)))];
}

/** The fuzz range clamped into `[minimum, maximum]`, widened to 2 days when possible. */
export function constrainedFuzzBounds(interval: number, minimum: number, maximum: number): [number, number] {
  const min = Math.min(minimum, maximum);
  const i = Math.min(Math.max(f32(interval), min), maximum);
  let [lower, upper] = fuzzBounds(i);
  lower = clampInt(lower, min, maximum);
  upper = clampInt(upper, min, maximum);
  if (upper === lower && upper > 2 && upper < maximum) upper = lower + 1;
  return [lower, upper];
}

/**
 * Fuzz a review interval within `[minimum, maximum]`. With no fuzz factor (fuzz off), the interval is
 * just rounded and clamped.
 */
export function withReviewFuzz(
  fuzzFactor: number | null,
  interval: number,
  minimum: number,
  maximum: number,
): number {
  if (fuzzFactor !== null) {
    const [lower, upper] = constrainedFuzzBounds(interval, minimum, maximum);
    return asU32(Math.floor(add(f32(lower), mul(fuzzFactor, f32(1 + upper - lower)))));
  }
  return clampInt(asU32(roundHalfAway(f32(interval))), minimum, maximum);
}

/**
 * Minimum interval for a fuzzed FSRS review interval, so fuzz does not shrink an interval that
 * hardly grew: prev+1 if the rounded interval grew, prev if prev lies inside the fuzz range, else 0.
 */
export function minimumReviewFuzzInterval(interval: number, previousInterval: number, maximumInterval: number): number {
  const rounded = asU32(roundHalfAway(f32(interval)));
  const [, upper] = constrainedFuzzBounds(interval, 1, maximumInterval);
  if (rounded > previousInterval) return previousInterval + 1;
  if (previousInterval <= upper) return previousInterval;
  return 0;
}

/**
 * Learning-step fuzz: `secs` plus up to 25% (at most 300 s), drawn as an integer in
 * `[secs, secs + extra)` from the same seeded generator. No seed → no fuzz.
 */
export function learningIvlWithFuzz(seed: bigint | null, secs: number): number {
  if (seed === null) return secs;
  const extra = asU32(Math.floor(Math.min(mul(f32(secs), 0.25), 300)));
  const upperExclusive = secs + extra;
  if (secs >= upperExclusive) return secs;
  return ChaCha12Rng.seedFromU64(seed).randomRangeU32(secs, upperExclusive);
}
