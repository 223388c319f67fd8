// Chart geometry for the statistics screen, drawn as plain SVG: scales, "nice" ticks, stacked
// bars, interval buckets and retention figures. Pure functions (tested without a DOM).

export interface Scale {
  (v: number): number;
  domain: [number, number];
  range: [number, number];
}

/** A linear map from [d0, d1] to [r0, r1] (a flat domain maps to the range's start). */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** A step of 1, 2 or 5 × 10ⁿ giving about `count` intervals over [0, max]. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  const step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  return Math.max(1, step);
}

/** Tick values 0, step, 2·step … up to the first at or above `max` (whole numbers: counts). */
export function niceTicks(max: number, count = 5): number[] {
  const step = niceStep(max, count);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v));
  return ticks;
}

/** Short labels for counts and durations on axes: 1200 → "1.2k". */
export function formatCount(n: number): string {
  if (Math.abs(n) >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (Math.abs(n) >= 10_000) return `${Math.round(n / 1000)}k`;
  if (Math.abs(n) >= 1_000) return `${+(n / 1000).toFixed(1)}k`;
  return String(n);
}

export interface BarSegment {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface StackedBar {
  /** The bar's position on the x domain (e.g. a day). */
  at: number;
  total: number;
  segments: BarSegment[];
}

export interface BarLayout {
  bars: StackedBar[];
  x: Scale;
  y: Scale;
  ticks: number[];
  /** Width of one slot along x. */
  band: number;
}

/**
 * Stacked bars for `rows` (one per x value, `keys` stacked bottom-up) in a plot area of
 * `width` × `height` (origin top-left, y grows downward). x runs from `xMin` to `xMax` inclusive.
 */
export function stackedBars<K extends string>(
  rows: readonly ({ at: number } & Record<K, number>)[],
  keys: readonly K[],
  size: { width: number; height: number; xMin: number; xMax: number },
): BarLayout {
  const slots = Math.max(1, size.xMax - size.xMin + 1);
  const band = size.width / slots;
  const max = Math.max(0, ...rows.map((r) => keys.reduce((n, k) => n + (r[k] ?? 0), 0)));
  const ticks = niceTicks(max);
  const y = linearScale([0, ticks.at(-1)!], [size.height, 0]);
  const x = linearScale([size.xMin, size.xMax + 1], [0, size.width]);
  const gap = band > 4 ? Math.min(2, band * 0.15) : 0;
  const bars = rows
    .filter((r) => r.at >= size.xMin && r.at <= size.xMax)
    .map((r) => {
      let acc = 0;
      const segments: BarSegment[] = [];
      for (const k of keys) {
        const v = r[k] ?? 0;
        if (v <= 0) continue;
        const top = y(acc + v);
        const bottom = y(acc);
        segments.push({ key: k, x: x(r.at) + gap / 2, y: top, width: Math.max(0.5, band - gap), height: bottom - top, value: v });
        acc += v;
      }
      return { at: r.at, total: acc, segments };
    });
  return { bars, x, y, ticks, band };
}

/**
 * Interval buckets for a histogram: days 0–1 … up to `maxDays` (the intervals longer than that in
 * the last bucket), about `buckets` of equal width (whole days).
 */
export function intervalBuckets(intervals: readonly { days: number; count: number }[], maxDays: number, buckets = 30): { from: number; to: number; count: number }[] {
  const width = Math.max(1, Math.ceil((maxDays + 1) / buckets));
  const n = Math.max(1, Math.ceil((maxDays + 1) / width));
  const out = Array.from({ length: n }, (_, i) => ({ from: i * width, to: i * width + width - 1, count: 0 }));
  for (const { days, count } of intervals) {
    const i = Math.min(n - 1, Math.max(0, Math.floor(days / width)));
    out[i].count += count;
  }
  return out;
}

/** The interval range a chart shows by default: up to the 95th percentile (Anki's "1 month / 50% / all" spirit), at least a week. */
export function intervalRange(intervals: readonly { days: number; count: number }[], percentile = 0.95): number {
  const total = intervals.reduce((n, i) => n + i.count, 0);
  if (!total) return 7;
  let seen = 0;
  const sorted = [...intervals].sort((a, b) => a.days - b.days);
  for (const i of sorted) {
    seen += i.count;
    if (seen >= total * percentile) return Math.max(7, i.days);
  }
  return Math.max(7, sorted.at(-1)!.days);
}

/** Retention as Anki shows it: passed / (passed + failed) in percent with one decimal, or "N/A". */
export function retentionText(passed: number, failed: number): string {
  const total = passed + failed;
  return total ? `${((passed / total) * 100).toFixed(1)}%` : 'N/A';
}

/** The future-due series for a chart: days 0…days-1, the overdue backlog folded into day 0 when asked. */
export function futureDueSeries(rows: readonly { day: number; count: number }[], days: number, backlog: boolean): { at: number; count: number }[] {
  const out = Array.from({ length: days }, (_, at) => ({ at, count: 0 }));
  for (const r of rows) {
    if (r.day < 0) {
      if (backlog) out[0].count += r.count;
    } else if (r.day < days) out[r.day].count += r.count;
  }
  return out;
}

/** An SVG path through points (a cumulative line over bars). */
export function linePath(points: readonly [number, number][]): string {
  return points.map(([x, y], i) => `${i ? 'L' : 'M'}${round(x)},${round(y)}`).join('');
}

const round = (v: number) => Math.round(v * 100) / 100;
