// Rendering parsed templates with a field map, built-in filters, and the two-sided card render
// with empty-front detection and error HTML (rslib/src/template.rs, template_filters.rs).

import { escapeHtml, rustTrim, stripHtml } from '../text/html';
import { blake3 } from './blake3';
import { clozeFilter, clozeNumbersInFields, clozeOnlyFilter } from './cloze';
import {
  DEFAULT_STRINGS,
  type RenderStrings,
  TEMPLATE_BLANK_CLOZE_LINK,
  TEMPLATE_BLANK_LINK,
  TEMPLATE_ERROR_LINK,
} from './messages';
import {
  isClozeConditional,
  nonemptyFields,
  type ParsedNode,
  parseTemplate,
  rendersWithFields,
  TemplateError,
  type TemplateErrorInfo,
} from './parser';

export type RenderedNode =
  | { type: 'text'; text: string }
  /** A replacement whose remaining (non built-in) filters are left to the caller, in order. */
  | { type: 'replacement'; fieldName: string; currentText: string; filters: string[] };

export interface RenderContext {
  fields: ReadonlyMap<string, string>;
  nonempty: ReadonlySet<string>;
  cardOrd: number;
  /** null while rendering the question; the rendered question (or '' in partial mode) on the answer. */
  frontSide: string | null;
  /**
   * Desktop mode: the first unknown filter stops built-in processing and is returned, with all
   * filters to its left, in a replacement node; FrontSide and `{{filter:}}` are deferred too.
   * Otherwise unknown filters are skipped.
   */
  partial: boolean;
}

// ---------------------------------------------------------------------------------------------
// Built-in filters

const FURIGANA = / ?([^ >]+?)\[([^\n]+?)\]/gu;

function rubyReplace(text: string, f: (base: string, ruby: string) => string): string {
  const spaced = text.replaceAll('&nbsp;', ' ');
  // without a `[` nothing can match; skip the (backtracking) regex on long bracket-free text
  if (!spaced.includes('[')) return spaced;
  return spaced.replace(FURIGANA, (whole: string, base: string, ruby: string) =>
    ruby.startsWith('sound:') ? whole : f(base, ruby),
  );
}

export function furiganaFilter(text: string): string {
  return rubyReplace(text, (base, ruby) => `<ruby><rb>${base}</rb><rt>${ruby}</rt></ruby>`);
}

export function kanaFilter(text: string): string {
  return rubyReplace(text, (_base, ruby) => ruby);
}

export function kanjiFilter(text: string): string {
  return rubyReplace(text, (base) => base);
}

