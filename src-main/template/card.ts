// Rendering a card of a notetype the way desktop Anki's `card.question()` / `card.answer()`
// produce it (pylib/anki/template.py on top of rslib's partial render): special fields,
// add-on filter pass, FrontSide injection after AV extraction, AV tags, LaTeX images.

import type { Notetype } from '../notetypes/notetype';
import { isCloze } from '../notetypes/notetype';
import { encodeIriPaths, htmlToTextLine } from '../text/html';
import { type AvTag, avRefsToPlayIcons, extractAvTags, prettifyAvTags, stripAvRefs } from './av-tags';
import { type ExtractedLatex, extractLatex } from './latex';
import { DEFAULT_STRINGS, type RenderStrings } from './messages';
import { nodesToText, type RenderedNode, renderCardTemplates, TemplateRenderError } from './render';

export type NotetypeForRender = Pick<Notetype, 'name' | 'config' | 'fields' | 'templates'>;

/** A filter not built into Anki (an add-on's): return the new text, or the text unchanged. */
export type CustomFilter = (text: string, fieldName: string, filterName: string, side: 'question' | 'answer') => string;

export interface RenderCardInput {
  notetype: NotetypeForRender;
  /** The note's fields by ord (names from the notetype), or by name. */
  fields: readonly string[] | ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** `cards.ord`: template index, or cloze number − 1. */
  cardOrd: number;
  /** Human name (`A::B`) of the card's home deck (`odid` if in a filtered deck). Default `(Deck)`. */
  deckName?: string;
  /** Note tags (canonical, without surrounding spaces). */
  tags?: readonly string[];
  /** `cards.flags`; the user flag is its low 3 bits. */
  flags?: number;
  cardId?: number | bigint;
  /** Use the browser-specific templates (when set) and skip the empty-front message and LaTeX. */
  browser?: boolean;
  /**
   * 'desktop' (default): Anki desktop/AnkiConnect behaviour — an unknown filter stops built-in
   * filters and the rest go to `customFilter`; `{{FrontSide}}` is the question after AV extraction.
   * 'full': the Rust backend's full render — unknown filters are skipped and `{{FrontSide}}` is
   * the question before AV extraction.
   */
  mode?: 'desktop' | 'full';
  customFilter?: CustomFilter;
  /** Replace LaTeX with image references (default: true unless browser). */
  latex?: boolean;
  /** Called with the LaTeX images a side needs; returned error strings are appended to that side. */
  latexErrors?: (latex: ExtractedLatex[]) => string[];
  strings?: RenderStrings;
}

export interface RenderedCard {
  /** Question HTML (no `<style>`); AV references like `[anki:play:q:0]`. */
  question: string;
  answer: string;
  questionAvTags: AvTag[];
  answerAvTags: AvTag[];
  /** The notetype CSS; '' when the template failed (as Anki's error output has no CSS). */
  css: string;
  /** True when the front was blank / the cloze is missing. */
  isEmpty: boolean;
  /** True when a template problem replaced both sides with the error message. */
  templateError: boolean;
  /** LaTeX images referenced by question and answer (distinct file names). */
  latex: ExtractedLatex[];
}

/** Map of note fields by name; with an array, names come from the notetype (extra ords → ''). */
export function noteFieldMap(notetype: NotetypeForRender, fields: RenderCardInput['fields']): Map<string, string> {
  const map = new Map<string, string>();
  if (Array.isArray(fields)) {
    const names = [...notetype.fields].sort((a, b) => a.ord - b.ord).map((f) => f.name);
    (fields as readonly string[]).forEach((value, idx) => map.set(names[idx] ?? '', value));
  } else if (fields instanceof Map) {
    for (const [k, v] of fields) map.set(k, v);
  } else {
    for (const [k, v] of Object.entries(fields as Record<string, string>)) map.set(k, v);
  }
  return map;
}

/** The template used for a card: template[ord] for normal notetypes, template 0 for cloze. */
export function templateForCard(notetype: NotetypeForRender, cardOrd: number) {
  const templates = [...notetype.templates].sort((a, b) => a.ord - b.ord);
  const template = isCloze(notetype) ? templates[0] : templates[cardOrd];
  if (!template) throw new Error('missing template');
  return template;
}

