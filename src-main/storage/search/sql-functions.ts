// The SQL functions Anki registers on every collection connection and that searches and browser
// sort orders call (shared/spec/anki-search.md §6). Regexes use Rust syntax and run on RE2 (linear
// time) through search/rust-regex.

import type Database from 'better-sqlite3';

import { parseCardData } from '../../scheduler/card-data';
import { compileRustRegex } from '../../search/rust-regex';
import { stripClozes, withoutCombining } from '../../search/wildcards';

/** `process_text` flag bits. */
export const ProcessTextFlags = {
  NoCombining: 1,
  StripClozes: 2,
} as const;

const FSRS5_DEFAULT_DECAY = 0.5;

const registered = new WeakSet<Database.Database>();

function asText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return null;
}

function asInteger(v: unknown): number | null {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return null;
}

/** Rust `(x as u32)`, for an i64 (wrapping). */
function u32(v: number): number {
  return Number(BigInt.asUintN(32, BigInt(Math.trunc(v))));
}

function saturatingSubU32(a: number, b: number): number {
  return a > b ? a - b : 0;
}

/** FSRS power forgetting curve as fsrs-rs computes it (f32). */
function currentRetrievability(stability: number, daysElapsed: number, decay: number): number {
  const f = Math.fround;
  const factor = f(f(Math.pow(f(0.9), f(1 / f(-decay)))) - 1);
  return f(Math.pow(f(f(f(f(daysElapsed) / f(stability)) * factor) + 1), f(-decay)));
}

export function sqlRegexp(pattern: unknown, text: unknown): number {
  const t = asText(text);
  if (t === null) return 0;
  return compileRustRegex(asText(pattern) ?? '').test(t) ? 1 : 0;
}

export function sqlRegexpFields(pattern: unknown, flds: unknown, ...indices: unknown[]): number {
  const text = asText(flds);
  if (text === null) return 0;
  const re = compileRustRegex(asText(pattern) ?? '');
  const fields = text.split('\x1f');
  if (indices.length === 0) {
    return fields.some((f) => re.test(f)) ? 1 : 0;
  }
  for (const idx of indices) {
    const i = asInteger(idx);
    if (i !== null && i >= 0 && i < fields.length && re.test(fields[i])) return 1;
  }
  return 0;
}

export function sqlRegexpTags(pattern: unknown, tags: unknown): number {
  const text = asText(tags);
  if (text === null) return 0;
  const re = compileRustRegex(asText(pattern) ?? '');
  return text.split(' ').some((t) => re.test(t)) ? 1 : 0;
}

/** Returns null when the text is unchanged (callers wrap it in `coalesce(…, original)`). */
export function sqlProcessText(text: unknown, flags: unknown): string | null {
  const t = asText(text);
  if (t === null) return null;
  const bits = asInteger(flags) ?? 0;
  let out = t;
  if (bits & ProcessTextFlags.StripClozes) out = stripClozes(out);
  if (bits & ProcessTextFlags.NoCombining) out = withoutCombining(out);
  return out === t ? null : out;
}

export function sqlFieldAtIndex(flds: unknown, index: unknown): string {
  const t = asText(flds) ?? '';
  const i = asInteger(index) ?? 0;
  return t.split('\x1f')[i] ?? '';
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/** FNV-1a 64 over the little-endian bytes of each i64 argument, as a signed i64. */
export function sqlFnvHash(...args: unknown[]): bigint {
  let hash = FNV_OFFSET;
  for (const a of args) {
    let v = BigInt.asUintN(64, typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a ?? 0))));
    for (let i = 0; i < 8; i++) {
      hash ^= v & 0xffn;
      hash = (hash * FNV_PRIME) & MASK64;
      v >>= 8n;
    }
  }
  return BigInt.asIntN(64, hash);
}

export function sqlExtractOriginalPosition(data: unknown): number | null {
  const t = asText(data);
  if (t === null) return null;
  return parseCardData(t).originalPosition;
}

