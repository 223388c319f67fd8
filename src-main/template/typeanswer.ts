// Type-in-the-answer: the comparison HTML (rslib/src/typeanswer.rs) and the reviewer's
// `[[type:…]]` handling (qt/aqt/reviewer.py).

import { escapeHtml, rustTrim, stripHtml } from '../text/html';
import { stripAvTags } from './av-tags';
import { extractClozeForTyping } from './cloze';
import { DEFAULT_STRINGS, type RenderStrings } from './messages';

// ---------------------------------------------------------------------------------------------
// SequenceMatcher, as ported by the Rust `difflib` 0.4 crate that Anki uses. Differences from
// Python's: no junk; for sequences of 200+ items the crate keeps only the *popular* elements in
// its index (an inverted version of Python's autojunk), which we reproduce.

interface Match {
  a: number;
  b: number;
  size: number;
}

type OpTag = 'equal' | 'delete' | 'insert' | 'replace';
interface Opcode {
  tag: OpTag;
  a1: number;
  a2: number;
  b1: number;
  b2: number;
}

class SequenceMatcher<T> {
  private readonly b2j = new Map<T, number[]>();

  constructor(
    private readonly a: readonly T[],
    private readonly b: readonly T[],
  ) {
    b.forEach((item, i) => {
      const list = this.b2j.get(item);
      if (list) list.push(i);
      else this.b2j.set(item, [i]);
    });
    if (b.length >= 200) {
      const testLen = Math.floor(b.length / 100) + 1;
      for (const [item, idxs] of [...this.b2j]) if (!(idxs.length > testLen)) this.b2j.delete(item);
    }
  }

