// Public API of the search module.
export type * from './ast';
export { AND, OR, andNodes, groupNode, notNode, orNodes, searchNode, STATE_KINDS } from './ast';
export type { ReturnItemType, SearchContext, SortColumn, SortMode } from './context';
export { DEFAULT_LEARN_AHEAD_SECS, SORT_COLUMNS } from './context';
export { parseSearch, parseSearchToNode } from './parser';
export { SearchError, describeSearchError, isSearchError } from './search-error';
export type { SearchErrorKind, SearchErrorKindName } from './search-error';
export {
  browserSortMode,
  buildSearch,
  findCards,
  findNotes,
  isSortable,
  searchContextFromDb,
  type SearchInput,
} from './search-service';
export {
  deckSearchText,
  joinSearches,
  normalizeSearch,
  replaceSearchNode,
  tagSearchText,
  writeNode,
  writeNodes,
  writeSearchNode,
} from './writer';
