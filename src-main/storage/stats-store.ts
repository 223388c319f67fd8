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

// ---------------------------------------------------------------------------------------------
// The graphs (Anki's rslib/src/stats/graphs and ts/routes/graphs definitions)

export interface ReviewDayRow {
  /** 0 = today, -1 = yesterday … (days end at the collection's rollover). */
  day: number;
  learn: number;
  relearn: number;
  young: number;
  mature: number;
  filtered: number;
  timeMs: number;
}

export interface RetentionCountsRow {
  young: boolean;
  passed: boolean;
  today: number;
  yesterday: number;
  week: number;
  month: number;
  year: number;
  allTime: number;
}

/** Cards of the deck ids (null: every card): the scope every graph query shares. */
const cardScope = (deckIds: readonly number[] | null) => (deckIds ? 'SELECT id FROM cards WHERE did IN (SELECT value FROM json_each(@decks))' : 'SELECT id FROM cards');

export class GraphStore {
  private readonly q: StatementCache;

  constructor(readonly db: Database.Database) {
    this.q = new StatementCache(db);
  }

  private params(deckIds: readonly number[] | null, extra: Record<string, unknown>): Record<string, unknown> {
    return deckIds ? { ...extra, decks: JSON.stringify(deckIds) } : extra;
  }

  /**
   * Answers per day since `fromDay` (≤ 0), by kind: learning, relearning, young / mature reviews
   * (interval before the answer under / from 21 days), filtered-deck (cram) answers; manual and
   * rescheduling entries are left out. Day = ceil((revlog secs − next day start) / 86400).
   */
  reviewsByDay(nextDayAtSecs: number, fromDay: number, deckIds: readonly number[] | null): ReviewDayRow[] {
    // (parameters bind as REAL: the casts keep day numbers whole)
    const stmt = this.q.get(
      `SELECT -CAST((@nextDayMs - id) / 86400000 AS INTEGER) AS day,
          coalesce(sum(type = 0), 0) AS learn, coalesce(sum(type = 2), 0) AS relearn,
          coalesce(sum(type = 1 AND lastIvl < 21), 0) AS young, coalesce(sum(type = 1 AND lastIvl >= 21), 0) AS mature,
          coalesce(sum(type = 3), 0) AS filtered, coalesce(sum(time), 0) AS timeMs
       FROM revlog
       WHERE id >= @fromMs AND id < @nextDayMs AND type IN (0, 1, 2, 3) AND cid IN (${cardScope(deckIds)})
       GROUP BY day ORDER BY day`,
    );
    const nextDayMs = nextDayAtSecs * 1000;
    return stmt.all(this.params(deckIds, { nextDayMs, fromMs: nextDayMs + (fromDay - 1) * 86_400_000 })) as ReviewDayRow[];
  }

  /**
   * Cards falling due per day relative to today (negative: overdue), new and suspended cards left
   * out: intraday learning by its timestamp, the rest by day number; a card in a filtered deck by
   * its original due when it has one.
   */
  futureDue(daysElapsed: number, nextDayAtSecs: number, deckIds: readonly number[] | null): { day: number; count: number }[] {
    const stmt = this.q.get(
      `SELECT CAST(CASE WHEN queue = 1 THEN (CASE WHEN odid != 0 AND odue != 0 THEN odue ELSE due END - @nextDayAt) / 86400
                   ELSE CASE WHEN odid != 0 AND odue != 0 THEN odue ELSE due END - @today END AS INTEGER) AS day,
              count() AS count
       FROM cards WHERE queue IN (1, 2, 3) AND id IN (${cardScope(deckIds)})
       GROUP BY day ORDER BY day`,
    );
    return stmt.all(this.params(deckIds, { today: daysElapsed, nextDayAt: nextDayAtSecs })) as { day: number; count: number }[];
  }

  /** Review and relearning cards by interval (days). */
  intervals(deckIds: readonly number[] | null): { days: number; count: number }[] {
    const stmt = this.q.get(`SELECT ivl AS days, count() AS count FROM cards WHERE type IN (2, 3) AND id IN (${cardScope(deckIds)}) GROUP BY ivl ORDER BY ivl`);
    return stmt.all(this.params(deckIds, {})) as { days: number; count: number }[];
  }

  /**
   * The answers Anki's true retention counts, per period and young/mature, passed/failed: a button
   * was pressed (not a reschedule), not a cram answer without ease, and the card had an interval
   * of a day or more (a review, or lapsed/learning with a previous interval ≥ 1 day). Young:
   * previous interval under 21 days. Periods end at the next day start: today, yesterday, the last
   * 7, 30 and 365 days, all time.
   */
  retentionCounts(nextDayAtSecs: number, deckIds: readonly number[] | null): RetentionCountsRow[] {
    const stmt = this.q.get(
      `SELECT lastIvl < 21 AS young, ease > 1 AS passed,
          coalesce(sum(id >= @d1), 0) AS today, coalesce(sum(id >= @d2 AND id < @d1), 0) AS yesterday,
          coalesce(sum(id >= @d7), 0) AS week, coalesce(sum(id >= @d30), 0) AS month, coalesce(sum(id >= @d365), 0) AS year, count() AS allTime
       FROM revlog
       WHERE ease > 0 AND NOT (type = 3 AND factor = 0) AND (type = 1 OR lastIvl <= -86400 OR lastIvl >= 1) AND cid IN (${cardScope(deckIds)})
       GROUP BY young, passed`,
    );
    const at = (days: number) => (nextDayAtSecs - days * 86_400) * 1000;
    const rows = stmt.all(this.params(deckIds, { d1: at(1), d2: at(2), d7: at(7), d30: at(30), d365: at(365) })) as (Omit<RetentionCountsRow, 'young' | 'passed'> & { young: number; passed: number })[];
    return rows.map((r) => ({ ...r, young: r.young === 1, passed: r.passed === 1 }));
  }
}
