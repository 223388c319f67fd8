// The client side of media sync (rslib/src/sync/media/syncer.rs): scan the folder, fetch the
// server's changes after our last usn (server wins), send our dirty entries in zips of ≤ 25
// files / ~2.5 MiB, and finish with a file-count sanity check.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_INDIVIDUAL_MEDIA_FILE_SIZE, normalizeFilename, sha1Hex } from '../media/filenames';
import { type MediaManager, mtimeMs } from '../media/media-service';
import type { MediaEntry } from '../storage/media-store';
import { MAX_MEDIA_FILES_IN_ZIP, MEDIA_SYNC_TARGET_ZIP_BYTES, MediaZipError, unzipDownload, zipFilesForUpload } from './media-zip';
import type { MediaChange } from './protocol';
import type { SyncClient } from './sync-client';
import { SyncError } from './wire';

export interface MediaSyncProgress {
  checked: number;
  downloadedFiles: number;
  downloadedDeletions: number;
  uploadedFiles: number;
  uploadedDeletions: number;
}

export interface MediaSyncResult extends MediaSyncProgress {
  /** False when both sides were already in step (no sanity check was needed). */
  changed: boolean;
}

type LocalState = 'not-in-db' | 'in-db-not-pending' | 'in-db-pending';
type RequiredChange = 'none' | 'download' | 'delete' | 'remove-pending';

/** Anki's determine_required_change: the server wins, except a local addition over a server deletion. */
export function requiredMediaChange(localSha1: string, remoteSha1: string, local: LocalState): RequiredChange {
  if (localSha1 === '' && remoteSha1 === '') return local === 'not-in-db' ? 'none' : 'delete';
  if (localSha1 === '') return 'download';
  if (remoteSha1 === '') return local === 'in-db-pending' ? 'none' : 'delete';
  if (localSha1 === remoteSha1) return local === 'in-db-pending' ? 'remove-pending' : 'none';
  return 'download';
}

const isPlainName = (n: string) => n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\\') && !n.includes('\0');

interface AddedFile {
  fname: string;
  sha1: string;
  mtime: number;
  renamedFrom: string | null;
}

/** Anki's add_file_from_ankiweb: a normalised name is written as is; another one is renamed. */
function addFileFromServer(mgr: MediaManager, fname: string, data: Uint8Array): AddedFile | null {
  const sha1 = sha1Hex(data);
  const normalized = normalizeFilename(fname);
  if (normalized === fname && isPlainName(fname)) {
    const path = join(mgr.folder, fname);
    writeFileSync(path, data);
    return { fname, sha1, mtime: mtimeMs(path), renamedFrom: null };
  }
  if (!normalized) return null;
  const stored = mgr.addFile(fname, data);
  return { fname: stored, sha1, mtime: mtimeMs(join(mgr.folder, stored)), renamedFrom: fname };
}

export interface MediaSyncOptions {
  /** The server's media usn from the collection `meta` (saves a `begin` call). */
  serverUsn?: number;
  onProgress?: (p: MediaSyncProgress) => void;
}

export async function syncMedia(mgr: MediaManager, client: SyncClient, opts: MediaSyncOptions = {}): Promise<MediaSyncResult> {
  const progress: MediaSyncProgress = { checked: 0, downloadedFiles: 0, downloadedDeletions: 0, uploadedFiles: 0, uploadedDeletions: 0 };
  const report = () => opts.onProgress?.({ ...progress });
  mgr.registerChanges();
  const clientUsn = mgr.db.getMeta().lastSyncUsn;
  const serverUsn = opts.serverUsn ?? (await client.mediaBegin()).usn;
  let changed = false;
  if (clientUsn !== serverUsn) {
    await fetchChanges(mgr, client, progress, report);
    changed = true;
  }
  if (mgr.db.pendingUploads(1).length) {
    await sendChanges(mgr, client, progress, report);
    changed = true;
  }
  if (changed) {
    const reply = await client.mediaSanity(mgr.db.count());
    if (reply !== 'OK') {
      // as Anki: forget everything so the next sync compares from scratch
      mgr.db.transact(() => {
        for (const e of mgr.db.allEntries()) mgr.db.removeEntry(e.fname);
        mgr.db.setMeta({ folderMtime: 0, lastSyncUsn: 0 });
      });
      throw new SyncError('media-resync-required', 'The media files here and on the server did not match after syncing. Sync again to compare them from scratch.');
    }
  }
  return { ...progress, changed };
}

