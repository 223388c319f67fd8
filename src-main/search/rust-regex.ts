// Translate Rust `regex` crate syntax (what Anki's `re:`, tag, deck and glob searches use) into an
// equivalent JavaScript RegExp (`v` flag), for `is_match`-style testing.
//
// Differences handled here (shared/spec/anki-search.md §6):
// - inline flags `(?i)`, `(?-i)`, `(?s)`, `(?m)`, `(?x)`, `(?U)`, `(?u)` anywhere, and scoped
//   `(?i:…)`; JS has no inline flags (modifiers `(?i:…)` only in newer engines);
// - `\w`, `\d`, `\s`, `\b` are Unicode-aware in Rust, ASCII in JS;
// - `.` excludes only `\n` in Rust (JS also excludes `\r`, U+2028, U+2029);
// - `\A`, `\z`, `\<`, `\>`, `\b{start}`…, `\x{…}`, `\U…`, `[[:alpha:]]`, `\pL`, `\p{Greek}`,
//   class set operations `&&`, `--`, `~~`, nested classes, superfluous punctuation escapes;
// - named groups `(?P<n>…)` (emitted as non-capturing groups: only matching matters).
// Unsupported Rust syntax (back-references, look-around) is rejected, as Rust does.

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

type AssertKind = 'start' | 'end' | 'textStart' | 'textEnd' | 'b' | 'B' | '<' | '>' | 'startHalf' | 'endHalf';

type ClassItem =
  | { k: 'cp'; cp: number }
  | { k: 'range'; lo: number; hi: number }
  /** A ready-made class-set operand valid inside a `v`-mode class, e.g. `\p{L}` or `[0-9]`. */
  | { k: 'raw'; src: string }
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
        if (!any) throw this.error('empty flag group');
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
        return { k: 'raw', src: flags.u ? '\\p{Nd}' : '[0-9]' };
      case 'D':
        return { k: 'raw', src: flags.u ? '\\P{Nd}' : '[^0-9]' };
      case 's':
        return { k: 'raw', src: flags.u ? '\\p{White_Space}' : '[\\u{9}-\\u{d}\\u{20}]' };
      case 'S':
        return { k: 'raw', src: flags.u ? '\\P{White_Space}' : '[^\\u{9}-\\u{d}\\u{20}]' };
      case 'w':
        return { k: 'raw', src: flags.u ? `[${UNICODE_WORD}]` : `[${ASCII_WORD}]` };
      case 'W':
        return { k: 'raw', src: flags.u ? `[^${UNICODE_WORD}]` : `[^${ASCII_WORD}]` };
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
        return { k: 'raw', src: unicodeProperty(name, c === 'P') };
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
        return { k: 'raw', src: `[${m[1] ? '^' : ''}${ASCII_CLASSES[m[2]]}]` };
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

// ------------------------------------------------------------------------------------------
// Case-insensitivity emulation (only needed when flags change mid-pattern and the JS engine has
// no `(?i:…)` modifiers).

let modifiersSupported: boolean | undefined;

function hasRegexModifiers(): boolean {
  if (modifiersSupported === undefined) {
    try {
      new RegExp('(?i:a)', 'v');
      modifiersSupported = true;
    } catch {
      modifiersSupported = false;
    }
  }
  return modifiersSupported;
}

let caseOrbits: Map<number, number[]> | undefined;

function singleCodePoint(s: string): number | undefined {
  const cp = s.codePointAt(0)!;
  return s.length === String.fromCodePoint(cp).length ? cp : undefined;
}

/** Code points that are case-insensitively equal to `cp` (simple case folding). */
function caseVariants(cp: number): number[] {
  if (!caseOrbits) {
    const byKey = new Map<number, number[]>();
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      const up = singleCodePoint(ch.toUpperCase()) ?? c;
      const key = singleCodePoint(String.fromCodePoint(up).toLowerCase()) ?? up;
      if (key === c && up === c) continue; // caseless
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = [key]));
      if (!list.includes(c)) list.push(c);
    }
    caseOrbits = new Map();
    for (const list of byKey.values()) for (const c of list) caseOrbits.set(c, list);
  }
  return caseOrbits.get(cp) ?? [cp];
}

// ------------------------------------------------------------------------------------------
// Emitter

