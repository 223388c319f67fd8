// The media folder beside a collection and its media database, with Anki's rules for adding,
// trashing and scanning files (rslib/src/media/{mod,files}.rs and the media change tracker).

import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DeckhandError } from '../collection/errors';
import { type MediaEntry, MediaDbStore } from '../storage/media-store';
import {
  addHashSuffixToFileStem,
  filenameIfNormalized,
  isNonsyncableFilename,
  MAX_INDIVIDUAL_MEDIA_FILE_SIZE,
  normalizeFilename,
  sha1Hex,
} from './filenames';

export interface MediaPaths {
  /** `collection.media/` */
  folder: string;
  /** `collection.media.db2` */
  db: string;
  /** `media.trash/`, beside the media folder (Anki's trash for removed files). */
  trash: string;
}

/** Anki's layout: `X.anki2` → `X.media/` and `X.media.db2`; the trash is `media.trash/` beside them. */
export function mediaPathsForCollection(colPath: string): MediaPaths {
  const folder = /\.anki2$/i.test(colPath) ? colPath.replace(/\.anki2$/i, '.media') : `${colPath}.media`;
  return { folder, db: `${folder}.db2`, trash: join(dirname(folder), 'media.trash') };
}

/** mtime in whole milliseconds (Anki's `mtime_as_i64`), used for the folder and for added files. */
export function mtimeMs(path: string): number {
  return Number(statSync(path, { bigint: true }).mtimeNs / 1_000_000n);
}

/** mtime in whole seconds, as the change tracker records scanned files. */
function mtimeSecs(path: string): number {
  return Number(statSync(path, { bigint: true }).mtimeNs / 1_000_000_000n);
}

function readIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Rejects names that are not a single plain file name inside the folder. */
function assertPlainName(fname: string): void {
  if (!fname || fname === '.' || fname === '..' || fname.includes('/') || fname.includes('\\') || fname.includes('\0'))
    throw new DeckhandError('invalid-input', `"${fname}" is not a valid media file name`);
}

export interface MediaFileInfo {
  fname: string;
  size: number;
  mtimeMs: number;
}

/**
 * The media folder and media DB of one collection. Open it with {@link MediaManager.open}
 * (creates the folder and the DB if missing) and close it when done.
 */
export class MediaManager {
  readonly db: MediaDbStore;

  private constructor(readonly paths: MediaPaths) {
    mkdirSync(paths.folder, { recursive: true });
    this.db = MediaDbStore.open(paths.db);
  }

  static open(paths: MediaPaths): MediaManager {
    return new MediaManager(paths);
  }

  static forCollection(colPath: string): MediaManager {
    return new MediaManager(mediaPathsForCollection(colPath));
  }

  get folder(): string {
    return this.paths.folder;
  }

  close(): void {
    this.db.close();
  }

  /**
   * Anki's media transaction: runs `fn` (file and DB work) in one DB transaction; if the DB
   * matched the folder before, the stored folder mtime follows the folder's new mtime so the
   * next scan does not rescan for our own change.
   */
  private transact<T>(fn: () => T): T {
    const startFolderMtime = mtimeMs(this.folder);
    return this.db.transact(() => {
      const out = fn();
      const meta = this.db.getMeta();
      if (meta.folderMtime === startFolderMtime) {
        meta.folderMtime = mtimeMs(this.folder);
        this.db.setMeta(meta);
      }
      return out;
    });
  }

  /**
   * Adds a file as Anki does, returning the name it was stored under: the name is normalised;
   * an identical file under that name is reused; a name with upper-case letters is retried in
   * lower case; otherwise the file is written, or, if another file holds the name, stored as
   * `stem-<sha1>.ext`. The DB entry is marked dirty with the new checksum and mtime.
   */
  addFile(desiredName: string, data: Uint8Array): string {
    const sha1 = sha1Hex(data);
    if (!normalizeFilename(desiredName)) throw new DeckhandError('invalid-input', `"${desiredName}" has no usable characters for a media file name`);
    return this.transact(() => {
      const chosen = this.addDataToFolderUniquely(desiredName, data, sha1);
      const mtime = mtimeMs(join(this.folder, chosen));
      const existing = this.db.getEntry(chosen);
      if (!existing || existing.sha1 !== sha1) this.db.setEntry({ fname: chosen, sha1, mtime, dirty: true });
      return chosen;
    });
  }

