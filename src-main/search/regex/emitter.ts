// Emitter: RNode → RE2 syntax.
//
// A state is `${last}${pending}`: last = U (not tracked), W (word character) or N (non-word
// character, or the start of the text); pending = '' (none), w (the next character must be a word
// character) or n (it must not be one, or the text must end). `emit(node, state)` gives a Row:
// for each state the node can end in, the regex that gets there (base + alternatives, so a
// prefix shared by several end states is written once).

import {
  complement,
  intersect,
  isWordChar,
  jsClassSrc,
  nativeClass,
  type Ranges,
  re2Char,
  re2Set,
  scanClass,
  wordSet,
} from './code-point-sets';
import { addAlt, DEAD, group, MAX_SOURCE, quantifier, render, type Row, rowSize, sameRow, single } from './rows';
import { RE2_WORD, type RNode, RustRegexError } from './syntax';
import {
  analyzeBoundaries,
  type AtomNode,
  type BoundaryAnalysis,
  NEEDS_LAST,
  usesEmulatedBoundary,
} from './word-boundaries';

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

/** An RE2 pattern with the same `is_match` result as the parsed Rust regex. */
export function toRe2(ast: RNode): string {
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
