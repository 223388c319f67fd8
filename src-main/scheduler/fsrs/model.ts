// The FSRS memory model as Anki runs it (fsrs-rs 6.6.1, in f32).
//
// Why not ts-fsrs for the arithmetic: ts-fsrs computes in f64, rounds S/D to 8 decimals, floors the
// initial stability at 0.1 and ignores parameter clipping, whereas fsrs-rs works in f32 after
// clipping the parameters. Those differences change the 4th decimal of `s` written to cards.data,
// and can flip an interval that sits on a .5 rounding or fuzz boundary. So the ~80 lines of formulas
// are implemented here with Math.fround on every step. ts-fsrs remains the source of the default
// parameters and the cross-check oracle in the tests.

import { default_w } from 'ts-fsrs';
import { f32 } from '../f32';

export interface MemoryState {
  stability: number;
  difficulty: number;
}

export interface ItemState {
  memory: MemoryState;
  /** Interval in days (float) for the desired retention. */
  interval: number;
}

export interface FsrsNextStates {
  again: ItemState;
  hard: ItemState;
  good: ItemState;
  easy: ItemState;
}

export const S_MIN = f32(0.001);
export const S_MAX = 36500;
export const D_MIN = 1;
export const D_MAX = 10;
const INIT_S_MAX = 100;
export const FSRS5_DEFAULT_DECAY = 0.5;
export const FSRS6_DEFAULT_DECAY = f32(0.1542);

/** The FSRS-6 defaults (fsrs-rs DEFAULT_PARAMETERS; identical to ts-fsrs `default_w`). */
export const DEFAULT_PARAMETERS: readonly number[] = Object.freeze(default_w.map((w) => f32(w)));

const fexp = (x: number): number => f32(Math.exp(x));
const fln = (x: number): number => f32(Math.log(x));
const fpow = (x: number, y: number): number => f32(Math.pow(x, y));
const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/** Preset params in Anki's precedence: FSRS-6, else FSRS-5, else FSRS-4 (may be empty). */
export function presetFsrsParams(config: {
  fsrsParams6: readonly number[];
  fsrsParams5: readonly number[];
  fsrsParams4: readonly number[];
}): readonly number[] {
  if (config.fsrsParams6.length > 0) return config.fsrsParams6;
  if (config.fsrsParams5.length > 0) return config.fsrsParams5;
  return config.fsrsParams4;
}

/** The decay Anki writes to card data for a parameter list (before any filling or clipping). */
export function decayFromParams(params: readonly number[]): number {
  if (params.length === 0) return FSRS6_DEFAULT_DECAY;
  if (params.length < 21) return FSRS5_DEFAULT_DECAY;
  return f32(params[20]);
}

/** Whether same-day (sub-day) FSRS intervals may keep a card in (re)learning. */
export function fsrsAllowsShortTerm(params: readonly number[]): boolean {
  if (params.length >= 19) return params[17] > 0 && params[18] > 0;
  return params.length === 0;
}

/** fsrs-rs `check_and_fill_parameters` followed by `clip_parameters(…, 1, false)`. */
export function fillAndClipParameters(params: readonly number[]): number[] {
  let w: number[];
  switch (params.length) {
    case 0:
      w = [...DEFAULT_PARAMETERS];
      break;
    case 17: {
      w = params.map((v) => f32(v));
      w[4] = f32(w[5] * 2 + w[4]);
      w[5] = f32(fln(f32(w[5] * 3 + 1)) / 3);
      w[6] = f32(w[6] + 0.5);
      w.push(0, 0, 0, FSRS5_DEFAULT_DECAY);
      break;
    }
    case 19:
      w = [...params.map((v) => f32(v)), 0, FSRS5_DEFAULT_DECAY];
      break;
    case 21:
      w = params.map((v) => f32(v));
      break;
    default:
      throw new Error(`invalid FSRS parameters: expected 0, 17, 19 or 21 values, got ${params.length}`);
  }
  if (w.some((v) => !Number.isFinite(v))) throw new Error('invalid FSRS parameters: non-finite value');
  const ceil17_18 = 2; // one relearning step
  const bounds: Array<[number, number]> = [
    [S_MIN, INIT_S_MAX],
    [S_MIN, INIT_S_MAX],
    [S_MIN, INIT_S_MAX],
    [S_MIN, INIT_S_MAX],
    [D_MIN, D_MAX],
    [0.001, 4],
    [0.001, 4],
    [0.001, 0.75],
    [0, 4.5],
    [0, 0.8],
    [0.001, 3.5],
    [0.001, 5],
    [0.001, 0.25],
    [0.001, 0.9],
    [0, 4],
    [0, 1],
    [1, 6],
    [0, ceil17_18],
    [0, ceil17_18],
    [0, 0.8],
    [0.1, 0.8],
  ];
  return w.map((v, i) => clamp(v, f32(bounds[i][0]), f32(bounds[i][1])));
}

function intervalFactor(w: readonly number[]): number {
  const decay = f32(-w[20]);
  return f32(fexp(f32(fln(f32(0.9)) / decay)) - 1);
}

export function powerForgettingCurve(w: readonly number[], t: number, s: number): number {
  const decay = f32(-w[20]);
  const factor = intervalFactor(w);
  return fpow(f32(f32(f32(f32(t) / f32(s)) * factor) + 1), decay);
}

/** Days until retrievability falls to `desiredRetention` (float, not rounded). */
export function nextInterval(w: readonly number[], stability: number, desiredRetention: number): number {
  const decay = f32(-w[20]);
  const factor = intervalFactor(w);
  return f32(f32(f32(stability) / factor) * f32(fpow(f32(desiredRetention), f32(1 / decay)) - 1));
}