  /** Anki's `add_data_to_folder_uniquely` (no DB work). */
  private addDataToFolderUniquely(desiredName: string, data: Uint8Array, sha1: string): string {
    const normalized = normalizeFilename(desiredName);
    const target = join(this.folder, normalized);
    const existing = readIfExists(target);
    const existingHash = existing ? sha1Hex(existing) : null;
    if (existingHash === sha1) return normalized;
    const lower = normalized.toLowerCase();
    if (lower !== normalized) return this.addDataToFolderUniquely(lower, data, sha1);
    if (existingHash === null) {
      writeFileSync(target, data);
      return normalized;
    }
    const hashed = addHashSuffixToFileStem(normalized, sha1);
    writeFileSync(join(this.folder, hashed), data);
    return hashed;
  }

  /**
   * Moves files to `media.trash/` (replacing a same-named file there, stamping it now) and marks
   * their DB entries deleted and dirty. Missing files are skipped. (Anki stops moving at the
   * first missing file but still marks every entry; we move all the others.)
   */
  trashFiles(fnames: readonly string[]): void {
    if (!fnames.length) return;
    for (const f of fnames) assertPlainName(f);
    this.transact(() => {
      mkdirSync(this.paths.trash, { recursive: true });
      for (const fname of fnames) {
        const src = join(this.folder, fname);
        if (!existsSync(src)) continue;
        const dst = join(this.paths.trash, fname);
        renameSync(src, dst);
        const now = new Date();
        utimesSync(dst, now, now);
      }
      for (const fname of fnames) {
        const entry = this.db.getEntry(fname);
        if (entry) this.db.setEntry({ ...entry, sha1: null, mtime: 0, dirty: true });
      }
    });
  }

  /** The bytes of a media file, or null if there is none by that name. */
  readFile(fname: string): Buffer | null {
    assertPlainName(fname);
    const p = join(this.folder, fname);
    try {
      if (!lstatSync(p).isFile()) return null;
    } catch {
      return null;
    }
    return readIfExists(p);
  }

  hasFile(fname: string): boolean {
    return this.readFile(fname) !== null;
  }

  /** Plain files in the media folder (not subfolders), sorted by name, with size and mtime. */
  listFiles(): MediaFileInfo[] {
    const out: MediaFileInfo[] = [];
    for (const d of readdirSync(this.folder, { withFileTypes: true })) {
      if (!d.isFile()) continue;
      const st = statSync(join(this.folder, d.name), { bigint: true });
      out.push({ fname: d.name, size: Number(st.size), mtimeMs: Number(st.mtimeNs / 1_000_000n) });
    }
    return out.sort((a, b) => compareCodePoints(a.fname, b.fname));
  }

