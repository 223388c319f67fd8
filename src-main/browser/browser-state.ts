// The browser's saved state, kept where Anki keeps it — in the collection config, so it syncs and
// Anki's own browser opens the same way: `browserTableShowNotesMode`, `activeCols` /
// `activeNoteCols` (pylib BrowserConfig), `sortType` / `sortBackwards` and `noteSortType` /
// `browserNoteSortBackwards`, and the sidebar's saved searches in `savedFilters` (aqt
// sidebar/tree.py: a name → search text object). Like Anki these writes are not undo steps.

import type { Collection } from '../collection/collection';
import type { OpResult } from '../collection/op-changes';
import { getConfigBool, getConfigJson, setConfigInTx } from '../config/config-service';
import type { ReturnItemType } from '../search/search-service';
import { BROWSER_COLUMN_KEYS, type BrowserColumn, DEFAULT_CARD_COLUMNS, DEFAULT_NOTE_COLUMNS, isBrowserColumn } from './browser-table';

export interface BrowserSort {
  /** A column key (Anki's `sortType` value). */
  column: string;
  reverse: boolean;
}

export interface BrowserState {
  notesMode: boolean;
  cardColumns: BrowserColumn[];
  noteColumns: BrowserColumn[];
  cardSort: BrowserSort;
  noteSort: BrowserSort;
  /** Saved searches by name. */
  savedSearches: Record<string, string>;
  /** FSRS is on (the Stability/Difficulty/Retrievability columns mean something). */
  fsrs: boolean;
}

function columns(col: Collection, key: string, fallback: readonly BrowserColumn[]): BrowserColumn[] {
  const v = getConfigJson(col, key);
  if (!Array.isArray(v)) return [...fallback];
  // add-on columns Deckhand cannot fill are left out of the view (and kept in the config)
  const known = v.filter(isBrowserColumn);
  return known.length ? known : [...fallback];
}

function savedSearches(col: Collection): Record<string, string> {
  const v = getConfigJson(col, 'savedFilters');
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function browserState(col: Collection): BrowserState {
  const str = (k: string, d: string) => {
    const v = getConfigJson(col, k);
    return typeof v === 'string' ? v : d;
  };
  return {
    notesMode: getConfigBool(col, 'browserTableShowNotesMode'),
    cardColumns: columns(col, 'activeCols', DEFAULT_CARD_COLUMNS),
    noteColumns: columns(col, 'activeNoteCols', DEFAULT_NOTE_COLUMNS),
    cardSort: { column: str('sortType', 'noteFld'), reverse: getConfigJson(col, 'sortBackwards') === true },
    noteSort: { column: str('noteSortType', 'noteFld'), reverse: getConfigJson(col, 'browserNoteSortBackwards') === true },
    savedSearches: savedSearches(col),
    fsrs: getConfigJson(col, 'fsrs') === true,
  };
}

export interface BrowserStatePatch {
  notesMode?: boolean;
  cardColumns?: BrowserColumn[];
  noteColumns?: BrowserColumn[];
  cardSort?: BrowserSort;
  noteSort?: BrowserSort;
  savedSearches?: Record<string, string>;
}

/** Saves part of the browser state (not an undo step, as in Anki). */
export function setBrowserState(col: Collection, patch: BrowserStatePatch): OpResult<BrowserState> {
  const r = col.transact(
    'Update Config',
    (tx) => {
      if (patch.notesMode !== undefined) setConfigInTx(tx, 'browserTableShowNotesMode', patch.notesMode);
      if (patch.cardColumns) setConfigInTx(tx, 'activeCols', uniqueColumns(patch.cardColumns));
      if (patch.noteColumns) setConfigInTx(tx, 'activeNoteCols', uniqueColumns(patch.noteColumns));
      if (patch.cardSort) {
        setConfigInTx(tx, 'sortType', patch.cardSort.column);
        setConfigInTx(tx, 'sortBackwards', patch.cardSort.reverse);
      }
      if (patch.noteSort) {
        setConfigInTx(tx, 'noteSortType', patch.noteSort.column);
        setConfigInTx(tx, 'browserNoteSortBackwards', patch.noteSort.reverse);
      }
      if (patch.savedSearches) setConfigInTx(tx, 'savedFilters', patch.savedSearches);
    },
    { undoable: 'skip' },
  );
  return { result: browserState(col), changes: r.changes };
}

function uniqueColumns(cols: readonly BrowserColumn[]): BrowserColumn[] {
  return [...new Set(cols)].filter((c) => (BROWSER_COLUMN_KEYS as readonly string[]).includes(c));
}

/** The sort saved for a mode, as the search module takes it. */
export function savedSort(state: BrowserState, mode: ReturnItemType): BrowserSort {
  return mode === 'notes' ? state.noteSort : state.cardSort;
}
