// Inputs a search needs from the collection besides the query text.

import { BROWSER_COLUMN_KEYS, type BrowserColumnKey } from '../browser/column-keys';

export interface SearchContext {
  /** Days elapsed since collection creation, i.e. "today" as a day number (review `due`). */
  today: number;
  /** Unix seconds of the next day rollover (Anki's `next_day_at`). */
  dayCutoff: number;
  /** Current Unix time in seconds. */
  nowSecs: number;
  /** The current deck (`curDeck` config), used by `deck:current`. */
  currentDeckId: number;
  /** `collapseTime` config: learning cards due within this many seconds count as due (default 1200). */
  learnAheadSecs?: number;
  /** `ignoreAccentsInSearch` config (default false): plain text and `w:` searches behave like `nc:`. */
  ignoreAccentsInSearch?: boolean;
  /** `normalize_note_text` config (default true): search text is NFC-normalised. */
  normalizeNoteText?: boolean;
}

export const DEFAULT_LEARN_AHEAD_SECS = 1200;

/** What a search returns. */
export type ReturnItemType = 'cards' | 'notes';

/**
 * Browser sort columns, by the names Anki stores in the `sortType` / `noteSortType` config keys.
 * `question`, `answer` and `custom` cannot be sorted.
 */
export type SortColumn = BrowserColumnKey | 'custom';

export const SORT_COLUMNS: readonly SortColumn[] = [...BROWSER_COLUMN_KEYS, 'custom'];

export type SortMode =
  /** No ORDER BY (fastest; order is unspecified). */
  | { kind: 'none' }
  /** A browser column, ascending unless `reverse`. */
  | { kind: 'builtin'; column: SortColumn; reverse?: boolean }
  /** A raw SQL ORDER BY clause (legacy API, trusted callers only), e.g. "c.ivl desc". */
  | { kind: 'custom'; orderBy: string };
