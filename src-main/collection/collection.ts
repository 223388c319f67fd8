import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase, SCHEMA_MAX, SCHEMA_MIN, Storage, translateSqliteError } from '../storage/storage';
import { upgradeToSchema18 } from '../storage/upgrade';
import { type Clock, secs, systemClock } from './clock';
import { initializeNewCollection } from './create';
import { DeckhandError } from './errors';
import { anyChange, type OpResult } from './op-changes';
import { Tx, type TxOptions } from './tx';
import { currentImage, restoreImage, type UndoStep } from './undo';

const UNDO_LIMIT = 30;

export interface OpenOptions {
  clock?: Clock;
  /** Where the pre-upgrade copy goes (default: beside the file). */
  backupDir?: string;
}

export interface UndoStatus {
  undo: string | null;
  redo: string | null;
}

/**
 * An open collection: the storage handle plus the one mutation primitive (`transact`) and the
 * undo/redo stacks. Everything that changes the collection goes through `transact`.
 */
export class Collection {
  readonly storage: Storage;
  private undoStack: UndoStep[] = [];
  private redoStack: UndoStep[] = [];
  private closed = false;
  /** Set while a long operation (a sync) holds the collection; other writers are refused. */
  private heldBy: { token: symbol; message: string } | null = null;
  private listeners = new Set<(op: string, changes: OpResult<unknown>['changes']) => void>();

  private constructor(
    readonly path: string,
    readonly db: Database.Database,
    readonly clock: Clock,
  ) {
    this.storage = new Storage(db);
  }

  /** Creates a new collection file with the contents of a brand-new Anki collection. */
  static create(path: string, opts: OpenOptions = {}): Collection {
    if (existsSync(path)) throw new DeckhandError('invalid-input', `a file already exists at ${path}`);
    mkdirSync(dirname(path), { recursive: true });
    const clock = opts.clock ?? systemClock;
    const db = openDatabase(path, { create: true });
    try {
      initializeNewCollection(db, clock.nowMs());
    } catch (e) {
      db.close();
      throw e;
    }
    return new Collection(path, db, clock);
  }

  /** Opens an existing collection (schema 11, 14–18), upgrading it to 18 in place as Anki does. */
  static open(path: string, opts: OpenOptions = {}): Collection {
    const clock = opts.clock ?? systemClock;
    const db = openDatabase(path);
    try {
      let ver: number;
      try {
        ver = db.prepare('SELECT ver FROM col').pluck().get() as number;
      } catch {
        throw new DeckhandError('not-a-collection', `${path} is an SQLite file but not an Anki collection (no col table)`);
      }
      if (ver > SCHEMA_MAX || ver === 12 || ver === 13)
        throw new DeckhandError('schema-too-new', `${basename(path)} was written by a newer Anki (schema ${ver}); this Deckhand reads schema ${SCHEMA_MIN} and 14–${SCHEMA_MAX}. Update Deckhand.`);
      if (ver < SCHEMA_MIN) throw new DeckhandError('schema-too-old', `${basename(path)} uses schema ${ver}, from Anki 2.0 or older; open it in Anki 2.1 once to upgrade it.`);
      if (ver < SCHEMA_MAX) {
        const backupDir = opts.backupDir ?? dirname(path);
        mkdirSync(backupDir, { recursive: true });
        // Check-point so the copy holds everything, then copy before touching the schema.
        db.pragma('wal_checkpoint(TRUNCATE)');
        copyFileSync(path, join(backupDir, `${basename(path)}.schema${ver}.bak`));
        db.transaction(() => upgradeToSchema18(db, ver, clock.nowMs()))();
      }
    } catch (e) {
      db.close();
      throw translateSqliteError(e, path);
    }
    return new Collection(path, db, clock);
  }

