// Anki's review load balancer (scheduler/states/load_balancer.rs): instead of a uniform fuzz draw,
// pick a day inside the same fuzz range, weighted towards days with fewer cards of the same preset,
// away from siblings (when the preset buries reviews) and away from "easy days". Off unless the
// queue builder creates one (config `loadBalancerEnabled`, default true, while study queues exist).

import { ChaCha12Rng } from './rng';
import { f32 } from './f32';
import { constrainedFuzzBounds } from './fuzz';
import type { ReviewFuzzHook } from './states/types';

const MAX_LOAD_BALANCE_INTERVAL = 90;
/** Days tracked from today: (90 × 1.1) as usize in f32 = 99. */
export const LOAD_BALANCE_DAYS = 99;
const SIBLING_MODIFIER_STEPS = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5];
const SIBLING_MODIFIER_RANGE = [1.0, 0.8, 0.6, 0.4, 0.2, 0.000001, 0.2, 0.4, 0.6, 0.8, 1.0].map((v) => f32(v));

type EasyDay = 'minimum' | 'reduced' | 'normal';
const easyDayFrom = (p: number): EasyDay => (p === 1 ? 'normal' : p === 0 ? 'minimum' : 'reduced');
const loadModifier = (d: EasyDay): number => (d === 'minimum' ? f32(0.0001) : d === 'reduced' ? 0.5 : 1);

/** Preset easy-days percentages (7 values, Monday first; empty = all normal). */
export function parseEasyDaysPercentages(percentages: readonly number[]): EasyDay[] {
  if (percentages.length === 0) return new Array<EasyDay>(7).fill('normal');
  if (percentages.length !== 7) throw new Error('expected 7 days');
  return percentages.map((p) => easyDayFrom(f32(p)));
}

class Day {
  cards: Array<[number, number]> = [];
  notes = new Set<number>();
  add(cid: number, nid: number): void {
    this.cards.push([cid, nid]);
    this.notes.add(nid);
  }
  remove(cid: number): void {
    const i = this.cards.findIndex((c) => c[0] === cid);
    if (i < 0) return;
    const [, nid] = this.cards[i];
    // swap_remove
    this.cards[i] = this.cards[this.cards.length - 1];
    this.cards.pop();
    if (!this.cards.some((c) => c[1] === nid)) this.notes.delete(nid);
  }
}

export interface LoadBalancerCard {
  cardId: number;
  noteId: number;
  /** Preset of the card's current deck; null/undefined for cards in filtered decks (skipped). */
  presetId: number | null | undefined;
  /** `due` column. Anki takes every card with today ≤ due < today+99, whatever its queue. */
  due: number;
}

export interface LoadBalancerOptions {
  today: number;
  nextDayAt: number;
  /** Easy-days percentages of every preset, by preset id. */
  easyDaysByPreset: ReadonlyMap<number, readonly number[]>;
  cards: Iterable<LoadBalancerCard>;
  /** Weekday (0 = Monday) of a Unix time in the user's time zone. Default: this machine's zone. */
  weekdayOf?: (secs: number) => number;
}

export class LoadBalancer {
  private readonly daysByPreset = new Map<number, Day[]>();
  private readonly easyDays = new Map<number, EasyDay[]>();
  private readonly nextDayAt: number;
  private readonly weekdayOf: (secs: number) => number;

  constructor(opts: LoadBalancerOptions) {
    this.nextDayAt = opts.nextDayAt;
    this.weekdayOf = opts.weekdayOf ?? ((secs) => (new Date(secs * 1000).getDay() + 6) % 7);
    for (const [id, pct] of opts.easyDaysByPreset) this.easyDays.set(id, parseEasyDaysPercentages(pct));
    for (const c of opts.cards) {
      if (c.presetId === null || c.presetId === undefined) continue;
      const idx = c.due - opts.today;
      if (idx < 0 || idx >= LOAD_BALANCE_DAYS) continue;
      this.presetDays(c.presetId, true)![idx].add(c.cardId, c.noteId);
    }
  }

  private presetDays(presetId: number, create = false): Day[] | undefined {
    let days = this.daysByPreset.get(presetId);
    if (!days && create) {
      days = Array.from({ length: LOAD_BALANCE_DAYS }, () => new Day());
      this.daysByPreset.set(presetId, days);
    }
    return days;
  }

  /** After answering: the card is now due in `interval` days (only presets already tracked). */
  addCard(cardId: number, noteId: number, presetId: number, interval: number): void {
    this.presetDays(presetId)?.[interval]?.add(cardId, noteId);
  }

