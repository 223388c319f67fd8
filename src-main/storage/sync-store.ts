import Database from 'better-sqlite3';
import { DeckhandError } from '../collection/errors';

// SQL used only by sync (src-main/sync/): pending rows by usn, usn restamping, the col row's sync
// stamps, sanity-check counts, full-upload preparation, and the sync server's media database.

/** Tables whose rows carry an `id` and a `usn` and travel in sync. */
export type SyncIdTable = 'cards' | 'notes' | 'revlog' | 'decks' | 'deck_config' | 'notetypes';
const ID_TABLES: ReadonlySet<string> = new Set(['cards', 'notes', 'revlog', 'decks', 'deck_config', 'notetypes']);

/** Tables the sanity check refuses to count while they hold a usn = -1 row (Anki's order). */
export const SANITY_PENDING_TABLES = ['cards', 'notes', 'revlog', 'graves', 'decks', 'deck_config', 'tags', 'notetypes'] as const;
const COUNTED_TABLES: ReadonlySet<string> = new Set(['cards', 'notes', 'revlog', 'graves', 'notetypes', 'decks', 'deck_config', 'tags']);

function assertTable(t: string, allowed: ReadonlySet<string>): void {
  if (!allowed.has(t)) throw new Error(`not a sync table: ${t}`);
}

/** usn = -1 on a client (pending = changed locally); usn >= n on a server (changed since the client's last sync). */
const pendingClause = (pendingUsn: number) => (pendingUsn === -1 ? 'usn = -1' : 'usn >= ?');
const pendingArgs = (pendingUsn: number) => (pendingUsn === -1 ? [] : [pendingUsn]);

export interface SyncStamps {
  crt: number;
  mod: number;
  scm: number;
  usn: number;
  ls: number;
}

export class SyncStore {
  constructor(private readonly db: Database.Database) {}

