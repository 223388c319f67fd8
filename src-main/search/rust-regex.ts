// Rust `regex` crate syntax (what Anki's `re:`, tag, deck, field and glob searches use), matched
// with re2js: a pure-JS port of RE2, linear in the text like Rust's engine, so no pattern can make
// a search backtrack for ever (shared/spec/anki-search.md §6).
//
// The pattern is parsed here with Rust's grammar (so errors and accepted syntax are Rust's) and
// written out in RE2 syntax. What RE2 lacks or does differently is compiled away:
// - `\w`, `\d`, `\s` are Unicode-aware in Rust (RE2's are ASCII): emitted as explicit classes;
// - Unicode word boundaries `\b`, `\B`, `\<`, `\>`, `\b{start}`, `\b{end}`, `\b{start-half}`,
//   `\b{end-half}` (RE2 only has ASCII `\b`, and no look-ahead): see the boundary emulation below;
// - `\p{…}` names Rust accepts loosely (`\p{Letter}`, `\p{sc=Greek}`, binary properties), POSIX
//   classes, nested classes and class set operations `&&`, `--`, `~~`: computed as explicit sets;
// - `(?x)` verbose mode, `(?R)`, `\u…`/`\U…` escapes, superfluous punctuation escapes, `\z`.
// Inline flags `(?i)`, `(?-i)`, `(?s)`, `(?m)`, `(?U)` and scoped groups map onto RE2's own (RE2,
// like Rust, applies `(?i)` as Unicode simple case folding). Unsupported Rust syntax
// (back-references, look-around) is rejected, as Rust does; so are the few patterns RE2 cannot
// hold (repetition counts over 1000).

import { RE2JS } from 're2js';

export class RustRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RustRegexError';
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
  u: boolean;
  x: boolean;
  R: boolean;
}

/** A set's relation to Rust's Unicode `\w`: inside it, disjoint from it, or neither. */
type WordRelation = 'sub' | 'disjoint' | 'mixed';

type AssertKind = 'start' | 'end' | 'textStart' | 'textEnd' | 'b' | 'B' | '<' | '>' | 'startHalf' | 'endHalf';

type ClassItem =
  | { k: 'cp'; cp: number }
  | { k: 'range'; lo: number; hi: number }
  /**
   * A Perl, POSIX or Unicode class. `src`: a class-set operand valid inside a JS `v`-mode class,
   * e.g. `\p{L}` or `[0-9]` (used to compute the exact set); `re2`: the same inside an RE2
   * bracket, when RE2 has it; `re2Neg`: else, RE2 items whose complement this is; `word`: how it
   * relates to the Unicode word characters (for boundary emulation).
   */
  | { k: 'raw'; src: string; re2?: string; re2Neg?: string; word: WordRelation }
  | { k: 'nested'; expr: ClassExpr };

type ClassExpr =
  | { k: 'union'; negated: boolean; items: ClassItem[] }
  | { k: 'op'; negated: boolean; op: '&&' | '--' | '~~'; left: ClassExpr; right: ClassExpr };

type RNode =
  | { t: 'empty' }
  | { t: 'lit'; cp: number; ci: boolean }
  | { t: 'dot'; s: boolean; R: boolean }
  | { t: 'class'; expr: ClassExpr; ci: boolean }
  | { t: 'assert'; a: AssertKind; m: boolean; u: boolean }
  | { t: 'group'; body: RNode }
  | { t: 'concat'; items: RNode[] }
  | { t: 'alt'; branches: RNode[] }
  | { t: 'rep'; item: RNode; min: number; max: number; greedy: boolean };

const UNICODE_WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const ASCII_WORD = '0-9A-Za-z_';
/** Rust's Unicode `\w` as RE2 bracket items (re2js has these tables). */
const RE2_WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\x{200c}\\x{200d}';
/** POSIX classes inside / outside `\w` (the others, e.g. punct with its `_`, straddle it). */
const POSIX_WORD: Record<string, WordRelation> = {
  alnum: 'sub',
  alpha: 'sub',
  digit: 'sub',
  lower: 'sub',
  upper: 'sub',
  word: 'sub',
  xdigit: 'sub',
  blank: 'disjoint',
  cntrl: 'disjoint',
  space: 'disjoint',
};

const ASCII_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\u{0}-\\u{7f}',
  blank: '\\u{9}\\u{20}',
  cntrl: '\\u{0}-\\u{1f}\\u{7f}',
  digit: '0-9',
  graph: '\\u{21}-\\u{7e}',
  lower: 'a-z',
  print: '\\u{20}-\\u{7e}',
  punct: '\\u{21}-\\u{2f}\\u{3a}-\\u{40}\\u{5b}-\\u{60}\\u{7b}-\\u{7e}',
  space: '\\u{9}-\\u{d}\\u{20}',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

// ------------------------------------------------------------------------------------------
// Parser

class Parser {
  private readonly cs: string[];
  private pos = 0;

  constructor(pattern: string) {
    this.cs = Array.from(pattern);
  }

  parse(): RNode {
    const flags: Flags = { i: false, m: false, s: false, U: false, u: true, x: false, R: false };
    const node = this.parseAlt(flags);
    if (this.pos < this.cs.length) throw this.error('unopened group');
    return node;
  }

  private error(msg: string): RustRegexError {
    return new RustRegexError(msg);
  }

  private peek(offset = 0): string | undefined {
    return this.cs[this.pos + offset];
  }

  private eof(): boolean {
    return this.pos >= this.cs.length;
  }

  /** Skip whitespace and comments in verbose (x) mode. */
  private skipVerbose(flags: Flags): void {
    if (!flags.x) return;
    while (!this.eof()) {
      const c = this.peek()!;
      if (/^\s$/u.test(c)) {
        this.pos++;
      } else if (c === '#') {
        while (!this.eof() && this.peek() !== '\n') this.pos++;
      } else {
        break;
      }
    }
  }

