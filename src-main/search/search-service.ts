// Searching a collection: the entry points the collection engine, AnkiConnect, the CLI and the
// UI call. Parsing lives in ./parser, SQL generation in storage/search.

import { ColStore, ConfigStore } from '../storage/misc-stores';
import { runSearchSql } from '../storage/search/run-search';
import type Database from 'better-sqlite3';

import { schedTimingToday, localMinutesWest } from '../scheduler/timing';
import { createDbSearchCatalog } from '../storage/search/catalog';
import { registerSearchFunctions } from '../storage/search/sql-functions';
import { buildSearchSql, type SearchSql } from '../storage/search/sql-writer';
import type { Node } from './ast';
import {
  DEFAULT_LEARN_AHEAD_SECS,
  SORT_COLUMNS,
  type ReturnItemType,
  type SearchContext,
  type SortColumn,
  type SortMode,
} from './context';
import { parseSearchToNode } from './parser';

export type { SearchContext, SortMode, SortColumn, ReturnItemType } from './context';
export { SearchError } from './search-error';

/** A search: Anki search text, or an already-parsed node. */
export type SearchInput = string | Node;

function toNode(query: SearchInput): Node {
  if (typeof query === 'string') return parseSearchToNode(query);
  return query.type === 'group' ? query : { type: 'group', nodes: [query] };
}

/**
 * The SQL a search would run (for debugging and tests). Throws SearchError for invalid input.
 * The connection needs the `unicase` collation registered (storage/unicase registerUnicase).
 */
export function buildSearch(
  db: Database.Database,
  query: SearchInput,
  itemType: ReturnItemType,
  ctx: SearchContext,
  order?: SortMode,
): SearchSql {
  registerSearchFunctions(db);
  return buildSearchSql(toNode(query), itemType, ctx, createDbSearchCatalog(db), order);
}

function run(
  db: Database.Database,
  query: SearchInput,
  itemType: ReturnItemType,
  ctx: SearchContext,
  order?: SortMode,
): number[] {
  return runSearchSql(db, buildSearch(db, query, itemType, ctx, order));
}

/** Ids of the cards matching `query`, in `order` (unordered by default). */
export function findCards(
  db: Database.Database,
  query: SearchInput,
  ctx: SearchContext,
  order?: SortMode,
): number[] {
  return run(db, query, 'cards', ctx, order);
}

/** Ids of the notes matching `query` (a note matches if any of its cards does, for card terms). */
export function findNotes(
  db: Database.Database,
  query: SearchInput,
  ctx: SearchContext,
  order?: SortMode,
): number[] {
  return run(db, query, 'notes', ctx, order);
}

const readConfig = (db: Database.Database, key: string): unknown => new ConfigStore(db).get(key);

/**
 * A SearchContext from the collection itself: "today" and the rollover from `col.crt` and the
 * `creationOffset` / `rollover` config (with the machine's current UTC offset), plus `curDeck`,
 * `collapseTime`, `ignoreAccentsInSearch` and `normalize_note_text`.
 */
export function searchContextFromDb(db: Database.Database, nowSecs = Math.floor(Date.now() / 1000)): SearchContext {
  const crt = Number(new ColStore(db).get().crt ?? 0);
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const timing = schedTimingToday({
    crt,
    now: nowSecs,
    creationOffset: num(readConfig(db, 'creationOffset')),
    currentOffset: localMinutesWest(nowSecs),
    rollover: num(readConfig(db, 'rollover')),
  });
  const curDeck = num(readConfig(db, 'curDeck'));
  const collapse = num(readConfig(db, 'collapseTime'));
  const ignoreAccents = readConfig(db, 'ignoreAccentsInSearch');
  const normalize = readConfig(db, 'normalize_note_text');
  return {
    today: timing.daysElapsed,
    dayCutoff: timing.nextDayAt,
    nowSecs,
    currentDeckId: curDeck ?? 1,
    learnAheadSecs: collapse ?? DEFAULT_LEARN_AHEAD_SECS,
    ignoreAccentsInSearch: ignoreAccents === true,
    normalizeNoteText: normalize !== false,
  };
}

/** Whether a browser column can order cards / notes (Question, Answer and add-on columns cannot). */
export function isSortable(column: SortColumn, itemType: ReturnItemType): boolean {
  if (column === 'question' || column === 'answer' || column === 'custom') return false;
  if (itemType === 'notes') return !['stability', 'difficulty', 'retrievability'].includes(column);
  return true;
}

/**
 * The browser's saved order: `sortType` / `sortBackwards` for cards, `noteSortType` /
 * `browserNoteSortBackwards` for notes. An unknown or unsortable column gives no order, as in Anki.
 */
export function browserSortMode(db: Database.Database, itemType: ReturnItemType): SortMode {
  const column = readConfig(db, itemType === 'cards' ? 'sortType' : 'noteSortType');
  const reverse = readConfig(db, itemType === 'cards' ? 'sortBackwards' : 'browserNoteSortBackwards') === true;
  if (typeof column !== 'string' || !(SORT_COLUMNS as readonly string[]).includes(column)) return { kind: 'none' };
  if (!isSortable(column as SortColumn, itemType)) return { kind: 'none' };
  return { kind: 'builtin', column: column as SortColumn, reverse };
}
