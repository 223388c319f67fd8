import { describe, expect, it } from 'vitest';
import {
  elapsedDaysSince,
  schedTimingToday,
  schedTimingTodayV1,
  schedTimingTodayV2,
  schedTimingTodayV2Legacy,
} from './timing';

/** Unix seconds of a wall-clock time in a fixed offset (minutes west). */
function at(minutesWest: number, y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + minutesWest * 60;
}

const MDT = 6 * 60;
const MST = 7 * 60;
const AEST = -600;

function elap(start: number, end: number, startWest: number, endWest: number, rollover: number): number {
  return schedTimingTodayV2(start, startWest, end, endWest, rollover).daysElapsed;
}

describe('sched_timing_today (v2, creationOffset set)', () => {
  it('spec example: crt 2024-01-01 04:00, rollover 4', () => {
    const crt = at(AEST, 2024, 1, 1, 4);
    expect(elap(crt, at(AEST, 2024, 1, 11, 3, 59), AEST, AEST, 4)).toBe(9);
    expect(elap(crt, at(AEST, 2024, 1, 11, 4, 0), AEST, AEST, 4)).toBe(10);
  });

  it('follows the cases of Anki timing.rs days_elapsed()', () => {
    for (const off of [AEST, 0, MST, -330]) {
      const crt = at(off, 2019, 12, 1, 2);
      expect(elap(crt, crt, off, off, 4)).toBe(0);
      expect(elap(crt, crt - 86_400, off, off, 4)).toBe(0);
      expect(elap(crt, crt + 24 * 3600, off, off, 4)).toBe(0);
      expect(elap(crt, crt + 26 * 3600, off, off, 4)).toBe(1);
      expect(elap(crt, crt + (26 + 18) * 3600, off, off, 23)).toBe(0);
      expect(elap(crt, crt + (26 + 19) * 3600, off, off, 23)).toBe(1);
    }
    // created at midnight MDT, now in MST: 507 days either way
    const crt = at(MDT, 2018, 8, 6, 0);
    const now = at(MST, 2019, 12, 26, 20);
    expect(elap(crt, now, MDT, MST, 4)).toBe(507);
    expect(elap(crt, now, MDT, MDT, 4)).toBe(507);
    const crt3 = at(MDT, 2018, 8, 6, 3);
    expect(elap(crt3, at(MST, 2018, 8, 9, 1, 59, 59), MDT, MST, 4)).toBe(2);
    expect(elap(crt3, at(MST, 2018, 8, 9, 3, 59, 59), MDT, MST, 4)).toBe(2);
    expect(elap(crt3, at(MST, 2018, 8, 9, 4, 0, 0), MDT, MST, 4)).toBe(3);

    const hours = [0, 1, 4, 12, 22, 23];
    for (const ch of hours) {
      const crtH = at(MDT, 2018, 8, 6, ch);
      for (let day = 0; day <= 3; day++) {
        for (const hh of hours) {
          for (const rh of hours) {
            const end = at(MDT, 2018, 8, 6 + day, hh);
            const expected = hh < rh ? Math.max(day, 1) - 1 : day;
            expect(elap(crtH, end, MDT, MDT, rh)).toBe(expected);
          }
        }
      }
    }
  });

  it('next_day_at is today’s rollover if ahead, else tomorrow’s', () => {
    const off = -60;
    const crt = at(off, 2019, 1, 1, 2);
    expect(schedTimingTodayV2(crt, off, at(off, 2019, 1, 3, 2), off, 4).nextDayAt).toBe(at(off, 2019, 1, 3, 4));
    expect(schedTimingTodayV2(crt, off, at(off, 2019, 1, 3, 4), off, 4).nextDayAt).toBe(at(off, 2019, 1, 4, 4));
    expect(schedTimingTodayV2(crt, off, at(off, 2019, 1, 3, 7), off, 4).nextDayAt).toBe(at(off, 2019, 1, 4, 4));
  });
});

describe('legacy timings', () => {
  const now = 1584491078;
  it('v1', () => {
    expect(schedTimingTodayV1(1575226800, now)).toEqual({ now, daysElapsed: 107, nextDayAt: 1584558000 });
  });
  it('v2 without creationOffset', () => {
    expect(schedTimingTodayV2Legacy(1533564000, 0, now, AEST)).toEqual({
      now,
      daysElapsed: 589,
      nextDayAt: 1584540000,
    });
    expect(schedTimingTodayV2Legacy(1524038400, 4, now, AEST)).toEqual({
      now,
      daysElapsed: 700,
      nextDayAt: 1584554400,
    });
  });
  it('dispatches on the config', () => {
    expect(schedTimingToday({ crt: 1524038400, now, currentOffset: AEST, rollover: 4 }).daysElapsed).toBe(700);
    expect(schedTimingToday({ crt: 1575226800, now, currentOffset: AEST }).daysElapsed).toBe(107);
    const crt = at(AEST, 2024, 1, 1, 4);
    expect(
      schedTimingToday({ crt, now: at(AEST, 2024, 1, 11, 4), creationOffset: AEST, currentOffset: AEST, rollover: 4 })
        .daysElapsed,
    ).toBe(10);
    // rollover capped at 23, out-of-range creation offset treated as missing
    expect(
      schedTimingToday({ crt, now: at(AEST, 2024, 1, 11, 23, 30), creationOffset: AEST, currentOffset: AEST, rollover: 30 })
        .daysElapsed,
    ).toBe(10);
    expect(schedTimingToday({ crt: 1524038400, now, creationOffset: 5000, currentOffset: AEST, rollover: 4 }).daysElapsed).toBe(
      700,
    );
  });
});

describe('elapsedDaysSince', () => {
  it('floors and never goes negative', () => {
    expect(elapsedDaysSince(1000 + 86_399, 1000)).toBe(0);
    expect(elapsedDaysSince(1000 + 86_400, 1000)).toBe(1);
    expect(elapsedDaysSince(1000, 5000)).toBe(0);
  });
});
