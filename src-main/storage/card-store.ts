import type Database from 'better-sqlite3';
import type { Card } from '../cards/card';
import { selectByIds } from './note-store';
import { StatementCache, stmt } from './statements';

export interface CardRow {
  id: number;
  nid: number;
  did: number;
  ord: number;
  mod: number;
  usn: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  left: number;
  odue: number;
  odid: number;
  flags: number;
  data: string;
}

// Some clients wrote REALs into integer columns; Anki reads them with casts, so do we.
const CARD_COLUMNS =
  'id, nid, did, ord, CAST(mod AS INTEGER) AS mod, usn, type, queue, CAST(due AS INTEGER) AS due, CAST(ivl AS INTEGER) AS ivl, factor, reps, lapses, left, odue, odid, flags, data';

export function cardFromRow(r: CardRow): Card {
  return {
    id: r.id,
    noteId: r.nid,
    deckId: r.did,
    ord: r.ord,
    mtimeSecs: r.mod,
    usn: r.usn,
    ctype: r.type,
    queue: r.queue,
    due: r.due,
    interval: r.ivl,
    easeFactor: r.factor,
    reps: r.reps,
    lapses: r.lapses,
    remainingSteps: r.left,
    originalDue: r.odue,
    originalDeckId: r.odid,
    flags: r.flags,
    data: r.data,
  };
}

export function cardToRow(c: Card): CardRow {
  return {
    id: c.id,
    nid: c.noteId,
    did: c.deckId,
    ord: c.ord,
    mod: c.mtimeSecs,
    usn: c.usn,
    type: c.ctype,
    queue: c.queue,
    due: c.due,
    ivl: c.interval,
    factor: c.easeFactor,
    reps: c.reps,
    lapses: c.lapses,
    left: c.remainingSteps,
    odue: c.originalDue,
    odid: c.originalDeckId,
    flags: c.flags,
    data: c.data,
  };
}

export class CardStore {
  private readonly q: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.q = new StatementCache(db);
  }

  private get getStmt() {
    return this.q.get(`SELECT ${CARD_COLUMNS} FROM cards WHERE id = ?`);
  }
  private get putStmt() {
    return this.q.get(
      'INSERT OR REPLACE INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }
  private get deleteStmt() {
    return this.q.get('DELETE FROM cards WHERE id = ?');
  }
  private get ofNoteStmt() {
    return this.q.get(`SELECT ${CARD_COLUMNS} FROM cards WHERE nid = ? ORDER BY ord`);
  }
  private get maxIdStmt() {
    return this.q.get('SELECT max(id) FROM cards').pluck();
  }

  getRow(id: number): CardRow | undefined {
    return this.getStmt.get(id) as CardRow | undefined;
  }

  get(id: number): Card | undefined {
    const r = this.getRow(id);
    return r && cardFromRow(r);
  }

  getMany(ids: readonly number[]): Card[] {
    return selectByIds(this.db, `SELECT ${CARD_COLUMNS} FROM cards`, ids).map((r) => cardFromRow(r as CardRow));
  }

  ofNote(nid: number): Card[] {
    return (this.ofNoteStmt.all(nid) as CardRow[]).map(cardFromRow);
  }

  ofNotes(nids: readonly number[]): Card[] {
    return selectByIds(this.db, `SELECT ${CARD_COLUMNS} FROM cards`, nids, 'nid').map((r) => cardFromRow(r as CardRow));
  }

  idsInDecks(dids: readonly number[]): number[] {
    return selectByIds(this.db, 'SELECT id FROM cards', dids, 'did').map((r) => (r as { id: number }).id);
  }

  idsOfOriginalDecks(dids: readonly number[]): number[] {
    return selectByIds(this.db, 'SELECT id FROM cards', dids, 'odid').map((r) => (r as { id: number }).id);
  }

  putRow(r: CardRow): void {
    // positional binding: measurably cheaper than named parameters on bulk adds
    this.putStmt.run(r.id, r.nid, r.did, r.ord, r.mod, r.usn, r.type, r.queue, r.due, r.ivl, r.factor, r.reps, r.lapses, r.left, r.odue, r.odid, r.flags, r.data);
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  maxId(): number {
    return (this.maxIdStmt.get() as number | null) ?? 0;
  }

  count(): number {
    return stmt(this.db, 'SELECT count() FROM cards').pluck().get() as number;
  }

  /** The highest new-card position in use, for when `nextPos` is missing. */
  maxNewPosition(): number {
    return (stmt(this.db, 'SELECT max(due) FROM cards WHERE type = 0').pluck().get() as number | null) ?? 0;
  }
}
