import { describe, expect, it } from 'vitest';
import { formatCount, futureDueSeries, intervalBuckets, intervalRange, linearScale, linePath, niceStep, niceTicks, retentionText, stackedBars } from './chart';

describe('scales and ticks', () => {
  it('maps linearly, flat domains to the start', () => {
    const s = linearScale([0, 10], [100, 0]);
    expect([s(0), s(5), s(10)]).toEqual([100, 50, 0]);
    expect(linearScale([3, 3], [0, 50])(3)).toBe(0);
  });
  it('picks 1-2-5 steps and whole ticks covering the maximum', () => {
    expect(niceStep(0)).toBe(1);
    expect(niceStep(7)).toBe(2);
    expect(niceStep(93)).toBe(20);
    expect(niceTicks(93)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(25_000)).toBe('25k');
  });
});

describe('stacked bars', () => {
  it('stacks keys bottom-up in the plot area, one slot per x value', () => {
    const rows = [
      { at: -1, a: 2, b: 1 },
      { at: 0, a: 0, b: 4 },
    ];
    const l = stackedBars(rows, ['a', 'b'] as const, { width: 100, height: 40, xMin: -1, xMax: 0 });
    expect(l.ticks).toEqual([0, 1, 2, 3, 4]);
    expect(l.band).toBe(50);
    expect(l.bars[0].total).toBe(3);
    const [a, b] = l.bars[0].segments;
    expect(a).toMatchObject({ key: 'a', y: 20, height: 20, value: 2 });
    expect(b).toMatchObject({ key: 'b', y: 10, height: 10 });
    expect(a.x).toBeCloseTo(1);
    expect(l.bars[1].segments.map((s) => s.key)).toEqual(['b']);
    expect(l.bars[1].segments[0].x).toBeCloseTo(51);
  });
});

describe('series', () => {
  it('buckets intervals with the long tail in the last bucket', () => {
    const b = intervalBuckets([{ days: 0, count: 1 }, { days: 5, count: 2 }, { days: 9, count: 1 }, { days: 400, count: 3 }], 9, 5);
    expect(b).toEqual([
      { from: 0, to: 1, count: 1 },
      { from: 2, to: 3, count: 0 },
      { from: 4, to: 5, count: 2 },
      { from: 6, to: 7, count: 0 },
      { from: 8, to: 9, count: 4 },
    ]);
    expect(intervalRange([{ days: 3, count: 95 }, { days: 300, count: 5 }])).toBe(7);
    expect(intervalRange([{ days: 30, count: 50 }, { days: 60, count: 50 }])).toBe(60);
    expect(intervalRange([])).toBe(7);
  });
  it('folds the overdue backlog into today when asked', () => {
    const rows = [{ day: -3, count: 2 }, { day: 0, count: 1 }, { day: 2, count: 5 }, { day: 40, count: 9 }];
    expect(futureDueSeries(rows, 3, true)).toEqual([{ at: 0, count: 3 }, { at: 1, count: 0 }, { at: 2, count: 5 }]);
    expect(futureDueSeries(rows, 3, false)[0].count).toBe(1);
  });
  it('writes retention and paths', () => {
    expect(retentionText(9, 1)).toBe('90.0%');
    expect(retentionText(0, 0)).toBe('N/A');
    expect(linePath([[0, 10], [5.555, 2]])).toBe('M0,10L5.56,2');
  });
});
