// Tag, note type and card template searches.

import type { FieldSearchMode, TemplateKind } from '../../search/ast';
import { isGlob, normalizeToNfc, toCustomRe, toRe, toText, withoutCombining } from '../../search/wildcards';
import { ProcessTextFlags } from './sql-functions';
import { checkRegex, type SqlTarget } from './sql-target';

export function writeTemplate(w: SqlTarget, template: TemplateKind): void {
  if (template.kind === 'ordinal') {
    w.sql += `c.ord = ${template.ord}`;
    return;
  }
  const name = normalizeToNfc(template.name);
  if (isGlob(name)) {
    w.sql += `(n.mid,c.ord) in (select ntid,ord from templates where name regexp ${w.bindRegex(`(?i)^${toRe(name)}$`)})`;
  } else {
    w.sql += `(n.mid,c.ord) in (select ntid,ord from templates where name = ${w.bind(toText(name))})`;
  }
}

export function writeNotetype(w: SqlTarget, name: string): void {
  if (isGlob(name)) {
    w.sql += `n.mid in (select id from notetypes where name regexp ${w.bindRegex(`(?i)^${toRe(name)}$`)})`;
  } else {
    w.sql += `n.mid in (select id from notetypes where name = ${w.bind(toText(name))})`;
  }
}

export function writeTag(w: SqlTarget, tag: string, mode: FieldSearchMode): void {
  if (mode === 'regex') {
    w.sql += `regexp_tags(${w.bindRegex(`(?i)${tag}`)}, n.tags)`;
    return;
  }
  if (tag === 'none') {
    w.sql += "n.tags = ''";
    return;
  }
  if (tag === '*') {
    w.sql += 'true';
    return;
  }
  if (tag.includes(' ')) {
    w.sql += 'false';
    return;
  }
  if (mode === 'noCombining') {
    const text = withoutCombining(tag);
    const re = `(?i).* ${toCustomRe(text, '\\S')}(::| ).*`;
    w.sql += `coalesce(process_text(n.tags, ${ProcessTextFlags.NoCombining}), n.tags) regexp ${w.bindRegex(re)}`;
    return;
  }
  const re = `(?i).* ${toCustomRe(tag, '\\S')}(::| ).*`;
  checkRegex(re);
  // Anki runs the regex on every note; we narrow it down with LIKE first (see tagLikeFilter).
  const oddCaseRows = "(instr(n.tags, '\u212a') > 0 or instr(n.tags, '\u017f') > 0)";
  if (!isGlob(tag)) {
    const f = tagLikeFilter(toText(tag));
    const like = `n.tags like ${w.bind(`% ${f.core} %`)} escape '\\' or n.tags like ${w.bind(`% ${f.core}::%`)} escape '\\'`;
    if (f.kind === 'exact') w.sql += `(${like})`;
    else if (f.kind === 'oddCase') w.sql += `(${like} or (${oddCaseRows} and n.tags regexp ${w.bind(re)}))`;
    else w.sql += `((${like}) and n.tags regexp ${w.bind(re)})`;
    return;
  }
  // a glob: the text before the first wildcard must follow a space
  const prefix = toText(tag.slice(0, firstWildcard(tag)));
  if (prefix === '') {
    w.sql += `n.tags regexp ${w.bind(re)}`;
    return;
  }
  const f = tagLikeFilter(prefix);
  const like = `n.tags like ${w.bind(`% ${f.core}%`)} escape '\\'`;
  const filter = f.kind === 'oddCase' ? `(${like} or ${oddCaseRows})` : like;
  w.sql += `(${filter} and n.tags regexp ${w.bind(re)})`;
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/**
 * A LIKE pattern core for tag text, compared with what Anki's case-insensitive (Unicode simple
 * case folding) tag regex accepts:
 * - `exact`: the text has no letters whose case variants LIKE misses, so LIKE (ASCII case-
 *   insensitive) matches exactly the same notes as the regex;
 * - `oddCase`: as exact, except that `k` / `s` also match U+212A (Kelvin sign) / U+017F (long s)
 *   under Unicode folding, so rows holding one of those still need the regex;
 * - `superset`: the text has non-ASCII letters with case variants; each of them (and k/s) is a
 *   one-character wildcard `_` in the core, so LIKE only pre-filters and the regex decides.
 */
function tagLikeFilter(text: string): { core: string; kind: 'exact' | 'oddCase' | 'superset' } {
  const chars = Array.from(text);
  const cased = (c: string) => c.toLowerCase() !== c || c.toUpperCase() !== c;
  const superset = chars.some((c) => c.charCodeAt(0) > 0x7f && cased(c));
  const oddCase = chars.some((c) => /[ks]/i.test(c));
  const core = chars
    .map((c) => (superset && (/[ks]/i.test(c) || (c.charCodeAt(0) > 0x7f && cased(c))) ? '_' : likeEscape(c)))
    .join('');
  return { core, kind: superset ? 'superset' : oddCase ? 'oddCase' : 'exact' };
}

/** Index of the first unescaped `*` or `_`. */
function firstWildcard(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === '*' || s[i] === '_') return i;
  }
  return s.length;
}