  /** Alternation up to an unmatched `)` or the end. `flags` is mutated by inline flag groups. */
  private parseAlt(flags: Flags): RNode {
    const branches: RNode[] = [this.parseConcat(flags)];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.parseConcat(flags));
    }
    return branches.length === 1 ? branches[0] : { t: 'alt', branches };
  }

  private parseConcat(flags: Flags): RNode {
    const items: RNode[] = [];
    for (;;) {
      this.skipVerbose(flags);
      if (this.eof()) break;
      const c = this.peek()!;
      if (c === '|' || c === ')') break;
      if (c === '*' || c === '+' || c === '?' || c === '{') {
        const last = items.pop();
        if (last === undefined) throw this.error('repetition operator missing expression');
        items.push(this.parseRepetition(last, flags));
        continue;
      }
      const atom = this.parseAtom(flags);
      if (atom !== null) items.push(atom);
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0] : { t: 'concat', items };
  }

  private parseRepetition(item: RNode, flags: Flags): RNode {
    const c = this.cs[this.pos++];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else {
      this.skipVerbose(flags);
      const lo = this.parseDecimal(flags);
      if (lo === undefined) throw this.error('repetition quantifier expects a valid decimal');
      min = lo;
      this.skipVerbose(flags);
      if (this.peek() === ',') {
        this.pos++;
        this.skipVerbose(flags);
        if (this.peek() === '}') max = Infinity;
        else {
          const hi = this.parseDecimal(flags);
          if (hi === undefined) throw this.error('repetition quantifier expects a valid decimal');
          max = hi;
        }
      } else {
        max = min;
      }
      this.skipVerbose(flags);
      if (this.peek() !== '}') throw this.error('unclosed counted repetition');
      this.pos++;
      if (max < min) throw this.error('invalid repetition range');
    }
    let greedy = true;
    if (this.peek() === '?') {
      this.pos++;
      greedy = false;
    }
    if (flags.U) greedy = !greedy;
    return { t: 'rep', item, min, max, greedy };
  }

  private parseDecimal(flags: Flags): number | undefined {
    let digits = '';
    while (!this.eof() && /^[0-9]$/.test(this.peek()!)) digits += this.cs[this.pos++];
    this.skipVerbose(flags);
    if (digits === '') return undefined;
    const n = Number(digits);
    if (n > 1_000_000) throw this.error('repetition count too large');
    return n;
  }

  /** Returns null for an inline flag group, which only changes `flags`. */
  private parseAtom(flags: Flags): RNode | null {
    const c = this.cs[this.pos++];
    switch (c) {
      case '(':
        return this.parseGroup(flags);
      case '[':
        return { t: 'class', expr: this.parseClass(flags), ci: flags.i };
      case '.':
        return { t: 'dot', s: flags.s, R: flags.R };
      case '^':
        return { t: 'assert', a: 'start', m: flags.m, u: flags.u };
      case '$':
        return { t: 'assert', a: 'end', m: flags.m, u: flags.u };
      case '\\':
        return this.parseEscape(flags);
      default:
        return { t: 'lit', cp: c.codePointAt(0)!, ci: flags.i };
    }
  }

  private parseGroup(flags: Flags): RNode | null {
    if (this.peek() === '?') {
      this.pos++;
      const c = this.peek();
      if (c === '=' || c === '!' || (c === '<' && (this.peek(1) === '=' || this.peek(1) === '!'))) {
        throw this.error('look-around is not supported');
      } else if (c === 'P' && this.peek(1) === '<') {
        this.pos += 2;
        this.parseGroupName();
      } else if (c === '<') {
        this.pos++;
        this.parseGroupName();
      } else {
        // flags: (?flags) or (?flags:…)
        const inner: Flags = { ...flags };
        let negate = false;
        let any = false;
        for (;;) {
          const f = this.peek();
          if (f === undefined) throw this.error('unclosed group');
          if (f === ')' || f === ':') break;
          this.pos++;
          if (f === '-') {
            if (negate) throw this.error('repeated negation in flags');
            negate = true;
            continue;
          }
          if (!'imsUuxR'.includes(f)) throw this.error(`unrecognized flag "${f}"`);
          (inner as unknown as Record<string, boolean>)[f] = !negate;
          any = true;
        }
        if (!any && (negate || this.peek() === ')')) throw this.error('empty flag group');
        if (this.peek() === ')') {
          this.pos++;
          Object.assign(flags, inner);
          return null;
        }
        this.pos++; // ':'
        const body = this.parseAlt(inner);
        this.expectClose();
        return { t: 'group', body };
      }
    }
    const body = this.parseAlt({ ...flags });
    this.expectClose();
    return { t: 'group', body };
  }

  private parseGroupName(): void {
    let name = '';
    while (!this.eof() && this.peek() !== '>') name += this.cs[this.pos++];
    if (this.eof()) throw this.error('unclosed group name');
    this.pos++;
    if (!/^[_\p{L}\p{N}.[\]]+$/u.test(name)) throw this.error('invalid capture group name');
  }

  private expectClose(): void {
    if (this.peek() !== ')') throw this.error('unclosed group');
    this.pos++;
  }

  private parseEscape(flags: Flags): RNode {
    const c = this.cs[this.pos++];
    if (c === undefined) throw this.error('incomplete escape sequence');
    switch (c) {
      case 'A':
        return { t: 'assert', a: 'textStart', m: flags.m, u: flags.u };
      case 'z':
        return { t: 'assert', a: 'textEnd', m: flags.m, u: flags.u };
      case 'B':
        return { t: 'assert', a: 'B', m: flags.m, u: flags.u };
      case '<':
        return { t: 'assert', a: '<', m: flags.m, u: flags.u };
      case '>':
        return { t: 'assert', a: '>', m: flags.m, u: flags.u };
      case 'b': {
        if (this.peek() === '{') {
          const rest = this.cs.slice(this.pos).join('');
          const m = /^\{(start|end|start-half|end-half)\}/.exec(rest);
          if (m) {
            this.pos += m[0].length;
            const kinds: Record<string, AssertKind> = {
              start: '<',
              end: '>',
              'start-half': 'startHalf',
              'end-half': 'endHalf',
            };
            return { t: 'assert', a: kinds[m[1]], m: flags.m, u: flags.u };
          }
        }
        return { t: 'assert', a: 'b', m: flags.m, u: flags.u };
      }
    }
    const cls = this.perlOrUnicodeClass(c, flags);
    if (cls !== null) {
      return { t: 'class', expr: { k: 'union', negated: false, items: [cls] }, ci: flags.i };
    }
    return { t: 'lit', cp: this.escapedChar(c, false), ci: flags.i };
  }

  /** `\d` `\s` `\w` (and negations), `\p…` / `\P…` as a class item, or null. */
  private perlOrUnicodeClass(c: string, flags: Flags): ClassItem | null {
    switch (c) {
      case 'd':
        return flags.u
          ? { k: 'raw', src: '\\p{Nd}', re2: '\\p{Nd}', word: 'sub' }
          : { k: 'raw', src: '[0-9]', re2: '0-9', word: 'sub' };
      case 'D':
        return flags.u
          ? { k: 'raw', src: '\\P{Nd}', re2: '\\P{Nd}', word: 'mixed' }
          : { k: 'raw', src: '[^0-9]', re2: '\\D', word: 'mixed' };
      case 's':
        return flags.u
          ? { k: 'raw', src: '\\p{White_Space}', re2: '\\p{White_Space}', word: 'disjoint' }
          : { k: 'raw', src: '[\\u{9}-\\u{d}\\u{20}]', re2: '\\x{9}-\\x{d}\\x{20}', word: 'disjoint' };
      case 'S':
        return flags.u
          ? { k: 'raw', src: '\\P{White_Space}', re2: '\\P{White_Space}', word: 'mixed' }
          : { k: 'raw', src: '[^\\u{9}-\\u{d}\\u{20}]', re2Neg: '\\x{9}-\\x{d}\\x{20}', word: 'mixed' };
      case 'w':
        return flags.u
          ? { k: 'raw', src: `[${UNICODE_WORD}]`, re2: RE2_WORD, word: 'sub' }
          : { k: 'raw', src: `[${ASCII_WORD}]`, re2: ASCII_WORD, word: 'sub' };
      case 'W':
        return flags.u
          ? { k: 'raw', src: `[^${UNICODE_WORD}]`, re2Neg: RE2_WORD, word: 'disjoint' }
          : { k: 'raw', src: `[^${ASCII_WORD}]`, re2: '\\W', word: 'mixed' };
      case 'p':
      case 'P': {
        let name: string;
        if (this.peek() === '{') {
          this.pos++;
          name = '';
          while (!this.eof() && this.peek() !== '}') name += this.cs[this.pos++];
          if (this.eof()) throw this.error('unclosed Unicode class');
          this.pos++;
        } else {
          name = this.cs[this.pos++] ?? '';
          if (name === '') throw this.error('incomplete Unicode class');
        }
        const src = unicodeProperty(name, c === 'P');
        return { k: 'raw', src, re2: re2Property(src), word: 'mixed' };
      }
      default:
        return null;
    }
  }

  /** A literal escape: control escapes, hex escapes, or an escaped punctuation character. */
  private escapedChar(c: string, inClass: boolean): number {
    switch (c) {
      case 'a':
        return 7;
      case 'f':
        return 12;
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 'v':
        return 11;
      case 'x':
        return this.hexEscape(2);
      case 'u':
        return this.hexEscape(4);
      case 'U':
        return this.hexEscape(8);
    }
    if (/^[0-9]$/.test(c)) throw this.error('back-references and octal escapes are not supported');
    if (c.charCodeAt(0) < 0x80 && !/^[A-Za-z0-9]$/.test(c)) {
      if (!inClass && (c === '<' || c === '>')) throw this.error('unexpected escape');
      return c.codePointAt(0)!;
    }
    throw this.error(`unrecognized escape sequence "\\${c}"`);
  }

  private hexEscape(digits: number): number {
    let hex = '';
    if (this.peek() === '{') {
      this.pos++;
      while (!this.eof() && this.peek() !== '}') hex += this.cs[this.pos++];
      if (this.eof()) throw this.error('unclosed hex escape');
      this.pos++;
      if (!/^[0-9A-Fa-f]{1,8}$/.test(hex)) throw this.error('invalid hex escape');
    } else {
      for (let n = 0; n < digits; n++) hex += this.cs[this.pos++] ?? '';
      if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) throw this.error('invalid hex escape');
    }
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw this.error('invalid Unicode scalar value');
    return cp;
  }

  /** After `[`: a bracketed class with unions, ranges, nesting and set operations. */
  private parseClass(flags: Flags): ClassExpr {
    let negated = false;
    if (this.peek() === '^') {
      this.pos++;
      negated = true;
    }
    let expr: ClassExpr = { k: 'union', negated: false, items: [] };
    let current = expr as { k: 'union'; negated: boolean; items: ClassItem[] };
    let first = true;
    for (;;) {
      if (flags.x) {
        while (!this.eof() && /^\s$/u.test(this.peek()!)) this.pos++;
      }
      const c = this.peek();
      if (c === undefined) throw this.error('unclosed character class');
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      const two = c + (this.peek(1) ?? '');
      if (!first && (two === '&&' || two === '--' || two === '~~')) {
        this.pos += 2;
        const right: { k: 'union'; negated: boolean; items: ClassItem[] } = {
          k: 'union',
          negated: false,
          items: [],
        };
        expr = { k: 'op', negated: false, op: two as '&&' | '--' | '~~', left: expr, right };
        current = right;
        continue;
      }
      first = false;
      current.items.push(this.parseClassItem(flags));
    }
    if (negated) {
      expr = { ...expr, negated: true };
    }
    return expr;
  }

  private parseClassItem(flags: Flags): ClassItem {
    const c = this.cs[this.pos++];
    if (c === '[') {
      const rest = this.cs.slice(this.pos).join('');
      const m = /^:(\^?)([a-z]+):\]/.exec(rest);
      if (m && ASCII_CLASSES[m[2]] !== undefined) {
        this.pos += m[0].length;
        const word: WordRelation = m[1] ? 'mixed' : POSIX_WORD[m[2]] ?? 'mixed';
        return { k: 'raw', src: `[${m[1] ? '^' : ''}${ASCII_CLASSES[m[2]]}]`, re2: `[:${m[1]}${m[2]}:]`, word };
      }
      return { k: 'nested', expr: this.parseClass(flags) };
    }
    let lo: number;
    if (c === '\\') {
      const e = this.cs[this.pos++];
      if (e === undefined) throw this.error('incomplete escape sequence');
      const cls = this.perlOrUnicodeClass(e, flags);
      if (cls !== null) return cls;
      lo = this.escapedChar(e, true);
    } else {
      lo = c.codePointAt(0)!;
    }
    // a range?
    if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']' && this.peek(1) !== '-') {
      this.pos++;
      const h = this.cs[this.pos++];
      let hi: number;
      if (h === '\\') {
        const e = this.cs[this.pos++];
        if (e === undefined) throw this.error('incomplete escape sequence');
        hi = this.escapedChar(e, true);
      } else if (h === '[') {
        throw this.error('invalid range end');
      } else {
        hi = h.codePointAt(0)!;
      }
      if (hi < lo) throw this.error('invalid character class range');
      return { k: 'range', lo, hi };
    }
    return { k: 'cp', cp: lo };
  }
}