  removeCard(cardId: number): void {
    for (const days of this.daysByPreset.values()) for (const d of days) d.remove(cardId);
  }

  /**
   * A fuzz hook for one card. Pass `noteId` only when the card's preset buries review siblings;
   * `fuzzSeed` is the card's fuzz seed (card id + reps), null disables balancing.
   */
  reviewContext(presetId: number, noteId: number | null, fuzzSeed: bigint | null): ReviewFuzzHook {
    return (interval, minimum, maximum) => this.findInterval(interval, minimum, maximum, presetId, fuzzSeed, noteId);
  }

  findInterval(
    interval: number,
    minimum: number,
    maximum: number,
    presetId: number,
    fuzzSeed: bigint | null,
    noteId: number | null,
  ): number | null {
    if (Math.trunc(interval) > MAX_LOAD_BALANCE_INTERVAL || minimum > MAX_LOAD_BALANCE_INTERVAL) return null;
    const [before, after] = constrainedFuzzBounds(interval, minimum, maximum);
    const days = this.daysByPreset.get(presetId);
    if (!days) return null;
    const easy = this.easyDays.get(presetId);
    if (!easy) return null;
    const window = days.slice(before, after + 1);
    const reviewCounts = window.map((d) => d.cards.length);
    const weekdays = window.map((_, i) => this.weekdayOf(this.nextDayAt + (i + before - 1) * 86_400));
    const easyMods = easyDaysModifiers(easy, weekdays, reviewCounts);
    const siblingMods = this.siblingModifiers(before, after, noteId);
    const weights = reviewCounts.map((count, i) => {
      if (count === 0) return 1;
      const target = i + before;
      const countWeight = f32(Math.pow(f32(1 / count), f32(2.15)));
      const inv = f32(1 / target);
      const ivlWeight = f32(inv * f32(inv * inv)); // powi(3)
      return f32(f32(f32(countWeight * ivlWeight) * siblingMods[i]) * easyMods[i]);
    });
    if (fuzzSeed === null) return null;
    const index = weightedIndexSample(weights, ChaCha12Rng.seedFromU64(fuzzSeed));
    return index === null ? null : before + index;
  }

  private siblingModifiers(before: number, after: number, noteId: number | null): number[] {
    const mods = new Array<number>(after - before + 1).fill(1);
    if (noteId === null) return mods;
    const siblingDays = new Set<number>();
    for (const days of this.daysByPreset.values()) {
      days.forEach((d, i) => {
        if (d.notes.has(noteId)) siblingDays.add(i);
      });
    }
    for (const day of siblingDays) {
      SIBLING_MODIFIER_STEPS.forEach((step, k) => {
        const target = day + step - before;
        if (target >= 0 && target < mods.length) mods[target] = f32(mods[target] * SIBLING_MODIFIER_RANGE[k]);
      });
    }
    return mods;
  }
}

function easyDaysModifiers(load: EasyDay[], weekdays: number[], counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  let totalPercents = 0;
  for (const w of weekdays) totalPercents = f32(totalPercents + loadModifier(load[w]));
  return weekdays.map((w, i) => {
    let day = load[w];
    if (day === 'reduced') {
      const otherTotal = f32(total - counts[i]);
      const otherPercent = f32(totalPercents - 0.5);
      const normalized = f32(counts[i] / 0.5);
      const threshold = f32(otherTotal / otherPercent);
      day = normalized > threshold ? 'minimum' : 'normal';
    }
    return loadModifier(day);
  });
}

/** rand 0.9 `WeightedIndex<f32>::new(weights).sample(rng)`; null when rand would refuse the weights. */
export function weightedIndexSample(weights: readonly number[], rng: ChaCha12Rng): number | null {
  if (weights.length === 0) return null;
  let total = f32(weights[0]);
  if (!(total >= 0)) return null;
  const cumulative: number[] = [];
  for (const w of weights.slice(1)) {
    if (!(w >= 0)) return null;
    cumulative.push(total);
    total = f32(total + f32(w));
    if (!Number.isFinite(total)) return null;
  }
  if (total === 0) return null;
  // UniformFloat::new(0, total): shrink the scale until scale × (1 − ε) + 0 ≤ total
  const maxRand = f32(1 - 2 ** -23);
  let scale = total;
  while (f32(scale * maxRand) > total) scale = prevF32(scale);
  const chosen = f32(f32(rng.randomF32Unit() * scale) + 0);
  // partition_point(|w| w <= chosen)
  let lo = 0;
  let hi = cumulative.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] <= chosen) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function prevF32(x: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, x);
  buf.setUint32(0, buf.getUint32(0) - 1);
  return buf.getFloat32(0);
}
