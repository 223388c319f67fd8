// User-visible strings produced by template rendering, in Anki's English wording (ftl/core).
//
// Anki formats them with Fluent, which by default wraps every substituted value in the bidi
// isolation marks U+2068 … U+2069. Desktop Anki running in a locale (the normal case) keeps
// them; test builds and runs without a locale drop them. `isolate` chooses.

export interface RenderStrings {
  frontSideProblem: string;
  backSideProblem: string;
  browserFrontSideProblem: string;
  browserBackSideProblem: string;
  moreInfo: string;
  noClosingBrackets(missing: string, tag: string): string;
  conditionalNotClosed(missing: string): string;
  wrongConditionalClosed(found: string, expected: string): string;
  conditionalNotOpen(found: string, missing1: string, missing2: string): string;
  noSuchField(found: string, field: string): string;
  emptyFront: string;
  missingCloze(number: number): string;
  /** `card-templates-blank`: what `[...]` is read as by TTS. */
  blank: string;
  badDirective(directive: string, error: string): string;
  optionNotSet(option: string): string;
  pleaseRunEmptyCards: string;
  typeAnswerUnknownField(field: string): string;
}

const FSI = '\u2068';
const PDI = '\u2069';

export function englishStrings(options: { isolate?: boolean } = {}): RenderStrings {
  const isolate = options.isolate ?? true;
  const v = (x: string | number): string => (isolate ? `${FSI}${x}${PDI}` : String(x));
  return {
    frontSideProblem: 'Front template has a problem:',
    backSideProblem: 'Back template has a problem:',
    browserFrontSideProblem: 'Browser-specific front template has a problem:',
    browserBackSideProblem: 'Browser-specific back template has a problem:',
    moreInfo: 'More information',
    noClosingBrackets: (missing, tag) => `Missing '${v(missing)}' in '${v(tag)}'`,
    conditionalNotClosed: (missing) => `Missing '${v(missing)}'`,
    wrongConditionalClosed: (found, expected) => `Found '${v(found)}', but expected '${v(expected)}'`,
    conditionalNotOpen: (found, m1, m2) => `Found '${v(found)}', but missing '${v(m1)}' or '${v(m2)}'`,
    noSuchField: (found, field) => `Found '${v(found)}', but there is no field called '${v(field)}'`,
    emptyFront: 'The front of this card is blank.',
    missingCloze: (n) => `No cloze ${v(n)} found on card.\nPlease either add a cloze deletion, or use the Empty Cards tool.`,
    blank: 'blank',
    badDirective: (directive, error) => `Error in directive '${v(directive)}': ${v(error)}`,
    optionNotSet: (option) => `'${v(option)}' not set`,
    pleaseRunEmptyCards: 'Please run Tools>Empty Cards',
    typeAnswerUnknownField: (field) => `Type answer: unknown field ${v(field)}`,
  };
}

/** Default strings: English, with Fluent's isolation marks as desktop Anki shows them. */
export const DEFAULT_STRINGS: RenderStrings = englishStrings();

/** Remove U+2068/U+2069, like Anki's `without_unicode_isolation`, for comparisons. */
export function withoutUnicodeIsolation(text: string): string {
  return text.replace(/[\u2068\u2069]/g, '');
}

export const TEMPLATE_ERROR_LINK = 'https://docs.ankiweb.net/templates/errors.html#template-syntax-error';
export const TEMPLATE_BLANK_LINK = 'https://docs.ankiweb.net/templates/errors.html#front-of-card-is-blank';
export const TEMPLATE_BLANK_CLOZE_LINK = 'https://docs.ankiweb.net/templates/errors.html#no-cloze-filter-on-cloze-note-type';