// ------------------------------------------------------------------------------------------
// Unicode properties: Rust matches names loosely (case, spaces, `_`, `-` ignored); JS needs the
// canonical names.

const GENERAL_CATEGORIES = [
  'C Other', 'Cc Control', 'Cf Format', 'Cn Unassigned', 'Co Private_Use', 'Cs Surrogate',
  'L Letter', 'LC Cased_Letter', 'Ll Lowercase_Letter', 'Lm Modifier_Letter', 'Lo Other_Letter',
  'Lt Titlecase_Letter', 'Lu Uppercase_Letter', 'M Mark', 'Mc Spacing_Mark', 'Me Enclosing_Mark',
  'Mn Nonspacing_Mark', 'N Number', 'Nd Decimal_Number', 'Nl Letter_Number', 'No Other_Number',
  'P Punctuation', 'Pc Connector_Punctuation', 'Pd Dash_Punctuation', 'Pe Close_Punctuation',
  'Pf Final_Punctuation', 'Pi Initial_Punctuation', 'Po Other_Punctuation', 'Ps Open_Punctuation',
  'S Symbol', 'Sc Currency_Symbol', 'Sk Modifier_Symbol', 'Sm Math_Symbol', 'So Other_Symbol',
  'Z Separator', 'Zl Line_Separator', 'Zp Paragraph_Separator', 'Zs Space_Separator',
];
const GC_ALIASES: Record<string, string> = {
  combiningmark: 'M',
  digit: 'Nd',
  punct: 'P',
  cntrl: 'Cc',
};
const BINARY_PROPERTIES = [
  'ASCII', 'ASCII_Hex_Digit', 'Alphabetic', 'Any', 'Assigned', 'Bidi_Control', 'Bidi_Mirrored',
  'Case_Ignorable', 'Cased', 'Changes_When_Casefolded', 'Changes_When_Casemapped',
  'Changes_When_Lowercased', 'Changes_When_NFKC_Casefolded', 'Changes_When_Titlecased',
  'Changes_When_Uppercased', 'Dash', 'Default_Ignorable_Code_Point', 'Deprecated', 'Diacritic',
  'Emoji', 'Emoji_Component', 'Emoji_Modifier', 'Emoji_Modifier_Base', 'Emoji_Presentation',
  'Extended_Pictographic', 'Extender', 'Grapheme_Base', 'Grapheme_Extend', 'Hex_Digit',
  'IDS_Binary_Operator', 'IDS_Trinary_Operator', 'ID_Continue', 'ID_Start', 'Ideographic',
  'Join_Control', 'Logical_Order_Exception', 'Lowercase', 'Math', 'Noncharacter_Code_Point',
  'Pattern_Syntax', 'Pattern_White_Space', 'Quotation_Mark', 'Radical', 'Regional_Indicator',
  'Sentence_Terminal', 'Soft_Dotted', 'Terminal_Punctuation', 'Unified_Ideograph', 'Uppercase',
  'Variation_Selector', 'White_Space', 'XID_Continue', 'XID_Start',
];
const BINARY_ALIASES: Record<string, string> = {
  ahex: 'ASCII_Hex_Digit', alpha: 'Alphabetic', bidic: 'Bidi_Control', bidim: 'Bidi_Mirrored',
  ci: 'Case_Ignorable', cwcf: 'Changes_When_Casefolded', cwcm: 'Changes_When_Casemapped',
  cwl: 'Changes_When_Lowercased', cwkcf: 'Changes_When_NFKC_Casefolded',
  cwt: 'Changes_When_Titlecased', cwu: 'Changes_When_Uppercased', di: 'Default_Ignorable_Code_Point',
  dep: 'Deprecated', dia: 'Diacritic', ecomp: 'Emoji_Component', emod: 'Emoji_Modifier',
  ebase: 'Emoji_Modifier_Base', epres: 'Emoji_Presentation', extpict: 'Extended_Pictographic',
  ext: 'Extender', grbase: 'Grapheme_Base', grext: 'Grapheme_Extend', hex: 'Hex_Digit',
  idsb: 'IDS_Binary_Operator', idst: 'IDS_Trinary_Operator', idc: 'ID_Continue', ids: 'ID_Start',
  ideo: 'Ideographic', joinc: 'Join_Control', loe: 'Logical_Order_Exception', lower: 'Lowercase',
  nchar: 'Noncharacter_Code_Point', patsyn: 'Pattern_Syntax', patws: 'Pattern_White_Space',
  qmark: 'Quotation_Mark', ri: 'Regional_Indicator', sterm: 'Sentence_Terminal', sd: 'Soft_Dotted',
  term: 'Terminal_Punctuation', uideo: 'Unified_Ideograph', upper: 'Uppercase',
  vs: 'Variation_Selector', space: 'White_Space', wspace: 'White_Space', xidc: 'XID_Continue',
  xids: 'XID_Start',
};