function cpSrc(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCodePoint(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}

type CaseMode = 'global' | 'modifiers' | 'emulate';

class Emitter {
  constructor(
    private readonly mode: CaseMode,
    private readonly globalCi: boolean,
  ) {}

  emit(node: RNode): string {
    switch (node.t) {
      case 'empty':
        return '';
      case 'lit':
        return this.withCase(node.ci, cpSrc(node.cp), () => this.emulatedLiteral(node.cp));
      case 'dot':
        return node.s ? '[\\s\\S]' : node.R ? '[^\\n\\r]' : '[^\\n]';
      case 'class':
        return this.withCase(node.ci, this.classSrc(node.expr, false), () =>
          this.classSrc(node.expr, true),
        );
      case 'assert':
        return assertSrc(node);
      case 'group':
        return `(?:${this.emit(node.body)})`;
      case 'concat':
        return node.items.map((n) => this.emit(n)).join('');
      case 'alt':
        return node.branches.map((n) => this.emit(n)).join('|');
      case 'rep': {
        let inner = this.emit(node.item);
        if (!isAtomic(node.item)) inner = `(?:${inner})`;
        let q: string;
        if (node.min === 0 && node.max === Infinity) q = '*';
        else if (node.min === 1 && node.max === Infinity) q = '+';
        else if (node.min === 0 && node.max === 1) q = '?';
        else if (node.max === Infinity) q = `{${node.min},}`;
        else if (node.min === node.max) q = `{${node.min}}`;
        else q = `{${node.min},${node.max}}`;
        return inner + q + (node.greedy ? '' : '?');
      }
    }
  }

  private withCase(ci: boolean, plain: string, emulated: () => string): string {
    if (this.mode === 'global' || !ci) return plain;
    if (this.mode === 'modifiers') return `(?i:${plain})`;
    return emulated();
  }

  private emulatedLiteral(cp: number): string {
    const variants = caseVariants(cp);
    return variants.length === 1 ? cpSrc(cp) : `[${variants.map(cpSrc).join('')}]`;
  }

  private classSrc(expr: ClassExpr, emulateCase: boolean): string {
    const neg = expr.negated ? '^' : '';
    if (expr.k === 'union') {
      return `[${neg}${expr.items.map((i) => this.itemSrc(i, emulateCase)).join('')}]`;
    }
    const left = this.classSrc({ ...expr.left, negated: expr.left.negated }, emulateCase);
    const right = this.classSrc(expr.right, emulateCase);
    if (expr.op === '~~') {
      return `[${neg}[${left}--${right}][${right}--${left}]]`;
    }
    return `[${neg}${left}${expr.op}${right}]`;
  }

  private itemSrc(item: ClassItem, emulateCase: boolean): string {
    switch (item.k) {
      case 'cp':
        return emulateCase ? caseVariants(item.cp).map(cpSrc).join('') : cpSrc(item.cp);
      case 'range': {
        let src = `${cpSrc(item.lo)}-${cpSrc(item.hi)}`;
        if (emulateCase && item.hi - item.lo <= 4096) {
          const extra = new Set<number>();
          for (let c = item.lo; c <= item.hi; c++) {
            for (const v of caseVariants(c)) if (v < item.lo || v > item.hi) extra.add(v);
          }
          src += [...extra].map(cpSrc).join('');
        }
        return src;
      }
      case 'raw':
        return item.src;
      case 'nested':
        return this.classSrc(item.expr, emulateCase);
    }
  }
}

function isAtomic(node: RNode): boolean {
  return node.t === 'lit' || node.t === 'dot' || node.t === 'class' || node.t === 'group';
}

function assertSrc(node: { a: AssertKind; m: boolean; u: boolean }): string {
  const w = node.u ? `[${UNICODE_WORD}]` : `[${ASCII_WORD}]`;
  switch (node.a) {
    case 'start':
      return node.m ? '(?:^|(?<=\\n))' : '^';
    case 'end':
      return node.m ? '(?:$|(?=\\n))' : '$';
    case 'textStart':
      return '^';
    case 'textEnd':
      return '$';
    case 'b':
      return `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
    case 'B':
      return `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
    case '<':
      return `(?<!${w})(?=${w})`;
    case '>':
      return `(?<=${w})(?!${w})`;
    case 'startHalf':
      return `(?<!${w})`;
    case 'endHalf':
      return `(?!${w})`;
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

/**
 * For `is_match`, an unanchored leading or trailing `.*` changes nothing; dropping it avoids
 * quadratic backtracking in JS (Rust's engine is linear), e.g. Anki's tag regex `.* tag(::| ).*`.
 */
function dropOuterDotStars(node: RNode): RNode {
  const isDotStar = (n: RNode): boolean =>
    n.t === 'rep' && n.min === 0 && n.max === Infinity && n.item.t === 'dot';
  if (node.t === 'alt') {
    return { t: 'alt', branches: node.branches.map(dropOuterDotStars) };
  }
  if (node.t === 'concat') {
    const items = [...node.items];
    while (items.length > 0 && isDotStar(items[0])) items.shift();
    while (items.length > 0 && isDotStar(items[items.length - 1])) items.pop();
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0] : { t: 'concat', items };
  }
  return isDotStar(node) ? { t: 'empty' } : node;
}

/** Translate a Rust regex into JS source + flags. Throws RustRegexError on invalid syntax. */
export function translateRustRegex(pattern: string): { source: string; flags: string } {
  const ast = dropOuterDotStars(new Parser(pattern).parse());
  const ciStates = new Set<boolean>();
  collectCi(ast, ciStates);
  let mode: CaseMode;
  let globalCi = false;
  if (ciStates.size <= 1) {
    mode = 'global';
    globalCi = ciStates.has(true);
  } else {
    mode = hasRegexModifiers() ? 'modifiers' : 'emulate';
  }
  const source = new Emitter(mode, globalCi).emit(ast);
  return { source, flags: globalCi ? 'iv' : 'v' };
}

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 256;

/** Compile (and cache) a Rust-syntax regex as a JS RegExp. Throws RustRegexError. */
export function compileRustRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  const { source, flags } = translateRustRegex(pattern);
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    throw new RustRegexError(`unsupported or invalid regex: ${(e as Error).message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}
