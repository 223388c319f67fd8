import type Database from 'better-sqlite3';
import { StatementCache } from './statements';

export interface CardCountsRow {
  total: number;
  new: number;
  learning: number;
  young: number;
  mature: number;
  suspended: number;
  buried: number;
  notes: number;
}

export interface ReviewSummaryRow {
  count: number;
  timeMs: number;
  again: number;
  learn: number;
  review: number;
  relearn: number;
  filtered: number;
}

/** The SQL of the statistics summaries. `deckIds` null = the whole collection. */
export class StatsStore {
  private readonly q: StatementCache;

  constructor(readonly db: Database.Database) {
    this.q = new StatementCache(db);
  }

  /** Card counts by state (young/mature split at 21 days, as Anki) and the number of their notes. */
  cardCounts(deckIds: readonly number[] | null): CardCountsRow {
    const where = deckIds ? 'WHERE did IN (SELECT value FROM json_each(?))' : '';
    const stmt = this.q.get(
      `SELECT count() AS total, coalesce(sum(type = 0), 0) AS new, coalesce(sum(type IN (1, 3)), 0) AS learning,
        coalesce(sum(type = 2 AND ivl < 21), 0) AS young, coalesce(sum(type = 2 AND ivl >= 21), 0) AS mature,
        coalesce(sum(queue = -1), 0) AS suspended, coalesce(sum(queue IN (-2, -3)), 0) AS buried, count(DISTINCT nid) AS notes
       FROM cards ${where}`,
    );
    return (deckIds ? stmt.get(JSON.stringify(deckIds)) : stmt.get()) as CardCountsRow;
  }

  /** Answers logged after `sinceMs` (manual entries, ease 0, left out), by kind. */
  reviewSummary(sinceMs: number, deckIds: readonly number[] | null): ReviewSummaryRow {
    const scope = deckIds ? 'AND cid IN (SELECT id FROM cards WHERE did IN (SELECT value FROM json_each(?)))' : '';
    const stmt = this.q.get(
      `SELECT count() AS count, coalesce(sum(time), 0) AS timeMs, coalesce(sum(ease = 1), 0) AS again, coalesce(sum(type = 0), 0) AS learn,
        coalesce(sum(type = 1), 0) AS review, coalesce(sum(type = 2), 0) AS relearn, coalesce(sum(type = 3), 0) AS filtered
       FROM revlog WHERE ease > 0 AND id > ? ${scope}`,
    );
    return (deckIds ? stmt.get(sinceMs, JSON.stringify(deckIds)) : stmt.get(sinceMs)) as ReviewSummaryRow;
  }
}
