// "Today" for the scheduler: Anki's sched_timing_today (rslib scheduler/timing.rs), in whole seconds.
// Offsets are minutes WEST of UTC (JS Date#getTimezoneOffset convention; e.g. AEST = −600).

export interface SchedTimingToday {
  /** Unix seconds the timing was computed for. */
  now: number;
  /** Days since the collection was created ("today"); review `due` values use this scale. */
  daysElapsed: number;
  /** Unix seconds of the next day rollover. */
  nextDayAt: number;
}

export interface TimingInput {
  /** `col.crt`, Unix seconds. */
  crt: number;
  /** Now, Unix seconds. */
  now: number;
  /** Config `creationOffset` (minutes west). Missing → legacy v2 cutoff handling. */
  creationOffset?: number | null;
  /** The current local offset in minutes west (for a client: the machine's offset now). */
  currentOffset: number;
  /** Config `rollover` hour. Missing → v1 timing; Anki itself writes 4 when a v2 collection lacks it. */
  rollover?: number | null;
}

const DAY = 86_400;

/** Day number (days since 1970-01-01) of the calendar date of `secs` in an offset. */
function localDayNumber(secs: number, minutesWest: number): number {
  return Math.floor((secs - minutesWest * 60) / DAY);
}

/** Unix seconds of `hour`:00:00 local time on the local date of `secs`. */
function rolloverOnDateOf(secs: number, minutesWest: number, hour: number): number {
  return localDayNumber(secs, minutesWest) * DAY + (hour % 24) * 3600 + minutesWest * 60;
}

/** chrono's FixedOffset::west_opt accepts only |offset| < 24h; anything else is "no offset". */
function validOffset(minutesWest: number | null | undefined): number | null {
  if (minutesWest === null || minutesWest === undefined || !Number.isFinite(minutesWest)) return null;
  const m = Math.trunc(minutesWest);
  return Math.abs(m * 60) < DAY ? m : null;
}

/** Current v2 timing: calendar-day difference between creation (creation offset) and now (current offset). */
export function schedTimingTodayV2(
  crt: number,
  creationOffset: number,
  now: number,
  currentOffset: number,
  rolloverHour: number,
): SchedTimingToday {
  const rolloverToday = rolloverOnDateOf(now, currentOffset, rolloverHour);
  const rolloverPassed = rolloverToday <= now;
  const nextDayAt = rolloverPassed ? rolloverToday + DAY : rolloverToday;
  let days = localDayNumber(now, currentOffset) - localDayNumber(crt, creationOffset);
  if (!rolloverPassed) days -= 1;
  return { now, daysElapsed: Math.max(days, 0), nextDayAt };
}

/** Legacy v2 timing (no creationOffset): whole days since crt moved to the rollover hour. */
export function schedTimingTodayV2Legacy(
  crt: number,
  rolloverHour: number,
  now: number,
  currentOffset: number,
): SchedTimingToday {
  const crtAtRollover = rolloverOnDateOf(crt, currentOffset, rolloverHour);
  const days = Math.trunc((now - crtAtRollover) / DAY);
  let nextDayAt = rolloverOnDateOf(now, currentOffset, rolloverHour);
  if (nextDayAt < now) nextDayAt += DAY;
  return { now, daysElapsed: Math.max(days, 0), nextDayAt };
}

/** v1 timing (no rollover configured). */
export function schedTimingTodayV1(crt: number, now: number): SchedTimingToday {
  const days = Math.trunc((now - crt) / DAY);
  return { now, daysElapsed: Math.max(days, 0), nextDayAt: crt + (days + 1) * DAY };
}

/** Picks the timing variant the collection's config calls for. */
export function schedTimingToday(input: TimingInput): SchedTimingToday {
  const currentOffset = validOffset(input.currentOffset) ?? 0;
  if (input.rollover === null || input.rollover === undefined) return schedTimingTodayV1(input.crt, input.now);
  const rollover = Math.min(Math.max(Math.trunc(input.rollover), 0), 23);
  const creationOffset = validOffset(input.creationOffset);
  if (creationOffset === null) return schedTimingTodayV2Legacy(input.crt, rollover, input.now, currentOffset);
  return schedTimingTodayV2(input.crt, creationOffset, input.now, currentOffset, rollover);
}

/** Minutes west of UTC of the machine's time zone at a Unix time (Anki's local_minutes_west_for_stamp). */
export function localMinutesWest(secs: number): number {
  return new Date(secs * 1000).getTimezoneOffset();
}

/** Whole days from `lastSecs` to `untilSecs` (Anki's elapsed_days_since: floor, ≥ 0). */
export function elapsedDaysSince(untilSecs: number, lastSecs: number): number {
  return Math.floor(Math.max(untilSecs - lastSecs, 0) / DAY);
}

/** Seconds until the next rollover (may be 0). */
export function secsUntilRollover(timing: SchedTimingToday, now: number = timing.now): number {
  return Math.max(timing.nextDayAt - now, 0);
}

/** A day number relative to today, floored at 0 (Anki's days_elapsed + delta). */
export function dayNumber(timing: SchedTimingToday, delta: number): number {
  return Math.max(timing.daysElapsed + delta, 0);
}

/** True when a due value looks like a Unix timestamp rather than a day number. */
export function isUnixEpochTimestamp(due: number): boolean {
  return due > 1_000_000_000;
}
