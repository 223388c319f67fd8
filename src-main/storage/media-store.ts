import Database from 'better-sqlite3';
import { DeckhandError } from '../collection/errors';

// The media database beside a collection (`collection.media.db2`): a cache of the media folder's
// files and their checksums for media sync. The schema is Anki's file format (spec §6).
export const MEDIA_DB_SCHEMA = `CREATE TABLE media (
  fname text NOT NULL PRIMARY KEY,
  -- null indicates deleted file
  csum text,
  -- zero if deleted
  mtime int NOT NULL,
  dirty int NOT NULL
) without rowid;
CREATE INDEX idx_media_dirty ON media (dirty)
WHERE dirty = 1;
CREATE TABLE meta (dirMod int, lastUsn int);
INSERT INTO meta
VALUES (0, 0);
`;

export interface MediaEntry {
  fname: string;
  /** Lower-case hex SHA-1; null when the file was deleted. */
  sha1: string | null;
  /** File mtime (0 if deleted). Anki writes ms when it adds a file and seconds when it scans the folder. */
  mtime: number;
  /** Changed since the last media sync. */
  dirty: boolean;
}

export interface MediaMeta {
  /** Media folder mtime (ms) when the DB was last known to match the folder. */
  folderMtime: number;
  lastSyncUsn: number;
}

interface MediaRow {
  fname: string;
  csum: string | null;
  mtime: number;
  dirty: number;
}

const fromRow = (r: MediaRow): MediaEntry => ({
  fname: r.fname,
  sha1: typeof r.csum === 'string' && /^[0-9a-fA-F]{40}$/.test(r.csum) ? r.csum.toLowerCase() : null,
  mtime: r.mtime,
  dirty: r.dirty !== 0,
});

/** SQL for `collection.media.db2`. Opened like Anki does: 4 KiB pages, WAL, created if missing. */
export class MediaDbStore {
  private constructor(readonly db: Database.Database) {}

  static open(path: string): MediaDbStore {
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: 5000 });
    } catch (e) {
      throw new DeckhandError('io', `cannot open the media database ${path}: ${(e as Error).message}`);
    }
    try {
      db.pragma('page_size = 4096');
      db.pragma('legacy_file_format = false');
      db.pragma('journal_mode = wal');
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media'").get();
      if (!exists) {
        db.exec('BEGIN');
        db.exec(MEDIA_DB_SCHEMA);
        db.exec('COMMIT');
        db.exec('VACUUM');
        db.exec('ANALYZE');
      }
    } catch (e) {
      db.close();
      throw new DeckhandError('corrupt', `the media database ${path} cannot be used: ${(e as Error).message}`);
    }
    return new MediaDbStore(db);
  }

  /** Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws. */
  transact<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  getEntry(fname: string): MediaEntry | undefined {
    const r = this.db.prepare('SELECT fname, csum, mtime, dirty FROM media WHERE fname = ?').get(fname) as MediaRow | undefined;
    return r && fromRow(r);
  }

  setEntry(e: MediaEntry): void {
    this.db.prepare('INSERT OR REPLACE INTO media (fname, csum, mtime, dirty) VALUES (?, ?, ?, ?)').run(e.fname, e.sha1, e.mtime, e.dirty ? 1 : 0);
  }

  removeEntry(fname: string): void {
    this.db.prepare('DELETE FROM media WHERE fname = ?').run(fname);
  }

  getMeta(): MediaMeta {
    const r = this.db.prepare('SELECT dirMod, lastUsn FROM meta').get() as { dirMod: number; lastUsn: number };
    return { folderMtime: r.dirMod, lastSyncUsn: r.lastUsn };
  }

  setMeta(m: MediaMeta): void {
    this.db.prepare('UPDATE meta SET dirMod = ?, lastUsn = ?').run(m.folderMtime, m.lastSyncUsn);
  }

  /** Every row, deleted ones included. */
  allEntries(): MediaEntry[] {
    return (this.db.prepare('SELECT fname, csum, mtime, dirty FROM media').all() as MediaRow[]).map(fromRow);
  }

  /** fname → mtime of every file that exists (csum not null). */
  allMtimes(): Map<string, number> {
    const rows = this.db.prepare('SELECT fname, mtime FROM media WHERE csum IS NOT NULL').all() as { fname: string; mtime: number }[];
    return new Map(rows.map((r) => [r.fname, r.mtime]));
  }

  /** Number of existing (not deleted) files. */
  count(): number {
    return this.db.prepare('SELECT count(*) FROM media WHERE csum IS NOT NULL').pluck().get() as number;
  }

  pendingUploads(limit: number): MediaEntry[] {
    return (this.db.prepare('SELECT fname, csum, mtime, dirty FROM media WHERE dirty = 1 LIMIT ?').all(limit) as MediaRow[]).map(fromRow);
  }

  close(): void {
    if (this.db.open) {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        /* leave the -wal file; SQLite replays it on next open */
      }
      this.db.close();
    }
  }
}
