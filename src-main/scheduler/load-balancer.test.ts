import { describe, expect, it } from 'vitest';
import { constrainedFuzzBounds } from './fuzz';
import { LoadBalancer, parseEasyDaysPercentages, weightedIndexSample } from './load-balancer';
import { ChaCha12Rng } from './rng';

const TODAY = 100;
const NEXT_DAY_AT = 1_700_000_000;
const mondayFirst = (secs: number): number => (new Date(secs * 1000).getUTCDay() + 6) % 7;

function balancer(dueCounts: Record<number, number>, easy: number[] = [], extra: Array<[number, number, number]> = []) {
  const cards = [];
  let id = 1;
  for (const [day, count] of Object.entries(dueCounts)) {
    for (let i = 0; i < count; i++) cards.push({ cardId: id, noteId: 10_000 + id++, presetId: 1, due: TODAY + Number(day) });
  }
  for (const [cardId, noteId, day] of extra) cards.push({ cardId, noteId, presetId: 1, due: TODAY + day });
  return new LoadBalancer({
    today: TODAY,
    nextDayAt: NEXT_DAY_AT,
    easyDaysByPreset: new Map([[1, easy]]),
    cards,
    weekdayOf: mondayFirst,
  });
}

describe('weighted index sampling (rand 0.9 WeightedIndex<f32>)', () => {
  it('maps the f32 draw onto cumulative weights', () => {
    // seed 0 draws 0.80146 → 2.404 of 3 → third item
    expect(weightedIndexSample([1, 1, 1], ChaCha12Rng.seedFromU64(0n))).toBe(2);
    // seed 42 draws 0.1334 → first item
    expect(weightedIndexSample([1, 1, 1], ChaCha12Rng.seedFromU64(42n))).toBe(0);
    // zero-weight items are never chosen
    for (let s = 0n; s < 50n; s++) expect(weightedIndexSample([0, 1, 0], ChaCha12Rng.seedFromU64(s))).toBe(1);
    expect(weightedIndexSample([0, 0], ChaCha12Rng.seedFromU64(1n))).toBeNull();
    expect(weightedIndexSample([], ChaCha12Rng.seedFromU64(1n))).toBeNull();
  });
});

describe('load balancer', () => {
  it('stays inside the fuzz range and falls back for long intervals or unknown presets', () => {
    const lb = balancer({ 20: 5 });
    const [lo, hi] = constrainedFuzzBounds(20, 1, 36500);
    for (let s = 0n; s < 100n; s++) {
      const d = lb.findInterval(20, 1, 36500, 1, s, null)!;
      expect(d).toBeGreaterThanOrEqual(lo);
      expect(d).toBeLessThanOrEqual(hi);
    }
    expect(lb.findInterval(91, 1, 36500, 1, 5n, null)).toBeNull();
    expect(lb.findInterval(20, 91, 36500, 1, 5n, null)).toBeNull();
    expect(lb.findInterval(20, 1, 36500, 2, 5n, null)).toBeNull();
    expect(lb.findInterval(20, 1, 36500, 1, null, null)).toBeNull();
  });

  it('prefers empty days', () => {
    // every day of 17–23 is busy except 21
    const lb = balancer({ 17: 30, 18: 30, 19: 30, 20: 30, 22: 30, 23: 30 });
    for (let s = 0n; s < 50n; s++) expect(lb.findInterval(20, 1, 36500, 1, s, null)).toBe(21);
  });

  it('steers away from siblings when a note id is given', () => {
    const lb = balancer({ 17: 1, 18: 1, 19: 1, 20: 1, 21: 1, 22: 1, 23: 1 }, [], [[999, 42, 20]]);
    const picks = new Set<number>();
    for (let s = 0n; s < 200n; s++) picks.add(lb.findInterval(20, 1, 36500, 1, s, 42)!);
    expect(picks.has(20)).toBe(false);
  });

  it('avoids "minimum" easy days', () => {
    // make every weekday but one a minimum day
    const lb = balancer({ 17: 1, 18: 1, 19: 1, 20: 1, 21: 1, 22: 1, 23: 1 }, [1, 0, 0, 0, 0, 0, 0]);
    const picks = new Set<number>();
    for (let s = 0n; s < 100n; s++) picks.add(lb.findInterval(20, 1, 36500, 1, s, null)!);
    expect(picks.size).toBe(1);
    const day = [...picks][0];
    expect(mondayFirst(NEXT_DAY_AT + (day - 1) * 86_400)).toBe(0);
  });

  it('tracks answered cards', () => {
    const lb = balancer({ 17: 30, 18: 30, 19: 30, 20: 30, 22: 30, 23: 30 });
    lb.addCard(5000, 5000, 1, 21);
    lb.removeCard(5000);
    expect(lb.findInterval(20, 1, 36500, 1, 3n, null)).toBe(21);
    expect(parseEasyDaysPercentages([])).toHaveLength(7);
    expect(() => parseEasyDaysPercentages([1, 1])).toThrow();
  });
});
