// Parser for Anki's search syntax (see shared/spec/anki-search.md §1–3). Produces the AST in
// ./ast. Behaviour follows Anki's nom-based parser: the same terms are accepted, the same
// escapes are unescaped, and the same error kinds are reported.
//
// This module has the grammar (groups, operators, quoting); the terms are in parser-terms, with
// parser-numbers, parser-unescape and the scanning primitives in parser-scanning.

import type { Node, SearchNode } from './ast';
import { anyChar, asciiLower, fail, notSpace, type Parsed, scanEscaped, skipSpaces } from './parser-scanning';
import { searchNodeForText, searchNodeForTextWithArgument } from './parser-terms';

export { parseF32Value } from './parser-numbers';
export { unescape } from './parser-unescape';

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