  findLongestMatch(alo: number, ahi: number, blo: number, bhi: number): Match {
    const { a, b } = this;
    let bestI = alo;
    let bestJ = blo;
    let bestSize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const newJ2len = new Map<number, number>();
      const idxs = this.b2j.get(a[i]);
      if (idxs) {
        for (const j of idxs) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j > 0 ? (j2len.get(j - 1) ?? 0) : 0) + 1;
          newJ2len.set(j, k);
          if (k > bestSize) {
            bestI = i + 1 - k;
            bestJ = j + 1 - k;
            bestSize = k;
          }
        }
      }
      j2len = newJ2len;
    }
    for (let pass = 0; pass < 2; pass++) {
      while (bestI > alo && bestJ > blo && a[bestI - 1] === b[bestJ - 1]) {
        bestI--;
        bestJ--;
        bestSize++;
      }
      while (bestI + bestSize < ahi && bestJ + bestSize < bhi && a[bestI + bestSize] === b[bestJ + bestSize]) {
        bestSize++;
      }
    }
    return { a: bestI, b: bestJ, size: bestSize };
  }

  matchingBlocks(): Match[] {
    const la = this.a.length;
    const lb = this.b.length;
    const queue: [number, number, number, number][] = [[0, la, 0, lb]];
    const matches: Match[] = [];
    while (queue.length > 0) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const m = this.findLongestMatch(alo, ahi, blo, bhi);
      if (m.size === 0) continue;
      if (alo < m.a && blo < m.b) queue.push([alo, m.a, blo, m.b]);
      if (m.a + m.size < ahi && m.b + m.size < bhi) queue.push([m.a + m.size, ahi, m.b + m.size, bhi]);
      matches.push(m);
    }
    matches.sort((x, y) => x.a - y.a || x.b - y.b || x.size - y.size);
    const out: Match[] = [];
    let i1 = 0;
    let j1 = 0;
    let k1 = 0;
    for (const m of matches) {
      if (i1 + k1 === m.a && j1 + k1 === m.b) k1 += m.size;
      else {
        if (k1 !== 0) out.push({ a: i1, b: j1, size: k1 });
        i1 = m.a;
        j1 = m.b;
        k1 = m.size;
      }
    }
    if (k1 !== 0) out.push({ a: i1, b: j1, size: k1 });
    out.push({ a: la, b: lb, size: 0 });
    return out;
  }

  opcodes(): Opcode[] {
    const out: Opcode[] = [];
    let i = 0;
    let j = 0;
    for (const m of this.matchingBlocks()) {
      let tag: OpTag | null = null;
      if (i < m.a && j < m.b) tag = 'replace';
      else if (i < m.a) tag = 'delete';
      else if (j < m.b) tag = 'insert';
      if (tag) out.push({ tag, a1: i, a2: m.a, b1: j, b2: m.b });
      i = m.a + m.size;
      j = m.b + m.size;
      if (m.size !== 0) out.push({ tag: 'equal', a1: m.a, a2: i, b1: m.b, b2: j });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison

type TokenKind = 'typeGood' | 'typeBad' | 'typeMissed';
interface DiffToken {
  kind: TokenKind;
  text: string;
}

const LINEBREAKS = /(?:\n|<br[\p{White_Space}]?\/?>|<\/?div>)+/giu;
const MARK = /^\p{M}/u;
const COMBINING = /\p{M}/u;

/** The expected text as compared: AV tags removed, line breaks → space, HTML stripped, trimmed. */
export function stripExpected(expected: string): string {
  return rustTrim(stripHtml(stripAvTags(expected).replace(LINEBREAKS, ' ')));
}

function chars(s: string): string[] {
  return Array.from(s);
}

function typeans(inner: string): string {
  return `<code id=typeans>${inner}</code>`;
}

function diffTokens(typed: readonly string[], expected: readonly string[]): { typed: DiffToken[]; expected: DiffToken[] } {
  const typedTokens: DiffToken[] = [];
  const expectedTokens: DiffToken[] = [];
  for (const op of new SequenceMatcher(typed, expected).opcodes()) {
    const t = typed.slice(op.a1, op.a2).join('');
    const e = expected.slice(op.b1, op.b2).join('');
    switch (op.tag) {
      case 'equal':
        typedTokens.push({ kind: 'typeGood', text: t });
        expectedTokens.push({ kind: 'typeGood', text: e });
        break;
      case 'delete':
        typedTokens.push({ kind: 'typeBad', text: t });
        break;
      case 'insert':
        typedTokens.push({ kind: 'typeMissed', text: '-'.repeat(op.b2 - op.b1) });
        expectedTokens.push({ kind: 'typeMissed', text: e });
        break;
      case 'replace':
        typedTokens.push({ kind: 'typeBad', text: t });
        expectedTokens.push({ kind: 'typeMissed', text: e });
        break;
    }
  }
  return { typed: typedTokens, expected: expectedTokens };
}

function renderTokens(tokens: readonly DiffToken[]): string {
  let buf = '';
  for (const token of tokens) {
    // a leading combining mark gets an NBSP so it does not join the previous token
    const text = MARK.test(token.text) ? `\u00a0${token.text}` : token.text;
    buf += `<span class=${token.kind}>${escapeHtml(text)}</span>`;
  }
  return buf;
}

function arraysEqual(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Anki's `compare_answer`: the HTML shown on the answer side for a typed answer.
 * `combining` false is the `type:nc:` comparison, which ignores combining marks.
 */
export function compareAnswer(expected: string, typed: string, combining = true): string {
  const stripped = stripExpected(expected);
  if (typed === '') return typeans(escapeHtml(stripped));

  let typedChars: string[];
  let expectedChars: string[];
  let expectedOriginal: string;
  let renderExpected: (tokens: readonly DiffToken[]) => string;
  if (combining) {
    typedChars = chars(typed.normalize('NFC'));
    expectedChars = chars(stripped.normalize('NFC'));
    expectedOriginal = expectedChars.join('');
    renderExpected = renderTokens;
  } else {
    typedChars = chars(typed.normalize('NFKD')).filter((c) => !COMBINING.test(c));
    expectedChars = [];
    const split: string[] = [];
    for (const c of chars(stripped.normalize('NFKD'))) {
      if (COMBINING.test(c)) {
        if (split.length > 0) split[split.length - 1] += c;
      } else {
        expectedChars.push(c);
        split.push(c);
      }
    }
    expectedOriginal = stripped;
    renderExpected = (tokens) => {
      let idx = 0;
      let buf = '';
      for (const token of tokens) {
        const end = idx + chars(token.text).length;
        buf += `<span class=${token.kind}>${escapeHtml(split.slice(idx, end).join(''))}</span>`;
        idx = end;
      }
      return buf;
    };
  }

  if (arraysEqual(typedChars, expectedChars)) {
    return typeans(`<span class=typeGood>${escapeHtml(expectedOriginal)}</span>`);
  }
  const tokens = diffTokens(typedChars, expectedChars);
  return typeans(`${renderTokens(tokens.typed)}<br><span id=typearrow>&darr;</span><br>${renderExpected(tokens.expected)}`);
}

// ---------------------------------------------------------------------------------------------
// Reviewer handling of [[type:…]]

const TYPE_ANS_PAT = /\[\[type:([^\n]+?)\]\]/u;
const TYPE_ANS_PAT_G = /\[\[type:([^\n]+?)\]\]/gu;

export interface TypeAnswerField {
  name: string;
  /** The note's raw field text. */
  value: string;
  fontName: string;
  fontSize: number;
}

/** What the question side decided; pass it to typeAnswerAnswerFilter. */
export interface TypeAnswerState {
  /** The expected answer, or null when there is none (unknown field / no cloze). */
  correct: string | null;
  combining: boolean;
  fontName: string;
  fontSize: number;
}

/**
 * The reviewer's question-side `[[type:…]]` replacement. The first marker decides the field;
 * every marker becomes the same input box. An unknown field shows an error text; an empty field
 * removes the markers.
 */
export function typeAnswerQuestionFilter(
  html: string,
  opts: { fields: readonly TypeAnswerField[]; cardOrd: number; strings?: RenderStrings },
): { html: string; state: TypeAnswerState } {
  const strings = opts.strings ?? DEFAULT_STRINGS;
  const state: TypeAnswerState = { correct: null, combining: true, fontName: '', fontSize: 0 };
  const m = TYPE_ANS_PAT.exec(html);
  if (!m) return { html, state };
  let fld = m[1];
  let clozeIdx: number | null = null;
  if (fld.startsWith('cloze:')) {
    clozeIdx = opts.cardOrd + 1;
    fld = fld.split(':')[1];
  }
  if (fld.startsWith('nc:')) {
    state.combining = false;
    fld = fld.split(':')[1];
  }
  let found = false;
  for (const f of opts.fields) {
    if (f.name === fld) {
      found = true;
      state.correct = f.value;
      if (clozeIdx !== null) state.correct = extractClozeForTyping(f.value, clozeIdx) || null;
      state.fontName = f.fontName;
      state.fontSize = f.fontSize;
      break;
    }
  }
  if (!state.correct) {
    if (!found || state.correct === null) {
      const warn = clozeIdx !== null ? strings.pleaseRunEmptyCards : strings.typeAnswerUnknownField(fld);
      // Python's re.sub treats backslashes in the replacement specially; messages have none
      return { html: html.replace(TYPE_ANS_PAT_G, () => warn), state: { ...state, correct: null } };
    }
    return { html: html.replace(TYPE_ANS_PAT_G, ''), state };
  }
  const input = `
<center>
<input type=text id=typeans onkeypress="_typeAnsPress();"
   style="font-family: '${state.fontName}'; font-size: ${state.fontSize}px;">
</center>
`;
  return { html: html.replace(TYPE_ANS_PAT_G, () => input), state };
}

/**
 * The reviewer's answer-side handling: markers become the comparison of `typed` with the expected
 * answer; `<hr id=answer>` is moved right before the comparison.
 */
export function typeAnswerAnswerFilter(html: string, state: TypeAnswerState, typed: string): string {
  if (!state.correct) return html.replace(TYPE_ANS_PAT_G, '');
  const orig = html;
  const withoutHr = html.replaceAll('<hr id=answer>', '');
  const hadHr = withoutHr.length !== orig.length;
  const output = compareAnswer(state.correct, typed, state.combining);
  let s = `
<div style="font-family: '${state.fontName}'; font-size: ${state.fontSize}px">${output}</div>`;
  if (hadHr) s = `<hr id=answer>${s}`;
  if (hadHr && !TYPE_ANS_PAT.test(withoutHr)) return orig;
  return withoutHr.replace(TYPE_ANS_PAT_G, () => s);
}
