/** findNotes / findCards over the search service, with the collection's own search context. */
import type { Collection } from '../../collection/collection';
import { findCards, findNotes, searchContextFromDb } from '../../search/search-service';

export function searchNotes(col: Collection, query: string): number[] {
  return findNotes(col.db, query, searchContextFromDb(col.db, col.nowSecs()));
}

export function searchCards(col: Collection, query: string): number[] {
  return findCards(col.db, query, searchContextFromDb(col.db, col.nowSecs()));
}
