import { FSRSAlgorithm, default_w, generatorParameters } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARAMETERS,
  decayFromParams,
  fillAndClipParameters,
  Fsrs,
  fsrsAllowsShortTerm,
  nextInterval,
  presetFsrsParams,
  type MemoryState,
} from './model';

const fsrs = new Fsrs();

function expectState(actual: MemoryState, s: number, d: number): void {
  expect(actual.stability).toBeCloseTo(s, 4);
  expect(actual.difficulty).toBeCloseTo(d, 3);
}

describe('FSRS model (fsrs-rs 6.6.1 port)', () => {
  it('uses the FSRS-6 defaults', () => {
    expect(DEFAULT_PARAMETERS).toHaveLength(21);
    expect(DEFAULT_PARAMETERS.map((v) => Number(v.toFixed(4)))).toEqual([...default_w]);
    expect(decayFromParams([])).toBeCloseTo(0.1542, 6);
    expect(decayFromParams(new Array(19).fill(1))).toBe(0.5);
    expect(fsrsAllowsShortTerm([])).toBe(true);
    expect(fsrsAllowsShortTerm([...DEFAULT_PARAMETERS.slice(0, 17), 0, 0.1])).toBe(false);
    expect(fsrsAllowsShortTerm(new Array(17).fill(1))).toBe(false);
  });

  it('new card: initial states (spec §9)', () => {
    const n = fsrs.nextStates(null, 0.9, 0);
    expectState(n.again.memory, 0.212, 6.4133);
    expectState(n.hard.memory, 1.2931, 5.1122);
    expectState(n.good.memory, 2.3065, 2.1181);
    expectState(n.easy.memory, 8.2956, 1.0);
    // at dr 0.9 the interval equals the stability
    expect(n.good.interval).toBeCloseTo(2.3065, 3);
  });

  it('same-day repeat uses the short-term formula (t = 0)', () => {
    const n = fsrs.nextStates({ stability: 2.3065, difficulty: 2.1181 }, 0.9, 0);
    expectState(n.good.memory, 2.3065, 2.1112);
    expectState(n.easy.memory, 3.9461, 1.0);
    expectState(n.again.memory, 0.7751, 7.3945);
  });

  it('review S=10, D=5 at t=10 (R = 0.9)', () => {
    const n = fsrs.nextStates({ stability: 10, difficulty: 5 }, 0.9, 10);
    expect(fsrs.retrievability({ stability: 10, difficulty: 5 }, 10)).toBeCloseTo(0.9, 6);
    expectState(n.again.memory, 1.392, 8.3418);
    expectState(n.hard.memory, 23.2469, 6.666);
    expectState(n.good.memory, 32.0267, 4.9902);
    expectState(n.easy.memory, 51.2539, 3.3145);
  });

  it('interval scales with desired retention', () => {
    const w = fsrs.w;
    expect(nextInterval(w, 10, 0.9)).toBeCloseTo(10, 4);
    expect(nextInterval(w, 10, 0.8)).toBeGreaterThan(10);
    expect(nextInterval(w, 10, 0.95)).toBeLessThan(10);
  });

  it('agrees with ts-fsrs (f64) to ~1e-4 over a range of states', () => {
    const ts = new FSRSAlgorithm(generatorParameters({ enable_short_term: true }));
    const states: Array<[MemoryState | null, number]> = [
      [null, 0],
      [{ stability: 2.3065, difficulty: 2.1181 }, 0],
      [{ stability: 10, difficulty: 5 }, 10],
      [{ stability: 3.7, difficulty: 7.9 }, 12],
      [{ stability: 150, difficulty: 3.3 }, 40],
      [{ stability: 0.5, difficulty: 9.5 }, 1],
    ];
    for (const [mem, t] of states) {
      const ours = fsrs.nextStates(mem, 0.9, t);
      for (const [g, item] of [ours.again, ours.hard, ours.good, ours.easy].entries()) {
        const theirs = ts.next_state(mem ? { stability: mem.stability, difficulty: mem.difficulty } : null, t, g + 1);
        expect(Math.abs(item.memory.stability - theirs.stability) / theirs.stability).toBeLessThan(1e-4);
        expect(item.memory.difficulty).toBeCloseTo(theirs.difficulty, 3);
      }
    }
  });

  it('fills FSRS-5 and FSRS-4 parameter lists and clips like fsrs-rs', () => {
    const w5 = fillAndClipParameters(DEFAULT_PARAMETERS.slice(0, 19));
    expect(w5).toHaveLength(21);
    expect(w5[19]).toBe(0);
    expect(w5[20]).toBe(0.5);
    const w4 = fillAndClipParameters([
      0.4, 0.6, 2.4, 5.8, 4.93, 0.94, 0.86, 0.01, 1.49, 0.14, 0.94, 2.18, 0.05, 0.34, 1.26, 0.29, 2.61,
    ]);
    expect(w4[4]).toBeCloseTo(4.93 + 2 * 0.94, 5);
    expect(w4[5]).toBeCloseTo(Math.log(3 * 0.94 + 1) / 3, 5);
    expect(w4[6]).toBeCloseTo(1.36, 5);
    expect(w4.slice(17)).toEqual([0, 0, 0, 0.5]);
    // out-of-range values are clamped
    const wild = fillAndClipParameters([1000, ...DEFAULT_PARAMETERS.slice(1)]);
    expect(wild[0]).toBe(100);
    expect(() => fillAndClipParameters([1, 2, 3])).toThrow();
  });

  it('picks preset params in Anki order', () => {
    expect(presetFsrsParams({ fsrsParams6: [], fsrsParams5: [1], fsrsParams4: [2] })).toEqual([1]);
    expect(presetFsrsParams({ fsrsParams6: [3], fsrsParams5: [1], fsrsParams4: [2] })).toEqual([3]);
    expect(presetFsrsParams({ fsrsParams6: [], fsrsParams5: [], fsrsParams4: [] })).toEqual([]);
  });

  it('derives a memory state from SM-2 values', () => {
    const m = fsrs.memoryStateFromSm2(2.5, 10, 0.9);
    expect(m.stability).toBeCloseTo(10, 3);
    expect(m.difficulty).toBeGreaterThanOrEqual(1);
    expect(m.difficulty).toBeLessThanOrEqual(10);
  });
});