  // -- transactions spanning several requests --------------------------------------------------

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  begin(): void {
    this.db.exec('BEGIN');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  // -- pending objects ---------------------------------------------------------------------------

  /** Ids of rows pending sync, in id order (as SQLite's rowid scan returns them to Anki). */
  pendingIds(table: SyncIdTable, pendingUsn: number): number[] {
    assertTable(table, ID_TABLES);
    return this.db
      .prepare(`SELECT id FROM ${table} WHERE ${pendingClause(pendingUsn)} ORDER BY id`)
      .pluck()
      .all(...pendingArgs(pendingUsn)) as number[];
  }

  setUsns(table: SyncIdTable, ids: readonly number[], usn: number): void {
    assertTable(table, ID_TABLES);
    const st = this.db.prepare(`UPDATE ${table} SET usn = ? WHERE id = ?`);
    for (const id of ids) st.run(usn, id);
  }

  pendingTags(pendingUsn: number): string[] {
    return this.db
      .prepare(`SELECT tag FROM tags WHERE ${pendingClause(pendingUsn)} ORDER BY tag`)
      .pluck()
      .all(...pendingArgs(pendingUsn)) as string[];
  }

  setTagUsns(tags: readonly string[], usn: number): void {
    const st = this.db.prepare('UPDATE tags SET usn = ? WHERE tag = ?');
    for (const t of tags) st.run(usn, t);
  }

  pendingGraves(pendingUsn: number): { oid: number; type: number }[] {
    return this.db
      .prepare(`SELECT oid, type FROM graves WHERE ${pendingClause(pendingUsn)} ORDER BY oid, type`)
      .all(...pendingArgs(pendingUsn)) as { oid: number; type: number }[];
  }

  /** Client, before sending its deletions: they are stamped with the server's usn. */
  restampPendingGraves(usn: number): void {
    this.db.prepare('UPDATE graves SET usn = ? WHERE usn = -1').run(usn);
  }

  graveExists(oid: number, type: number): boolean {
    return this.db.prepare('SELECT 1 FROM graves WHERE oid = ? AND type = ?').get(oid, type) !== undefined;
  }

  revlogExists(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM revlog WHERE id = ?').get(id) !== undefined;
  }

  // -- config ------------------------------------------------------------------------------------

  /** Every config entry with its value as the stored JSON text; undecodable values are skipped. */
  rawConfig(): { key: string; json: string }[] {
    const out: { key: string; json: string }[] = [];
    for (const r of this.db.prepare('SELECT KEY, val FROM config ORDER BY KEY').all() as { KEY: string; val: Uint8Array | string }[]) {
      const text = typeof r.val === 'string' ? r.val : Buffer.from(r.val).toString('utf8');
      try {
        JSON.parse(text);
      } catch {
        continue;
      }
      out.push({ key: r.KEY, json: text });
    }
    return out;
  }

  clearConfigUsns(): void {
    this.db.prepare('UPDATE config SET usn = 0 WHERE usn != 0').run();
  }

  setAllConfigUsns(usn: number): void {
    this.db.prepare('UPDATE config SET usn = ?').run(usn);
  }

  // -- the col row -------------------------------------------------------------------------------

  stamps(): SyncStamps {
    return this.db.prepare('SELECT crt, mod, scm, usn, ls FROM col').get() as SyncStamps;
  }

  setCreationStamp(crt: number): void {
    this.db.prepare('UPDATE col SET crt = ?').run(crt);
  }

  setLastSync(ms: number): void {
    this.db.prepare('UPDATE col SET ls = ?').run(ms);
  }

  setUsn(usn: number): void {
    this.db.prepare('UPDATE col SET usn = ?').run(usn);
  }

  incrementUsn(): void {
    this.db.prepare('UPDATE col SET usn = usn + 1').run();
  }

  setSchemaModified(ms: number): void {
    this.db.prepare('UPDATE col SET scm = ?').run(ms);
  }

  setModified(ms: number): void {
    this.db.prepare('UPDATE col SET mod = ?').run(ms);
  }

  // -- counts ------------------------------------------------------------------------------------

  tableHasPendingUsn(table: (typeof SANITY_PENDING_TABLES)[number]): boolean {
    assertTable(table, COUNTED_TABLES);
    return this.db.prepare(`SELECT 1 FROM ${table} WHERE usn = -1 LIMIT 1`).get() !== undefined;
  }

  tableCount(table: 'cards' | 'notes' | 'revlog' | 'graves' | 'notetypes' | 'decks' | 'deck_config'): number {
    assertTable(table, COUNTED_TABLES);
    return this.db.prepare(`SELECT count() FROM ${table}`).pluck().get() as number;
  }

  haveAtLeastOneCard(): boolean {
    return this.db.prepare('SELECT 1 FROM cards LIMIT 1').get() !== undefined;
  }

  // -- full sync ---------------------------------------------------------------------------------

  /**
   * Anki's `before_upload`: no graves, no pending rows (pending → 0; decks, configs, notetypes and
   * tags → 0), usn + 1, scm = now, ls = scm, mod = now.
   */
  prepareForUpload(nowMs: number): void {
    this.db.transaction(() => {
      this.db.exec(`
        DELETE FROM graves;
        UPDATE notes SET usn = 0 WHERE usn = -1;
        UPDATE cards SET usn = 0 WHERE usn = -1;
        UPDATE revlog SET usn = 0 WHERE usn = -1;
        UPDATE tags SET usn = 0 WHERE usn != 0;
        UPDATE deck_config SET usn = 0 WHERE usn != 0;
        UPDATE decks SET usn = 0 WHERE usn != 0;
        UPDATE notetypes SET usn = 0 WHERE usn != 0;
        UPDATE col SET usn = usn + 1;
      `);
      this.db.prepare('UPDATE col SET scm = ?, ls = ?, mod = ?').run(nowMs, nowMs, nowMs);
    })();
  }

  /** Server, before sending its file for a full download: usn + 1, mod = now. */
  bumpForDownload(nowMs: number): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE col SET usn = usn + 1').run();
      this.db.prepare('UPDATE col SET mod = ?').run(nowMs);
    })();
  }

  /** After a full download: the file is in sync as of its own mod. */
  markSyncedAsOfMod(): void {
    this.db.prepare('UPDATE col SET ls = mod').run();
  }

  /** `vacuum; reindex; analyze` (needs the unicase collation, which the connection has). */
  optimize(): void {
    this.db.exec('VACUUM; REINDEX; ANALYZE;');
  }

  /** A consistent copy of the database in a new file. */
  vacuumInto(path: string): void {
    this.db.prepare('VACUUM INTO ?').run(path);
  }
}

