// Cloze deletions: parsing (nested, multi-ordinal), rendering, cloze numbers, cloze-only,
// typing, image occlusion. Behaviour follows rslib/src/cloze.rs (Anki 26.x).

import { encodeAttribute, stripHtmlPreservingEntities } from '../text/html';

type ClozeToken = { type: 'open'; ordinals: number[] } | { type: 'text'; text: string } | { type: 'close' };

type TextOrCloze = { type: 'text'; text: string } | { type: 'cloze'; cloze: ExtractedCloze };

interface ExtractedCloze {
  /** Cloze numbers as written (deduplicated, sorted); may include 0. */
  ordinals: number[];
  nodes: TextOrCloze[];
  hint: string | null;
}

const MAX_CLOZE_DEPTH = 10;
const IMAGE_OCCLUSION_PREFIX = 'image-occlusion:';

/** `{{c` + digits/commas + `::` with at least one ordinal that parses as u16. */
function parseOpenCloze(text: string, pos: number): { ordinals: number[]; end: number } | null {
  if (!text.startsWith('{{c', pos)) return null;
  let i = pos + 3;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 44) i++;
    else break;
  }
  const set = new Set<number>();
  for (const part of text.slice(pos + 3, i).split(',')) {
    if (part.length === 0) continue;
    const n = Number(part);
    if (n <= 0xffff) set.add(n);
  }
  if (set.size === 0) return null;
  if (!text.startsWith('::', i)) return null;
  return { ordinals: [...set].sort((a, b) => a - b), end: i + 2 };
}

function tokenize(text: string): ClozeToken[] {
  const tokens: ClozeToken[] = [];
  let pos = 0;
  const len = text.length;
  while (pos < len) {
    const open = parseOpenCloze(text, pos);
    if (open) {
      tokens.push({ type: 'open', ordinals: open.ordinals });
      pos = open.end;
      continue;
    }
    if (text.startsWith('}}', pos)) {
      tokens.push({ type: 'close' });
      pos += 2;
      continue;
    }
    // a run of text up to the next opening or closing marker
    let end = pos + 1;
    while (end < len) {
      const c = text.charCodeAt(end);
      if (c === 0x7d /* } */ && text.charCodeAt(end + 1) === 0x7d) break;
      if (c === 0x7b /* { */ && parseOpenCloze(text, end)) break;
      end++;
    }
    tokens.push({ type: 'text', text: text.slice(pos, end) });
    pos = end;
  }
  return tokens;
}

function parseTextWithClozes(text: string): TextOrCloze[] {
  const open: ExtractedCloze[] = [];
  const output: TextOrCloze[] = [];
  for (const token of tokenize(text)) {
    switch (token.type) {
      case 'open':
        if (open.length < MAX_CLOZE_DEPTH) open.push({ ordinals: token.ordinals, nodes: [], hint: null });
        break;
      case 'text': {
        const cloze = open.at(-1);
        if (cloze) {
          let t = token.text;
          if (!t.startsWith(IMAGE_OCCLUSION_PREFIX)) {
            const idx = t.indexOf('::');
            if (idx !== -1) {
              cloze.hint = t.slice(idx + 2);
              t = t.slice(0, idx);
            }
          }
          cloze.nodes.push({ type: 'text', text: t });
        } else {
          output.push({ type: 'text', text: token.text });
        }
        break;
      }
      case 'close': {
        const cloze = open.pop();
        if (cloze) {
          const target = open.at(-1)?.nodes ?? output;
          target.push({ type: 'cloze', cloze });
        } else {
          output.push({ type: 'text', text: '}}' });
        }
        break;
      }
    }
  }
  // clozes still open at the end are dropped together with their contents
  return output;
}

function hintOf(cloze: ExtractedCloze): string {
  return cloze.hint ?? '...';
}

function clozedText(cloze: ExtractedCloze): string {
  let buf = '';
  for (const node of cloze.nodes) buf += node.type === 'text' ? node.text : clozedText(node.cloze);
  return buf;
}

function imageOcclusionText(cloze: ExtractedCloze): string | null {
  const first = cloze.nodes[0];
  if (!first || first.type !== 'text' || !first.text.startsWith(IMAGE_OCCLUSION_PREFIX)) return null;
  return first.text.slice(IMAGE_OCCLUSION_PREFIX.length);
}

function ordinalsStr(ordinals: readonly number[]): string {
  return ordinals.join(',');
}

interface RevealState {
  activeFound: boolean;
}

