// Conversions of search values (shared/spec/anki-search.md §2 and §4): Anki wildcards to SQL
// LIKE patterns and to (Rust-syntax) regexes, unescaping, accent stripping and normalisation.

import { withoutCombining as textWithoutCombining } from '../text/normalize';

/** Rust `regex::escape`: backslash-escape the regex meta characters. */
export function regexEscape(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$#&\-~]/g, '\\$&');
}

/** True if the text contains an unescaped `*` or `_`. */
export function isGlob(txt: string): boolean {
  return /(?:^|[^\\])(?:\\\\)*[*_]/u.test(txt);
}

/** Anki wildcards → regex: `*` → `.*`, `_` → `.`, `\*` and `\\` kept, `\_` → `_`. */
export function toRe(txt: string): string {
  return toCustomRe(txt, '.');
}

/** Anki wildcards → regex with a custom single-character wildcard (e.g. `\S` for tags). */
export function toCustomRe(txt: string, wildcard: string): string {
  let out = '';
  const chars = Array.from(txt);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\n') {
      // not matched by the conversion (a regex `.` does not match a newline): kept as is
      out += ch;
      continue;
    }
    if (ch === '\\' && i + 1 < chars.length && chars[i + 1] !== '\n') {
      const next = chars[++i];
      if (next === '\\' || next === '*') out += `\\${next}`;
      else if (next === '_') out += '_';
      else out += regexEscape(`\\${next}`);
      continue;
    }
    if (ch === '*') out += `${wildcard}*`;
    else if (ch === '_') out += wildcard;
    else out += regexEscape(ch);
  }
  return out;
}

/** Anki wildcards → SQL LIKE (used with `escape '\'`). `_` is already LIKE's one-character wildcard. */
export function toSql(txt: string): string {
  return txt.replace(/\\[\\*]|[*%]/g, (m) => {
    switch (m) {
      case '\\\\':
        return '\\\\';
      case '\\*':
        return '*';
      case '*':
        return '%';
      default:
        return '\\%';
    }
  });
}

/** Unescape everything: `\x` → `x`. */
export function toText(txt: string): string {
  return txt.replace(/\\([^\n])/gu, '$1');
}

/** Escape Anki wildcards and the backslash: `\`, `*`, `_`. */
export function escapeAnkiWildcards(txt: string): string {
  return txt.replace(/[\\*_]/g, '\\$&');
}

export function normalizeToNfc(s: string): string {
  return s.normalize('NFC');
}

/**
 * Anki's `without_combining` (NFKD, drop combining marks, fold ø → o, ß → s, …), with a fast path
 * for plain ASCII, which it leaves unchanged.
 */
export function withoutCombining(s: string): string {
  if (isAscii(s)) return s;
  return textWithoutCombining(s);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

const CLOZE_RE = /\{\{c[\p{Nd},]+::([\s\S]*?)(::[\s\S]*?)?\}\}/gu;

/** Replace `{{cN::text::hint}}` with `text`. */
export function stripClozes(s: string): string {
  if (!s.includes('{{c')) return s;
  return s.replace(CLOZE_RE, '$1');
}