// ---------------------------------------------------------------------------------------------
// the sync server's media database (`media.db`, Anki's server schema v4)

const SERVER_MEDIA_SCHEMA = `
CREATE TABLE media (
  fname text NOT NULL PRIMARY KEY,
  csum blob NOT NULL,
  -- if zero, file has been deleted
  size int NOT NULL,
  usn int NOT NULL,
  mtime int NOT NULL
);
CREATE INDEX ix_usn ON media (usn);
CREATE TABLE meta (
  last_usn int NOT NULL,
  total_bytes int NOT NULL,
  total_nonempty_files int NOT NULL
);
INSERT INTO meta (last_usn, total_bytes, total_nonempty_files) VALUES (0, 0, 0);
`;

export interface ServerMediaEntry {
  fname: string;
  sha1: Buffer;
  /** 0 = deleted */
  size: number;
  usn: number;
  mtime: number;
}

export interface ServerMediaMeta {
  lastUsn: number;
  totalBytes: number;
  totalNonemptyFiles: number;
}

export class ServerMediaDbStore {
  private constructor(private readonly db: Database.Database) {}

  static open(path: string): ServerMediaDbStore {
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: 0 });
    } catch (e) {
      throw new DeckhandError('io', `cannot open the server media database ${path}: ${(e as Error).message}`);
    }
    try {
      db.pragma('locking_mode = exclusive');
      db.pragma('journal_mode = wal');
      const ver = db.pragma('user_version', { simple: true }) as number;
      if (ver < 4) {
        if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media'").get())
          throw new Error(`media.db has the old schema version ${ver}; open it once with Anki's sync server to upgrade it`);
        db.transaction(() => {
          db.exec(SERVER_MEDIA_SCHEMA);
          db.pragma('user_version = 4');
        })();
      }
    } catch (e) {
      db.close();
      throw new DeckhandError('corrupt', `the server media database ${path} cannot be used: ${(e as Error).message}`);
    }
    return new ServerMediaDbStore(db);
  }

  meta(): ServerMediaMeta {
    const r = this.db.prepare('SELECT last_usn, total_bytes, total_nonempty_files FROM meta').get() as {
      last_usn: number;
      total_bytes: number;
      total_nonempty_files: number;
    };
    return { lastUsn: r.last_usn, totalBytes: r.total_bytes, totalNonemptyFiles: r.total_nonempty_files };
  }

  setMeta(m: ServerMediaMeta): void {
    this.db.prepare('UPDATE meta SET last_usn = ?, total_bytes = ?, total_nonempty_files = ?').run(m.lastUsn, m.totalBytes, m.totalNonemptyFiles);
  }

  /** Changes after a usn, ascending (clients use the last one's usn as their next cursor). */
  changesAfter(usn: number, limit = 1000): { fname: string; usn: number; sha1: string }[] {
    return this.db
      .prepare("SELECT fname, usn, CASE WHEN size > 0 THEN lower(hex(csum)) ELSE '' END AS sha1 FROM media WHERE usn > ? ORDER BY usn LIMIT ?")
      .all(usn, limit) as { fname: string; usn: number; sha1: string }[];
  }

  getEntry(fname: string): ServerMediaEntry | undefined {
    const r = this.db.prepare('SELECT fname, csum, size, usn, mtime FROM media WHERE fname = ?').get(fname) as
      | { fname: string; csum: Buffer; size: number; usn: number; mtime: number }
      | undefined;
    return r && { fname: r.fname, sha1: Buffer.from(r.csum), size: r.size, usn: r.usn, mtime: r.mtime };
  }

  setEntry(e: ServerMediaEntry): void {
    this.db.prepare('INSERT OR REPLACE INTO media (fname, csum, size, usn, mtime) VALUES (?, ?, ?, ?, ?)').run(e.fname, e.sha1, e.size, e.usn, e.mtime);
  }

  deleteEntry(fname: string): void {
    this.db.prepare('DELETE FROM media WHERE fname = ?').run(fname);
  }

  /** Runs fn in an exclusive transaction; rolls back if it throws. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).exclusive();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
