import type Database from 'better-sqlite3';
import type { Note } from '../notes/note';
import { StatementCache, stmt } from './statements';

export const FIELD_SEPARATOR = '\x1f';

export interface NoteRow {
  id: number;
  guid: string;
  mid: number;
  mod: number;
  usn: number;
  /** `" tag1 tag2 "` or "" */
  tags: string;
  /** fields joined with U+001F */
  flds: string;
  sfld: string | number;
  csum: number;
  flags: number;
  data: string;
}

export function tagsToColumn(tags: string[]): string {
  return tags.length ? ` ${tags.join(' ')} ` : '';
}

export function tagsFromColumn(s: string): string[] {
  if (!s) return [];
  // Fast path for the canonical " a b " form; anything else (U+3000, double spaces) goes the slow way.
  if (s.length > 2 && s[0] === ' ' && s[s.length - 1] === ' ' && !s.includes('  ') && !s.includes('\u3000')) return s.slice(1, -1).split(' ');
  return s.split(/[ \u3000]+/).filter((t) => t.length > 0);
}

export function noteFromRow(r: NoteRow): Note {
  return {
    id: r.id,
    guid: r.guid,
    notetypeId: r.mid,
    mtimeSecs: r.mod,
    usn: r.usn,
    tags: tagsFromColumn(r.tags),
    fields: r.flds.split(FIELD_SEPARATOR),
  };
}

/** SQL for the notes table. Rows in, rows out: the derived columns are computed by the caller. */
export class NoteStore {
  private readonly q: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.q = new StatementCache(db);
  }

  private get getStmt() {
    return this.q.get('SELECT id, guid, mid, mod, usn, tags, flds, CAST(sfld AS TEXT) AS sfld, csum, flags, data FROM notes WHERE id = ?');
  }
  private get insertStmt() {
    return this.q.get(
      'INSERT OR REPLACE INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }
  private get deleteStmt() {
    return this.q.get('DELETE FROM notes WHERE id = ?');
  }
  private get byNotetypeStmt() {
    return this.q.get('SELECT id FROM notes WHERE mid = ?').pluck();
  }
  private get byCsumStmt() {
    return this.q.get('SELECT id, flds FROM notes WHERE csum = ? AND +mid = ?');
  }
  private get maxIdStmt() {
    return this.q.get('SELECT max(id) FROM notes').pluck();
  }
  private get existsStmt() {
    return this.q.get('SELECT 1 FROM notes WHERE id = ?').pluck();
  }

  getRow(id: number): NoteRow | undefined {
    return this.getStmt.get(id) as NoteRow | undefined;
  }

  get(id: number): Note | undefined {
    const r = this.getRow(id);
    return r && noteFromRow(r);
  }

  getMany(ids: readonly number[]): Note[] {
    return selectByIds(this.db, 'SELECT id, guid, mid, mod, usn, tags, flds FROM notes', ids).map((r) =>
      noteFromRow(r as NoteRow),
    );
  }

  putRow(r: NoteRow): void {
    // positional binding: measurably cheaper than named parameters on bulk adds
    this.insertStmt.run(r.id, r.guid, r.mid, r.mod, r.usn, r.tags, r.flds, r.sfld, r.csum, r.flags, r.data);
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  exists(id: number): boolean {
    return this.existsStmt.get(id) !== undefined;
  }

  maxId(): number {
    return (this.maxIdStmt.get() as number | null) ?? 0;
  }

  idsOfNotetype(mid: number): number[] {
    return this.byNotetypeStmt.all(mid) as number[];
  }

  /** Notes of a notetype whose first-field checksum matches (the duplicate candidates). */
  withChecksum(csum: number, mid: number): { id: number; flds: string }[] {
    return this.byCsumStmt.all(csum, mid) as { id: number; flds: string }[];
  }

  count(): number {
    return stmt(this.db, 'SELECT count() FROM notes').pluck().get() as number;
  }

  /** The distinct stored tag strings of all notes. */
  allTagStrings(): string[] {
    return stmt(this.db, "SELECT DISTINCT tags FROM notes WHERE tags != ''").pluck().all() as string[];
  }

  allIds(): number[] {
    return stmt(this.db, 'SELECT id FROM notes').pluck().all() as number[];
  }
}

/**
 * Runs `sql WHERE column IN (ids)` as one cached statement: the ids go in as a JSON array, which
 * avoids both SQLite's parameter limit and preparing a statement per chunk.
 */
export function selectByIds(db: Database.Database, sql: string, ids: readonly number[], column = 'id'): unknown[] {
  if (!ids.length) return [];
  return stmt(db, `${sql} WHERE ${column} IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids));
}
