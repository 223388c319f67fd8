// Word-boundary analysis. RE2's `\b` is ASCII-only and RE2 has no look-ahead (its look-behinds
// leave the fast DFA), while Rust's `\b`, `\B`, `\<`, `\>`, `\b{start}`… are Unicode-aware. They
// are compiled away: the emitter tracks whether the last consumed character was a word character
// (only after the atoms marked here, which can directly precede such an assertion) and carries a
// pending constraint on the next consumed character, which narrows that atom's class.

import { type AssertKind, type RNode, RustRegexError } from './syntax';

export type AtomNode = Extract<RNode, { t: 'lit' | 'dot' | 'class' }>;

export const NEEDS_LAST: ReadonlySet<AssertKind> = new Set<AssertKind>(['b', 'B', '<', '>', 'startHalf']);
const EMULATED: ReadonlySet<AssertKind> = new Set<AssertKind>(['b', 'B', '<', '>', 'startHalf', 'endHalf']);

export interface BoundaryAnalysis {
  /** Atoms whose word / non-word split must be tracked. */
  marked: Set<RNode>;
  /** A boundary can be reached before anything is consumed (it then tests the text before the match). */
  startNeedsLast: boolean;
}

export function analyzeBoundaries(ast: RNode): BoundaryAnalysis {
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

export function usesEmulatedBoundary(node: RNode): boolean {
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