let propertyTable: Map<string, string> | undefined;

function looseKey(s: string): string {
  return s.replace(/[\s_-]/g, '').toLowerCase();
}

function getPropertyTable(): Map<string, string> {
  if (propertyTable) return propertyTable;
  const t = new Map<string, string>();
  for (const entry of GENERAL_CATEGORIES) {
    const [short, long] = entry.split(' ');
    t.set(looseKey(short), short);
    t.set(looseKey(long), short);
  }
  for (const [k, v] of Object.entries(GC_ALIASES)) t.set(k, v);
  for (const p of BINARY_PROPERTIES) t.set(looseKey(p), p);
  for (const [k, v] of Object.entries(BINARY_ALIASES)) if (!t.has(k)) t.set(k, v);
  propertyTable = t;
  return t;
}

function propertyCompiles(src: string): boolean {
  try {
    new RegExp(src, 'v');
    return true;
  } catch {
    return false;
  }
}

function scriptName(value: string): string | undefined {
  const candidates = [
    value,
    value
      .split(/[\s_-]+/)
      .filter((w) => w !== '')
      .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
      .join('_'),
  ];
  return candidates.find((c) => /^[A-Za-z_]+$/.test(c) && propertyCompiles(`\\p{Script=${c}}`));
}

/** `\p{…}` / `\P{…}` in JS syntax for a Rust Unicode class name. */
function unicodeProperty(name: string, negatedIn: boolean): string {
  let negated = negatedIn;
  let body = name.trim();
  if (body.startsWith('^')) {
    negated = !negated;
    body = body.slice(1);
  }
  const p = negated ? '\\P' : '\\p';
  const opMatch = /^(.*?)(!=|=|:)(.*)$/.exec(body);
  if (opMatch) {
    const [, rawName, op, rawValue] = opMatch;
    if (op === '!=') negated = !negated;
    const pp = negated ? '\\P' : '\\p';
    const key = looseKey(rawName);
    if (key === 'gc' || key === 'generalcategory') {
      const gc = getPropertyTable().get(looseKey(rawValue));
      if (gc && /^[A-Z][a-z]?$|^LC$/.test(gc)) return `${pp}{${gc}}`;
    } else if (key === 'sc' || key === 'script' || key === 'scx' || key === 'scriptextensions') {
      const sc = scriptName(rawValue.trim());
      const propName = key === 'sc' || key === 'script' ? 'Script' : 'Script_Extensions';
      if (sc && propertyCompiles(`\\p{${propName}=${sc}}`)) return `${pp}{${propName}=${sc}}`;
    }
    throw new RustRegexError(`unsupported Unicode class "${name}"`);
  }
  const known = getPropertyTable().get(looseKey(body));
  if (known) return `${p}{${known}}`;
  const sc = scriptName(body);
  if (sc) return `${p}{Script=${sc}}`;
  throw new RustRegexError(`unrecognized Unicode class "${name}"`);
}