/** The hint filter's DOM id: hex of the first 8 bytes of BLAKE3(text ‖ field name). */
export function hintId(text: string, fieldName: string): string {
  const enc = new TextEncoder();
  const a = enc.encode(text);
  const b = enc.encode(fieldName);
  const bytes = new Uint8Array(a.length + b.length);
  bytes.set(a, 0);
  bytes.set(b, a.length);
  return Array.from(blake3(bytes).subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join('');
}

export function hintFilter(text: string, fieldName: string): string {
  if (rustTrim(text) === '') return text;
  const id = hintId(text, fieldName);
  return `
<a class=hint href="#"
onclick="this.style.display='none';
document.getElementById('hint${id}').style.display='block';
return false;" draggable=false>
${fieldName}</a>
<div id="hint${id}" class=hint style="display: none">${text}</div>
`;
}

export function ttsFilter(options: string, text: string): string {
  return `[anki:tts lang=${options}]${text}[/anki:tts]`;
}

/** Apply one built-in filter; null if the filter is not built in. */
function applyFilter(name: string, text: string, fieldName: string, ctx: RenderContext): string | null {
  const question = ctx.frontSide === null;
  switch (name) {
    case 'text':
      return stripHtml(text);
    case 'furigana':
      return furiganaFilter(text);
    case 'kanji':
      return kanjiFilter(text);
    case 'kana':
      return kanaFilter(text);
    case 'type':
      return `[[type:${fieldName}]]`;
    case 'type-cloze':
      return `[[type:cloze:${fieldName}]]`;
    case 'type-nc':
      return `[[type:nc:${fieldName}]]`;
    case 'hint':
      return hintFilter(text, fieldName);
    case 'cloze':
      return clozeFilter(text, ctx.cardOrd + 1, question);
    case 'cloze-only':
      return clozeOnlyFilter(text, ctx.cardOrd + 1, question);
    case '':
      // an empty filter name (from `::`) is ignored
      return text;
    default:
      if (name.startsWith('tts ')) return ttsFilter(name.slice(4), text);
      return null;
  }
}

/**
 * Apply built-in filters (in application order). Returns the text and, in partial mode, the
 * filters left for add-ons starting at the first unknown one.
 */
export function applyFilters(
  text: string,
  filters: readonly string[],
  fieldName: string,
  ctx: RenderContext,
): { text: string; remaining: string[] } {
  let list = filters;
  const n = filters.length;
  if (n === 2 && filters[0] === 'cloze' && filters[1] === 'type') list = ['type-cloze'];
  else if (n === 2 && filters[0] === 'nc' && filters[1] === 'type') list = ['type-nc'];
  else if (n > 0 && filters[n - 1] === 'type') list = ['type'];

  let current = text;
  for (let i = 0; i < list.length; i++) {
    const out = applyFilter(list[i], current, fieldName, ctx);
    if (out === null) {
      if (ctx.partial) return { text: current, remaining: list.slice(i) };
      continue;
    }
    current = out;
  }
  return { text: current, remaining: [] };
}

// ---------------------------------------------------------------------------------------------
// Rendering nodes

function appendText(nodes: RenderedNode[], text: string): void {
  const last = nodes.at(-1);
  if (last && last.type === 'text') last.text += text;
  else nodes.push({ type: 'text', text });
}

function evaluateConditional(ctx: RenderContext, key: string, negated: boolean): boolean {
  if (ctx.nonempty.has(key)) return !negated;
  if (ctx.fields.has(key) || isClozeConditional(key)) return negated;
  throw new TemplateError({ kind: 'NoSuchConditional', condition: `${negated ? '^' : '#'}${key}` });
}

function renderInto(out: RenderedNode[], nodes: readonly ParsedNode[], ctx: RenderContext): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        appendText(out, node.text);
        break;
      case 'comment':
        appendText(out, `<!--${node.text}-->`);
        break;
      case 'replacement': {
        if (node.key === 'FrontSide') {
          if (ctx.partial) out.push({ type: 'replacement', fieldName: 'FrontSide', currentText: '', filters: [] });
          else appendText(out, ctx.frontSide ?? '');
          break;
        }
        if (node.key === '' && node.filters.length > 0) {
          if (ctx.partial) out.push({ type: 'replacement', fieldName: '', currentText: '', filters: [...node.filters] });
          break;
        }
        const value = ctx.fields.get(node.key);
        if (value === undefined) {
          const filters = [...node.filters].reverse().concat('').join(':');
          throw new TemplateError({ kind: 'FieldNotFound', field: node.key, filters });
        }
        const { text, remaining } = applyFilters(value, node.filters, node.key, ctx);
        if (remaining.length === 0) appendText(out, text);
        else out.push({ type: 'replacement', fieldName: node.key, currentText: text, filters: remaining });
        break;
      }
      case 'conditional':
      case 'negated': {
        const take = evaluateConditional(ctx, node.key, node.type === 'negated');
        // children of a branch not taken are still checked for errors
        renderInto(take ? out : [], node.children, ctx);
        break;
      }
    }
  }
}

/** Render parsed nodes; throws TemplateError (missing field, bad conditional). */
export function renderNodes(nodes: readonly ParsedNode[], ctx: RenderContext): RenderedNode[] {
  const out: RenderedNode[] = [];
  renderInto(out, nodes, ctx);
  return out;
}