export function sqlExtractCustomData(data: unknown, key: unknown): string | null {
  const t = asText(data);
  const k = asText(key);
  if (!t || k === null) return null;
  const cd = parseCardData(t).customData;
  let value: unknown;
  try {
    value = JSON.parse(cd);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  if (!Object.prototype.hasOwnProperty.call(value, k)) return null;
  const v = (value as Record<string, unknown>)[k];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function sqlExtractFsrsVariable(data: unknown, key: unknown): number | null {
  const t = asText(data);
  if (!t) return null;
  const cd = parseCardData(t);
  switch (asText(key)) {
    case 's':
      return cd.memoryState?.stability ?? null;
    case 'd':
      return cd.memoryState?.difficulty ?? null;
    case 'dr':
      return cd.desiredRetention;
    default:
      return null;
  }
}

export function sqlExtractFsrsRetrievability(
  data: unknown,
  due: unknown,
  ivl: unknown,
  today: unknown,
  _nextDayAt: unknown,
  now: unknown,
): number | null {
  const t = asText(data);
  if (!t) return null;
  const cd = parseCardData(t);
  const dueN = asInteger(due);
  const nowN = asInteger(now);
  if (dueN === null || nowN === null) return null;
  let secondsElapsed: number;
  if (cd.lastReviewTime !== null) {
    secondsElapsed = saturatingSubU32(u32(nowN), u32(cd.lastReviewTime));
  } else if (dueN > 365_000) {
    const ivlN = asInteger(ivl);
    if (ivlN === null) return null;
    secondsElapsed = saturatingSubU32(u32(nowN), saturatingSubU32(u32(dueN), u32(ivlN)));
  } else {
    const ivlN = asInteger(ivl);
    const todayN = asInteger(today);
    if (ivlN === null || todayN === null) return null;
    const reviewDay = saturatingSubU32(u32(dueN), u32(ivlN));
    secondsElapsed = u32(saturatingSubU32(u32(todayN), reviewDay) * 86_400);
  }
  if (!cd.memoryState) return null;
  const decay = cd.decay ?? FSRS5_DEFAULT_DECAY;
  return currentRetrievability(cd.memoryState.stability, Math.fround(secondsElapsed / 86_400), decay);
}

export function sqlExtractFsrsRelativeRetrievability(
  data: unknown,
  due: unknown,
  ivl: unknown,
  today: unknown,
  _nextDayAt: unknown,
  now: unknown,
): number | null {
  const f = Math.fround;
  const dueN = asInteger(due);
  const interval = asInteger(ivl);
  const nowN = asInteger(now);
  if (dueN === null || interval === null || nowN === null) return null;
  let secsElapsed: number;
  if (dueN > 365_000) {
    secsElapsed = saturatingSubU32(u32(nowN), u32(dueN));
  } else {
    const todayN = asInteger(today);
    if (todayN === null) return null;
    const reviewDay = dueN - interval;
    secsElapsed = u32(saturatingSubU32(u32(todayN), u32(reviewDay)) * 86_400);
  }
  const t = asText(data);
  if (t) {
    const cd = parseCardData(t);
    if (cd.memoryState && cd.desiredRetention !== null) {
      const desired = Math.max(cd.desiredRetention, f(0.0001));
      const decay = cd.decay ?? FSRS5_DEFAULT_DECAY;
      const secondsElapsed =
        cd.lastReviewTime !== null ? saturatingSubU32(u32(nowN), u32(cd.lastReviewTime)) : secsElapsed;
      const current = Math.max(
        currentRetrievability(cd.memoryState.stability, f(secondsElapsed / 86_400), decay),
        f(0.0001),
      );
      const num = f(f(Math.pow(current, f(-1 / decay))) - 1);
      const den = f(f(Math.pow(desired, f(-1 / decay))) - 1);
      return f(-num / den);
    }
  }
  const daysElapsed = Math.floor(secsElapsed / 86_400);
  // no FSRS data: fall back to SM-2 ordering
  return f(-f(daysElapsed + 0.001) / Math.max(interval, 1));
}

/**
 * Register Anki's search / sort SQL functions on a connection (idempotent per connection):
 * regexp, regexp_fields, regexp_tags, process_text, field_at_index, fnvhash,
 * extract_original_position, extract_custom_data, extract_fsrs_variable,
 * extract_fsrs_retrievability, extract_fsrs_relative_retrievability.
 */
export function registerSearchFunctions(db: Database.Database): void {
  if (registered.has(db)) return;
  const det = { deterministic: true } as const;
  db.function('regexp', det, sqlRegexp);
  db.function('regexp_fields', { deterministic: true, varargs: true }, sqlRegexpFields);
  db.function('regexp_tags', det, sqlRegexpTags);
  db.function('process_text', det, sqlProcessText);
  db.function('field_at_index', det, sqlFieldAtIndex);
  db.function('fnvhash', { deterministic: true, varargs: true, safeIntegers: true }, sqlFnvHash);
  db.function('extract_original_position', det, sqlExtractOriginalPosition);
  db.function('extract_custom_data', det, sqlExtractCustomData);
  db.function('extract_fsrs_variable', det, sqlExtractFsrsVariable);
  db.function('extract_fsrs_retrievability', det, sqlExtractFsrsRetrievability);
  db.function('extract_fsrs_relative_retrievability', det, sqlExtractFsrsRelativeRetrievability);
  registered.add(db);
}