/**
 * The full field map used for rendering: note fields, then special fields that do not clash
 * with a note field (Tags, Type, Subdeck, Deck, CardFlag, Card, CardID), then `c{ord+1}` = "1".
 */
export function renderFieldMap(input: RenderCardInput): Map<string, string> {
  const { notetype } = input;
  const map = noteFieldMap(notetype, input.fields);
  const template = templateForCard(notetype, input.cardOrd);
  const deckName = input.deckName ?? '(Deck)';
  const add = (name: string, value: string) => {
    if (!map.has(name)) map.set(name, value);
  };
  add('Tags', (input.tags ?? []).join(' '));
  add('Type', notetype.name);
  add('Subdeck', deckName.split('::').at(-1)!);
  add('Deck', deckName);
  add('CardFlag', `flag${(input.flags ?? 0) & 0b111}`);
  add('Card', template.name);
  add('CardID', String(input.cardId ?? 0));
  add(`c${input.cardOrd + 1}`, '1');
  return map;
}

function questionTemplates(input: RenderCardInput): { qfmt: string; afmt: string } {
  const { config } = templateForCard(input.notetype, input.cardOrd);
  if (input.browser) {
    return {
      qfmt: config.qFormatBrowser !== '' ? config.qFormatBrowser : config.qFormat,
      afmt: config.aFormatBrowser !== '' ? config.aFormatBrowser : config.aFormat,
    };
  }
  return { qfmt: config.qFormat, afmt: config.aFormat };
}

/** Render a card's question and answer as desktop Anki does. Never throws for template problems. */
export function renderCard(input: RenderCardInput): RenderedCard {
  const strings = input.strings ?? DEFAULT_STRINGS;
  const browser = input.browser ?? false;
  const partial = (input.mode ?? 'desktop') === 'desktop';
  const { qfmt, afmt } = questionTemplates(input);

  let response;
  try {
    response = renderCardTemplates({
      qfmt,
      afmt,
      fields: renderFieldMap(input),
      cardOrd: input.cardOrd,
      isCloze: isCloze(input.notetype),
      browser,
      partial,
      strings,
    });
  } catch (e) {
    if (!(e instanceof TemplateRenderError)) throw e;
    return {
      question: e.html,
      answer: e.html,
      questionAvTags: [],
      answerAvTags: [],
      css: '',
      isEmpty: false,
      templateError: true,
      latex: [],
    };
  }

  const finish = (side: 'question' | 'answer', frontSide: string | null) => (node: Extract<RenderedNode, { type: 'replacement' }>) => {
    let text = node.fieldName === 'FrontSide' && frontSide !== null ? frontSide : node.currentText;
    if (input.customFilter) for (const f of node.filters) text = input.customFilter(text, node.fieldName, f, side);
    return text;
  };

  const qtext = nodesToText(response.qnodes, finish('question', null));
  const qout = extractAvTags(qtext, true, strings);
  // in full mode the answer already contains the (pre-extraction) question
  const atext = nodesToText(response.anodes, finish('answer', qout.text));
  const aout = extractAvTags(atext, false, strings);

  let question = qout.text;
  let answer = aout.text;
  const latex: ExtractedLatex[] = [];
  if (input.latex ?? !browser) {
    const svg = input.notetype.config.latexSvg;
    const apply = (html: string) => {
      const out = extractLatex(html, svg);
      for (const l of out.latex) if (!latex.some((x) => x.fname === l.fname)) latex.push(l);
      const errors = out.latex.length > 0 && input.latexErrors ? input.latexErrors(out.latex) : [];
      return errors.length > 0 ? out.html + errors.join('\n') : out.html;
    };
    question = apply(question);
    answer = apply(answer);
  }

  return {
    question,
    answer,
    questionAvTags: qout.avTags,
    answerAvTags: aout.avTags,
    css: input.notetype.config.css,
    isEmpty: response.isEmpty,
    templateError: false,
    latex,
  };
}

