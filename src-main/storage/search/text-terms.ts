// Text searches: unqualified text, `re:`, `nc:`, `sc:`, `w:`, single fields and `dupe:`, all
// over the notes' `\x1f`-joined fields.

import type { FieldSearchMode } from '../../search/ast';
import { compileRustRegex } from '../../search/rust-regex';
import { isGlob, toRe, toSql, toText, withoutCombining } from '../../search/wildcards';
import { checksumOfStrippedText } from '../../text/checksum';
import { stripHtmlPreservingMediaFilenames } from '../../text/html';
import type { SearchNotetype } from './catalog';
import { ProcessTextFlags } from './sql-functions';
import { checkRegex, type SqlTarget } from './sql-target';

interface FieldRangeContext {
  ntid: number;
  totalFields: number;
  /** Half-open [start, end) ranges of field ords. */
  ranges: Array<[number, number]>;
}

/** Collapse a sorted list of ords into ranges; without `join` every ord is its own range. */
function collectRanges(ords: number[], join: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const i of ords) {
    const last = out[out.length - 1];
    if (join && last && i === last[1]) last[1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

export function writeUnqualified(w: SqlTarget, text: string, noCombining: boolean, stripClozes: boolean): void {
  let like = toSql(text);
  if (noCombining) like = withoutCombining(like);
  like = `%${like}%`;

  let bits = 0;
  if (noCombining) bits |= ProcessTextFlags.NoCombining;
  if (stripClozes) bits |= ProcessTextFlags.StripClozes;
  const sfldExpr = bits ? `coalesce(process_text(cast(n.sfld as text), ${bits}), n.sfld)` : 'n.sfld';
  const fldsExpr = bits ? `coalesce(process_text(n.flds, ${bits}), n.flds)` : 'n.flds';

  let clozeClause: string | null = null;
  if (stripClozes) {
    const ids = w.catalog.notetypes().filter((nt) => nt.isCloze).map((nt) => nt.id);
    if (ids.length === 0) {
      // no cloze notetypes (Anki would write invalid SQL here)
      w.sql += 'false';
      return;
    }
    clozeClause = `(${ids.map((id) => `n.mid = ${id}`).join(' or ')})`;
  }

  let body: string;
  const included = includedFieldsByNotetype(w);
  if (included) {
    const clauses = included.map((ctx) => {
      const parts = ctx.ranges.map((range) => `${fldsExpr} like ${fieldPattern(w, ctx.totalFields, range, like)} escape '\\'`);
      if (!ctx.sortFieldExcluded) parts.push(`${sfldExpr} like ${w.bind(like)} escape '\\'`);
      return `(n.mid = ${ctx.ntid} and (${parts.join(' or ')}))`;
    });
    body = clauses.length > 0 ? `(${clauses.join(' or ')})` : 'false';
  } else {
    body = `(${sfldExpr} like ${w.bind(like)} escape '\\' or ${fldsExpr} like ${w.bind(like)} escape '\\')`;
  }
  // Anki writes "(cloze ids) and (…)" without outer parentheses; we keep it one term.
  w.sql += clozeClause ? `(${clozeClause} and ${body})` : body;
}

/**
 * A LIKE pattern over the whole `\x1f`-joined field list in which the fields of `range` are
 * the bound value and every other field is `%`.
 */
function fieldPattern(w: SqlTarget, totalFields: number, range: [number, number], value: string): string {
  const slots: string[] = [];
  for (let i = 0; i < totalFields; i++) {
    if (i === range[0]) slots.push("' || ? || '");
    else if (i > range[0] && i < range[1]) continue;
    else slots.push('%');
  }
  w.bind(value);
  return `'${slots.join('\x1f')}'`;
}

function includedFieldsByNotetype(w: SqlTarget):
  | Array<FieldRangeContext & { sortFieldExcluded: boolean }>
  | null {
  let anyExcluded = false;
  const out: Array<FieldRangeContext & { sortFieldExcluded: boolean }> = [];
  for (const nt of w.catalog.notetypes()) {
    let sortFieldExcluded = false;
    const ords: number[] = [];
    for (const f of nt.fields) {
      if (f.excludeFromSearch) {
        anyExcluded = true;
        if (f.ord === nt.sortFieldIdx) sortFieldExcluded = true;
      } else {
        ords.push(f.ord);
      }
    }
    const ranges = collectRanges(ords, true);
    if (ranges.length > 0) {
      out.push({ ntid: nt.id, totalFields: nt.fields.length, ranges, sortFieldExcluded });
    }
  }
  return anyExcluded ? out : null;
}

export function writeRegex(w: SqlTarget, word: string, noCombining: boolean): void {
  const fldsExpr = noCombining ? `coalesce(process_text(n.flds, ${ProcessTextFlags.NoCombining}), n.flds)` : 'n.flds';
  const pattern = `(?i)${noCombining ? withoutCombining(word) : word}`;
  checkRegex(pattern);

  let anyExcluded = false;
  const perNotetype: Array<{ ntid: number; total: number; ords: number[] }> = [];
  for (const nt of w.catalog.notetypes()) {
    const ords: number[] = [];
    for (const f of nt.fields) {
      if (f.excludeFromSearch) anyExcluded = true;
      else ords.push(f.ord);
    }
    perNotetype.push({ ntid: nt.id, total: nt.fields.length, ords });
  }
  if (!anyExcluded) {
    w.sql += `${fldsExpr} regexp ${w.bind(pattern)}`;
    return;
  }
  const clauses = perNotetype.map(({ ntid, total, ords }) => {
    let clause: string;
    if (ords.length === total) clause = `${fldsExpr} regexp ${w.bind(pattern)}`;
    else if (ords.length === 0) clause = 'false';
    else clause = `regexp_fields(${w.bind(pattern)}, ${fldsExpr}, ${ords.join(',')})`;
    return `(n.mid = ${ntid} and ${clause})`;
  });
  w.sql += clauses.length > 0 ? `(${clauses.join(' or ')})` : 'false';
}

function fieldMatcher(w: SqlTarget, fieldName: string): (name: string) => boolean {
  if (isGlob(fieldName)) {
    const re = compileRustRegex(`^(?i)${toRe(fieldName)}$`);
    return (name) => re.test(name);
  }
  const text = toText(fieldName);
  return (name) => w.catalog.namesEqual(name, text);
}

function matchingFields(w: SqlTarget, fieldName: string): Array<{ nt: SearchNotetype; ords: number[] }> {
  const matches = fieldMatcher(w, fieldName);
  const out: Array<{ nt: SearchNotetype; ords: number[] }> = [];
  for (const nt of w.catalog.notetypes()) {
    const ords = nt.fields.filter((f) => matches(f.name)).map((f) => f.ord);
    if (ords.length > 0) out.push({ nt, ords });
  }
  return out;
}

export function writeField(w: SqlTarget, fieldName: string, val: string, mode: FieldSearchMode): void {
  if (fieldName === '*' || fieldName === '_*' || fieldName === '*_') {
    if (mode === 'regex') {
      w.sql += `regexp_fields(${w.bindRegex(`(?i)${val}`)}, n.flds)`;
    } else {
      w.sql += `regexp_fields(${w.bindRegex(`(?is)^${toRe(val)}$`)}, n.flds)`;
    }
    return;
  }
  if (mode === 'regex') {
    const matches = matchingFields(w, fieldName);
    if (matches.length === 0) {
      w.sql += 'false';
      return;
    }
    const pattern = `(?i)${val}`;
    checkRegex(pattern);
    const clauses = matches.map(
      ({ nt, ords }) => `(n.mid = ${nt.id} and regexp_fields(${w.bind(pattern)}, n.flds, ${ords.join(', ')}))`,
    );
    w.sql += `(${clauses.join(' or ')})`;
    return;
  }
  const testForNonEmpty = val === '*' || val === '_*' || val === '*_';
  const matches = matchingFields(w, fieldName);
  if (matches.length === 0) {
    w.sql += 'false';
    return;
  }
  let like = toSql(val);
  let fldsExpr = 'n.flds';
  if (mode === 'noCombining') {
    like = withoutCombining(like);
    fldsExpr = `coalesce(process_text(n.flds, ${ProcessTextFlags.NoCombining}), n.flds)`;
  }
  const clauses = matches.map(({ nt, ords }) => {
    const ranges = collectRanges(ords, !testForNonEmpty);
    const parts = ranges.map(
      (range) => `${fldsExpr} like ${fieldPattern(w, nt.fields.length, range, like)} escape '\\'`,
    );
    return `(n.mid = ${nt.id} and (${parts.join(' or ')}))`;
  });
  w.sql += `(${clauses.join(' or ')})`;
}

export function writeDupe(w: SqlTarget, notetypeId: string, text: string): void {
  const stripped = stripHtmlPreservingMediaFilenames(text);
  const csum = checksumOfStrippedText(stripped);
  const ids = w.catalog
    .notesWithChecksum(notetypeId, csum)
    .filter((n) => stripHtmlPreservingMediaFilenames(n.firstField) === stripped)
    .map((n) => n.id);
  w.sql += `n.id in (${ids.join(',')})`;
}
