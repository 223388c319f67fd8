// SQL for Check Database. The repairs restate what Anki's storage layer runs for
// `check_database` (rslib/src/storage/card/fix_*.sql, revlog/fix_props.sql, dbcheck/invalid_ids_*,
// deck/missing-decks.sql and the card/note queries of dbcheck.rs). They are bulk statements that
// only run inside Check Database's transaction, which clears the undo history (as Anki's
// `transact_no_undo` does), so they are not journalled row by row.

import type Database from 'better-sqlite3';
import type { Card } from '../cards/card';
import { cardFromRow, type CardRow } from './card-store';

const CARD_COLUMNS =
  'id, nid, did, ord, CAST(mod AS INTEGER) AS mod, usn, type, queue, CAST(due AS INTEGER) AS due, CAST(ivl AS INTEGER) AS ivl, factor, reps, lapses, left, odue, odid, flags, data';

/** A note row with its text columns as raw bytes, so invalid UTF-8 can be detected. */
export interface RawNoteRow {
  id: number;
  guid: string;
  mid: number;
  mod: number;
  usn: number;
  tags: Buffer;
  flds: Buffer;
  sfld: string | number | null;
  csum: number | null;
}

export interface CardFixCounts {
  /** New cards whose position was ≥ 1,000,000 (folded back below it). */
  newCardsFixed: number;
  /** Other out-of-range or fractional values (due, odue, ivl, mod, ord). */
  otherCardsFixed: number;
}

const stores = new WeakMap<Database.Database, DbCheckStore>();

export class DbCheckStore {
  private constructor(private readonly db: Database.Database) {}

  static of(db: Database.Database): DbCheckStore {
    let s = stores.get(db);
    if (!s) stores.set(db, (s = new DbCheckStore(db)));
    return s;
  }

  /** SQLite's `quick_check`: true when the file is damaged. */
  quickCheckCorrupt(): boolean {
    try {
      const rows = this.db.pragma('quick_check') as { quick_check: string }[];
      return rows.length !== 1 || rows[0].quick_check !== 'ok';
    } catch {
      return true;
    }
  }

  /** `vacuum; reindex; analyze` (outside any transaction). */
  optimize(): void {
    this.db.exec('VACUUM; REINDEX; ANALYZE;');
  }

  /** Anki's fix_due_new / fix_due_other / fix_odue / fix_ivl / fix_mod / fix_ordinal. */
  fixCardProperties(today: number, mtime: number, usn: number, v1Sched: boolean): CardFixCounts {
    const newCardsFixed = this.db
      .prepare(
        `UPDATE cards SET due = (CASE WHEN type = 0 AND queue != 4 THEN 1000000 + due % 1000000 ELSE due END), mod = ?, usn = ?
         WHERE due != (CASE WHEN type = 0 AND queue != 4 THEN 1000000 + due % 1000000 ELSE due END) AND due >= 1000000`,
      )
      .run(mtime, usn).changes;
    let other = this.db
      .prepare(
        `UPDATE cards SET due = (CASE WHEN queue = 2 AND due > 100000 THEN @today ELSE min(max(round(due), -2147483648), 2147483647) END), mod = @mtime, usn = @usn
         WHERE due != (CASE WHEN queue = 2 AND due > 100000 THEN @today ELSE min(max(round(due), -2147483648), 2147483647) END)`,
      )
      .run({ today, mtime, usn }).changes;
    other += this.db
      .prepare(
        `UPDATE cards SET odue = (CASE WHEN odue > 0 AND (type = 1 OR queue = 2) AND NOT @v1 AND NOT odid THEN 0 ELSE min(max(round(odue), -2147483648), 2147483647) END), mod = @mtime, usn = @usn
         WHERE odue != (CASE WHEN odue > 0 AND (type = 1 OR queue = 2) AND NOT @v1 AND NOT odid THEN 0 ELSE min(max(round(odue), -2147483648), 2147483647) END)`,
      )
      .run({ mtime, usn, v1: v1Sched ? 1 : 0 }).changes;
    other += this.db.prepare('UPDATE cards SET ivl = min(max(round(ivl), 0), 2147483647), mod = ?, usn = ? WHERE ivl != min(max(round(ivl), 0), 2147483647)').run(mtime, usn).changes;
    other += this.db.prepare('UPDATE cards SET mod = cast(mod AS integer) WHERE mod != cast(mod AS integer)').run().changes;
    other += this.db.prepare('UPDATE cards SET ord = max(0, min(30000, ord)), mod = ?, usn = ? WHERE ord != max(0, min(30000, ord))').run(mtime, usn).changes;
    return { newCardsFixed, otherCardsFixed: other };
  }

