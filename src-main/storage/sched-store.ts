// SQL for the scheduler services (queue gathering, deck counts, burying, filtered decks, review-log
// queries). The queries restate what Anki's rslib/src/storage/card/*.sql and deck/*.sql select;
// sets of deck ids are passed as a JSON array and read with json_each, which keeps the statements
// cacheable (Anki uses a temporary `active_decks` table instead).

import type Database from 'better-sqlite3';
import type { Card } from '../cards/card';
import { cardFromRow, type CardRow } from './card-store';
import type { RevlogRow } from './misc-stores';
import { registerSearchFunctions } from './search/sql-functions';

const CARD_COLUMNS =
  'id, nid, did, ord, CAST(mod AS INTEGER) AS mod, usn, type, queue, CAST(due AS INTEGER) AS due, CAST(ivl AS INTEGER) AS ivl, factor, reps, lapses, left, odue, odid, flags, data';

/** An intraday learning, interday learning or review card as gathered for a queue. */
export interface DueCardRow {
  id: number;
  nid: number;
  due: number;
  mod: number;
  did: number;
  odid: number;
  reps: number;
}

/** A new card as gathered for a queue. */
export interface NewCardRow {
  id: number;
  nid: number;
  ord: number;
  mod: number;
  did: number;
  odid: number;
}

/** Per-deck due counts (Anki's deck/due_counts.sql, grouped by the card's current deck). */
export interface DeckDueCountsRow {
  did: number;
  new: number;
  review: number;
  interdayLearning: number;
  intradayLearning: number;
  total: number;
}

export interface CongratsRow {
  reviewRemaining: number;
  newRemaining: number;
  schedBuried: number;
  userBuried: number;
  learnCount: number;
  firstLearnDue: number;
}

const REVLOG_COLUMNS = 'id, cid, usn, ease, ivl, lastIvl, factor, time, type';

const ids = (list: readonly number[]) => JSON.stringify(list);

const stores = new WeakMap<Database.Database, SchedStore>();

export class SchedStore {
  private readonly cache = new Map<string, Database.Statement>();

  private constructor(private readonly db: Database.Database) {
    registerSearchFunctions(db);
  }

  /** The store of a connection (statements are prepared once per connection). */
  static of(db: Database.Database): SchedStore {
    let s = stores.get(db);
    if (!s) {
      s = new SchedStore(db);
      stores.set(db, s);
    }
    return s;
  }

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  // -------------------------------------------------------------------------------------------
  // collection

  /** `col.crt`, Unix seconds. */
  creationStamp(): number {
    return Number(this.stmt('SELECT crt FROM col').pluck().get() ?? 0);
  }

  // -------------------------------------------------------------------------------------------
  // queue gathering

  /** Queue 1 and 4 cards in the decks due at or before `cutoff` (Anki's intraday_due.sql). */
  intradayDue(deckIds: readonly number[], cutoff: number): DueCardRow[] {
    return this.stmt(
      'SELECT id, nid, due, CAST(mod AS INTEGER) AS mod, did, odid, reps FROM cards WHERE did IN (SELECT value FROM json_each(?)) AND queue IN (1, 4) AND due <= ?',
    ).all(ids(deckIds), cutoff) as DueCardRow[];
  }

  /**
   * Review (queue 2) or interday learning (queue 3) cards of the decks due by `today`, in the
   * given ORDER BY (Anki's due_cards.sql). Iterated lazily so gathering can stop at the limit;
   * the callback must not use the connection.
   */
  *dueCards(deckIds: readonly number[], queue: number, today: number, orderBy: string): Generator<DueCardRow> {
    const sql = `SELECT id, nid, due, CAST(ivl AS INTEGER) AS ivl, CAST(mod AS INTEGER) AS mod, did, odid, reps FROM cards WHERE did IN (SELECT value FROM json_each(@ids)) AND queue = @queue AND due <= @today ORDER BY ${orderBy}`;
    yield* this.stmt(sql).iterate({ ids: ids(deckIds), queue, today }) as IterableIterator<DueCardRow>;
  }

  /** New cards of one deck in the given order (Anki's new_cards.sql). */
  *newCardsInDeck(deckId: number, orderBy: string): Generator<NewCardRow> {
    const sql = `SELECT id, nid, ord, CAST(mod AS INTEGER) AS mod, did, odid FROM cards WHERE did = ? AND queue = 0 ORDER BY ${orderBy}`;
    yield* this.stmt(sql).iterate(deckId) as IterableIterator<NewCardRow>;
  }

  /** New cards of all the decks in the given order (Anki's active_new_cards.sql). */
  *newCardsInDecks(deckIds: readonly number[], orderBy: string): Generator<NewCardRow> {
    const sql = `SELECT id, nid, ord, CAST(mod AS INTEGER) AS mod, did, odid FROM cards WHERE did IN (SELECT value FROM json_each(?)) AND queue = 0 ORDER BY ${orderBy}`;
    yield* this.stmt(sql).iterate(ids(deckIds)) as IterableIterator<NewCardRow>;
  }

