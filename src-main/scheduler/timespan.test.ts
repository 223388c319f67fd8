import { describe, expect, it } from 'vitest';
import { answerButtonTime, answerButtonTimeCollapsible, formatAmount, timeSpan } from './timespan';

const DAY = 86_400;
const MONTH = (365 * DAY) / 12;

describe('answer button labels', () => {
  it.each([
    [30, '30s'],
    [60, '1m'],
    [70, '1m'],
    [330, '6m'],
    [600, '10m'],
    [5400, '1.5h'],
    [DAY, '1d'],
    [4 * DAY, '4d'],
    [25 * DAY, '25d'],
    [1.1 * MONTH, '1.1mo'],
    [75 * DAY, '2.5mo'],
    [100 * DAY, '3.3mo'],
    [400 * DAY, '1.1y'],
    [365 * DAY, '1y'],
  ])('%s s → %s', (secs, label) => {
    expect(answerButtonTime(secs)).toBe(label);
  });

  it('collapses learning times below the learn-ahead limit', () => {
    expect(answerButtonTimeCollapsible(60, 1200)).toBe('<1m');
    expect(answerButtonTimeCollapsible(600, 1200)).toBe('<10m');
    expect(answerButtonTimeCollapsible(1200, 1200)).toBe('20m');
    expect(answerButtonTimeCollapsible(DAY, 1200)).toBe('1d');
    expect(answerButtonTimeCollapsible(0, 1200)).toBe('(end)');
  });
});

describe('time spans (Anki timespan.rs tests)', () => {
  it.each([
    [1, false, '1 second'],
    [30.3, false, '30 seconds'],
    [30.3, true, '30.3 seconds'],
    [90, false, '1.5 minutes'],
    [45 * DAY, false, '1.5 months'],
    [364 * DAY, false, '12 months'],
    [364 * DAY, true, '11.97 months'],
    [365 * DAY, false, '1 year'],
    [365 * DAY, true, '1 year'],
    [365 * DAY * 1.5, false, '1.5 years'],
  ])('%s s (precise %s) → %s', (secs, precise, text) => {
    expect(timeSpan(secs, precise)).toBe(text);
  });

  it('formats numbers like Anki (2 decimals, trimmed)', () => {
    expect(formatAmount(2.5)).toBe('2.5');
    expect(formatAmount(100)).toBe('100');
    expect(formatAmount(Math.fround(1.1))).toBe('1.1');
    expect(formatAmount(2.5, true)).toBe('2,5');
  });
});
