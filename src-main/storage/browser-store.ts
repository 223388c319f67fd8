// SQL for the browser table: the rows of one window of card or note ids, read in as few
// statements as possible (one per table), so a screenful of rows costs the same whatever the size
// of the collection. What Anki's RowContext reads per row (rslib/src/browser_table.rs), batched.

import type Database from 'better-sqlite3';
import type { Card } from '../cards/card';
import { cardFromRow, type CardRow } from './card-store';
import { noteFromRow, type NoteRow, selectByIds } from './note-store';
import type { Note } from '../notes/note';

// Some clients wrote REALs into integer columns; Anki reads them with casts, so do we.
const CARD_COLUMNS =
  'id, nid, did, ord, CAST(mod AS INTEGER) AS mod, usn, type, queue, CAST(due AS INTEGER) AS due, CAST(ivl AS INTEGER) AS ivl, factor, reps, lapses, left, odue, odid, flags, data';

const stores = new WeakMap<Database.Database, BrowserStore>();

export class BrowserStore {
  private constructor(private readonly db: Database.Database) {}

  static of(db: Database.Database): BrowserStore {
    let s = stores.get(db);
    if (!s) stores.set(db, (s = new BrowserStore(db)));
    return s;
  }

  /** The cards with these ids, by id (missing ids are absent). */
  cards(ids: readonly number[]): Map<number, Card> {
    const out = new Map<number, Card>();
    for (const r of selectByIds(this.db, `SELECT ${CARD_COLUMNS} FROM cards`, ids)) {
      const c = cardFromRow(r as CardRow);
      out.set(c.id, c);
    }
    return out;
  }

  /** The notes with these ids, by id (missing ids are absent). */
  notes(ids: readonly number[]): Map<number, Note> {
    const out = new Map<number, Note>();
    for (const r of selectByIds(this.db, 'SELECT id, guid, mid, mod, usn, tags, flds FROM notes', ids)) {
      const n = noteFromRow(r as NoteRow);
      out.set(n.id, n);
    }
    return out;
  }

  /**
   * All cards of these notes, per note in id order (the order Anki's `all_cards_of_note` returns
   * them in, so the first is the card a notes-mode row renders).
   */
  cardsOfNotes(nids: readonly number[]): Map<number, Card[]> {
    const out = new Map<number, Card[]>();
    for (const r of selectByIds(this.db, `SELECT ${CARD_COLUMNS} FROM cards`, nids, 'nid')) {
      const c = cardFromRow(r as CardRow);
      const list = out.get(c.noteId);
      if (list) list.push(c);
      else out.set(c.noteId, [c]);
    }
    for (const list of out.values()) list.sort((a, b) => a.id - b.id);
    return out;
  }

  /** Distinct field names of the notetypes of these notes, ordered by name (Anki's field_names_for_notes). */
  fieldNamesForNotes(nids: readonly number[]): string[] {
    if (!nids.length) return [];
    return (
      this.db
        .prepare('SELECT DISTINCT name FROM fields WHERE ntid IN (SELECT mid FROM notes WHERE id IN (SELECT value FROM json_each(?))) ORDER BY name')
        .pluck()
        .all(JSON.stringify(nids)) as string[]
    );
  }
}