  /** (card id, note id, deck id, due) of every card with today ≤ due < end (the load balancer's input). */
  cardsDueInRange(min: number, max: number): { id: number; nid: number; did: number; due: number }[] {
    return this.stmt('SELECT id, nid, did, due FROM cards WHERE due >= ? AND due < ?').all(min, max) as {
      id: number;
      nid: number;
      did: number;
      due: number;
    }[];
  }

  // -------------------------------------------------------------------------------------------
  // deck counts

  /**
   * New / review / interday learning / intraday learning / total counts per current deck, as
   * Anki's due_counts.sql: reviews and interday learning due by `today`, learning due before
   * `learnCutoff` (preview cards at or before it). Computed as one count per (deck, queue) over
   * the (did, queue, due) index plus an index range count for each due-dependent pair, which
   * visits far fewer rows than evaluating the sums on every card.
   */
  dueCounts(today: number, learnCutoff: number): DeckDueCountsRow[] {
    const byDeck = new Map<number, DeckDueCountsRow>();
    const perQueue = this.stmt('SELECT did, queue, count() AS n FROM cards GROUP BY did, queue').all() as { did: number; queue: number; n: number }[];
    const upTo = this.stmt('SELECT count() FROM cards WHERE did = ? AND queue = ? AND due <= ?').pluck();
    const before = this.stmt('SELECT count() FROM cards WHERE did = ? AND queue = ? AND due < ?').pluck();
    for (const { did, queue, n } of perQueue) {
      let row = byDeck.get(did);
      if (!row) {
        row = { did, new: 0, review: 0, interdayLearning: 0, intradayLearning: 0, total: 0 };
        byDeck.set(did, row);
      }
      row.total += n;
      switch (queue) {
        case 0:
          row.new += n;
          break;
        case 1:
          row.intradayLearning += before.get(did, 1, learnCutoff) as number;
          break;
        case 2:
          row.review += upTo.get(did, 2, today) as number;
          break;
        case 3:
          row.interdayLearning += upTo.get(did, 3, today) as number;
          break;
        case 4:
          row.intradayLearning += upTo.get(did, 4, learnCutoff) as number;
          break;
      }
    }
    return [...byDeck.values()];
  }

  /** What the "Congratulations" screen needs for a set of decks (Anki's congrats.sql). */
  congrats(deckIds: readonly number[], today: number): CongratsRow {
    return this.stmt(
      `SELECT coalesce(sum(queue IN (2, 3) AND due <= @today), 0) AS reviewRemaining,
        coalesce(sum(queue = 0), 0) AS newRemaining,
        coalesce(sum(queue = -2), 0) AS schedBuried,
        coalesce(sum(queue = -3), 0) AS userBuried,
        coalesce(sum(queue = 1), 0) AS learnCount,
        max(0, coalesce(min(CASE WHEN queue = 1 THEN due ELSE NULL END), 0)) AS firstLearnDue
      FROM cards WHERE did IN (SELECT value FROM json_each(@ids))`,
    ).get({ ids: ids(deckIds), today }) as CongratsRow;
  }

  /**
   * Non-new, non-suspended cards whose home or current deck is one of `deckIds`, with their due
   * (original due in filtered decks), queue and interval — the input of Anki's future-due graph.
   */
  dueOfNonNewCards(deckIds: readonly number[]): { due: number; queue: number }[] {
    return this.stmt(
      `SELECT CASE WHEN odid != 0 THEN odue ELSE due END AS due, queue FROM cards
      WHERE (did IN (SELECT value FROM json_each(@ids)) OR odid IN (SELECT value FROM json_each(@ids))) AND type != 0 AND queue != -1`,
    ).all({ ids: ids(deckIds) }) as { due: number; queue: number }[];
  }

  /** Tag strings of notes that have a card whose current deck is one of the decks. */
  noteTagsInDecks(deckIds: readonly number[]): string[] {
    return this.stmt('SELECT tags FROM notes WHERE id IN (SELECT nid FROM cards WHERE did IN (SELECT value FROM json_each(?)))')
      .pluck()
      .all(ids(deckIds)) as string[];
  }

  // -------------------------------------------------------------------------------------------
  // cards

  /** Siblings to bury after answering (Anki's siblings_for_bury.sql). */
  siblingsForBury(cardId: number, noteId: number, mode: { new: boolean; review: boolean; dayLearn: boolean }): Card[] {
    const rows = this.stmt(
      `SELECT ${CARD_COLUMNS} FROM cards WHERE id != ? AND nid = ? AND ((? AND queue = 0) OR (? AND queue = 2) OR (? AND queue = 3))`,
    ).all(cardId, noteId, mode.new ? 1 : 0, mode.review ? 1 : 0, mode.dayLearn ? 1 : 0) as CardRow[];
    return rows.map(cardFromRow);
  }

