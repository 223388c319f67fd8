// Find and Replace (the browser's Notes › Find and Replace), as Anki does it (rslib findreplace.rs,
// tags/findreplace.rs and the search service's request handling):
// - in the given notes, or in every note when none are given;
// - in one field (by name, ignoring case; notes whose notetype lacks it are skipped), in all
//   fields, or in the tags;
// - the search is a regex (Rust `regex` syntax) or literal text, matching case or not (`(?i)`);
// - a regex replacement expands `$1`, `${name}`, `$$` as Rust's `replace_all` does; a literal
//   replacement is inserted as is;
// - the count is the number of notes changed; the whole run is one undo step.
// Matching runs on re2js (linear time, like Rust's engine): no pattern can hang the app.

import { RE2JS } from 're2js';
import type { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { getConfig } from '../config/config-service';
import { RustRegexError, translateRustRegex } from '../search/rust-regex';
import { BrowserStore } from '../storage/browser-store';
import { unicaseFold } from '../storage/unicase';
import { splitTags } from '../tags/canonical';
import { canonifyAndRegister } from '../tags/tags-service';
import { noteDerivedColumns } from './derived';
import { updateNoteInTx } from './notes-service';

export interface FindReplaceOptions {
  /** The notes to change; empty = every note in the collection (as Anki's "selected notes only" off). */
  noteIds: readonly number[];
  search: string;
  replacement: string;
  /** `search` is a regular expression (else literal text). */
  regex: boolean;
  matchCase: boolean;
}

export interface FieldFindReplaceOptions extends FindReplaceOptions {
  /** A field name (matched ignoring case); null = every field. */
  field: string | null;
}

/** Anki's find-replace regex: escaped unless `regex`, `(?i)` unless `matchCase`. */
function searchPattern(o: FindReplaceOptions, normalize: boolean): string {
  const text = normalize ? o.search.normalize('NFC') : o.search;
  const body = o.regex ? text : RE2JS.quote(text);
  return o.matchCase ? body : `(?i)${body}`;
}

// Rust's `\d`, `\s`, `\w` are Unicode-aware; RE2's are ASCII. Spelled out for re2js.
const UNICODE_DIGIT = '\\p{Nd}';
const UNICODE_SPACE = '\\t\\n\\x{0b}\\f\\r \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}';
const UNICODE_WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\x{200c}\\x{200d}';

/**
 * A Rust-syntax pattern in RE2 syntax for matching with extents and captures: Rust's Unicode
 * `\d \s \w` (and their negations outside classes) are spelled out. Word boundaries `\b` stay
 * RE2's ASCII ones (the difference shows only next to non-ASCII letters).
 */
export function rustPatternForRe2(pattern: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1];
      i++;
      const inClass = depth > 0;
      switch (next) {
        case 'd':
          out += UNICODE_DIGIT;
          continue;
        case 'D':
          out += '\\P{Nd}';
          continue;
        case 's':
          out += inClass ? UNICODE_SPACE : `[${UNICODE_SPACE}]`;
          continue;
        case 'S':
          out += inClass ? '\\S' : `[^${UNICODE_SPACE}]`;
          continue;
        case 'w':
          out += inClass ? UNICODE_WORD : `[${UNICODE_WORD}]`;
          continue;
        case 'W':
          out += inClass ? '\\W' : `[^${UNICODE_WORD}]`;
          continue;
        default:
          out += ch + next;
          continue;
      }
    }
    if (ch === '[') {
      depth++;
      out += ch;
      // a `]` right after `[` or `[^` is a literal
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (ch === ']' && depth > 0) depth--;
    out += ch;
  }
  return out;
}

/** A compiled find-replace pattern: `replaceAll(text)` returns the new text, or null when nothing matched. */
export interface TextReplacer {
  replaceAll(text: string): string | null;
}

/**
 * Compiles the search of a Find and Replace. Invalid regexes fail with Rust's error text (what
 * Anki shows), as `invalid-input`.
 */
export function compileReplacer(o: FindReplaceOptions, normalize: boolean, expand: boolean): TextReplacer {
  const pattern = searchPattern(o, normalize);
  let re: RE2JS;
  try {
    if (o.regex) translateRustRegex(pattern); // Rust's grammar and errors
    re = RE2JS.compile(o.regex ? rustPatternForRe2(pattern) : pattern);
  } catch (e) {
    const msg = e instanceof RustRegexError ? e.message : (e as Error).message.replace(/^error parsing regexp: /, '');
    throw new DeckhandError('invalid-input', `Invalid regular expression: ${msg}`);
  }
  const names = re.namedGroups();
  return {
    replaceAll(text: string): string | null {
      const m = re.matcher(text);
      let out = '';
      let last = 0;
      let lastMatchEnd = -1;
      let from = 0;
      let any = false;
      while (from <= text.length && m.find(from)) {
        const start = m.start();
        const end = m.end();
        // Rust's iterator: an empty match right where the previous match ended is skipped
        if (start === end && start === lastMatchEnd) {
          from = start + codeUnitLength(text, start);
          if (from > text.length) break;
          continue;
        }
        any = true;
        out += text.slice(last, start);
        out += expand ? expandReplacement(o.replacement, (g) => groupText(m, names, g)) : o.replacement;
        last = end;
        lastMatchEnd = end;
        from = start === end ? end + codeUnitLength(text, end) : end;
      }
      if (!any) return null;
      return out + text.slice(last);
    },
  };
}