  /**
   * For every reviewed (non-new) card with review-log entries: its stored `data` and the last
   * rating that affects scheduling (not cramming) and the last reset (manual entry with factor 0),
   * as ms ids. Anki's `get_last_revlog_info` walks the same entries in id order.
   */
  lastReviewCandidates(): { id: number; data: string; rated: number | null; reset: number | null }[] {
    return this.db
      .prepare(
        `SELECT c.id AS id, c.data AS data, r.rated AS rated, r.reset AS reset FROM
           (SELECT cid, max(CASE WHEN ease > 0 AND NOT (type = 3 AND factor = 0) THEN id END) AS rated,
                   max(CASE WHEN type = 4 AND factor = 0 THEN id END) AS reset
            FROM revlog GROUP BY cid) r
         JOIN cards c ON c.id = r.cid WHERE c.type != 0`,
      )
      .all() as { id: number; data: string; rated: number | null; reset: number | null }[];
  }

  card(id: number): Card | undefined {
    const r = this.db.prepare(`SELECT ${CARD_COLUMNS} FROM cards WHERE id = ?`).get(id) as CardRow | undefined;
    return r && cardFromRow(r);
  }

  /** Deletes cards whose note does not exist (no graves: the schema change forces a full sync). */
  deleteOrphanedCards(): number {
    return this.db.prepare('DELETE FROM cards WHERE nid NOT IN (SELECT id FROM notes)').run().changes;
  }

  /** Deletes one card without a grave (Anki's storage `remove_card`). */
  deleteCard(id: number): void {
    this.db.prepare('DELETE FROM cards WHERE id = ?').run(id);
  }

  /** Deck ids cards point at that do not exist. */
  missingDeckIds(): number[] {
    return this.db.prepare('SELECT DISTINCT did FROM cards WHERE did NOT IN (SELECT id FROM decks)').pluck().all() as number[];
  }

  /** Cards with a home deck set (`odid > 0`): [card id, current deck id]. */
  filteredCards(): { id: number; did: number }[] {
    return this.db.prepare('SELECT id, did FROM cards WHERE odid > 0').all() as { id: number; did: number }[];
  }

  /** Every note id, grouped by notetype (ascending notetype id, then note id). */
  noteIdsByNotetype(): { mid: number; id: number }[] {
    return this.db.prepare('SELECT mid, id FROM notes ORDER BY mid, id').all() as { mid: number; id: number }[];
  }

  /** A note with raw text columns. */
  rawNote(id: number): RawNoteRow | undefined {
    return this.db.prepare('SELECT id, guid, mid, mod, usn, CAST(tags AS BLOB) AS tags, CAST(flds AS BLOB) AS flds, sfld, csum FROM notes WHERE id = ?').get(id) as RawNoteRow | undefined;
  }

  /** The cards of a note: id, ord, home deck, and the position when new (Anki's existing_cards.sql). */
  existingCardsOfNote(nid: number): { id: number; ord: number; odid: number; did: number; type: number; due: number; odue: number }[] {
    return this.db.prepare('SELECT id, ord, odid, did, type, CAST(due AS INTEGER) AS due, odue FROM cards WHERE nid = ?').all(nid) as {
      id: number;
      ord: number;
      odid: number;
      did: number;
      type: number;
      due: number;
      odue: number;
    }[];
  }

  /** The highest card ordinal among a notetype's notes (for recovering a missing notetype). */
  highestCardOrdinalOfNotetype(mid: number): number {
    return (this.db.prepare('SELECT max(ord) FROM cards WHERE nid IN (SELECT id FROM notes WHERE mid = ?)').pluck().get(mid) as number | null) ?? 0;
  }

