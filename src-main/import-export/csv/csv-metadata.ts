// Anki's `CsvMetadata`: how a CSV/TSV file is read and what its rows become, with the enums as
// they are stored in the collection's config.

import type { DupeResolution } from '../import-log';

/** Anki's `CsvMetadata.Delimiter`, in its enum order (the detection picks the first one present). */
export const DELIMITERS = [
  { name: 'tab', char: '\t' },
  { name: 'pipe', char: '|' },
  { name: 'semicolon', char: ';' },
  { name: 'colon', char: ':' },
  { name: 'comma', char: ',' },
  { name: 'space', char: ' ' },
] as const;
export type Delimiter = (typeof DELIMITERS)[number]['name'];
export const charOf = (d: Delimiter) => DELIMITERS.find((x) => x.name === d)!.char;

export type MatchScope = 'notetype' | 'notetypeAndDeck';
export const DUPE_CODES: DupeResolution[] = ['update', 'preserve', 'duplicate'];
export const SCOPE_CODES: MatchScope[] = ['notetype', 'notetypeAndDeck'];

/** Deck: an existing deck, a column holding names/ids, or the name of a deck to create. */
export type CsvDeck = { deckId: number } | { deckColumn: number } | { deckName: string };
/** Notetype: one for all rows with a field → column map (1-based, 0 = none), or a column naming it. */
export type CsvNotetype = { globalNotetype: { id: number; fieldColumns: number[] } } | { notetypeColumn: number };

/** Anki's `CsvMetadata`. Column numbers are 1-based; 0 means "none". */
export interface CsvMetadata {
  delimiter: Delimiter;
  isHtml: boolean;
  globalTags: string[];
  updatedTags: string[];
  /** Column names from `#columns:`, else empty strings (their count is the column count). */
  columnLabels: string[];
  deck: CsvDeck;
  notetype: CsvNotetype;
  tagsColumn: number;
  guidColumn: number;
  forceDelimiter: boolean;
  forceIsHtml: boolean;
  /** Up to 5 rows as they will be read (HTML stripped for display when isHtml). */
  preview: string[][];
  dupeResolution: DupeResolution;
  matchScope: MatchScope;
}

export interface CsvMetadataRequest {
  delimiter?: Delimiter;
  notetypeId?: number;
  deckId?: number;
  isHtml?: boolean;
}

/** The columns that hold metadata (deck, notetype, tags, guid) rather than fields. */
export function metaColumns(m: CsvMetadata): Set<number> {
  const out = new Set<number>();
  if ('deckColumn' in m.deck) out.add(m.deck.deckColumn);
  if ('notetypeColumn' in m.notetype) out.add(m.notetype.notetypeColumn);
  if (m.tagsColumn > 0) out.add(m.tagsColumn);
  if (m.guidColumn > 0) out.add(m.guidColumn);
  return out;
}