/** `<style>{css}</style>{question}` — what `card.question()` and AnkiConnect's cardsInfo return. */
export function questionWithStyle(card: Pick<RenderedCard, 'css' | 'question'>): string {
  return `<style>${card.css}</style>${card.question}`;
}

/** `<style>{css}</style>{answer}` — what `card.answer()` and AnkiConnect's cardsInfo return. */
export function answerWithStyle(card: Pick<RenderedCard, 'css' | 'answer'>): string {
  return `<style>${card.css}</style>${card.answer}`;
}

/** The `<body>` classes the reviewer uses for a card: `card card{ord+1}` (+ night mode classes). */
export function bodyClassesForCardOrd(cardOrd: number, nightMode = false): string {
  return `card card${cardOrd + 1}` + (nightMode ? ' nightMode night_mode' : '');
}

// ---------------------------------------------------------------------------------------------
// Other consumers of rendered text

/**
 * The raw partial render as rslib joins it for the browser table and CSV export: replacements
 * contribute their current text (so `{{FrontSide}}` is ''), no AV extraction, no LaTeX. A
 * template problem gives its error HTML on both sides.
 */
export function renderCardRaw(input: RenderCardInput): { question: string; answer: string; isEmpty: boolean; templateError: boolean } {
  const strings = input.strings ?? DEFAULT_STRINGS;
  const browser = input.browser ?? false;
  const { qfmt, afmt } = questionTemplates(input);
  try {
    const r = renderCardTemplates({
      qfmt,
      afmt,
      fields: renderFieldMap(input),
      cardOrd: input.cardOrd,
      isCloze: isCloze(input.notetype),
      browser,
      partial: true,
      strings,
    });
    return { question: nodesToText(r.qnodes), answer: nodesToText(r.anodes), isEmpty: r.isEmpty, templateError: false };
  } catch (e) {
    if (!(e instanceof TemplateRenderError)) throw e;
    return { question: e.html, answer: e.html, isEmpty: false, templateError: true };
  }
}

/**
 * The browser's Question and Answer columns: browser templates, AV tags shown as `🔉file🔉`,
 * the question removed from the start of the answer, then one line of text.
 */
export function browserColumnTexts(input: Omit<RenderCardInput, 'browser'>): { question: string; answer: string } {
  const raw = renderCardRaw({ ...input, browser: true });
  if (raw.templateError) {
    const line = htmlToTextLine(raw.question, true);
    return { question: line, answer: line };
  }
  const question = prettifyAvTags(raw.question);
  const answerFull = prettifyAvTags(raw.answer);
  const answer = answerFull.startsWith(question) ? answerFull.slice(question.length) : answerFull;
  return { question: htmlToTextLine(question, true), answer: htmlToTextLine(answer, true) };
}

const REDUNDANT_SECTIONS = /<style>[^]*?<\/style>|\[\[type:[^\]]+\]\]/giu;
const ANSWER_SIDE_QUESTION = /^[^]*<hr id=answer>\n*/iu;

/** CSV export: drop `<style>…</style>` blocks and `[[type:…]]` markers. */
export function stripRedundantSections(text: string): string {
  return text.replace(REDUNDANT_SECTIONS, '');
}

/** CSV export: drop everything up to the last `<hr id=answer>` and the newlines after it. */
export function stripAnswerSideQuestion(text: string): string {
  return text.replace(ANSWER_SIDE_QUESTION, '');
}

/** A rendered side as Anki's card CSV export writes it (from `renderCardRaw`). */
export function cardTextForExport(text: string, withHtml: boolean, answerSide: boolean): string {
  let out = stripRedundantSections(text);
  if (answerSide) out = stripAnswerSideQuestion(out);
  return withHtml ? out : htmlToTextLine(out, false);
}

/**
 * What the reviewer does before display (aqt `prepare_card_text_for_display`): IRI-encode local
 * media paths, then turn `[anki:play:…]` into replay buttons (or remove them).
 */
export function prepareCardTextForDisplay(html: string, options: { hidePlayButtons?: boolean } = {}): string {
  const encoded = encodeIriPaths(html);
  return options.hidePlayButtons ? stripAvRefs(encoded) : avRefsToPlayIcons(encoded);
}
