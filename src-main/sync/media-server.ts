// The server side of media sync (rslib/src/sync/http_server/media_manager and
// sync/media/database/server): a flat `media/` folder per user and `media.db` recording, per
// file, its SHA-1, size (0 = deleted) and the usn of its last change.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerMediaDbStore } from '../storage/sync-store';
import { MAX_MEDIA_FILES_IN_ZIP, MEDIA_SYNC_TARGET_ZIP_BYTES, MediaZipError, unzipAndValidateUpload, zipFilesForDownload } from './media-zip';
import type { MediaChange } from './protocol';

/** An error the HTTP layer turns into a bare status reply. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

export class ServerMediaManager {
  readonly folder: string;
  readonly db: ServerMediaDbStore;

  constructor(
    userFolder: string,
    private readonly nowSecs: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.folder = join(userFolder, 'media');
    mkdirSync(this.folder, { recursive: true });
    this.db = ServerMediaDbStore.open(join(userFolder, 'media.db'));
  }

  close(): void {
    this.db.close();
  }

  lastUsn(): number {
    return this.db.meta().lastUsn;
  }

  /** Up to 1000 changes after `usn`, ascending. */
  changes(afterUsn: number): MediaChange[] {
    return this.db.changesAfter(afterUsn, 1000);
  }

  sanityCheck(clientCount: number): 'OK' | 'mediaSanity' {
    return this.db.meta().totalNonemptyFiles === clientCount ? 'OK' : 'mediaSanity';
  }

  /**
   * The requested files, in order, as a download zip; stops adding once 2.5 MiB are in. A name
   * the server lacks (or whose file vanished, which is then forgotten) → 409; > 25 names → 400.
   */
  zipFilesForDownload(files: string[]): Uint8Array {
    if (files.length > MAX_MEDIA_FILES_IN_ZIP) throw new HttpStatusError(400, 'too many files requested');
    const entries = [];
    let size = 0;
    for (const fname of files) {
      const e = this.db.getEntry(fname);
      if (!e || e.size === 0) throw new HttpStatusError(409, `missing/empty file entry: ${fname}`);
      entries.push(e);
      size += e.size;
      if (size > MEDIA_SYNC_TARGET_ZIP_BYTES) break;
    }
    const out: { fname: string; data: Uint8Array }[] = [];
    for (const e of entries) {
      let data: Buffer;
      try {
        data = readFileSync(join(this.folder, e.fname));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // probably an interrupted deletion: forget it without recording a deletion
        this.db.transaction(() => {
          const m = this.db.meta();
          this.db.setMeta({ lastUsn: m.lastUsn, totalBytes: Math.max(0, m.totalBytes - e.size), totalNonemptyFiles: Math.max(0, m.totalNonemptyFiles - 1) });
          this.db.deleteEntry(e.fname);
        });
        throw new HttpStatusError(409, `requested a file that doesn't exist: ${e.fname}`);
      }
      out.push({ fname: e.fname, data });
    }
    return zipFilesForDownload(out);
  }

  /**
   * Applies an upload zip: additions/replacements/deletions each take the next usn; identical
   * re-uploads and deletions of absent files take none but still count as processed.
   */
  processUploadedChanges(zip: Uint8Array): { processed: number; currentUsn: number } {
    let changes;
    try {
      changes = unzipAndValidateUpload(zip);
    } catch (e) {
      if (e instanceof MediaZipError) throw new HttpStatusError(400, `unzip files: ${e.message}`);
      throw e;
    }
    let processed = 0;
    const currentUsn = this.db.transaction(() => {
      const meta = this.db.meta();
      const now = this.nowSecs();
      for (const change of changes) {
        const existing = this.db.getEntry(change.fname);
        const live = existing && existing.size > 0 ? existing : undefined;
        const path = join(this.folder, change.fname);
        if (change.kind === 'delete') {
          if (live) {
            meta.totalBytes = Math.max(0, meta.totalBytes - live.size);
            meta.totalNonemptyFiles = Math.max(0, meta.totalNonemptyFiles - 1);
            this.db.setEntry({ ...live, size: 0, usn: ++meta.lastUsn, mtime: now });
            rmSync(path, { force: true });
          }
        } else {
          const sha1 = Buffer.from(change.sha1, 'hex');
          if (!live) {
            meta.totalBytes += change.data.length;
            meta.totalNonemptyFiles += 1;
            this.db.setEntry({ fname: change.fname, sha1, size: change.data.length, usn: ++meta.lastUsn, mtime: now });
            writeFileSync(path, change.data);
          } else if (!live.sha1.equals(sha1)) {
            meta.totalBytes = Math.max(0, meta.totalBytes - live.size) + change.data.length;
            this.db.setEntry({ fname: change.fname, sha1, size: change.data.length, usn: ++meta.lastUsn, mtime: now });
            writeFileSync(path, change.data);
          }
        }
        processed++;
      }
      this.db.setMeta(meta);
      return meta.lastUsn;
    });
    return { processed, currentUsn };
  }
}