function initStability(w: readonly number[], rating: number): number {
  return w[Math.min(Math.max(rating - 1, 0), 3)];
}

function initDifficulty(w: readonly number[], rating: number): number {
  return f32(f32(w[4] - fexp(f32(w[5] * Math.max(rating - 1, 0)))) + 1);
}

function nextDifficulty(w: readonly number[], d: number, rating: number): number {
  const deltaD = f32(-w[6] * f32(rating - 3));
  const damping = f32(f32(f32(f32(10 - d) * deltaD)) / 9);
  return f32(d + damping);
}

function meanReversion(w: readonly number[], newD: number): number {
  return f32(f32(w[7] * f32(initDifficulty(w, 4) - newD)) + newD);
}

function stabilityAfterSuccess(w: readonly number[], s: number, d: number, r: number, rating: number): number {
  const hardPenalty = rating === 2 ? w[15] : 1;
  const easyBonus = rating === 4 ? w[16] : 1;
  let x = fexp(w[8]);
  x = f32(x * f32(11 - d));
  x = f32(x * fpow(s, f32(-w[9])));
  x = f32(x * f32(fexp(f32(f32(1 - r) * w[10])) - 1));
  x = f32(x * hardPenalty);
  x = f32(x * easyBonus);
  return f32(s * f32(x + 1));
}

function stabilityAfterFailure(w: readonly number[], s: number, d: number, r: number): number {
  let x = f32(w[11] * fpow(d, f32(-w[12])));
  x = f32(x * f32(fpow(f32(s + 1), w[13]) - 1));
  x = f32(x * fexp(f32(f32(1 - r) * w[14])));
  const newSMin = f32(s / fexp(f32(w[17] * w[18])));
  return Math.min(x, newSMin);
}

function stabilityShortTerm(w: readonly number[], s: number, rating: number): number {
  const sinc = f32(fexp(f32(w[17] * f32(f32(rating - 3) + w[18]))) * fpow(s, f32(-w[19])));
  return f32(s * (rating >= 2 ? Math.max(sinc, 1) : sinc));
}

/** One review of the memory model (fsrs-rs `step`). `nth` is 0 for a card without memory state. */
export function step(w: readonly number[], deltaT: number, rating: number, state: MemoryState, nth: number): MemoryState {
  const lastS = clamp(state.stability, S_MIN, S_MAX);
  const lastD = clamp(state.difficulty, D_MIN, D_MAX);
  const r = powerForgettingCurve(w, deltaT, lastS);
  let newS = rating === 1 ? stabilityAfterFailure(w, lastS, lastD, r) : stabilityAfterSuccess(w, lastS, lastD, r, rating);
  if (deltaT === 0) newS = stabilityShortTerm(w, lastS, rating);
  let newD = nextDifficulty(w, lastD, rating);
  newD = clamp(meanReversion(w, newD), D_MIN, D_MAX);
  if (nth === 0 && state.stability === 0) {
    const initRating = Math.min(Math.max(rating, 1), 4);
    newS = initStability(w, initRating);
    newD = clamp(initDifficulty(w, initRating), D_MIN, D_MAX);
  }
  if (rating === 0) {
    newS = lastS;
    newD = lastD;
  }
  return { stability: clamp(newS, S_MIN, S_MAX), difficulty: newD };
}

/** A configured FSRS model (parameters filled and clipped as fsrs-rs `FSRS::new` does). */
export class Fsrs {
  readonly w: readonly number[];

  constructor(params: readonly number[] = []) {
    this.w = fillAndClipParameters(params);
  }

  /** The four possible next memory states and their float intervals (fsrs-rs `next_states`). */
  nextStates(current: MemoryState | null, desiredRetention: number, daysElapsed: number): FsrsNextStates {
    const [state, nth] = current
      ? [{ stability: f32(current.stability), difficulty: f32(current.difficulty) }, 1]
      : [{ stability: 0, difficulty: 0 }, 0];
    const item = (rating: number): ItemState => {
      const memory = step(this.w, daysElapsed, rating, state, nth);
      if (!Number.isFinite(memory.stability) || !Number.isFinite(memory.difficulty)) {
        throw new Error('FSRS produced an invalid memory state');
      }
      return { memory, interval: nextInterval(this.w, memory.stability, desiredRetention) };
    };
    return { again: item(1), hard: item(2), good: item(3), easy: item(4) };
  }

  retrievability(state: MemoryState, daysElapsed: number): number {
    return powerForgettingCurve(this.w, daysElapsed, state.stability);
  }

  /** Approximate memory state from SM-2 ease and interval (fsrs-rs `memory_state_from_sm2`). */
  memoryStateFromSm2(easeFactor: number, interval: number, sm2Retention: number): MemoryState {
    const w = this.w;
    const decay = f32(-w[20]);
    const factor = f32(fpow(f32(0.9), f32(1 / decay)) - 1);
    const stability = f32(
      f32(Math.max(f32(interval), S_MIN) * factor) / f32(fpow(f32(sm2Retention), f32(1 / decay)) - 1),
    );
    const denom = f32(
      f32(fexp(w[8]) * fpow(stability, f32(-w[9]))) * f32(Math.expm1(f32(f32(1 - f32(sm2Retention)) * w[10]))),
    );
    const difficulty = f32(11 - f32(f32(f32(easeFactor) - 1) / denom));
    if (!Number.isFinite(stability) || !Number.isFinite(difficulty)) {
      throw new Error('cannot derive an FSRS memory state from these SM-2 values');
    }
    return { stability, difficulty: clamp(difficulty, D_MIN, D_MAX) };
  }
}
