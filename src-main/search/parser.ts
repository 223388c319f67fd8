// Parser for Anki's search syntax (see shared/spec/anki-search.md §1–3). Produces the AST in
// ./ast. Behaviour follows Anki's nom-based parser: the same terms are accepted, the same
// escapes are unescaped, and the same error kinds are reported.

import type {
  FieldSearchMode,
  Node,
  PropertyKind,
  PropertyOperator,
  RatingKind,
  SearchNode,
  StateKind,
} from './ast';
import { STATE_KINDS } from './ast';
import { SearchError, type SearchErrorKind } from './search-error';

const WHOLE_COLLECTION: SearchNode = { kind: 'wholeCollection' };

/** Parse a search string into a list of nodes (the content of the top-level group). */
export function parseSearch(input: string): Node[] {
  const normalized = input.replace(/\p{White_Space}/gu, ' ');
  const trimmed = normalized.replace(/^ +| +$/g, '');
  if (trimmed === '') {
    return [{ type: 'search', search: { ...WHOLE_COLLECTION } }];
  }
  const { rest, nodes } = groupInner(trimmed);
  if (rest !== '') {
    // an unmatched ")" is the only character no node parser consumes
    fail({ kind: 'UnopenedGroup' });
  }
  return nodes;
}

/** Parse a search string and wrap it in a single group node, as Anki does before writing SQL. */
export function parseSearchToNode(input: string): Node {
  return { type: 'group', nodes: parseSearch(input) };
}

// ------------------------------------------------------------------------------------------
// Low-level scanning. A parser returns `null` for a recoverable mismatch (nom's Err::Error, so
// an alternative may be tried) and throws a SearchError for a hard failure (Err::Failure).

interface Parsed<T> {
  rest: string;
  value: T;
}

function fail(kind: SearchErrorKind): never {
  throw new SearchError(kind);
}

const SPACE_CHARS = ' \u3000';

type ScanResult =
  | { ok: true; len: number }
  | { ok: false; reason: 'escaped' }
  | { ok: false; reason: 'noneOf'; at: number };

/**
 * nom's `escaped(is_not(stop), '\\', escapable)`: runs of characters not in `stop`, or a
 * backslash followed by a character accepted by `escapable`. Stops at the first unescaped
 * character from `stop`.
 */
function scanEscaped(s: string, stop: string, escapable: (ch: string) => boolean): ScanResult {
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j < s.length && !stop.includes(s[j])) j++;
    if (j > i) {
      i = j;
      continue;
    }
    if (s[i] === '\\') {
      if (i + 1 >= s.length) return { ok: false, reason: 'escaped' };
      const cp = s.codePointAt(i + 1)!;
      const ch = String.fromCodePoint(cp);
      if (!escapable(ch)) return { ok: false, reason: 'noneOf', at: i + 1 };
      i += 1 + ch.length;
      continue;
    }
    if (i === 0) return { ok: false, reason: 'escaped' };
    return { ok: true, len: i };
  }
  return { ok: true, len: i };
}

const notSpace = (ch: string): boolean => !SPACE_CHARS.includes(ch);
const anyChar = (): boolean => true;

function skipSpaces(s: string): string {
  let i = 0;
  while (i < s.length && SPACE_CHARS.includes(s[i])) i++;
  return s.slice(i);
}

// ------------------------------------------------------------------------------------------
// Grammar

/** Zero or more nodes, e.g. `one OR two -three`. */
function groupInner(input: string): { rest: string; nodes: Node[] } {
  let remaining = input;
  const nodes: Node[] = [];
  for (;;) {
    const parsed = parseNode(remaining);
    if (parsed === null) break;
    remaining = parsed.rest;
    const node = parsed.value;
    if (nodes.length % 2 === 0) {
      // a term is expected here, not an operator
      if (node.type === 'and') fail({ kind: 'MisplacedAnd' });
      if (node.type === 'or') fail({ kind: 'MisplacedOr' });
    } else if (node.type !== 'and' && node.type !== 'or') {
      nodes.push({ type: 'and' });
    }
    nodes.push(node);
  }
  const last = nodes[nodes.length - 1];
  if (last?.type === 'and') fail({ kind: 'MisplacedAnd' });
  if (last?.type === 'or') fail({ kind: 'MisplacedOr' });
  return { rest: skipSpaces(remaining), nodes };
}

