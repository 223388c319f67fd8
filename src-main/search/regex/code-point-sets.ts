// Code point sets (sorted, disjoint, merged inclusive ranges). Classes other than plain
// `[a-z…]` ones are turned into explicit sets: RE2 has no nested classes, class set operations,
// most binary properties or Rust's Unicode `\w`; and word-boundary emulation splits classes into
// their word / non-word parts.

import { type ClassExpr, type ClassItem, UNICODE_WORD, type WordRelation } from './syntax';

export type Ranges = ReadonlyArray<readonly [number, number]>;

const MAX_CP = 0x10ffff;

function normalizeRanges(input: Array<[number, number]>): Ranges {
  const sorted = [...input].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function complement(r: Ranges): Ranges {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of r) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

export function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

let allScalars: string | undefined;

/** Every Unicode scalar value, in order, as one string (built once, ~2 M UTF-16 units). */
function scalarString(): string {
  if (allScalars === undefined) {
    const chunks: string[] = [];
    const buf: number[] = [];
    for (let cp = 0; cp <= MAX_CP; cp++) {
      if (cp === 0xd800) cp = 0xe000;
      buf.push(cp);
      if (buf.length === 4096) {
        chunks.push(String.fromCodePoint(...buf));
        buf.length = 0;
      }
    }
    chunks.push(String.fromCodePoint(...buf));
    allScalars = chunks.join('');
  }
  return allScalars;
}

const setCache = new Map<string, Ranges>();

/**
 * The code points a JS `v`-mode class matches (with `i`: closed under simple case folding, which
 * is how Rust applies `(?i)` to classes), found by scanning every scalar value once per class.
 */
export function scanClass(jsClass: string, ci: boolean): Ranges {
  const key = `${ci ? 'i' : '-'}${jsClass}`;
  let r = setCache.get(key);
  if (r) return r;
  const all = scalarString();
  const out: Array<[number, number]> = [];
  for (const m of all.matchAll(new RegExp(`${jsClass}+`, ci ? 'giv' : 'gv'))) {
    let end = m.index + m[0].length - 1;
    const unit = all.charCodeAt(end);
    if (unit >= 0xdc00 && unit <= 0xdfff) end--;
    out.push([all.codePointAt(m.index)!, all.codePointAt(end)!]);
  }
  r = normalizeRanges(out);
  setCache.set(key, r);
  return r;
}

/** Rust's Unicode `\w`: Alphabetic, M, Nd, Pc and Join_Control (UTS#18 Annex C). */
export function wordSet(): Ranges {
  return scanClass(`[${UNICODE_WORD}]`, false);
}

const WORD_CHAR = new RegExp(`^[${UNICODE_WORD}]$`, 'v');

export function isWordChar(cp: number): boolean {
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** A code point as an RE2 literal. */
export function re2Char(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCodePoint(cp);
  }
  return `\\x{${cp.toString(16)}}`;
}

/** RE2 syntax for a set: a bracketed class, or one that never matches when the set is empty. */
export function re2Set(r: Ranges): string {
  if (r.length === 0) return '[^\\x{0}-\\x{10ffff}]';
  return `[${r.map(([lo, hi]) => (lo === hi ? re2Char(lo) : `${re2Char(lo)}-${re2Char(hi)}`)).join('')}]`;
}

/** The JS `v`-mode source of a class expression (only used to compute its set). */
export function jsClassSrc(expr: ClassExpr): string {
  const neg = expr.negated ? '^' : '';
  if (expr.k === 'union') return `[${neg}${expr.items.map(jsItemSrc).join('')}]`;
  const left = jsClassSrc(expr.left);
  const right = jsClassSrc(expr.right);
  if (expr.op === '~~') return `[${neg}[${left}--${right}][${right}--${left}]]`;
  return `[${neg}${left}${expr.op}${right}]`;
}

function jsItemSrc(item: ClassItem): string {
  switch (item.k) {
    case 'cp':
      return `\\u{${item.cp.toString(16)}}`;
    case 'range':
      return `\\u{${item.lo.toString(16)}}-\\u{${item.hi.toString(16)}}`;
    case 'raw':
      return item.src;
    case 'nested':
      return jsClassSrc(item.expr);
  }
}

/** RE2 bracket items for a class item, if RE2 can write it. */
function re2Item(item: ClassItem): string | undefined {
  switch (item.k) {
    case 'cp':
      return re2Char(item.cp);
    case 'range':
      return `${re2Char(item.lo)}-${re2Char(item.hi)}`;
    case 'raw':
      return item.re2;
    case 'nested':
      return undefined;
  }
}

function itemWordRelation(item: ClassItem): WordRelation {
  switch (item.k) {
    case 'cp':
      return isWordChar(item.cp) ? 'sub' : 'disjoint';
    case 'range': {
      if (item.hi >= 0x80) return 'mixed';
      const word = ASCII_WORD_RANGES.some(([lo, hi]) => item.lo <= hi && item.hi >= lo);
      const allWord = ASCII_WORD_RANGES.some(([lo, hi]) => item.lo >= lo && item.hi <= hi);
      return allWord ? 'sub' : word ? 'mixed' : 'disjoint';
    }
    case 'raw':
      return item.word;
    case 'nested':
      return 'mixed';
  }
}

const ASCII_WORD_RANGES: Ranges = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];

/**
 * A class in RE2's own syntax (RE2, like Rust, case-folds its items before negating), or null
 * when it needs an explicit set (nested classes, set operations, tables re2js lacks).
 */
export function nativeClass(expr: ClassExpr): { items: string[]; negated: boolean; word: WordRelation } | null {
  if (expr.k !== 'union') return null;
  const items = expr.items.map(re2Item);
  if (items.every((i) => i !== undefined)) {
    const rels = new Set(expr.items.map(itemWordRelation));
    return { items, negated: expr.negated, word: rels.size === 1 ? [...rels][0] : 'mixed' };
  }
  const only = expr.items[0];
  if (expr.items.length === 1 && only.k === 'raw' && only.re2Neg !== undefined) {
    // the complement of the item: its relation to \w flips
    const word = only.word === 'sub' ? 'disjoint' : only.word === 'disjoint' ? 'sub' : 'mixed';
    return { items: [only.re2Neg], negated: !expr.negated, word };
  }
  return null;
}
