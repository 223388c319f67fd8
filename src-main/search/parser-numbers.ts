// Numbers in search terms, with Rust `str::parse` rules: optional sign, ASCII digits,
// range-checked.

import type { RatingKind } from './ast';
import { fail } from './parser-scanning';

export function parseUnsigned(s: string, max: number): number | undefined {
  if (!/^\+?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n <= BigInt(max) ? Number(n) : undefined;
}

function parseSigned(s: string, min: bigint, max: bigint): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= min && n <= max ? n : undefined;
}

export function parseU32(num: string, context: string): number {
  const n = parseUnsigned(num, 0xffffffff);
  if (n === undefined) fail({ kind: 'InvalidPositiveWholeNumber', context, provided: num });
  return n;
}

export function parseI32(num: string, context: string): number {
  const n = parseSigned(num, -(2n ** 31n), 2n ** 31n - 1n);
  if (n === undefined) fail({ kind: 'InvalidWholeNumber', context, provided: num });
  return Number(n);
}

export function parseNonPositiveI32(num: string, context: string): number {
  const n = parseSigned(num, -(2n ** 31n), 2n ** 31n - 1n);
  if (n === undefined || n > 0n) fail({ kind: 'InvalidNegativeWholeNumber', context, provided: num });
  return Number(n);
}

export function parseI64(num: string, context: string): string {
  const n = parseSigned(num, -(2n ** 63n), 2n ** 63n - 1n);
  if (n === undefined) fail({ kind: 'InvalidWholeNumber', context, provided: num });
  return n.toString();
}

const F32_RE = /^[+-]?(?:inf|infinity|nan|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$/i;

/** Rust's f32 parsing: the value is rounded to single precision. */
export function parseF32Value(s: string): number | undefined {
  if (!F32_RE.test(s)) return undefined;
  const body = s.replace(/^[+-]/, '').toLowerCase();
  const negative = s.startsWith('-');
  let value: number;
  if (body === 'inf' || body === 'infinity') value = Infinity;
  else if (body === 'nan') value = NaN;
  else value = Number(body);
  return Math.fround(negative ? -value : value);
}

export function parseF32(num: string, context: string): number {
  const n = parseF32Value(num);
  if (n === undefined) fail({ kind: 'InvalidNumber', context, provided: num });
  return n;
}

export function parseAnswerButton(num: string | undefined, context: string): RatingKind {
  if (num === undefined) return { kind: 'anyAnswerButton' };
  const n = parseUnsigned(num, 0xff);
  if (n === undefined || n < 1 || n > 4) {
    fail({ kind: 'InvalidAnswerButton', context, provided: num });
  }
  return { kind: 'answerButton', button: n as 1 | 2 | 3 | 4 };
}
