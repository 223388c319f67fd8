// Unescaping search text: what each kind of term turns its escapes into.

import { fail } from './parser-scanning';

/** For raw contexts (re:, field:re:, …): only `\"` becomes `"`. */
export function unescapeQuotes(s: string): string {
  return s.includes('"') ? s.replaceAll('\\"', '"') : s;
}

/** For dupe: text: `\"` → `"` and `\\` → `\`. */
export function unescapeQuotesAndBackslashes(s: string): string {
  if (s.includes('"') || s.includes('\\')) {
    return s.replaceAll('\\"', '"').replaceAll('\\\\', '\\');
  }
  return s;
}

// an odd number of backslashes not followed by an escapable character
const INVALID_ESCAPE_RE = /(?:^|[^\\])(?:\\\\)*(\\(?:[^\\":*_()-]|$))/u;
// an odd number of backslashes followed by a character with a meaning to the parser
const PARSER_ESCAPE_RE = /(?:^|[^\\])(?:\\\\)*\\[":()-]/u;

/**
 * Unescape the characters that are special to the parser (`"` `:` `(` `)` `-`), keeping `\\`,
 * `\*` and `\_` for the wildcard stage. Any other escape is an error.
 */
export function unescape(txt: string): string {
  const invalid = INVALID_ESCAPE_RE.exec(txt);
  if (invalid) fail({ kind: 'UnknownEscape', provided: invalid[1] });
  if (!PARSER_ESCAPE_RE.test(txt)) return txt;
  return txt.replace(/\\[\\":()-]/gu, (m) => (m === '\\\\' ? '\\\\' : m[1]));
}