/** Join rendered nodes, passing unfinished replacements through `finish` (default: current text). */
export function nodesToText(
  nodes: readonly RenderedNode[],
  finish: (node: Extract<RenderedNode, { type: 'replacement' }>) => string = (n) => n.currentText,
): string {
  let buf = '';
  for (const node of nodes) buf += node.type === 'text' ? node.text : finish(node);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Errors as HTML

export function localizedTemplateError(info: TemplateErrorInfo, strings: RenderStrings): string {
  switch (info.kind) {
    case 'NoClosingBrackets':
      return strings.noClosingBrackets('}}', info.tag);
    case 'ConditionalNotClosed':
      return strings.conditionalNotClosed(`{{/${info.tag}}}`);
    case 'ConditionalNotOpen':
      return info.currentlyOpen !== null
        ? strings.wrongConditionalClosed(`{{/${info.closed}}}`, `{{/${info.currentlyOpen}}}`)
        : strings.conditionalNotOpen(`{{/${info.closed}}}`, `{{#${info.closed}}}`, `{{^${info.closed}}}`);
    case 'FieldNotFound':
      return strings.noSuchField(`{{${info.filters}${info.field}}}`, info.field);
    case 'NoSuchConditional':
      return strings.noSuchField(`{{${info.condition}}}`, info.condition.slice(1));
  }
}

/** `{header}<br>{escaped message}<br><a href='…#template-syntax-error'>More information</a>` */
export function templateErrorHtml(info: TemplateErrorInfo, questionSide: boolean, browser: boolean, strings: RenderStrings): string {
  const header = questionSide
    ? browser
      ? strings.browserFrontSideProblem
      : strings.frontSideProblem
    : browser
      ? strings.browserBackSideProblem
      : strings.backSideProblem;
  const details = escapeHtml(localizedTemplateError(info, strings));
  return `${header}<br>${details}<br><a href='${TEMPLATE_ERROR_LINK}'>${strings.moreInfo}</a>`;
}

/** A template problem on either side; `html` is what Anki shows on both sides. */
export class TemplateRenderError extends Error {
  constructor(
    readonly html: string,
    readonly info: TemplateErrorInfo,
    readonly questionSide: boolean,
  ) {
    super(html);
    this.name = 'TemplateRenderError';
  }
}

// ---------------------------------------------------------------------------------------------
// Both sides

export interface RenderCardRequest {
  qfmt: string;
  afmt: string;
  /** Note fields plus special fields and `cN`. */
  fields: ReadonlyMap<string, string>;
  cardOrd: number;
  isCloze: boolean;
  browser: boolean;
  partial: boolean;
  strings?: RenderStrings;
}

export interface RenderCardResponse {
  qnodes: RenderedNode[];
  anodes: RenderedNode[];
  isEmpty: boolean;
}

export function emptyFrontHtml(strings: RenderStrings): string {
  return `<div>${strings.emptyFront}<br><a href='${TEMPLATE_BLANK_LINK}'>${strings.moreInfo}</a></div>`;
}

export function missingClozeHtml(clozeNumber: number, strings: RenderStrings): string {
  return `<div>${strings.missingCloze(clozeNumber)}<br><a href='${TEMPLATE_BLANK_CLOZE_LINK}'>${strings.moreInfo}</a></div>`;
}

function renderSide(template: string, ctx: RenderContext, questionSide: boolean, browser: boolean, strings: RenderStrings) {
  try {
    const parsed = parseTemplate(template);
    return { parsed, nodes: renderNodes(parsed, ctx) };
  } catch (e) {
    if (e instanceof TemplateError) {
      throw new TemplateRenderError(templateErrorHtml(e.info, questionSide, browser, strings), e.info, questionSide);
    }
    throw e;
  }
}

/**
 * Anki's `render_card`: render the question, check for an empty front (normal notetypes, not in
 * the browser) or a missing cloze (cloze notetypes), then render the answer. Throws
 * TemplateRenderError for template problems on either side.
 */
export function renderCardTemplates(req: RenderCardRequest): RenderCardResponse {
  const strings = req.strings ?? DEFAULT_STRINGS;
  const ctx: RenderContext = {
    fields: req.fields,
    nonempty: nonemptyFields(req.fields),
    cardOrd: req.cardOrd,
    frontSide: null,
    partial: req.partial,
  };
  const { parsed: qparsed, nodes: qnodes } = renderSide(req.qfmt, ctx, true, req.browser, strings);

  let emptyMessage: string | null = null;
  if (req.isCloze) {
    if (!clozeNumbersInFields(req.fields.values()).has(req.cardOrd + 1)) emptyMessage = missingClozeHtml(req.cardOrd + 1, strings);
  } else if (!req.browser && !rendersWithFields(qparsed, ctx.nonempty)) {
    emptyMessage = emptyFrontHtml(strings);
  }
  if (emptyMessage !== null) {
    qnodes.push({ type: 'text', text: emptyMessage });
    return { qnodes, anodes: [{ type: 'text', text: emptyMessage }], isEmpty: true };
  }

  const first = qnodes[0];
  ctx.frontSide = req.partial ? '' : first && first.type === 'text' ? first.text : '';
  const { nodes: anodes } = renderSide(req.afmt, ctx, false, req.browser, strings);
  return { qnodes, anodes, isEmpty: false };
}
