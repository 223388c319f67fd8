// SQL for importing and exporting packages (.apkg/.colpkg), CSV import and backups. Services in
// src-main/import-export speak to the collection only through these functions and the other
// stores. The statements restate what Anki's rslib storage layer does for the same steps
// (search tables, invalid-id repair, schema-11 downgrade, duplicate look-ups).

import type Database from 'better-sqlite3';
import { type CardRow } from './card-store';
import { type RevlogRow } from './misc-stores';
import { type NoteRow } from './note-store';
import { StatementCache } from './statements';

const NOTE_COLUMNS = 'id, guid, mid, mod, usn, tags, flds, CAST(sfld AS TEXT) AS sfld, csum, flags, data';
const CARD_COLUMNS =
  'id, nid, did, ord, CAST(mod AS INTEGER) AS mod, usn, type, queue, CAST(due AS INTEGER) AS due, CAST(ivl AS INTEGER) AS ivl, factor, reps, lapses, left, odue, odid, flags, data';

/** Identity of an existing note for guid matching on import (Anki's `NoteMeta`). */
export interface NoteMetaRow {
  id: number;
  mod: number;
  mid: number;
}

/**
 * The notes an export or import works on, kept in a temporary table like Anki's
 * `search_notes_into_table`, so cards, decks, notetypes and revlog can be gathered with joins.
 * Temporary tables live in the connection's temp database, never in the collection file.
 */
export class PackageStore {
  private readonly q: StatementCache;

  constructor(readonly db: Database.Database) {
    this.q = new StatementCache(db);
  }

  // -------------------------------------------------------------------------------------------
  // Searched notes (gathering)

  /** Replaces the searched notes with `ids` (duplicates ignored). */
  setSearchedNotes(ids: Iterable<number>): number {
    this.db.exec('DROP TABLE IF EXISTS temp.pkg_nids; CREATE TEMP TABLE pkg_nids (nid integer PRIMARY KEY NOT NULL)');
    const ins = this.db.prepare('INSERT OR IGNORE INTO temp.pkg_nids (nid) VALUES (?)');
    this.db.transaction(() => {
      for (const id of ids) ins.run(id);
    })();
    return this.db.prepare('SELECT count() FROM temp.pkg_nids').pluck().get() as number;
  }

  /** Every note of the collection becomes a searched note. */
  setAllNotesSearched(): number {
    this.db.exec('DROP TABLE IF EXISTS temp.pkg_nids; CREATE TEMP TABLE pkg_nids (nid integer PRIMARY KEY NOT NULL); INSERT INTO temp.pkg_nids SELECT id FROM notes');
    return this.db.prepare('SELECT count() FROM temp.pkg_nids').pluck().get() as number;
  }

  clearSearch(): void {
    this.db.exec('DROP TABLE IF EXISTS temp.pkg_nids');
  }