function revealCloze(cloze: ExtractedCloze, ord: number, question: boolean, state: RevealState): string {
  const active = cloze.ordinals.includes(ord);
  if (active) state.activeFound = true;

  const io = imageOcclusionText(cloze);
  if (io !== null) return renderImageOcclusion(io, question, active, cloze.ordinals);

  const inner = (): string => {
    let buf = '';
    for (const node of cloze.nodes) buf += node.type === 'text' ? node.text : revealCloze(node.cloze, ord, question, state);
    return buf;
  };
  const ords = ordinalsStr(cloze.ordinals);
  if (question && active) {
    return `<span class="cloze" data-cloze="${encodeAttribute(inner())}" data-ordinal="${ords}">[${hintOf(cloze)}]</span>`;
  }
  if (active) return `<span class="cloze" data-ordinal="${ords}">${inner()}</span>`;
  return `<span class="cloze-inactive" data-ordinal="${ords}">${inner()}</span>`;
}

/**
 * Render the clozes in `text` for cloze number `ord` (card ord + 1). If no cloze with that
 * number exists in the text, the result is '' (Anki's `reveal_cloze_text`).
 */
export function revealClozeText(text: string, ord: number, question: boolean): string {
  const state: RevealState = { activeFound: false };
  let buf = '';
  for (const node of parseTextWithClozes(text)) {
    buf += node.type === 'text' ? node.text : revealCloze(node.cloze, ord, question, state);
  }
  return state.activeFound ? buf : '';
}

function revealTextInNodes(node: TextOrCloze, ord: number, question: boolean, out: string[]): void {
  if (node.type !== 'cloze') return;
  const cloze = node.cloze;
  if (cloze.ordinals.includes(ord)) out.push(question ? hintOf(cloze) : clozedText(cloze));
  for (const child of cloze.nodes) revealTextInNodes(child, ord, question, out);
}

/** The `cloze-only` filter: active cloze texts (answer) or hints/`...` (question), joined by `, `. */
export function revealClozeTextOnly(text: string, ord: number, question: boolean): string {
  const out: string[] = [];
  for (const node of parseTextWithClozes(text)) revealTextInNodes(node, ord, question, out);
  return out.join(', ');
}

/** The expected answer for `{{type:cloze:Field}}`: active texts joined by `, `, collapsed if all equal. */
export function extractClozeForTyping(text: string, ord: number): string {
  const out: string[] = [];
  for (const node of parseTextWithClozes(text)) revealTextInNodes(node, ord, false, out);
  if (out.length === 0) return '';
  if (out.every((t) => t === out[0])) return out[0];
  return out.join(', ');
}

function addClozeNumbers(nodes: readonly TextOrCloze[], set: Set<number>): void {
  for (const node of nodes) {
    if (node.type !== 'cloze') continue;
    for (const o of node.cloze.ordinals) if (o !== 0) set.add(o);
    addClozeNumbers(node.cloze.nodes, set);
  }
}

/** The non-zero cloze numbers in the text (nested and multi-ordinal included; unclosed ones not). */
export function clozeNumbersInText(text: string): Set<number> {
  const set = new Set<number>();
  addClozeNumbers(parseTextWithClozes(text), set);
  return set;
}

/** The non-zero cloze numbers found in any of the texts. */
export function clozeNumbersInFields(fields: Iterable<string>): Set<number> {
  const set = new Set<number>();
  for (const f of fields) addClozeNumbers(parseTextWithClozes(f), set);
  return set;
}

/** Whether the text has a top-level cloze with a non-zero number (Anki's `contains_cloze`). */
export function containsCloze(text: string): boolean {
  return parseTextWithClozes(text).some((n) => n.type === 'cloze' && n.cloze.ordinals.some((o) => o !== 0));
}

const CLOZE_RE = /\{\{c[\p{Nd},]+::([^]*?)(::[^]*?)?\}\}/gu;

/** Replace `{{cN::text::hint}}` with `text` (regex based, not nesting-aware, like Anki's `strip_clozes`). */
export function stripClozes(text: string): string {
  return text.replace(CLOZE_RE, '$1');
}

const MATHJAX_RE = /(\\[([])([^]*?)(\\[\])])/giu;

/** Remove HTML tags (keeping entities) inside MathJax `\(…\)` and `\[…\]`. */
export function stripHtmlInsideMathjax(text: string): string {
  return text.replace(MATHJAX_RE, (_m, open: string, inner: string, close: string) => open + stripHtmlPreservingEntities(inner) + close);
}

/** The `cloze:` filter for cloze number `ord` (card ord + 1). */
export function clozeFilter(text: string, ord: number, question: boolean): string {
  return stripHtmlInsideMathjax(revealClozeText(text, ord, question));
}

/** The `cloze-only:` filter. */
export function clozeOnlyFilter(text: string, ord: number, question: boolean): string {
  return revealClozeTextOnly(text, ord, question);
}