  /**
   * The mutation primitive: runs `fn` in one SQLite transaction, stamps mod/usn, bumps the
   * collection mtime, records an undo step named `op` and returns what changed.
   */
  transact<T>(op: string, fn: (tx: Tx) => T, opts: TxOptions & { undoable?: boolean | 'skip'; hold?: symbol } = {}): OpResult<T> {
    this.assertOpen();
    this.assertNotHeld(opts.hold);
    const tx = new Tx(this.storage, this.clock.nowMs(), opts);
    let result!: T;
    try {
      this.db.transaction(() => {
        result = fn(tx);
        tx.runCommitHooks();
        if (tx.schemaChanged) this.db.prepare('UPDATE col SET scm = ?').run(tx.nowMs);
        if (anyChange(tx.changes) && !opts.keepStamps) this.storage.col.setMod(tx.nowMs);
      })();
    } catch (e) {
      this.storage.notetypes.clearCache();
      throw translateSqliteError(e, this.path);
    }
    if (anyChange(tx.changes)) {
      if (opts.undoable === 'skip') {
        // e.g. collapsing a deck: not worth an undo step, and must not clear the real ones
      } else if (opts.undoable === false) {
        this.undoStack = [];
        this.redoStack = [];
      } else {
        this.undoStack.push({ op, images: tx.images });
        if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
        this.redoStack = [];
      }
      this.emit(op, tx.changes);
    }
    return { result, changes: tx.changes };
  }

  undoStatus(): UndoStatus {
    return { undo: this.undoStack.at(-1)?.op ?? null, redo: this.redoStack.at(-1)?.op ?? null };
  }

  undo(): OpResult<{ op: string }> {
    return this.replay(this.undoStack, this.redoStack, 'undo');
  }

  redo(): OpResult<{ op: string }> {
    return this.replay(this.redoStack, this.undoStack, 'redo');
  }

  private replay(from: UndoStep[], to: UndoStep[], what: string): OpResult<{ op: string }> {
    this.assertOpen();
    this.assertNotHeld();
    const step = from.pop();
    if (!step) throw new DeckhandError('nothing-to-undo', `nothing to ${what}`);
    const tx = new Tx(this.storage, this.clock.nowMs());
    const reverse: UndoStep = { op: step.op, images: [] };
    this.db.transaction(() => {
      for (const img of [...step.images].reverse()) {
        reverse.images.push(currentImage(this.storage, img));
        restoreImage(this.storage, img, tx.nowSecs);
        tx.changes[({ notes: 'notes', cards: 'cards', decks: 'decks', deck_config: 'deckConfigs', notetypes: 'notetypes', config: 'config', tags: 'tags', graves: 'notes', revlog: 'revlog' } as const)[img.table]] = true;
      }
      tx.changes.studyQueues = true;
      this.storage.col.setMod(tx.nowMs);
    })();
    this.storage.notetypes.clearCache();
    reverse.images.reverse();
    to.push(reverse);
    this.emit(`${what} ${step.op}`, tx.changes);
    return { result: { op: step.op }, changes: tx.changes };
  }

  /**
   * Keeps every other writer out (transact, undo, redo fail with `busy` and `message`) until
   * released: for a sync, whose transaction stays open across network calls. The holder writes
   * through `hold.transact`.
   */
  hold(message: string): { transact: Collection['transact']; release: () => void } {
    if (this.heldBy) throw new DeckhandError('busy', this.heldBy.message);
    const token = Symbol('hold');
    this.heldBy = { token, message };
    return {
      transact: (op, fn, opts = {}) => this.transact(op, fn, { ...opts, hold: token }),
      release: () => {
        if (this.heldBy?.token === token) this.heldBy = null;
      },
    };
  }

  private assertNotHeld(token?: symbol): void {
    if (this.heldBy && this.heldBy.token !== token) throw new DeckhandError('busy', this.heldBy.message);
  }

  /** Subscribe to committed changes (the IPC layer pushes them to the window). */
  onChange(listener: (op: string, changes: OpResult<unknown>['changes']) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(op: string, changes: OpResult<unknown>['changes']): void {
    for (const l of this.listeners) {
      try {
        l(op, changes);
      } catch {
        /* a listener's failure must not undo a committed change */
      }
    }
  }

  nowSecs(): number {
    return secs(this.clock.nowMs());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new DeckhandError('invalid-input', 'the collection is closed');
  }

  /** Check-points the WAL into the main file and closes it, so other programs can open it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      /* a failed checkpoint leaves the -wal file, which SQLite replays on next open */
    }
    this.db.close();
  }
}
