// The search parser's low-level scanning. A parser returns `null` for a recoverable mismatch
// (nom's Err::Error, so an alternative may be tried) and throws a SearchError for a hard failure
// (Err::Failure).

import { SearchError, type SearchErrorKind } from './search-error';

export interface Parsed<T> {
  rest: string;
  value: T;
}

export function fail(kind: SearchErrorKind): never {
  throw new SearchError(kind);
}

export const SPACE_CHARS = ' \u3000';

type ScanResult =
  | { ok: true; len: number }
  | { ok: false; reason: 'escaped' }
  | { ok: false; reason: 'noneOf'; at: number };

/**
 * nom's `escaped(is_not(stop), '\\', escapable)`: runs of characters not in `stop`, or a
 * backslash followed by a character accepted by `escapable`. Stops at the first unescaped
 * character from `stop`.
 */
export function scanEscaped(s: string, stop: string, escapable: (ch: string) => boolean): ScanResult {
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j < s.length && !stop.includes(s[j])) j++;
    if (j > i) {
      i = j;
      continue;
    }
    if (s[i] === '\\') {
      if (i + 1 >= s.length) return { ok: false, reason: 'escaped' };
      const cp = s.codePointAt(i + 1)!;
      const ch = String.fromCodePoint(cp);
      if (!escapable(ch)) return { ok: false, reason: 'noneOf', at: i + 1 };
      i += 1 + ch.length;
      continue;
    }
    if (i === 0) return { ok: false, reason: 'escaped' };
    return { ok: true, len: i };
  }
  return { ok: true, len: i };
}

export const notSpace = (ch: string): boolean => !SPACE_CHARS.includes(ch);
export const anyChar = (): boolean => true;

export function skipSpaces(s: string): string {
  let i = 0;
  while (i < s.length && SPACE_CHARS.includes(s[i])) i++;
  return s.slice(i);
}

export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
