// SQLite access the profile manager needs outside a collection: reading Anki's profile list
// (`prefs21.db`) without changing it, and copying SQLite files (collection, media DB) consistently.

import Database from 'better-sqlite3';
import { DeckhandError } from '../collection/errors';

/**
 * Profile names from Anki's `prefs21.db` (table `profiles(name, data)`; the `_global` row holds
 * Anki's own settings), opened read-only. Throws if the file cannot be read; the caller decides
 * what to fall back to.
 */
export function readAnkiProfileNames(prefsPath: string): string[] {
  const db = new Database(prefsPath, { readonly: true, fileMustExist: true, timeout: 0 });
  try {
    return db.prepare("SELECT name FROM profiles WHERE name != '_global'").pluck().all() as string[];
  } finally {
    db.close();
  }
}

const lockedError = (path: string) =>
  new DeckhandError('collection-locked', `${path} is open in another program (Anki?). Close Anki — or switch Anki to a different profile — and try again.`);

function openForCopy(path: string): Database.Database {
  let db: Database.Database;
  try {
    // read-write without changing the journal mode: a WAL file's -wal/-shm are cleaned up on close
    db = new Database(path, { fileMustExist: true, timeout: 0 });
  } catch (e) {
    throw new DeckhandError('io', `cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    // Anki holds its collection with an exclusive lock: any read fails with SQLITE_BUSY
    db.prepare('SELECT count() FROM sqlite_master').get();
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw lockedError(path);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new DeckhandError('corrupt', `${path} is damaged and cannot be read (${(e as Error).message})`);
    throw e;
  }
  return db;
}

/** Throws `collection-locked` when another program (Anki) holds the SQLite file. */
export function assertSqliteFileNotLocked(path: string): void {
  openForCopy(path).close();
}

/**
 * Copies an SQLite file with SQLite's online backup (a consistent snapshot that includes what is
 * still in a -wal file). Refuses with `collection-locked` while another program holds it.
 */
export async function copySqliteFile(src: string, dest: string): Promise<void> {
  const db = openForCopy(src);
  try {
    await db.backup(dest);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw lockedError(src);
    throw e;
  } finally {
    db.close();
  }
}
