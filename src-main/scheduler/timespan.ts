// Interval labels (Anki's scheduler/timespan.rs with the English strings from ftl/core/scheduling.ftl).
// Arithmetic is in f32 like Anki's; numbers print with at most 2 decimals, trailing zeros removed.

import { f32, roundHalfAway } from './f32';

const SECOND = 1;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
const MONTH = YEAR / 12;

export type TimespanUnit = 'seconds' | 'minutes' | 'hours' | 'days' | 'months' | 'years';

const UNIT_SECS: Record<TimespanUnit, number> = {
  seconds: SECOND,
  minutes: MINUTE,
  hours: HOUR,
  days: DAY,
  months: MONTH,
  years: YEAR,
};

export function naturalUnit(seconds: number): TimespanUnit {
  const secs = Math.abs(f32(seconds));
  if (secs < MINUTE) return 'seconds';
  if (secs < HOUR) return 'minutes';
  if (secs < DAY) return 'hours';
  if (secs < MONTH) return 'days';
  if (secs < YEAR) return 'months';
  return 'years';
}

function asUnit(seconds: number, unit: TimespanUnit): number {
  return unit === 'seconds' ? f32(seconds) : f32(f32(seconds) / UNIT_SECS[unit]);
}

const oneDecimal = (v: number): number => f32(roundHalfAway(f32(v * 10)) / 10);

/** Anki's number formatting: 2 decimals max, trailing zeros and point trimmed. */
export function formatAmount(value: number, decimalComma = false): string {
  let s = value.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  return decimalComma ? s.replace('.', ',') : s;
}

const BUTTON_SUFFIX: Record<TimespanUnit, string> = {
  seconds: 's',
  minutes: 'm',
  hours: 'h',
  days: 'd',
  months: 'mo',
  years: 'y',
};

/** Short label such as "10m", "4d", "2.5mo", "1.1y". */
export function answerButtonTime(seconds: number): string {
  const unit = naturalUnit(seconds);
  const v = asUnit(seconds, unit);
  const amount = unit === 'seconds' || unit === 'minutes' || unit === 'days' ? roundHalfAway(v) : oneDecimal(v);
  return `${formatAmount(amount)}${BUTTON_SUFFIX[unit]}`;
}

/** Button label: "(end)" for 0, "<" prefix when within the learn-ahead (collapse) time. */
export function answerButtonTimeCollapsible(seconds: number, collapseSecs: number): string {
  const s = answerButtonTime(seconds);
  if (seconds === 0) return '(end)';
  if (seconds < collapseSecs) return `<${s}`;
  return s;
}

const SINGULAR: Record<TimespanUnit, string> = {
  seconds: 'second',
  minutes: 'minute',
  hours: 'hour',
  days: 'day',
  months: 'month',
  years: 'year',
};

/** Long form, e.g. "1.5 months"; `precise` keeps 2 decimals for every unit. */
export function timeSpan(seconds: number, precise = false): string {
  const unit = naturalUnit(seconds);
  const v = asUnit(seconds, unit);
  const amount = precise ? v : unit === 'seconds' || unit === 'days' ? roundHalfAway(v) : oneDecimal(v);
  const text = formatAmount(amount);
  return `${text} ${text === '1' ? SINGULAR[unit] : unit}`;
}