  /** Every buried card (queues −2 and −3). */
  buriedCards(): Card[] {
    return (this.stmt(`SELECT ${CARD_COLUMNS} FROM cards WHERE queue IN (-2, -3)`).all() as CardRow[]).map(cardFromRow);
  }

  /** Buried cards in the decks (by current deck), of the given queues. */
  buriedCardsInDecks(deckIds: readonly number[], queues: readonly number[]): Card[] {
    return (
      this.stmt(`SELECT ${CARD_COLUMNS} FROM cards WHERE did IN (SELECT value FROM json_each(?)) AND queue IN (SELECT value FROM json_each(?))`).all(
        ids(deckIds),
        ids(queues),
      ) as CardRow[]
    ).map(cardFromRow);
  }

  /** New-type cards with a position at or above `start` (Anki's at_or_above_position.sql). */
  newCardsAtOrAbovePosition(start: number): Card[] {
    return (this.stmt(`SELECT ${CARD_COLUMNS} FROM cards WHERE due >= ? AND type = 0`).all(start) as CardRow[]).map(cardFromRow);
  }

  /** Ids of the cards in one deck (current deck only). */
  cardIdsInDeck(deckId: number): number[] {
    return this.stmt('SELECT id FROM cards WHERE did = ?').pluck().all(deckId) as number[];
  }

  /** Cards in the given order of ids (missing ids skipped). */
  cardsInOrder(cardIds: readonly number[]): Card[] {
    const rows = this.stmt(
      'SELECT c.id, c.nid, c.did, c.ord, CAST(c.mod AS INTEGER) AS mod, c.usn, c.type, c.queue, CAST(c.due AS INTEGER) AS due, CAST(c.ivl AS INTEGER) AS ivl, c.factor, c.reps, c.lapses, c.left, c.odue, c.odid, c.flags, c.data FROM json_each(?) j JOIN cards c ON c.id = j.value ORDER BY j.key',
    ).all(ids(cardIds)) as CardRow[];
    const seen = new Set<number>();
    const out: Card[] = [];
    for (const r of rows) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(cardFromRow(r));
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // review log

  revlogExists(id: number): boolean {
    return this.stmt('SELECT 1 FROM revlog WHERE id = ?').get(id) !== undefined;
  }

  maxRevlogId(): number {
    return (this.stmt('SELECT max(id) FROM revlog').pluck().get() as number | null) ?? 0;
  }

  /**
   * The id a new revlog row gets, as Anki's add.sql: the wanted id, or max(id)+1 when it is taken.
   */
  uniqueRevlogId(wanted: number): number {
    return this.revlogExists(wanted) ? this.maxRevlogId() + 1 : wanted;
  }

  /** A card's review log in id order. */
  revlogOfCard(cardId: number): RevlogRow[] {
    return this.stmt(`SELECT ${REVLOG_COLUMNS} FROM revlog WHERE cid = ? ORDER BY id`).all(cardId) as RevlogRow[];
  }

  /** Review-log rows of several cards, in id order. */
  revlogOfCards(cardIds: readonly number[]): RevlogRow[] {
    return this.stmt(`SELECT ${REVLOG_COLUMNS} FROM revlog WHERE cid IN (SELECT value FROM json_each(?)) ORDER BY id`).all(ids(cardIds)) as RevlogRow[];
  }

  /** Rows with id > `startId` of cards whose current deck is `deckId`. */
  revlogOfDeckSince(deckId: number, startId: number): RevlogRow[] {
    return this.stmt(`SELECT ${REVLOG_COLUMNS} FROM revlog WHERE id > ? AND cid IN (SELECT id FROM cards WHERE did = ?) ORDER BY id`).all(
      startId,
      deckId,
    ) as RevlogRow[];
  }

  /** The largest revlog id of cards whose current deck is `deckId`, or 0. */
  latestRevlogIdOfDeck(deckId: number): number {
    return (this.stmt('SELECT max(id) FROM revlog WHERE cid IN (SELECT id FROM cards WHERE did = ?)').pluck().get(deckId) as number | null) ?? 0;
  }

  /** Number of revlog rows with id > `sinceMs`. */
  revlogCountSince(sinceMs: number): number {
    return this.stmt('SELECT count() FROM revlog WHERE id > ?').pluck().get(sinceMs) as number;
  }

  /**
   * Revlog rows per local calendar day, the day starting `offsetSecs` after midnight (the
   * rollover), newest first: `[['2026-11-21', 12], …]`. Local time is the process's time zone.
   */
  revlogCountsByDay(offsetSecs: number): [string, number][] {
    return (
      this.stmt("SELECT date(id / 1000 - ?, 'unixepoch', 'localtime') AS day, count() AS n FROM revlog GROUP BY day ORDER BY day DESC").all(offsetSecs) as {
        day: string;
        n: number;
      }[]
    ).map((r) => [r.day, r.n]);
  }
}
