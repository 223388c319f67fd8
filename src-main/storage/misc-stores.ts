import type Database from 'better-sqlite3';
import { StatementCache, stmt } from './statements';

/** The `col` row: creation time, modification stamps, schema version, sync counters. */
export interface ColRow {
  id: number;
  crt: number;
  mod: number;
  scm: number;
  ver: number;
  dty: number;
  usn: number;
  ls: number;
  conf: string;
  models: string;
  decks: string;
  dconf: string;
  tags: string;
}

export class ColStore {
  constructor(private readonly db: Database.Database) {}

  get(): ColRow {
    const row = stmt(this.db, 'SELECT * FROM col WHERE id = 1').get() as ColRow | undefined;
    if (!row) throw new Error('the col row is missing');
    return row;
  }

  put(row: ColRow): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags) VALUES (@id, @crt, @mod, @scm, @ver, @dty, @usn, @ls, @conf, @models, @decks, @dconf, @tags)',
      )
      .run(row);
  }

  private setModStmt?: Database.Statement;

  setMod(ms: number): void {
    this.setModStmt ??= stmt(this.db, 'UPDATE col SET mod = ?');
    this.setModStmt.run(ms);
  }
}

export interface ConfigRow {
  KEY: string;
  usn: number;
  mtime_secs: number;
  val: Uint8Array;
}

/** The config table: JSON values stored as BLOB bytes (a TEXT value there breaks Anki). */
export class ConfigStore {
  private readonly q: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.q = new StatementCache(db);
  }

  private get getStmt() {
    return this.q.get('SELECT * FROM config WHERE KEY = ?');
  }
  private get putStmt() {
    return this.q.get('INSERT OR REPLACE INTO config (KEY, usn, mtime_secs, val) VALUES (@KEY, @usn, @mtime_secs, @val)');
  }

  getRow(key: string): ConfigRow | undefined {
    return this.getStmt.get(key) as ConfigRow | undefined;
  }

  get<T = unknown>(key: string): T | undefined {
    const r = this.getRow(key);
    if (!r) return undefined;
    try {
      return JSON.parse(Buffer.from(r.val).toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  putRow(row: ConfigRow): void {
    this.putStmt.run(row);
  }

  delete(key: string): void {
    stmt(this.db, 'DELETE FROM config WHERE KEY = ?').run(key);
  }

  keys(): string[] {
    return stmt(this.db, 'SELECT KEY FROM config ORDER BY KEY').pluck().all() as string[];
  }

  all(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of stmt(this.db, 'SELECT * FROM config').all() as ConfigRow[]) {
      try {
        out[r.KEY] = JSON.parse(Buffer.from(r.val).toString('utf8'));
      } catch {
        /* unreadable values are skipped, as Anki does */
      }
    }
    return out;
  }
}

export const encodeConfigValue = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8');

export interface TagRow {
  tag: string;
  usn: number;
  collapsed: number;
  config: Uint8Array | null;
}

export class TagStore {
  private readonly q: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.q = new StatementCache(db);
  }

  getRow(tag: string): TagRow | undefined {
    return this.q.get('SELECT * FROM tags WHERE tag = ?').get(tag) as TagRow | undefined;
  }

  putRow(row: TagRow): void {
    this.q.get('INSERT OR REPLACE INTO tags (tag, usn, collapsed, config) VALUES (@tag, @usn, @collapsed, @config)').run(row);
  }

  delete(tag: string): void {
    stmt(this.db, 'DELETE FROM tags WHERE tag = ?').run(tag);
  }

  /** All registered tags in unicase order. */
  all(): TagRow[] {
    return stmt(this.db, 'SELECT * FROM tags ORDER BY tag').all() as TagRow[];
  }

  /** Registered tags equal to `tag` or below it in the `::` hierarchy. */
  withChildren(tag: string): TagRow[] {
    return stmt(this.db, "SELECT * FROM tags WHERE tag = ? OR (tag > ? AND tag < ?) ORDER BY tag").all(tag, tag + '::', tag + ':;') as TagRow[];
  }
}

export interface GraveRow {
  oid: number;
  type: number;
  usn: number;
}

export enum GraveKind {
  Card = 0,
  Note = 1,
  Deck = 2,
}

export class GraveStore {
  constructor(private readonly db: Database.Database) {}

  getRow(oid: number, type: GraveKind): GraveRow | undefined {
    return stmt(this.db, 'SELECT * FROM graves WHERE oid = ? AND type = ?').get(oid, type) as GraveRow | undefined;
  }

  putRow(row: GraveRow): void {
    stmt(this.db, 'INSERT OR REPLACE INTO graves (oid, type, usn) VALUES (@oid, @type, @usn)').run(row);
  }

  delete(oid: number, type: GraveKind): void {
    stmt(this.db, 'DELETE FROM graves WHERE oid = ? AND type = ?').run(oid, type);
  }

  count(): number {
    return stmt(this.db, 'SELECT count() FROM graves').pluck().get() as number;
  }
}

/** One `revlog` row. */
export interface RevlogRow {
  /** Answer time in ms. */
  id: number;
  cid: number;
  usn: number;
  /** Button 1–4 (0: a manual reschedule). */
  ease: number;
  /** Positive days or negative seconds. */
  ivl: number;
  lastIvl: number;
  /** Ease ×1000 (SM-2) or shifted difficulty ×1000 (FSRS); 0 for SM-2 learning and previews. */
  factor: number;
  /** Milliseconds taken. */
  time: number;
  /** The review kind (learning, review, relearning, filtered, manual, rescheduled). */
  type: number;
}

export class RevlogStore {
  private getStmt?: Database.Statement;
  private putStmt?: Database.Statement;

  constructor(private readonly db: Database.Database) {}

  getRow(id: number): RevlogRow | undefined {
    this.getStmt ??= stmt(this.db, 'SELECT * FROM revlog WHERE id = ?');
    return this.getStmt.get(id) as RevlogRow | undefined;
  }

  putRow(row: RevlogRow): void {
    this.putStmt ??= stmt(this.db, 'INSERT OR REPLACE INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (@id, @cid, @usn, @ease, @ivl, @lastIvl, @factor, @time, @type)');
    this.putStmt.run(row);
  }

  delete(id: number): void {
    stmt(this.db, 'DELETE FROM revlog WHERE id = ?').run(id);
  }

  ofCard(cid: number): RevlogRow[] {
    return stmt(this.db, 'SELECT * FROM revlog WHERE cid = ? ORDER BY id').all(cid) as RevlogRow[];
  }

  maxId(): number {
    return (stmt(this.db, 'SELECT max(id) FROM revlog').pluck().get() as number | null) ?? 0;
  }
}