/**
 * If the text contains LaTeX, render question and answer of every cloze number so that all
 * LaTeX variants can be generated; otherwise ''. Cloze numbers are visited in ascending order.
 */
export function expandClozesToRevealLatex(text: string, containsLatex: (t: string) => boolean): string {
  if (!containsLatex(text)) return '';
  let buf = '';
  for (const ord of [...clozeNumbersInText(text)].sort((a, b) => a - b)) {
    buf += revealClozeText(text, ord, true);
    buf += revealClozeText(text, ord, false);
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Image occlusion

export interface ImageOcclusionShape {
  shape: string;
  properties: { name: string; value: string }[];
}

/** Parse `rect:left=.2:top=.3:…`; `\:` and `\\` escape within values. */
export function parseImageCloze(text: string): ImageOcclusionShape | null {
  const colon = text.indexOf(':');
  if (colon === -1) return null;
  const shape = text.slice(0, colon);
  const properties: { name: string; value: string }[] = [];
  let pos = colon;
  for (;;) {
    if (text[pos] !== ':') break;
    const eq = text.indexOf('=', pos + 1);
    if (eq === -1 || eq === pos + 1) break;
    const name = text.slice(pos + 1, eq);
    // value: runs of chars other than `\` and `:`, or `\` followed by `\` or `:`; must be non-empty
    let i = eq + 1;
    let value = '';
    let ok = true;
    while (i < text.length) {
      const c = text[i];
      if (c === ':') break;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === '\\' || next === ':') {
          value += next;
          i += 2;
        } else {
          ok = false;
          break;
        }
      } else {
        value += c;
        i++;
      }
    }
    // an empty value is only accepted at the very end of the text
    if (!ok || (i === eq + 1 && i < text.length)) break;
    properties.push({ name, value });
    pos = i;
  }
  return { shape, properties };
}

function isEmptyOrZero(v: string): boolean {
  return v === '' || v === '0';
}

/** The `data-…` attributes for an image occlusion shape (each followed by a space). */
export function imageClozeData(text: string): string {
  const occlusion = parseImageCloze(text);
  if (!occlusion) return '';
  let result = '';
  if (['rect', 'ellipse', 'polygon', 'text'].includes(occlusion.shape)) {
    result += `data-shape="${occlusion.shape}" `;
  }
  for (const { name, value } of occlusion.properties) {
    switch (name) {
      case 'left':
      case 'top':
      case 'angle':
      case 'fill':
        if (value !== '') result += `data-${name}="${value}" `;
        break;
      case 'width':
      case 'height':
      case 'rx':
      case 'ry':
      case 'scale':
        if (!isEmptyOrZero(value)) result += `data-${name}="${value}" `;
        break;
      case 'points':
        if (value !== '') {
          const points = value
            .split(' ')
            .map((pair) => {
              const comma = pair.indexOf(',');
              return comma === -1 ? null : `${pair.slice(0, comma)},${pair.slice(comma + 1)}`;
            })
            .filter((p): p is string => p !== null)
            .join(' ');
          if (points !== '') result += `data-points="${points}" `;
        }
        break;
      case 'oi':
        if (value !== '') result += `data-occludeInactive="${value}" `;
        break;
      case 'text':
        if (value !== '') result += `data-text="${encodeAttribute(value)}" `;
        break;
      case 'fs':
        if (value !== '') result += `data-font-size="${value}" `;
        break;
    }
  }
  return result;
}

function renderImageOcclusion(text: string, question: boolean, active: boolean, ordinals: readonly number[]): string {
  const ords = ordinalsStr(ordinals);
  if ((question && active) || ordinals.includes(0)) {
    return `<div class="cloze" data-ordinal="${ords}" ${imageClozeData(text)}></div>`;
  }
  if (!active) return `<div class="cloze-inactive" data-ordinal="${ords}" ${imageClozeData(text)}></div>`;
  if (!question && active) return `<div class="cloze-highlight" data-ordinal="${ords}" ${imageClozeData(text)}></div>`;
  return '';
}

/** Image occlusion shapes per cloze number, for top-level `image-occlusion:` clozes. */
export function parseImageOcclusions(text: string): Map<number, ImageOcclusionShape[]> {
  const out = new Map<number, ImageOcclusionShape[]>();
  for (const node of parseTextWithClozes(text)) {
    if (node.type !== 'cloze') continue;
    const io = imageOcclusionText(node.cloze);
    if (io === null) continue;
    const shape = parseImageCloze(io);
    if (!shape) continue;
    for (const ord of node.cloze.ordinals) {
      const list = out.get(ord) ?? [];
      list.push(shape);
      out.set(ord, list);
    }
  }
  return out;
}
