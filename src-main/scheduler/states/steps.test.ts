import { describe, expect, it } from 'vitest';
import { LearningSteps } from './steps';

const DAY = 86_400;

describe('learning steps', () => {
  it.each([
    // steps, remaining, again, hard, good
    [[10], 1, 600, 900, null],
    [[(3 * DAY) / 60], 1, 3 * DAY, 4 * DAY, null],
    [[1, 10], 2, 60, 330, 600],
    [[1, 10], 1, 60, 600, null],
    [[1, 10, 100], 3, 60, 330, 600],
    [[1, 10, 100], 2, 60, 600, 6000],
    [[1, 10, 100], 1, 60, 6000, null],
  ])('%j with %s remaining', (steps, remaining, again, hard, good) => {
    const s = new LearningSteps(steps);
    expect(s.againDelaySecs()).toBe(again);
    expect(s.hardDelaySecs(remaining)).toBe(hard);
    expect(s.goodDelaySecs(remaining)).toBe(good);
  });

  it('rounds a first-step hard delay above one day to whole days', () => {
    // [1d, 2d]: average 1.5 days → 2 days
    expect(new LearningSteps([1440, 2880]).hardDelaySecs(2)).toBe(2 * DAY);
    // just under a day is kept as is
    expect(new LearningSteps([1439, 1440]).hardDelaySecs(2)).toBe((1439 * 60 + 1440 * 60) / 2);
  });

  it('strips the legacy today*1000 part of left', () => {
    const s = new LearningSteps([1, 10]);
    expect(s.goodDelaySecs(2002)).toBe(600);
    expect(s.remainingForGood(2002)).toBe(1);
  });

  it('handles fractional minutes as float seconds truncated', () => {
    expect(new LearningSteps([1.5]).againDelaySecs()).toBe(90);
    expect(new LearningSteps([0.1]).againDelaySecs()).toBe(6);
  });

  it('empty steps', () => {
    const s = new LearningSteps([]);
    expect(s.againDelaySecs()).toBeNull();
    expect(s.hardDelaySecs(0)).toBeNull();
    expect(s.goodDelaySecs(0)).toBeNull();
    expect(s.isEmpty()).toBe(true);
  });
});
