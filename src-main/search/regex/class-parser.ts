// The pattern cursor and the parts of Rust's grammar that yield characters and classes: escapes,
// Perl, POSIX and Unicode classes, and bracketed classes with nesting and set operations.

import {
  ASCII_WORD,
  type ClassExpr,
  type ClassItem,
  type Flags,
  RE2_WORD,
  RustRegexError,
  UNICODE_WORD,
  type WordRelation,
} from './syntax';
import { re2Property, unicodeProperty } from './unicode-properties';

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

export abstract class ClassParser {
  protected readonly cs: string[];
  protected pos = 0;

  constructor(pattern: string) {
    this.cs = Array.from(pattern);
  }

  protected error(msg: string): RustRegexError {
    return new RustRegexError(msg);
  }

  protected peek(offset = 0): string | undefined {
    return this.cs[this.pos + offset];
  }

  protected eof(): boolean {
    return this.pos >= this.cs.length;
  }

  /** Skip whitespace and comments in verbose (x) mode. */
  protected skipVerbose(flags: Flags): void {
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

  /** `\d` `\s` `\w` (and negations), `\p…` / `\P…` as a class item, or null. */
  protected perlOrUnicodeClass(c: string, flags: Flags): ClassItem | null {
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
  protected escapedChar(c: string, inClass: boolean): number {
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

  protected hexEscape(digits: number): number {
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
  protected parseClass(flags: Flags): ClassExpr {
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

  protected parseClassItem(flags: Flags): ClassItem {
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
