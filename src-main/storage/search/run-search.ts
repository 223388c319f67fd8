import type Database from 'better-sqlite3';
import type { SearchSql } from './sql-writer';

/**
 * Runs a built search and returns the matching ids. Not cached: search SQL embeds deck ids and
 * other collection state, so a long-running app would collect one statement per search.
 */
export function runSearchSql(db: Database.Database, { sql, params, setupSql }: SearchSql): number[] {
  if (setupSql) db.exec(setupSql);
  return db
    .prepare(sql)
    .pluck()
    .all(...params) as number[];
}
