// Rust `regex` crate syntax (what Anki's `re:`, tag, deck, field and glob searches use), matched
// with re2js: a pure-JS port of RE2, linear in the text like Rust's engine, so no pattern can make
// a search backtrack for ever (shared/spec/anki-search.md §6).
//
// The pattern is parsed here with Rust's grammar (so errors and accepted syntax are Rust's) and
// written out in RE2 syntax. What RE2 lacks or does differently is compiled away:
// - `\w`, `\d`, `\s` are Unicode-aware in Rust (RE2's are ASCII): emitted as explicit classes;
// - Unicode word boundaries `\b`, `\B`, `\<`, `\>`, `\b{start}`, `\b{end}`, `\b{start-half}`,
//   `\b{end-half}` (RE2 only has ASCII `\b`, and no look-ahead): see regex/word-boundaries;
// - `\p{…}` names Rust accepts loosely (`\p{Letter}`, `\p{sc=Greek}`, binary properties), POSIX
//   classes, nested classes and class set operations `&&`, `--`, `~~`: computed as explicit sets;
// - `(?x)` verbose mode, `(?R)`, `\u…`/`\U…` escapes, superfluous punctuation escapes, `\z`.
// Inline flags `(?i)`, `(?-i)`, `(?s)`, `(?m)`, `(?U)` and scoped groups map onto RE2's own (RE2,
// like Rust, applies `(?i)` as Unicode simple case folding). Unsupported Rust syntax
// (back-references, look-around) is rejected, as Rust does; so are the few patterns RE2 cannot
// hold (repetition counts over 1000).
//
// regex/parser (with regex/class-parser) reads the pattern; regex/emitter writes RE2 syntax.

import { RE2JS } from 're2js';
import { toRe2 } from './regex/emitter';
import { Parser } from './regex/parser';
import { type RNode, RustRegexError } from './regex/syntax';

export { RustRegexError };

/**
 * Translate a Rust regex into RE2 syntax with the same `is_match` result (not necessarily the
 * same match extent). Throws RustRegexError on invalid or unsupported syntax.
 */
export function translateRustRegex(pattern: string): string {
  return toRe2(new Parser(pattern).parse());
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