  /** File names in the media folder matching a glob-like pattern (`*` and `?`), as AnkiConnect's getMediaFilesNames. */
  listFileNames(pattern = '*'): string[] {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^]*').replaceAll('?', '[^]')}$`, 'u');
    return this.listFiles()
      .map((f) => f.fname)
      .filter((n) => re.test(n));
  }

  /** Files in `media.trash/`: count and total bytes (Check Media reports them). */
  trashStats(): { count: number; bytes: number } {
    mkdirSync(this.paths.trash, { recursive: true });
    let count = 0;
    let bytes = 0;
    for (const d of readdirSync(this.paths.trash, { withFileTypes: true })) {
      if (d.name === '.DS_Store') continue;
      count++;
      bytes += statSync(join(this.paths.trash, d.name)).size;
    }
    return { count, bytes };
  }

  /** Deletes everything in `media.trash/`. */
  emptyTrash(): void {
    mkdirSync(this.paths.trash, { recursive: true });
    for (const d of readdirSync(this.paths.trash)) {
      const p = join(this.paths.trash, d);
      if (lstatSync(p).isDirectory()) continue;
      unlinkSync(p);
    }
  }

  /**
   * Moves trashed files back: a name that is free is renamed back; otherwise the data is added
   * like a new file (same content reused, different content renamed) and the trash copy removed.
   */
  restoreTrash(): void {
    mkdirSync(this.paths.trash, { recursive: true });
    for (const d of readdirSync(this.paths.trash)) {
      const src = join(this.paths.trash, d);
      if (lstatSync(src).isDirectory()) continue;
      const orig = join(this.folder, d);
      if (!existsSync(orig)) {
        renameSync(src, orig);
      } else {
        const data = readIfExists(src);
        if (data) this.addFile(d, data);
        unlinkSync(src);
      }
    }
  }

  /**
   * Anki's change tracker: if the folder's mtime differs from the one recorded, rescan it —
   * register new and changed files (dirty unless only the mtime moved), and mark files gone from
   * disk as deleted. Non-normalised names, `thumbs.db`/`.ds_store`, empty and > 100 MiB files are
   * ignored.
   */
  registerChanges(): void {
    this.db.transact(() => {
      const dirMod = mtimeMs(this.folder);
      const meta = this.db.getMeta();
      if (dirMod === meta.folderMtime) return;
      meta.folderMtime = dirMod;
      const mtimes = this.db.allMtimes();
      const changed: { fname: string; sha1: string; mtime: number; isNew: boolean }[] = [];
      for (const d of readdirSync(this.folder, { withFileTypes: true })) {
        if (!d.isFile()) continue;
        const fname = filenameIfNormalized(d.name);
        if (fname === null || isNonsyncableFilename(fname)) continue;
        const p = join(this.folder, d.name);
        const size = statSync(p).size;
        if (size > MAX_INDIVIDUAL_MEDIA_FILE_SIZE || size === 0) continue;
        const previous = mtimes.get(fname);
        mtimes.delete(fname);
        const mtime = mtimeSecs(p);
        if (previous !== undefined && previous === mtime) continue;
        changed.push({ fname, sha1: sha1Hex(readFileSync(p)), mtime, isNew: previous === undefined });
      }
      for (const f of changed) {
        let dirty = true;
        if (!f.isNew) {
          const e = this.db.getEntry(f.fname);
          if (e && e.sha1 === f.sha1) dirty = e.dirty;
        }
        this.db.setEntry({ fname: f.fname, sha1: f.sha1, mtime: f.mtime, dirty });
      }
      for (const fname of mtimes.keys()) this.db.setEntry({ fname, sha1: null, mtime: 0, dirty: true });
      this.db.setMeta(meta);
    });
  }

  /** The DB row of a file, if any. */
  entry(fname: string): MediaEntry | undefined {
    return this.db.getEntry(fname);
  }
}

/** Orders strings by Unicode code point (Rust's `str` order), not UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** Opens the media of a collection path, runs `fn`, closes it. */
export function withMedia<T>(colPath: string, fn: (m: MediaManager) => T): T {
  const m = MediaManager.forCollection(colPath);
  try {
    return fn(m);
  } finally {
    m.close();
  }
}

// Collection-level conveniences: each opens the collection's media, does one thing, closes it.

/** The media folder of a collection (`collection.media/`). */
export function mediaFolder(col: { path: string }): string {
  return mediaPathsForCollection(col.path).folder;
}

/** Adds a file with Anki's naming and dedupe rules; returns the name it was stored under. */
export function addMediaFile(col: { path: string }, desiredName: string, data: Uint8Array): string {
  return withMedia(col.path, (m) => m.addFile(desiredName, data));
}

/** Moves files to `media.trash/` and marks them deleted in the media DB. */
export function trashMediaFiles(col: { path: string }, fnames: readonly string[]): void {
  withMedia(col.path, (m) => m.trashFiles(fnames));
}

export function readMediaFile(col: { path: string }, fname: string): Buffer | null {
  return withMedia(col.path, (m) => m.readFile(fname));
}

export function listMediaFiles(col: { path: string }): MediaFileInfo[] {
  return withMedia(col.path, (m) => m.listFiles());
}