function codeUnitLength(text: string, i: number): number {
  if (i >= text.length) return 1;
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
}

function groupText(m: ReturnType<RE2JS['matcher']>, names: Record<string, number>, g: string): string {
  let idx: number | undefined;
  if (/^\d+$/.test(g)) idx = Number(g);
  else idx = names[g];
  if (idx === undefined || idx > m.groupCount()) return '';
  return m.group(idx) ?? '';
}

/**
 * Rust regex's replacement expansion: `$$` is a `$`; `$name` / `$1` take the longest run of
 * `[0-9A-Za-z_]`; `${name}` is braced; a reference to a missing group is empty; a `$` that starts
 * no reference stays a `$`.
 */
export function expandReplacement(repl: string, group: (nameOrIndex: string) => string): string {
  let out = '';
  let i = 0;
  while (i < repl.length) {
    const dollar = repl.indexOf('$', i);
    if (dollar < 0) {
      out += repl.slice(i);
      break;
    }
    out += repl.slice(i, dollar);
    i = dollar + 1;
    if (repl[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (repl[i] === '{') {
      const close = repl.indexOf('}', i + 1);
      const name = close < 0 ? '' : repl.slice(i + 1, close);
      if (close < 0 || name === '') {
        out += '$';
        continue;
      }
      out += group(name);
      i = close + 1;
      continue;
    }
    const m = /^[0-9A-Za-z_]+/.exec(repl.slice(i));
    if (!m) {
      out += '$';
      continue;
    }
    out += group(m[0]);
    i += m[0].length;
  }
  return out;
}

function targetNoteIds(tx: Tx, noteIds: readonly number[]): number[] {
  return noteIds.length ? [...new Set(noteIds)] : tx.storage.notes.allIds();
}

/** Replaces text in the fields of notes (Anki's `find_and_replace`). Returns how many notes changed. */
export function findAndReplace(col: Collection, o: FieldFindReplaceOptions): OpResult<number> {
  return col.transact('Find and Replace', (tx) => findAndReplaceInTx(tx, o));
}

export function findAndReplaceInTx(tx: Tx, o: FieldFindReplaceOptions): number {
  const normalize = getConfig(tx, 'normalize_note_text');
  // A literal replacement is not expanded (Anki escapes its `$`).
  const replacer = compileReplacer(o, normalize, o.regex);
  const wanted = o.field === null ? null : unicaseFold(o.field);
  const fieldIndex = new Map<number, number | null>();
  let changed = 0;
  const ids = targetNoteIds(tx, o.noteIds);
  for (let i = 0; i < ids.length; i += 1000) {
    for (const note of tx.storage.notes.getMany(ids.slice(i, i + 1000))) {
      let ord: number | null | undefined = fieldIndex.get(note.notetypeId);
      if (ord === undefined) {
        const nt = tx.storage.notetypes.get(note.notetypeId);
        ord = !nt ? null : wanted === null ? -1 : (nt.fields.find((f) => unicaseFold(f.name) === wanted)?.ord ?? null);
        fieldIndex.set(note.notetypeId, ord);
      }
      if (ord === null) continue;
      let any = false;
      const fields = note.fields.map((text, idx) => {
        if (ord !== -1 && idx !== ord) return text;
        const r = replacer.replaceAll(text);
        if (r === null) return text;
        any = true;
        return r;
      });
      if (!any) continue;
      updateNoteInTx(tx, note.id, { fields });
      changed++;
    }
  }
  return changed;
}

/**
 * Replaces text in the tags of notes (Anki's `find_and_replace_tag`): each tag is matched on its
 * own; changed tag lists are re-canonified and registered. The replacement may not contain a space.
 */
export function findAndReplaceTags(col: Collection, o: FindReplaceOptions): OpResult<number> {
  if (/[ \u3000]/.test(o.replacement)) throw new DeckhandError('invalid-input', 'replacement name cannot contain a space');
  return col.transact('Update Tag', (tx) => {
    // A literal replacement is inserted as is (Anki's NoExpand); a regex one expands `$1`.
    const replacer = compileReplacer(o, false, o.regex);
    let changed = 0;
    const ids = targetNoteIds(tx, o.noteIds);
    for (let i = 0; i < ids.length; i += 1000) {
      for (const note of tx.storage.notes.getMany(ids.slice(i, i + 1000))) {
        let any = false;
        const replaced = note.tags.map((t) => {
          const r = replacer.replaceAll(t);
          if (r === null) return t;
          any = true;
          return r;
        });
        if (!any) continue;
        note.tags = canonifyAndRegister(tx, replaced.flatMap((t) => splitTags(t)));
        const nt = tx.storage.notetypes.get(note.notetypeId);
        if (!nt) continue;
        tx.putNote(note, noteDerivedColumns(note, nt));
        changed++;
      }
    }
    return changed;
  });
}

/** The distinct field names of these notes' notetypes, by name (for the dialog's field list). */
export function fieldNamesForNotes(col: Collection, noteIds: readonly number[]): string[] {
  return BrowserStore.of(col.db).fieldNamesForNotes(noteIds);
}