/** Optional leading space, then a (negated) group or text. */
function parseNode(input: string): Parsed<Node> | null {
  const s = skipSpaces(input);
  return negatedNode(s) ?? group(s) ?? text(s);
}

function negatedNode(s: string): Parsed<Node> | null {
  if (!s.startsWith('-')) return null;
  const inner = s.slice(1);
  const parsed = group(inner) ?? text(inner);
  if (parsed === null) return null;
  return { rest: parsed.rest, value: { type: 'not', node: parsed.value } };
}

/** One or more nodes in parentheses. */
function group(s: string): Parsed<Node> | null {
  if (!s.startsWith('(')) return null;
  const { rest, nodes } = groupInner(s.slice(1));
  if (rest.startsWith(')')) {
    if (nodes.length === 0) fail({ kind: 'EmptyGroup' });
    return { rest: rest.slice(1), value: { type: 'group', nodes } };
  }
  return fail({ kind: 'UnclosedGroup' });
}

function text(s: string): Parsed<Node> | null {
  return quotedTerm(s) ?? partiallyQuotedTerm(s) ?? unquotedTerm(s);
}

function searchValue(search: SearchNode): Node {
  return { type: 'search', search };
}

/** A whole term in double quotes, e.g. "deck:a b". */
function quotedTerm(s: string): Parsed<Node> | null {
  const parsed = quotedTermStr(s);
  if (parsed === null) return null;
  return { rest: parsed.rest, value: searchValue(searchNodeForText(parsed.value)) };
}

/** key:"quoted value" */
function partiallyQuotedTerm(s: string): Parsed<Node> | null {
  const key = scanEscaped(s, '"(): \u3000\\', notSpace);
  if (!key.ok || key.len === 0) return null;
  if (s[key.len] !== ':') return null;
  const val = quotedTermStr(s.slice(key.len + 1));
  if (val === null) return null;
  return {
    rest: val.rest,
    value: searchValue(searchNodeForTextWithArgument(s.slice(0, key.len), val.value)),
  };
}

/** Unquoted text, ending at a space or an unescaped `"`, `(` or `)`. */
function unquotedTerm(s: string): Parsed<Node> | null {
  const scan = scanEscaped(s, '"() \u3000\\', notSpace);
  if (scan.ok) {
    if (scan.len === 0) return null;
    const term = s.slice(0, scan.len);
    const rest = s.slice(scan.len);
    const lower = asciiLower(term);
    if (lower === 'and') return { rest, value: { type: 'and' } };
    if (lower === 'or') return { rest, value: { type: 'or' } };
    return { rest, value: searchValue(searchNodeForText(term)) };
  }
  if (scan.reason === 'noneOf') {
    // a backslash followed by a space
    return fail({ kind: 'UnknownEscape', provided: `\\${s.slice(scan.at)}` });
  }
  if (s === '' || '"() \u3000'.includes(s[0])) return null;
  // the input ends in an odd number of backslashes
  return fail({ kind: 'UnknownEscape', provided: '\\' });
}

/** Non-empty text between unescaped double quotes; returns the raw inner text. */
function quotedTermStr(s: string): Parsed<string> | null {
  if (!s.startsWith('"')) return null;
  const opened = s.slice(1);
  const scan = scanEscaped(opened, '"\\', anyChar);
  if (scan.ok) {
    const tail = opened.slice(scan.len);
    if (tail.startsWith('"')) {
      return { rest: tail.slice(1), value: opened.slice(0, scan.len) };
    }
    return fail({ kind: 'UnclosedQuote' });
  }
  // no unescaped " at all, or a trailing backslash
  return fail({ kind: opened.startsWith('"') ? 'EmptyQuote' : 'UnclosedQuote' });
}

// ------------------------------------------------------------------------------------------
// Terms

