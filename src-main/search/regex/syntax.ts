// The parsed form of a Rust regex, shared by the parser, the set computations and the emitter.

export class RustRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RustRegexError';
  }
}

export interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
  u: boolean;
  x: boolean;
  R: boolean;
}

/** A set's relation to Rust's Unicode `\w`: inside it, disjoint from it, or neither. */
export type WordRelation = 'sub' | 'disjoint' | 'mixed';

export type AssertKind = 'start' | 'end' | 'textStart' | 'textEnd' | 'b' | 'B' | '<' | '>' | 'startHalf' | 'endHalf';

export type ClassItem =
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

export type ClassExpr =
  | { k: 'union'; negated: boolean; items: ClassItem[] }
  | { k: 'op'; negated: boolean; op: '&&' | '--' | '~~'; left: ClassExpr; right: ClassExpr };

export type RNode =
  | { t: 'empty' }
  | { t: 'lit'; cp: number; ci: boolean }
  | { t: 'dot'; s: boolean; R: boolean }
  | { t: 'class'; expr: ClassExpr; ci: boolean }
  | { t: 'assert'; a: AssertKind; m: boolean; u: boolean }
  | { t: 'group'; body: RNode }
  | { t: 'concat'; items: RNode[] }
  | { t: 'alt'; branches: RNode[] }
  | { t: 'rep'; item: RNode; min: number; max: number; greedy: boolean };

export const UNICODE_WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
export const ASCII_WORD = '0-9A-Za-z_';
/** Rust's Unicode `\w` as RE2 bracket items (re2js has these tables). */
export const RE2_WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\x{200c}\\x{200d}';