const re2Names = new Map<string, boolean>();

/** RE2 syntax for a JS `\p{…}` / `\P{…}` property, when re2js has that table. */
function re2Property(js: string): string | undefined {
  const m = /^\\([pP])\{(?:Script=)?([A-Za-z_]+)\}$/.exec(js);
  if (!m) return undefined;
  let known = re2Names.get(m[2]);
  if (known === undefined) {
    try {
      RE2JS.compile(`\\p{${m[2]}}`);
      known = true;
    } catch {
      known = false;
    }
    re2Names.set(m[2], known);
  }
  return known ? `\\${m[1]}{${m[2]}}` : undefined;
}

// ------------------------------------------------------------------------------------------
// Code point sets (sorted, disjoint, merged inclusive ranges). Classes other than plain
// `[a-z…]` ones are turned into explicit sets: RE2 has no nested classes, class set operations,
// most binary properties or Rust's Unicode `\w`; and word-boundary emulation splits classes into
// their word / non-word parts.

type Ranges = ReadonlyArray<readonly [number, number]>;

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

function complement(r: Ranges): Ranges {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of r) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function intersect(a: Ranges, b: Ranges): Ranges {
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
function scanClass(jsClass: string, ci: boolean): Ranges {
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
function wordSet(): Ranges {
  return scanClass(`[${UNICODE_WORD}]`, false);
}

const WORD_CHAR = new RegExp(`^[${UNICODE_WORD}]$`, 'v');

function isWordChar(cp: number): boolean {
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** A code point as an RE2 literal. */
function re2Char(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCodePoint(cp);
  }
  return `\\x{${cp.toString(16)}}`;
}

/** RE2 syntax for a set: a bracketed class, or one that never matches when the set is empty. */
function re2Set(r: Ranges): string {
  if (r.length === 0) return '[^\\x{0}-\\x{10ffff}]';
  return `[${r.map(([lo, hi]) => (lo === hi ? re2Char(lo) : `${re2Char(lo)}-${re2Char(hi)}`)).join('')}]`;
}

/** The JS `v`-mode source of a class expression (only used to compute its set). */
function jsClassSrc(expr: ClassExpr): string {
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
function nativeClass(expr: ClassExpr): { items: string[]; negated: boolean; word: WordRelation } | null {
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

// ------------------------------------------------------------------------------------------
// Word-boundary analysis. RE2's `\b` is ASCII-only and RE2 has no look-ahead (its look-behinds
// leave the fast DFA), while Rust's `\b`, `\B`, `\<`, `\>`, `\b{start}`… are Unicode-aware. They
// are compiled away: the emitter tracks whether the last consumed character was a word character
// (only after the atoms marked here, which can directly precede such an assertion) and carries a
// pending constraint on the next consumed character, which narrows that atom's class.

type AtomNode = Extract<RNode, { t: 'lit' | 'dot' | 'class' }>;

const NEEDS_LAST: ReadonlySet<AssertKind> = new Set<AssertKind>(['b', 'B', '<', '>', 'startHalf']);
const EMULATED: ReadonlySet<AssertKind> = new Set<AssertKind>(['b', 'B', '<', '>', 'startHalf', 'endHalf']);

interface BoundaryAnalysis {
  /** Atoms whose word / non-word split must be tracked. */
  marked: Set<RNode>;
  /** A boundary can be reached before anything is consumed (it then tests the text before the match). */
  startNeedsLast: boolean;
}

function analyzeBoundaries(ast: RNode): BoundaryAnalysis {
  const preds = new Map<RNode, Set<RNode>>();
  const positions: RNode[] = [];
  const link = (from: RNode[], to: RNode[]) => {
    for (const t of to) {
      let s = preds.get(t);
      if (!s) preds.set(t, (s = new Set()));
      for (const f of from) s.add(f);
    }
  };
  interface Pos {
    first: RNode[];
    last: RNode[];
    nullable: boolean;
  }
  // Glushkov positions: atoms and assertions (an assertion is a position that consumes nothing)
  const walk = (n: RNode): Pos => {
    switch (n.t) {
      case 'empty':
        return { first: [], last: [], nullable: true };
      case 'assert':
        if (!n.u && (n.a === '<' || n.a === '>' || n.a === 'startHalf' || n.a === 'endHalf')) {
          throw new RustRegexError('ASCII-only \\<, \\>, \\b{start}, \\b{end} and half boundaries are not supported');
        }
        positions.push(n);
        return { first: [n], last: [n], nullable: false };
      case 'lit':
      case 'dot':
      case 'class':
        positions.push(n);
        return { first: [n], last: [n], nullable: false };
      case 'group':
        return walk(n.body);
      case 'concat': {
        let acc: Pos = { first: [], last: [], nullable: true };
        for (const item of n.items) {
          const w = walk(item);
          link(acc.last, w.first);
          acc = {
            first: acc.nullable ? [...acc.first, ...w.first] : acc.first,
            last: w.nullable ? [...acc.last, ...w.last] : w.last,
            nullable: acc.nullable && w.nullable,
          };
        }
        return acc;
      }
      case 'alt': {
        const ws = n.branches.map(walk);
        return {
          first: ws.flatMap((w) => w.first),
          last: ws.flatMap((w) => w.last),
          nullable: ws.some((w) => w.nullable),
        };
      }
      case 'rep': {
        const w = walk(n.item);
        if (n.max >= 2) link(w.last, w.first);
        return { first: w.first, last: w.last, nullable: n.min === 0 || w.nullable };
      }
    }
  };
  const root = walk(ast);
  const firsts = new Set(root.first);
  const marked = new Set<RNode>();
  let startNeedsLast = false;
  const seen = new Set<RNode>();
  const stack = positions.filter((p) => p.t === 'assert' && p.u && NEEDS_LAST.has(p.a));
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    if (firsts.has(p)) startNeedsLast = true;
    for (const q of preds.get(p) ?? []) {
      if (q.t === 'assert') stack.push(q);
      else marked.add(q);
    }
  }
  return { marked, startNeedsLast };
}

// ------------------------------------------------------------------------------------------
// Emitter: RNode → RE2 syntax.
//
// A state is `${last}${pending}`: last = U (not tracked), W (word character) or N (non-word
// character, or the start of the text); pending = '' (none), w (the next character must be a word
// character) or n (it must not be one, or the text must end). `emit(node, state)` gives a Row:
// for each state the node can end in, the regex that gets there (base + alternatives, so a
// prefix shared by several end states is written once).

interface Row {
  base: string;
  ent: Map<string, string[]>;
}

const DEAD: Row = { base: '', ent: new Map() };
/** Emitted patterns larger than this (pathological boundary/repetition mixes) are refused. */
const MAX_SOURCE = 2_000_000;

function render(alts: readonly string[]): string {
  return alts.length === 1 ? alts[0] : `(?:${alts.join('|')})`;
}

function group(src: string): string {
  return `(?:${src})`;
}

function quantifier(min: number, max: number): string {
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (min === 0 && max === 1) return '?';
  if (max === Infinity) return `{${min},}`;
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}

function single(state: string, src: string): Row {
  return { base: '', ent: new Map([[state, [src]]]) };
}

function addAlt(ent: Map<string, string[]>, state: string, src: string): void {
  const alts = ent.get(state);
  if (!alts) ent.set(state, [src]);
  else if (!alts.includes(src)) alts.push(src);
}

function sameRow(a: Row, b: Row): boolean {
  if (a === b) return true;
  if (a.base !== b.base || a.ent.size !== b.ent.size) return false;
  for (const [k, alts] of a.ent) {
    const other = b.ent.get(k);
    if (!other || render(other) !== render(alts)) return false;
  }
  return true;
}

function rowSize(r: Row): number {
  let n = r.base.length;
  for (const alts of r.ent.values()) for (const a of alts) n += a.length;
  return n;
}

type Part = 'all' | 'W' | 'N';

class Emitter {
  private readonly memo = new Map<RNode, Map<string, Row>>();
  private wordSrc: string | undefined;
  private nonWordSrc: string | undefined;

  constructor(
    private readonly globalCi: boolean,
    private readonly marked: ReadonlySet<RNode>,
  ) {}

  /** An explicit set, immune to the pattern's `(?i)` (sets are computed already case-folded). */
  exact(r: Ranges): string {
    return this.noCase(re2Set(r));
  }

  /** RE2 source that `(?i)` must not fold (it is folded already, or needs no folding). */
  noCase(src: string): string {
    return this.globalCi ? `(?-i:${src})` : src;
  }

  word(): string {
    return (this.wordSrc ??= this.noCase(`[${RE2_WORD}]`));
  }

  nonWord(): string {
    return (this.nonWordSrc ??= this.noCase(`[^${RE2_WORD}]`));
  }

  /** The regex that must follow a match ending with this pending constraint. */
  endOf(state: string): string {
    const pending = state.slice(1);
    if (pending === 'w') return this.word();
    if (pending === 'n') return `(?:\\z|${this.nonWord()})`;
    return '';
  }

  emit(node: RNode, state: string): Row {
    let byState = this.memo.get(node);
    if (!byState) this.memo.set(node, (byState = new Map()));
    let row = byState.get(state);
    if (!row) {
      row = this.emitUncached(node, state);
      if (rowSize(row) > MAX_SOURCE) throw new RustRegexError('regex too large');
      byState.set(state, row);
    }
    return row;
  }

  private emitUncached(node: RNode, state: string): Row {
    switch (node.t) {
      case 'empty':
        return single(state, '');
      case 'lit':
      case 'dot':
      case 'class':
        return this.emitAtom(node, state);
      case 'assert':
        return this.emitAssert(node, state);
      case 'group':
        return this.emit(node.body, state);
      case 'concat': {
        let row = single(state, '');
        for (const item of node.items) row = this.append(row, item);
        return row;
      }
      case 'alt': {
        const ent = new Map<string, string[]>();
        for (const b of node.branches) {
          const r = this.emit(b, state);
          for (const [t, alts] of r.ent) addAlt(ent, t, r.base + render(alts));
        }
        return { base: '', ent };
      }
      case 'rep':
        return this.emitRep(node, state);
    }
  }

  private ciWrap(ci: boolean, src: string): string {
    if (ci === this.globalCi) return src;
    return ci ? `(?i:${src})` : `(?-i:${src})`;
  }

  /** An atom, or only its word (W) / non-word (N) part; null if that part is empty. */
  private atomSrc(node: AtomNode, part: Part): string | null {
    if (node.t === 'lit') {
      if (part !== 'all' && isWordChar(node.cp) !== (part === 'W')) return null;
      return this.ciWrap(node.ci, re2Char(node.cp));
    }
    if (node.t === 'dot') {
      const excluded = node.s ? '' : node.R ? '\\n\\r' : '\\n';
      if (part === 'all') return node.s ? '(?s:.)' : node.R ? '[^\\n\\r]' : '.';
      return part === 'W' ? this.word() : this.noCase(`[^${RE2_WORD}${excluded}]`);
    }
    const native = nativeClass(node.expr);
    if (native) {
      const neg = native.negated ? '^' : '';
      const own = () => this.ciWrap(node.ci, `[${neg}${native.items.join('')}]`);
      if (part === 'all') return own();
      const only = native.word;
      if (!native.negated && only !== 'mixed') return (only === 'sub') === (part === 'W') ? own() : null;
      if (native.negated && part === 'N') {
        // [^X] minus the word characters = [^X\w] (the word set is closed under case folding)
        return this.ciWrap(node.ci, `[^${native.items.join('')}${RE2_WORD}]`);
      }
      if (native.negated && only === 'disjoint') return this.word(); // [^X] ∩ \w = \w
    }
    let set = scanClass(jsClassSrc(node.expr), node.ci);
    if (part === 'all') return this.exact(set);
    set = intersect(set, part === 'W' ? wordSet() : complement(wordSet()));
    return set.length === 0 ? null : this.exact(set);
  }

  private emitAtom(node: AtomNode, state: string): Row {
    const pending = state.slice(1);
    const part: Part = pending === 'w' ? 'W' : pending === 'n' ? 'N' : 'all';
    const ent = new Map<string, string[]>();
    if (this.marked.has(node)) {
      for (const kind of ['W', 'N'] as const) {
        if (part !== 'all' && part !== kind) continue;
        const src = this.atomSrc(node, kind);
        if (src !== null) ent.set(kind, [src]);
      }
    } else {
      const src = this.atomSrc(node, part);
      if (src !== null) ent.set('U', [src]);
    }
    return { base: '', ent };
  }

  private emitAssert(node: Extract<RNode, { t: 'assert' }>, state: string): Row {
    switch (node.a) {
      case 'start':
        return single(state, node.m ? '(?m:^)' : '\\A');
      case 'end':
        return single(state, node.m ? '(?m:$)' : '\\z');
      case 'textStart':
        return single(state, '\\A');
      case 'textEnd':
        return single(state, '\\z');
    }
    if (!node.u) return single(state, node.a === 'b' ? '\\b' : '\\B'); // RE2's own (ASCII) boundaries
    const last = state[0];
    const pending = state.slice(1);
    if (last === 'U' && NEEDS_LAST.has(node.a)) throw new Error('rust-regex: untracked word boundary');
    const need = (p: 'w' | 'n'): string | null => (pending === '' || pending === p ? p : null);
    let next: string | null;
    switch (node.a) {
      case 'b':
        next = need(last === 'W' ? 'n' : 'w');
        break;
      case 'B':
        next = need(last === 'W' ? 'w' : 'n');
        break;
      case '<':
        next = last === 'N' ? need('w') : null;
        break;
      case '>':
        next = last === 'W' ? need('n') : null;
        break;
      case 'startHalf':
        next = last === 'N' ? pending : null;
        break;
      case 'endHalf':
        next = need('n');
        break;
    }
    return next === null ? DEAD : single(last + next, '');
  }

  /** `row` followed by `node`. */
  private append(row: Row, node: RNode): Row {
    const keys = [...row.ent.keys()];
    if (keys.length === 0) return DEAD;
    const outs = keys.map((k) => this.emit(node, k));
    if (keys.length === 1 || outs.every((o) => sameRow(o, outs[0]))) {
      const prefix = render(keys.flatMap((k) => row.ent.get(k)!));
      return { base: row.base + prefix + outs[0].base, ent: outs[0].ent };
    }
    const ent = new Map<string, string[]>();
    keys.forEach((k, i) => {
      const prefix = render(row.ent.get(k)!) + outs[i].base;
      for (const [t, alts] of outs[i].ent) addAlt(ent, t, prefix + render(alts));
    });
    return { base: row.base, ent };
  }

  private emitRep(node: Extract<RNode, { t: 'rep' }>, state: string): Row {
    const { item, min, max } = node;
    const lazy = node.greedy ? '' : '?';
    if (max === 0) return single(state, '');
    // the states an iteration can start in
    const states = [state];
    const rows = new Map<string, Row>();
    for (let i = 0; i < states.length; i++) {
      const r = this.emit(item, states[i]);
      rows.set(states[i], r);
      for (const t of r.ent.keys()) if (!states.includes(t)) states.push(t);
    }
    const first = rows.get(state)!;
    if (states.every((q) => sameRow(rows.get(q)!, first))) {
      // every iteration behaves the same whatever state it starts in (always so without boundaries)
      const keys = [...first.ent.keys()];
      if (keys.length === 0) return min === 0 ? single(state, '') : DEAD;
      const one = (t: string) => first.base + render(first.ent.get(t)!);
      if (keys.length === 1 && keys[0] === state) {
        return single(state, group(one(state)) + quantifier(min, max) + lazy);
      }
      const ent = new Map<string, string[]>();
      if (min === 0) addAlt(ent, state, '');
      const before =
        max === 1
          ? ''
          : group(first.base + render(keys.flatMap((k) => first.ent.get(k)!))) +
            quantifier(Math.max(min, 1) - 1, max - 1) +
            lazy;
      for (const t of keys) addAlt(ent, t, before + one(t));
      return { base: '', ent };
    }
    if (min === 0 && max === Infinity) return this.kleene(states, rows);
    // unroll: min copies, then x* or nested optional copies
    const copies = max === Infinity ? min + 1 : max;
    if (copies > 100) throw new RustRegexError('regex too large (counted repetition around a word boundary)');
    const items: RNode[] = Array.from({ length: min }, () => item);
    if (max === Infinity) {
      items.push({ t: 'rep', item, min: 0, max: Infinity, greedy: node.greedy });
    } else {
      let opt: RNode = { t: 'empty' };
      for (let k = 0; k < max - min; k++) {
        opt = { t: 'alt', branches: [{ t: 'empty' }, { t: 'concat', items: [item, opt] }] };
      }
      items.push(opt);
    }
    return this.emit({ t: 'concat', items }, state);
  }

  /** `x*` from states[0] when iterations depend on the state (Kleene's construction). */
  private kleene(states: string[], rows: Map<string, Row>): Row {
    const n = states.length;
    let m: Array<Array<string[] | null>> = states.map((q) =>
      states.map((t) => {
        const r = rows.get(q)!;
        const alts = r.ent.get(t);
        return alts ? [r.base + render(alts)] : null;
      }),
    );
    for (let k = 0; k < n; k++) {
      const loop = m[k][k] ? `${group(render(m[k][k]!))}*` : '';
      const next = m.map((r) => r.map((c) => (c ? [...c] : null)));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const a = m[i][k];
          const b = m[k][j];
          if (!a || !b) continue;
          const src = render(a) + loop + render(b);
          if (src.length > MAX_SOURCE) throw new RustRegexError('regex too large');
          const cell = (next[i][j] ??= []);
          if (!cell.includes(src)) cell.push(src);
        }
      }
      m = next;
    }
    const ent = new Map<string, string[]>();
    addAlt(ent, states[0], '');
    states.forEach((t, j) => {
      for (const src of m[0][j] ?? []) addAlt(ent, t, src);
    });
    return { base: '', ent };
  }
}

/** Case-insensitivity flags of all case-sensitive nodes. */
function collectCi(node: RNode, out: Set<boolean>): void {
  switch (node.t) {
    case 'lit':
    case 'class':
      out.add(node.ci);
      break;
    case 'group':
      collectCi(node.body, out);
      break;
    case 'concat':
      node.items.forEach((n) => collectCi(n, out));
      break;
    case 'alt':
      node.branches.forEach((n) => collectCi(n, out));
      break;
    case 'rep':
      collectCi(node.item, out);
      break;
  }
}

function usesEmulatedBoundary(node: RNode): boolean {
  switch (node.t) {
    case 'assert':
      return EMULATED.has(node.a);
    case 'group':
      return usesEmulatedBoundary(node.body);
    case 'concat':
      return node.items.some(usesEmulatedBoundary);
    case 'alt':
      return node.branches.some(usesEmulatedBoundary);
    case 'rep':
      return usesEmulatedBoundary(node.item);
    default:
      return false;
  }
}

/**
 * Translate a Rust regex into RE2 syntax with the same `is_match` result (not necessarily the
 * same match extent). Throws RustRegexError on invalid or unsupported syntax.
 */
export function translateRustRegex(pattern: string): string {
  return toRe2(new Parser(pattern).parse());
}

function toRe2(ast: RNode): string {
  const ciStates = new Set<boolean>();
  collectCi(ast, ciStates);
  const globalCi = ciStates.size === 1 && ciStates.has(true);
  const analysis: BoundaryAnalysis = usesEmulatedBoundary(ast)
    ? analyzeBoundaries(ast)
    : { marked: new Set(), startNeedsLast: false };
  const em = new Emitter(globalCi, analysis.marked);
  // before the match: unknown, unless a boundary can test it (then: start of text or a non-word
  // character, or a word character, consumed in front of the match)
  const starts = analysis.startNeedsLast ? ['N', 'W'] : ['U'];
  const parts: string[] = [];
  for (const start of starts) {
    const row = em.emit(ast, start);
    const ends: string[] = [];
    for (const [state, alts] of row.ent) ends.push(render(alts) + em.endOf(state));
    if (ends.length === 0) continue;
    const before = start === 'W' ? em.word() : start === 'N' ? `(?:\\A|${em.nonWord()})` : '';
    parts.push(before + row.base + render(ends));
  }
  const body = parts.length === 0 ? re2Set([]) : render(parts);
  return (globalCi ? '(?i)' : '') + body;
}

/** A compiled search regex: Rust `regex` semantics for `is_match`, in linear time. */
export interface RustRegex {
  test(text: string): boolean;
}

function flattenConcat(node: RNode, out: RNode[]): RNode[] {
  if (node.t === 'group') flattenConcat(node.body, out);
  else if (node.t === 'concat') node.items.forEach((n) => flattenConcat(n, out));
  else out.push(node);
  return out;
}

/**
 * A quick necessary condition, when the pattern has a literal run every match contains (or
 * starts the text with): re2js walks case-insensitive text one character at a time, while V8
 * finds a plain literal far faster, and a literal-only JS regex cannot backtrack. JS `iu` matching
 * is Unicode simple case folding, as Rust's `(?i)`.
 */
function literalPrefilter(ast: RNode): ((text: string) => boolean) | undefined {
  const items = flattenConcat(ast, []);
  const leadingAnchor =
    items.length > 0 && items[0].t === 'assert' && (items[0].a === 'textStart' || (items[0].a === 'start' && !items[0].m));
  let best: { cps: number[]; ci: boolean; anchored: boolean } | undefined;
  let run: { cps: number[]; ci: boolean; anchored: boolean } | undefined;
  const close = () => {
    if (run && (!best || run.cps.length > best.cps.length || (run.anchored && !best.anchored))) best = run;
    run = undefined;
  };
  items.forEach((n, i) => {
    if (n.t !== 'lit') {
      close();
      return;
    }
    if (run && run.ci !== n.ci) close();
    run ??= { cps: [], ci: n.ci, anchored: leadingAnchor && i === 1 };
    run.cps.push(n.cp);
  });
  close();
  if (!best) return undefined;
  const text = String.fromCodePoint(...best.cps);
  if (!best.ci) return best.anchored ? (t) => t.startsWith(text) : (t) => t.includes(text);
  const escaped = best.cps.map((cp) => `\\u{${cp.toString(16)}}`).join('');
  const re = new RegExp(best.anchored ? `^${escaped}` : escaped, 'iu');
  return (t) => re.test(t);
}

const cache = new Map<string, RustRegex>();
const CACHE_LIMIT = 256;

/** Compile (and cache) a Rust-syntax regex for RE2 (re2js). Throws RustRegexError. */
export function compileRustRegex(pattern: string): RustRegex {
  let re = cache.get(pattern);
  if (re) return re;
  const ast = new Parser(pattern).parse();
  const source = toRe2(ast);
  try {
    const re2 = RE2JS.compile(source);
    const pre = literalPrefilter(ast);
    re = pre ? { test: (text) => pre(text) && re2.test(text) } : re2;
  } catch (e) {
    const msg = (e as Error).message.replace(/^error parsing regexp: /, '');
    throw new RustRegexError(`unsupported or invalid regex: ${msg.length > 200 ? `${msg.slice(0, 200)}…` : msg}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}
