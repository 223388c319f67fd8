// Shared helpers for the benchmarks: timing with warm-up and median, and the ratio line format.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function benchDir(): string {
  return mkdtempSync(join(tmpdir(), 'deckhand-bench-'));
}

/** Median wall time in ms of `runs` runs of fn (after one warm-up unless disabled). */
export function timeMedian(fn: () => void, runs = 5, warmup = true): number {
  if (warmup) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

export async function timeMedianAsync(fn: () => Promise<void>, runs = 5): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

export interface Figure {
  name: string;
  ms: number;
  baselineName: string;
  baselineMs: number;
  target?: string;
}

/** Prints one figure with its same-run baseline and the ratio. */
export function report(f: Figure): void {
  const ratio = f.ms / f.baselineMs;
  console.log(
    `${f.name.padEnd(48)} ${f.ms.toFixed(2).padStart(10)} ms | baseline ${f.baselineName}: ${f.baselineMs.toFixed(2)} ms | ratio ${ratio.toFixed(2)}x${f.target ? ` | target ${f.target}` : ''}`,
  );
}