  /** Rewrites a note's stored columns (the caller computed them; stamps are the caller's). */
  writeNoteRow(row: { id: number; mid: number; mod: number; usn: number; tags: string; flds: string; sfld: string; csum: number }): void {
    this.db.prepare('UPDATE notes SET mid = @mid, mod = @mod, usn = @usn, tags = @tags, flds = @flds, sfld = @sfld, csum = @csum WHERE id = @id').run(row);
  }

  /** Tag names shown expanded (`collapsed` 0) in the browser sidebar. */
  expandedTags(): string[] {
    return this.db.prepare('SELECT tag FROM tags WHERE collapsed = 0').pluck().all() as string[];
  }

  clearAllTags(): void {
    this.db.prepare('DELETE FROM tags').run();
  }

  restoreExpandedTags(tags: readonly string[]): void {
    const s = this.db.prepare('UPDATE tags SET collapsed = 0 WHERE tag = ?');
    for (const t of tags) s.run(t);
  }

  /** Anki's revlog/fix_props.sql. */
  fixRevlogProperties(): number {
    return this.db
      .prepare(
        `UPDATE revlog SET ivl = min(max(round(ivl), -2147483648), 2147483647), lastIvl = min(max(round(lastIvl), -2147483648), 2147483647),
           time = min(max(round(time), 0), 2147483647), type = (CASE WHEN type = 0 AND time = 0 AND ease = 0 THEN 5 ELSE type END)
         WHERE ivl != min(max(round(ivl), -2147483648), 2147483647) OR lastIvl != min(max(round(lastIvl), -2147483648), 2147483647)
           OR time != min(max(round(time), 0), 2147483647) OR type != (CASE WHEN type = 0 AND time = 0 AND ease = 0 THEN 5 ELSE type END)`,
      )
      .run().changes;
  }

  /** `select max(due)+1 from cards where type=0` (0 when there are no new cards). */
  nextNewCardPosition(): number {
    return (this.db.prepare('SELECT max(due) + 1 FROM cards WHERE type = 0').pluck().get() as number | null) ?? 0;
  }

  /** How many notes, cards and review entries have ids (ms timestamps) above `cutoff`. */
  invalidIds(cutoff: number): number {
    return this.db
      .prepare('SELECT (SELECT count() FROM notes WHERE id > @c) + (SELECT count() FROM cards WHERE id > @c) + (SELECT count() FROM revlog WHERE id > @c)')
      .pluck()
      .get({ c: cutoff }) as number;
  }

  /**
   * Renumbers ids above `maxValid` (notes, then cards, then the review log), from `newId` or one
   * past the highest valid id, whichever is larger; card `nid`s and review `cid`s follow.
   */
  fixInvalidIds(maxValid: number, newId: number): void {
    const plan: [string, [string, string] | null][] = [
      ['notes', ['cards', 'nid']],
      ['cards', ['revlog', 'cid']],
      ['revlog', null],
    ];
    for (const [source, foreign] of plan) {
      this.db.exec('DROP TABLE IF EXISTS temp.invalid_ids');
      this.db
        .prepare(
          `CREATE TEMPORARY TABLE invalid_ids AS
           WITH max_valid AS (SELECT coalesce(max(id), 0) AS max_id FROM "${source}" WHERE id <= @maxValid),
                first_new AS (SELECT CASE WHEN @newId > (SELECT max_id FROM max_valid) THEN @newId ELSE (SELECT max_id FROM max_valid) + 1 END AS id)
           SELECT id, (SELECT id FROM first_new) + row_number() OVER (ORDER BY id) - 1 AS new_id FROM "${source}" WHERE id > @maxValid`,
        )
        .run({ maxValid, newId });
      this.db.exec('CREATE INDEX temp.invalid_ids_id_idx ON invalid_ids (id)');
      const update = (table: string, column: string) =>
        this.db.exec(
          `UPDATE "${table}" SET "${column}" = (SELECT invalid_ids.new_id FROM invalid_ids WHERE invalid_ids.id = "${table}"."${column}" LIMIT 1)
           WHERE "${table}"."${column}" IN (SELECT invalid_ids.id FROM invalid_ids)`,
        );
      update(source, 'id');
      if (foreign) update(foreign[0], foreign[1]);
    }
    this.db.exec('DROP TABLE IF EXISTS temp.invalid_ids');
  }
}