/** Decide whether a term is qualified (key:value) and handle escapes. */
function searchNodeForText(s: string): SearchNode {
  const scan = scanEscaped(s, ':\\', anyChar);
  if (!scan.ok || scan.len === 0) fail({ kind: 'MissingKey' });
  const head = s.slice(0, scan.len);
  const tail = s.slice(scan.len);
  if (tail === '') {
    return { kind: 'unqualifiedText', text: unescape(head) };
  }
  return searchNodeForTextWithArgument(head, tail.slice(1));
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function searchNodeForTextWithArgument(key: string, val: string): SearchNode {
  switch (asciiLower(key)) {
    case 'deck':
      return { kind: 'deck', deck: unescape(val) };
    case 'note':
      return { kind: 'notetype', name: unescape(val) };
    case 'tag':
      return parseTag(val);
    case 'card':
      return parseTemplate(val);
    case 'flag':
      return parseFlag(val);
    case 'resched':
      return { kind: 'rated', days: parseU32(val, 'resched:'), ease: { kind: 'manualReschedule' } };
    case 'prop':
      return parseProp(val);
    case 'added':
      return { kind: 'addedInDays', days: Math.max(1, parseU32(val, 'added:')) };
    case 'edited':
      return { kind: 'editedInDays', days: Math.max(1, parseU32(val, 'edited:')) };
    case 'introduced':
      return { kind: 'introducedInDays', days: Math.max(1, parseU32(val, 'introduced:')) };
    case 'rated':
      return parseRated(val);
    case 'is':
      return parseState(val);
    case 'did':
      return { kind: 'deckIdsWithoutChildren', ids: checkIdList(val, key) };
    case 'mid':
      return { kind: 'notetypeId', id: parseI64(val, 'mid:') };
    case 'nid':
      return { kind: 'noteIds', ids: checkIdList(val, key) };
    case 'cid':
      return { kind: 'cardIds', ids: checkIdList(val, key) };
    case 're':
      return { kind: 'regex', regex: unescapeQuotes(val) };
    case 'nc':
      return { kind: 'noCombining', text: unescape(val) };
    case 'sc':
      return { kind: 'stripClozes', text: unescape(val) };
    case 'w':
      return { kind: 'wordBoundary', text: unescape(val) };
    case 'dupe':
      return parseDupe(val);
    case 'has-cd':
      return { kind: 'customData', key: unescape(val) };
    case 'preset':
      return { kind: 'preset', name: val };
    default:
      // anything else is a field search
      return parseSingleField(key, val);
  }
}

function parseTag(s: string): SearchNode {
  if (s.startsWith('re:')) {
    return { kind: 'tag', tag: unescapeQuotes(s.slice(3)), mode: 'regex' };
  }
  if (s.startsWith('nc:')) {
    return { kind: 'tag', tag: unescape(s.slice(3)), mode: 'noCombining' };
  }
  return { kind: 'tag', tag: unescape(s), mode: 'normal' };
}

function parseTemplate(s: string): SearchNode {
  const n = parseUnsigned(s, 0xffff);
  if (n !== undefined) {
    return { kind: 'cardTemplate', template: { kind: 'ordinal', ord: Math.max(n, 1) - 1 } };
  }
  return { kind: 'cardTemplate', template: { kind: 'name', name: unescape(s) } };
}

function parseFlag(s: string): SearchNode {
  const flag = parseUnsigned(s, 0xff);
  if (flag === undefined || flag > 7) fail({ kind: 'InvalidFlag' });
  return { kind: 'flag', flag };
}

const PROP_NAMES = ['ivl', 'due', 'reps', 'lapses', 'ease', 'pos', 'rated', 'resched', 's', 'd', 'r'];
const PROP_OPERATORS: PropertyOperator[] = ['<=', '>=', '!=', '=', '<', '>'];

/** e.g. prop:ivl>3, prop:ease!=2.5, prop:cdn:key<=1 */
function parseProp(clause: string): SearchNode {
  let prop = PROP_NAMES.find((p) => clause.startsWith(p));
  if (prop === undefined) {
    prop = /^cd[ns]:[A-Za-z0-9]+/.exec(clause)?.[0];
  }
  if (prop === undefined) fail({ kind: 'InvalidPropProperty', provided: clause });
  const tail = clause.slice(prop.length);
  const operator = PROP_OPERATORS.find((op) => tail.startsWith(op));
  if (operator === undefined) fail({ kind: 'InvalidPropOperator', provided: prop });
  const num = tail.slice(operator.length);

  let kind: PropertyKind;
  switch (prop) {
    case 'ease':
      kind = { kind: 'ease', ease: parseF32(num, clause) };
      break;
    case 'due':
      kind = { kind: 'due', days: parseI32(num, clause) };
      break;
    case 'rated': {
      const [days, button] = splitOnce(num, ':');
      kind = {
        kind: 'rated',
        days: parseNonPositiveI32(days, clause),
        ease: parseAnswerButton(button, clause),
      };
      break;
    }
    case 'resched':
      kind = { kind: 'rated', days: parseNonPositiveI32(num, clause), ease: { kind: 'manualReschedule' } };
      break;
    case 'ivl':
      kind = { kind: 'interval', days: parseU32(num, clause) };
      break;
    case 'reps':
      kind = { kind: 'reps', count: parseU32(num, clause) };
      break;
    case 'lapses':
      kind = { kind: 'lapses', count: parseU32(num, clause) };
      break;
    case 'pos':
      kind = { kind: 'position', pos: parseU32(num, clause) };
      break;
    case 's':
      kind = { kind: 'stability', value: parseF32(num, clause) };
      break;
    case 'd':
      kind = { kind: 'difficulty', value: parseF32(num, clause) };
      break;
    case 'r':
      kind = { kind: 'retrievability', value: parseF32(num, clause) };
      break;
    default:
      if (prop.startsWith('cdn:')) {
        kind = { kind: 'customDataNumber', key: prop.slice(4), value: parseF32(num, clause) };
      } else {
        kind = { kind: 'customDataString', key: prop.slice(4), value: num };
      }
  }
  return { kind: 'property', operator, prop: kind };
}

/** e.g. rated:3 or rated:10:2 */
function parseRated(s: string): SearchNode {
  const [first, second] = splitOnce(s, ':');
  const days = Math.max(1, parseU32(first, 'rated:'));
  return { kind: 'rated', days, ease: parseAnswerButton(second, s) };
}

function parseState(s: string): SearchNode {
  if (!(STATE_KINDS as readonly string[]).includes(s)) {
    fail({ kind: 'InvalidState', provided: s });
  }
  return { kind: 'state', state: s as StateKind };
}

/** nid:, cid:, did: accept only digits and commas. */
function checkIdList(s: string, context: string): string {
  if (!/^(?:[0-9]+,)*[0-9]+$/.test(s)) {
    fail({ kind: 'Other', info: `expected only digits and commas in ${context}:` });
  }
  return s;
}

/** e.g. dupe:1231,hello */
function parseDupe(s: string): SearchNode {
  const [first, text] = splitOnce(s, ',');
  const notetypeId = parseI64(first, s);
  if (text === undefined) fail({ kind: 'Other', info: "invalid 'dupe:' search" });
  return { kind: 'duplicates', notetypeId, text: unescapeQuotesAndBackslashes(text) };
}

function parseSingleField(key: string, val: string): SearchNode {
  if (val.startsWith('re:')) {
    return { kind: 'singleField', field: unescape(key), text: unescapeQuotes(val.slice(3)), mode: 'regex' };
  }
  if (val.startsWith('nc:')) {
    return {
      kind: 'singleField',
      field: unescape(key),
      text: unescapeQuotes(val.slice(3)),
      mode: 'noCombining',
    };
  }
  const mode: FieldSearchMode = 'normal';
  return { kind: 'singleField', field: unescape(key), text: unescape(val), mode };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const idx = s.indexOf(sep);
  return idx < 0 ? [s, undefined] : [s.slice(0, idx), s.slice(idx + sep.length)];
}

// ------------------------------------------------------------------------------------------
// Numbers (Rust `str::parse` rules: optional sign, ASCII digits, range-checked)

function parseUnsigned(s: string, max: number): number | undefined {
  if (!/^\+?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n <= BigInt(max) ? Number(n) : undefined;
}

function parseSigned(s: string, min: bigint, max: bigint): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= min && n <= max ? n : undefined;
}

function parseU32(num: string, context: string): number {
  const n = parseUnsigned(num, 0xffffffff);
  if (n === undefined) fail({ kind: 'InvalidPositiveWholeNumber', context, provided: num });
  return n;
}

function parseI32(num: string, context: string): number {
  const n = parseSigned(num, -(2n ** 31n), 2n ** 31n - 1n);
  if (n === undefined) fail({ kind: 'InvalidWholeNumber', context, provided: num });
  return Number(n);
}

function parseNonPositiveI32(num: string, context: string): number {
  const n = parseSigned(num, -(2n ** 31n), 2n ** 31n - 1n);
  if (n === undefined || n > 0n) fail({ kind: 'InvalidNegativeWholeNumber', context, provided: num });
  return Number(n);
}

function parseI64(num: string, context: string): string {
  const n = parseSigned(num, -(2n ** 63n), 2n ** 63n - 1n);
  if (n === undefined) fail({ kind: 'InvalidWholeNumber', context, provided: num });
  return n.toString();
}

const F32_RE = /^[+-]?(?:inf|infinity|nan|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$/i;

/** Rust's f32 parsing: the value is rounded to single precision. */
export function parseF32Value(s: string): number | undefined {
  if (!F32_RE.test(s)) return undefined;
  const body = s.replace(/^[+-]/, '').toLowerCase();
  const negative = s.startsWith('-');
  let value: number;
  if (body === 'inf' || body === 'infinity') value = Infinity;
  else if (body === 'nan') value = NaN;
  else value = Number(body);
  return Math.fround(negative ? -value : value);
}

function parseF32(num: string, context: string): number {
  const n = parseF32Value(num);
  if (n === undefined) fail({ kind: 'InvalidNumber', context, provided: num });
  return n;
}

function parseAnswerButton(num: string | undefined, context: string): RatingKind {
  if (num === undefined) return { kind: 'anyAnswerButton' };
  const n = parseUnsigned(num, 0xff);
  if (n === undefined || n < 1 || n > 4) {
    fail({ kind: 'InvalidAnswerButton', context, provided: num });
  }
  return { kind: 'answerButton', button: n as 1 | 2 | 3 | 4 };
}

// ------------------------------------------------------------------------------------------
// Unescaping

/** For raw contexts (re:, field:re:, …): only `\"` becomes `"`. */
function unescapeQuotes(s: string): string {
  return s.includes('"') ? s.replaceAll('\\"', '"') : s;
}

/** For dupe: text: `\"` → `"` and `\\` → `\`. */
function unescapeQuotesAndBackslashes(s: string): string {
  if (s.includes('"') || s.includes('\\')) {
    return s.replaceAll('\\"', '"').replaceAll('\\\\', '\\');
  }
  return s;
}

// an odd number of backslashes not followed by an escapable character
const INVALID_ESCAPE_RE = /(?:^|[^\\])(?:\\\\)*(\\(?:[^\\":*_()-]|$))/u;
// an odd number of backslashes followed by a character with a meaning to the parser
const PARSER_ESCAPE_RE = /(?:^|[^\\])(?:\\\\)*\\[":()-]/u;

/**
 * Unescape the characters that are special to the parser (`"` `:` `(` `)` `-`), keeping `\\`,
 * `\*` and `\_` for the wildcard stage. Any other escape is an error.
 */
export function unescape(txt: string): string {
  const invalid = INVALID_ESCAPE_RE.exec(txt);
  if (invalid) fail({ kind: 'UnknownEscape', provided: invalid[1] });
  if (!PARSER_ESCAPE_RE.test(txt)) return txt;
  return txt.replace(/\\[\\":()-]/gu, (m) => (m === '\\\\' ? '\\\\' : m[1]));
}
