import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DeckhandError } from '../collection/errors';
import { CardStore } from './card-store';
import { DeckConfigStore, DeckStore } from './deck-store';
import { ColStore, ConfigStore, GraveStore, RevlogStore, TagStore } from './misc-stores';
import { NoteStore } from './note-store';
import { NotetypeStore } from './notetype-store';
import { registerUnicase } from './unicase';

export const SCHEMA_MIN = 11;
export const SCHEMA_MAX = 18;

/** Every table's SQL, behind one handle. Services never see SQL; they use these stores. */
export class Storage {
  readonly col: ColStore;
  readonly notes: NoteStore;
  readonly cards: CardStore;
  readonly decks: DeckStore;
  readonly deckConfigs: DeckConfigStore;
  readonly notetypes: NotetypeStore;
  readonly config: ConfigStore;
  readonly tags: TagStore;
  readonly graves: GraveStore;
  readonly revlog: RevlogStore;

  constructor(readonly db: Database.Database) {
    this.col = new ColStore(db);
    this.notes = new NoteStore(db);
    this.cards = new CardStore(db);
    this.decks = new DeckStore(db);
    this.deckConfigs = new DeckConfigStore(db);
    this.notetypes = new NotetypeStore(db);
    this.config = new ConfigStore(db);
    this.tags = new TagStore(db);
    this.graves = new GraveStore(db);
    this.revlog = new RevlogStore(db);
  }

  schemaVersion(): number {
    return this.db.prepare('SELECT ver FROM col').pluck().get() as number;
  }

  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n');
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Refuses, before SQLite touches it, a file that is not an SQLite database. */
export function assertSqliteFile(path: string): void {
  if (!existsSync(path)) throw new DeckhandError('not-found', `no collection at ${path}`);
  const size = statSync(path).size;
  if (size < 100) throw new DeckhandError('not-a-collection', `${path} is not an Anki collection: the file is empty or truncated (${size} bytes)`);
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(16);
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== SQLITE_MAGIC) throw new DeckhandError('not-a-collection', `${path} is not an Anki collection: it is not an SQLite database`);
}

export interface OpenDbOptions {
  create?: boolean;
  readonly?: boolean;
}

/**
 * Opens a collection file the way Anki does: unicase registered before any statement, exclusive
 * locking, WAL, 4 KiB pages, no busy wait. Throws a clear error when another program holds it.
 */
export function openDatabase(path: string, opts: OpenDbOptions = {}): Database.Database {
  if (!opts.create) assertSqliteFile(path);
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: !opts.create, readonly: opts.readonly ?? false, timeout: 0 });
  } catch (e) {
    throw new DeckhandError('io', `cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    registerUnicase(db);
    if (!opts.readonly) {
      db.pragma('locking_mode = exclusive');
      db.pragma('page_size = 4096');
      db.pragma('cache_size = -40960');
      db.pragma('legacy_file_format = false');
      db.pragma('journal_mode = wal');
      // Take the exclusive lock now, so a collection Anki holds is refused before we read a row.
      db.exec('BEGIN EXCLUSIVE; COMMIT');
    }
    db.prepare('SELECT count() FROM sqlite_master').get();
  } catch (e) {
    db.close();
    throw translateSqliteError(e, path);
  }
  return db;
}

export function translateSqliteError(e: unknown, path: string): Error {
  if (e instanceof DeckhandError) return e;
  const err = e as { code?: string; message?: string };
  if (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED')
    return new DeckhandError('collection-locked', `the collection is open in another program (close Anki or the other Deckhand first): ${path}`);
  if (err.code === 'SQLITE_NOTADB' || err.code === 'SQLITE_CORRUPT')
    return new DeckhandError('corrupt', `${path} is damaged and cannot be read (${err.message}); restore it from a backup`);
  return e as Error;
}