async function fetchChanges(mgr: MediaManager, client: SyncClient, progress: MediaSyncProgress, report: () => void): Promise<void> {
  let lastUsn = mgr.db.getMeta().lastSyncUsn;
  for (;;) {
    const batch: MediaChange[] = await client.mediaChanges(lastUsn);
    if (!batch.length) break;
    lastUsn = batch[batch.length - 1].usn;
    progress.checked += batch.length;

    const toDownload: string[] = [];
    const toDelete: string[] = [];
    const toRemovePending: string[] = [];
    for (const remote of batch) {
      if (!isPlainName(remote.fname)) continue; // never touch paths outside the folder
      const e = mgr.db.getEntry(remote.fname);
      const state: LocalState = !e ? 'not-in-db' : e.dirty ? 'in-db-pending' : 'in-db-not-pending';
      switch (requiredMediaChange(e?.sha1 ?? '', remote.sha1, state)) {
        case 'download':
          toDownload.push(remote.fname);
          break;
        case 'delete':
          toDelete.push(remote.fname);
          break;
        case 'remove-pending':
          toRemovePending.push(remote.fname);
          break;
      }
    }

    mgr.trashFiles(toDelete);
    progress.downloadedDeletions += toDelete.length;
    report();

    const downloaded: AddedFile[] = [];
    let remaining = toDownload;
    while (remaining.length) {
      const zip = await client.downloadFiles(remaining.slice(0, MAX_MEDIA_FILES_IN_ZIP));
      let files;
      try {
        files = unzipDownload(zip);
      } catch (e) {
        throw new SyncError('bad-response', `The media files sent by the server could not be read (${(e as MediaZipError).message}).`, { cause: e });
      }
      if (!files.length) throw new SyncError('bad-response', 'The sync server sent no media files although some were requested.');
      for (const f of files) {
        const added = addFileFromServer(mgr, f.fname, f.data);
        if (added) downloaded.push(added);
      }
      remaining = remaining.slice(files.length);
      progress.downloadedFiles += files.length;
      report();
    }

    const dirMod = mtimeMs(mgr.folder);
    mgr.db.transact(() => {
      for (const fname of toRemovePending) {
        const e = mgr.db.getEntry(fname);
        if (e?.dirty) mgr.db.setEntry({ ...e, dirty: false });
      }
      for (const fname of toDelete) mgr.db.removeEntry(fname);
      for (const f of downloaded) {
        if (f.renamedFrom !== null) {
          // the server's name was not normalised: delete it there, upload under the new name
          mgr.db.setEntry({ fname: f.renamedFrom, sha1: null, mtime: 0, dirty: true });
          mgr.db.setEntry({ fname: f.fname, sha1: f.sha1, mtime: f.mtime, dirty: true });
        } else {
          mgr.db.setEntry({ fname: f.fname, sha1: f.sha1, mtime: f.mtime, dirty: false });
        }
      }
      mgr.db.setMeta({ folderMtime: dirMod, lastSyncUsn: lastUsn });
    });
  }
}

function readIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw e;
  }
}

async function sendChanges(mgr: MediaManager, client: SyncClient, progress: MediaSyncProgress, report: () => void): Promise<void> {
  for (;;) {
    const pending: MediaEntry[] = mgr.db.pendingUploads(MAX_MEDIA_FILES_IN_ZIP);
    if (!pending.length) break;

    const invalid: string[] = [];
    const entries: { fname: string; data: Uint8Array | null }[] = [];
    let size = 0;
    for (const file of pending) {
      if (size > MEDIA_SYNC_TARGET_ZIP_BYTES) break;
      // a file that vanished is uploaded as a deletion
      const data = file.sha1 !== null && isPlainName(file.fname) ? readIfExists(join(mgr.folder, file.fname)) : null;
      if (data !== null) {
        if (normalizeFilename(file.fname) !== file.fname || data.length === 0 || data.length > MAX_INDIVIDUAL_MEDIA_FILE_SIZE) {
          invalid.push(file.fname);
          continue;
        }
        size += data.length;
        entries.push({ fname: file.fname, data });
      } else {
        entries.push({ fname: file.fname, data: null });
      }
    }
    if (invalid.length) {
      // Check Media will report these; drop them and build the zip again
      mgr.db.transact(() => invalid.forEach((f) => mgr.db.removeEntry(f)));
      progress.checked += pending.length;
      continue;
    }

    const reply = await client.uploadChanges(zipFilesForUpload(entries));
    if (reply.processed === 0) throw new SyncError('bad-response', 'The sync server accepted none of the media changes sent to it.');
    const done = pending.slice(0, Math.min(reply.processed, entries.length));
    for (const e of done) {
      if (e.sha1 !== null) progress.uploadedFiles++;
      else progress.uploadedDeletions++;
    }
    mgr.db.transact(() => {
      for (const e of done) {
        const cur = mgr.db.getEntry(e.fname);
        if (cur?.dirty) mgr.db.setEntry({ ...cur, dirty: false });
      }
      const meta = mgr.db.getMeta();
      // only if nobody else changed media on the server meanwhile; else the next sync fetches it
      if (meta.lastSyncUsn + done.length === reply.currentUsn) mgr.db.setMeta({ ...meta, lastSyncUsn: reply.currentUsn });
    });
    report();
  }
}