  /** The searched notes, in id order. */
  searchedNotes(): NoteRow[] {
    return this.db.prepare(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id IN (SELECT nid FROM temp.pkg_nids) ORDER BY id`).all() as NoteRow[];
  }

  /** All cards of the searched notes (also those in other decks), in id order. */
  cardsOfSearchedNotes(): CardRow[] {
    return this.db.prepare(`SELECT ${CARD_COLUMNS} FROM cards WHERE nid IN (SELECT nid FROM temp.pkg_nids) ORDER BY id`).all() as CardRow[];
  }

  /** Ids of the decks the searched cards are in, and with `withOriginal` their home decks too. */
  deckIdsOfSearchedCards(withOriginal: boolean): number[] {
    const sql = withOriginal
      ? 'SELECT did FROM cards WHERE nid IN (SELECT nid FROM temp.pkg_nids) UNION SELECT odid FROM cards WHERE odid != 0 AND nid IN (SELECT nid FROM temp.pkg_nids)'
      : 'SELECT DISTINCT did FROM cards WHERE nid IN (SELECT nid FROM temp.pkg_nids)';
    return this.db.prepare(sql).pluck().all() as number[];
  }

  notetypeIdsOfSearchedNotes(): number[] {
    return this.db.prepare('SELECT DISTINCT mid FROM notes WHERE id IN (SELECT nid FROM temp.pkg_nids)').pluck().all() as number[];
  }

  /** Review log of the searched notes' cards, in id order. */
  revlogOfSearchedCards(): RevlogRow[] {
    return this.db
      .prepare('SELECT * FROM revlog WHERE cid IN (SELECT id FROM cards WHERE nid IN (SELECT nid FROM temp.pkg_nids)) ORDER BY id')
      .all() as RevlogRow[];
  }

  /** Notes with a card in one of the decks, as the home deck or the current one (Anki's `deck:` search). */
  noteIdsWithCardsInDecks(deckIds: readonly number[]): number[] {
    if (!deckIds.length) return [];
    const list = deckIds.map(() => '?').join(',');
    return this.db.prepare(`SELECT DISTINCT nid FROM cards WHERE did IN (${list}) OR (odid != 0 AND odid IN (${list}))`).pluck().all(...deckIds, ...deckIds) as number[];
  }

  // -------------------------------------------------------------------------------------------
  // Repairs done on a package's collection before gathering (Anki: dbcheck, scheduler upgrade)

  /** Notes, cards and review entries whose id is later than `cutoff` (ms). */
  invalidIdCount(cutoff: number): number {
    return this.db
      .prepare('SELECT (SELECT count() FROM notes WHERE id > ?) + (SELECT count() FROM cards WHERE id > ?) + (SELECT count() FROM revlog WHERE id > ?)')
      .pluck()
      .get(cutoff, cutoff, cutoff) as number;
  }

  /**
   * Gives every note/card/revlog id above `maxValid` a new id from `newId` (or one past the largest
   * valid id) upwards, in id order, following the references (cards.nid, revlog.cid).
   */
  fixInvalidIds(maxValid: number, newId: number): void {
    const pairs: [string, [string, string] | null][] = [
      ['notes', ['cards', 'nid']],
      ['cards', ['revlog', 'cid']],
      ['revlog', null],
    ];
    for (const [table, foreign] of pairs) {
      const maxExisting = (this.db.prepare(`SELECT coalesce(max(id), 0) FROM ${table} WHERE id <= ?`).pluck().get(maxValid) as number) ?? 0;
      let next = newId > maxExisting ? newId : maxExisting + 1;
      const bad = this.db.prepare(`SELECT id FROM ${table} WHERE id > ? ORDER BY id`).pluck().all(maxValid) as number[];
      const map = new Map<number, number>();
      for (const id of bad) map.set(id, next++);
      // move out of the way first so that renumbering never collides with a row not yet moved
      const setId = this.db.prepare(`UPDATE ${table} SET id = ? WHERE id = ?`);
      for (const [from, to] of map) setId.run(-to, from);
      this.db.prepare(`UPDATE ${table} SET id = -id WHERE id < 0`).run();
      if (foreign) {
        const [ft, fc] = foreign;
        const setRef = this.db.prepare(`UPDATE ${ft} SET ${fc} = ? WHERE ${fc} = ?`);
        for (const [from, to] of map) setRef.run(to, from);
      }
    }
  }

  /** True if any card is outside the new queue (Anki imports then upgrade a v1 package). */
  anyCardNotNew(): boolean {
    return this.db.prepare('SELECT 1 FROM cards WHERE queue != 0 LIMIT 1').get() !== undefined;
  }

  /** v1 → v2 review log: eases 2 and 3 of (re)learning answers move up by one. */
  upgradeRevlogToV2(): void {
    this.db.exec('UPDATE revlog SET ease = ease + 1 WHERE ease IN (2, 3) AND type IN (0, 2)');
  }

  /** Cards the v1 → v2 card upgrade looks at: in a filtered deck, or of review/relearn type. */
  cardsForV2Upgrade(): CardRow[] {
    return this.db.prepare(`SELECT ${CARD_COLUMNS} FROM cards WHERE odid != 0 OR type IN (2, 3)`).all() as CardRow[];
  }

  // -------------------------------------------------------------------------------------------
  // Writing package collections

  /** Removes every notetype with its fields and templates (an export starts from an empty set). */
  deleteAllNotetypes(): void {
    this.db.exec('DELETE FROM notetypes; DELETE FROM fields; DELETE FROM templates');
  }

  setCreationStamp(crtSecs: number): void {
    this.db.prepare('UPDATE col SET crt = ?').run(crtSecs);
  }

  creationStamp(): number {
    return this.db.prepare('SELECT crt FROM col').pluck().get() as number;
  }

  /** `col.mod` and `col.scm` (ms). */
  setModifiedAndSchema(nowMs: number): void {
    this.db.prepare('UPDATE col SET mod = ?, scm = ?').run(nowMs, nowMs);
  }

  setSchemaModified(nowMs: number): void {
    this.db.prepare('UPDATE col SET scm = ?').run(nowMs);
  }

  /** `PRAGMA page_size` + rollback journal + VACUUM (the compatibility stub uses 512-byte pages). */
  compact(pageSize: number): void {
    this.db.pragma('journal_mode = delete');
    this.db.pragma(`page_size = ${Math.trunc(pageSize)}`);
    this.db.exec('VACUUM');
  }

  /**
   * Anki's schema-11 downgrade: graves back to (usn, oid, type), the schema-14+ tables dropped
   * (their contents are now the JSON `col` columns given here), `ver` 11, rollback journal.
   */
  downgradeToSchema11(json: { conf: string; models: string; decks: string; dconf: string; tags: string }): void {
    this.db.transaction(() => {
      this.db.exec(`ALTER TABLE graves RENAME TO graves_old;
CREATE TABLE graves (
  usn integer NOT NULL,
  oid integer NOT NULL,
  type integer NOT NULL
);
INSERT INTO graves (usn, oid, type) SELECT usn, oid, type FROM graves_old;
DROP TABLE graves_old;`);
      this.db.prepare('UPDATE col SET conf = @conf, models = @models, decks = @decks, dconf = @dconf, tags = @tags').run(json);
      this.db.exec(`DROP TABLE config;
DROP TABLE deck_config;
DROP TABLE tags;
DROP TABLE fields;
DROP TABLE templates;
DROP TABLE notetypes;
DROP TABLE decks;
DROP INDEX idx_cards_odid;
DROP INDEX idx_notes_mid;
UPDATE col SET ver = 11;`);
    })();
    this.db.pragma('journal_mode = delete');
  }

  /** Every config row, raw (for the schema-11 `col.conf`). */
  allConfigRows(): { KEY: string; val: Uint8Array }[] {
    return this.db.prepare('SELECT KEY, val FROM config ORDER BY KEY').all() as { KEY: string; val: Uint8Array }[];
  }

  /** Every tag with its usn (for the schema-11 `col.tags`). */
  allTagUsns(): { tag: string; usn: number }[] {
    return this.db.prepare('SELECT tag, usn FROM tags').all() as { tag: string; usn: number }[];
  }

  // -------------------------------------------------------------------------------------------
  // Target-collection look-ups during import

  /** guid → the note that has it (Anki's `note_guid_map`). */
  noteGuidMap(): Map<string, NoteMetaRow> {
    const out = new Map<string, NoteMetaRow>();
    for (const r of this.db.prepare('SELECT guid, id, mod, mid FROM notes').iterate() as Iterable<NoteMetaRow & { guid: string }>)
      out.set(r.guid, { id: r.id, mod: r.mod, mid: r.mid });
    return out;
  }

  allNoteIds(): Set<number> {
    return new Set(this.db.prepare('SELECT id FROM notes').pluck().all() as number[]);
  }

  allCardIds(): Set<number> {
    return new Set(this.db.prepare('SELECT id FROM cards').pluck().all() as number[]);
  }

  /** `nid:ord` of every card. */
  allCardNidOrds(): Set<string> {
    const out = new Set<string>();
    for (const r of this.db.prepare('SELECT nid, ord FROM cards').iterate() as Iterable<{ nid: number; ord: number }>) out.add(`${r.nid}:${r.ord}`);
    return out;
  }

  /** The highest position of a new card outside filtered decks below 1,000,000 (0 if none). */
  maxNewPosition(): number {
    return (this.db.prepare('SELECT max(due) FROM cards WHERE type = 0 AND odid = 0 AND due < 1000000').pluck().get() as number | null) ?? 0;
  }

  revlogExists(id: number): boolean {
    return this.q.get('SELECT 1 FROM revlog WHERE id = ?').get(id) !== undefined;
  }

  cardExists(id: number): boolean {
    return this.q.get('SELECT 1 FROM cards WHERE id = ?').get(id) !== undefined;
  }

  /** Notetype ids that at least one note uses. */
  usedNotetypeIds(): Set<number> {
    return new Set(this.db.prepare('SELECT DISTINCT mid FROM notes').pluck().all() as number[]);
  }

  /** Notes of a notetype, by id. */
  noteIdsOfNotetype(mid: number): number[] {
    return this.db.prepare('SELECT id FROM notes WHERE mid = ?').pluck().all(mid) as number[];
  }

  /** `mid:csum` → note ids (CSV duplicate check by notetype). */
  notesByTypeAndChecksum(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const r of this.db.prepare('SELECT id, mid, csum FROM notes').iterate() as Iterable<{ id: number; mid: number; csum: number }>) {
      const k = `${r.mid}:${r.csum}`;
      const list = out.get(k);
      if (list) list.push(r.id);
      else out.set(k, [r.id]);
    }
    return out;
  }

  /** `mid:csum:did` → note ids, one entry per distinct home deck of the note's cards. */
  notesByTypeChecksumAndDeck(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const sql =
      'SELECT DISTINCT n.id, n.mid, n.csum, CASE WHEN c.odid = 0 THEN c.did ELSE c.odid END AS did FROM notes n JOIN cards c ON c.nid = n.id';
    for (const r of this.db.prepare(sql).iterate() as Iterable<{ id: number; mid: number; csum: number; did: number }>) {
      const k = `${r.mid}:${r.csum}:${r.did}`;
      const list = out.get(k);
      if (list) list.push(r.id);
      else out.set(k, [r.id]);
    }
    return out;
  }

  /** guid → note id. */
  notesByGuid(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.db.prepare('SELECT guid, id FROM notes').iterate() as Iterable<{ guid: string; id: number }>) out.set(r.guid, r.id);
    return out;
  }

  /** Table row counts (for logs and tests). */
  counts(): { notes: number; cards: number; revlog: number; decks: number; notetypes: number; deckConfigs: number } {
    const c = (t: string) => this.db.prepare(`SELECT count() FROM ${t}`).pluck().get() as number;
    return { notes: c('notes'), cards: c('cards'), revlog: c('revlog'), decks: c('decks'), notetypes: c('notetypes'), deckConfigs: c('deck_config') };
  }
}
