// Typed search errors. The kinds are Anki's `SearchErrorKind` (rslib/src/error/search.rs), plus
// two of ours: `InvalidRegex` (Anki reports a bad regex as a database error) and `InvalidSort`.
// Messages are our own English wording. A SearchError is a DeckhandError with code 'search', so
// adapters (AnkiConnect, IPC, CLI) report it like any other user error.

import { DeckhandError } from '../collection/errors';

export type SearchErrorKind =
  | { kind: 'MisplacedAnd' }
  | { kind: 'MisplacedOr' }
  | { kind: 'EmptyGroup' }
  | { kind: 'UnopenedGroup' }
  | { kind: 'UnclosedGroup' }
  | { kind: 'EmptyQuote' }
  | { kind: 'UnclosedQuote' }
  | { kind: 'MissingKey' }
  | { kind: 'UnknownEscape'; provided: string }
  | { kind: 'InvalidState'; provided: string }
  | { kind: 'InvalidFlag' }
  | { kind: 'InvalidPropProperty'; provided: string }
  | { kind: 'InvalidPropOperator'; provided: string }
  | { kind: 'InvalidNumber'; provided: string; context: string }
  | { kind: 'InvalidWholeNumber'; provided: string; context: string }
  | { kind: 'InvalidPositiveWholeNumber'; provided: string; context: string }
  | { kind: 'InvalidNegativeWholeNumber'; provided: string; context: string }
  | { kind: 'InvalidAnswerButton'; provided: string; context: string }
  | { kind: 'InvalidRegex'; provided: string; reason: string }
  | { kind: 'InvalidSort'; info: string }
  | { kind: 'Other'; info?: string };

export type SearchErrorKindName = SearchErrorKind['kind'];

export function describeSearchError(err: SearchErrorKind): string {
  switch (err.kind) {
    case 'MisplacedAnd':
      return 'an "and" does not connect two search terms (to search for the word itself, put it in double quotes: "and")';
    case 'MisplacedOr':
      return 'an "or" does not connect two search terms (to search for the word itself, put it in double quotes: "or")';
    case 'EmptyGroup':
      return 'empty parentheses "()": there is nothing to search for between them (to search for literal parentheses, put them in double quotes)';
    case 'UnopenedGroup':
      return 'unbalanced parentheses: a closing ")" has no matching "(" (to search for a literal ")", write "\\)" or put it in double quotes)';
    case 'UnclosedGroup':
      return 'unbalanced parentheses: an opening "(" is never closed (to search for a literal "(", write "\\(" or put it in double quotes)';
    case 'EmptyQuote':
      return 'empty double quotes: there is nothing to search for between them (to search for a literal double quote, write \\")';
    case 'UnclosedQuote':
      return 'a double quote " is never closed (to search for a literal double quote, write \\")';
    case 'MissingKey':
      return 'a ":" has no keyword before it (to search for a literal colon, write "\\:")';
    case 'UnknownEscape':
      return `unknown escape sequence "${err.provided}" (to search for a literal backslash, write "\\\\")`;
    case 'InvalidState':
      return `invalid argument "${err.provided}" for "is:" (expected new, learn, review, due, suspended, buried, buried-sibling or buried-manually)`;
    case 'InvalidFlag':
      return '"flag:" must be followed by a flag number from 0 (no flag) to 7';
    case 'InvalidPropProperty':
      return `invalid property "${err.provided}" for "prop:" (expected ivl, due, reps, lapses, ease, pos, rated, resched, s, d, r, cdn:KEY or cds:KEY)`;
    case 'InvalidPropOperator':
      return `"prop:${err.provided}" must be followed by a comparison operator: =, !=, <, >, <= or >=`;
    case 'InvalidNumber':
      return `expected a number in "${err.context}", but found "${err.provided}"`;
    case 'InvalidWholeNumber':
      return `expected a whole number in "${err.context}", but found "${err.provided}"`;
    case 'InvalidPositiveWholeNumber':
      return `expected a positive whole number in "${err.context}", but found "${err.provided}"`;
    case 'InvalidNegativeWholeNumber':
      return `expected a whole number less than or equal to 0 in "${err.context}", but found "${err.provided}"`;
    case 'InvalidAnswerButton':
      return `expected an answer button from 1 to 4 in "${err.context}", but found "${err.provided}"`;
    case 'InvalidRegex':
      return `invalid regular expression "${err.provided}": ${err.reason}`;
    case 'InvalidSort':
      return err.info;
    case 'Other':
      return err.info ?? 'please check for typing mistakes';
  }
}

export class SearchError extends DeckhandError {
  readonly detail: SearchErrorKind;

  constructor(detail: SearchErrorKind) {
    super('search', `Invalid search: ${describeSearchError(detail)}`);
    this.name = 'SearchError';
    this.detail = detail;
  }

  /** The error kind name, e.g. "UnclosedGroup". */
  get kind(): SearchErrorKindName {
    return this.detail.kind;
  }
}

export function isSearchError(e: unknown): e is SearchError {
  return e instanceof SearchError;
}
