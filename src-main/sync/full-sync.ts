// Full sync: upload or download of the whole collection file, and the backup taken before either.
// Follows rslib/src/sync/collection/{upload,download}.rs.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Collection } from '../collection/collection';
import { SyncStore } from '../storage/sync-store';
import type { SyncClient } from './sync-client';
import { SyncError } from './wire';

const UPLOAD_LIMIT_ANKIWEB = 300 * 1024 * 1024;

/** A consistent copy of the collection in `dir` (created if missing); returns its path. */
export function backupCollection(col: Collection, dir: string, label: string): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(col.clock.nowMs()).toISOString().replace(/[:.]/g, '-');
  const stem = basename(col.path).replace(/\.anki2$/i, '');
  let path = join(dir, `${stem}-${label}-${stamp}.anki2`);
  for (let i = 1; existsSync(path); i++) path = join(dir, `${stem}-${label}-${stamp}-${i}.anki2`);
  new SyncStore(col.db).vacuumInto(path);
  return path;
}

function tempPathBeside(path: string, label: string): string {
  return join(dirname(path), `.${basename(path)}.${label}-${randomBytes(4).toString('hex')}.tmp`);
}

function removeDbFiles(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) rmSync(p, { force: true });
}

/**
 * Replaces the server's collection with this one. The file sent is prepared on a copy (no
 * graves, nothing pending, usn + 1, new scm, ls = scm, optimised); only when the server answers
 * "OK" is the same preparation applied here, so a failed upload changes nothing locally.
 */
export async function fullUpload(col: Collection, client: SyncClient, opts: { transact?: Collection['transact'] } = {}): Promise<void> {
  const now = col.clock.nowMs();
  const tmp = tempPathBeside(col.path, 'upload');
  let data: Buffer;
  try {
    new SyncStore(col.db).vacuumInto(tmp);
    const copy = Collection.open(tmp, { clock: col.clock });
    try {
      const st = new SyncStore(copy.db);
      st.prepareForUpload(now);
      st.optimize();
    } finally {
      copy.close();
    }
    data = readFileSync(tmp);
  } finally {
    removeDbFiles(tmp);
  }
  if (client.endpoint.includes('ankiweb') && data.length >= UPLOAD_LIMIT_ANKIWEB)
    throw new SyncError('upload-too-large', `The collection is ${(data.length / 2 ** 20).toFixed(2)} MB; AnkiWeb accepts at most ${UPLOAD_LIMIT_ANKIWEB / 2 ** 20} MB. Nothing was changed.`);
  const reply = await client.upload(data);
  if (reply !== 'OK') throw new SyncError('server-message', `The sync server did not accept the upload: ${reply}`);
  const transact = opts.transact ?? col.transact.bind(col);
  transact(
    'Sync',
    (tx) => {
      new SyncStore(col.db).prepareForUpload(now);
      tx.changes.config = true;
    },
    { keepStamps: true, undoable: false },
  );
}

/**
 * Replaces this collection with the server's. The download is written beside the collection,
 * integrity-checked and marked synced (ls = mod) before it atomically replaces the file; the old
 * `col` is closed and the reopened collection returned. A failed download changes nothing.
 */
export async function fullDownload(col: Collection, client: SyncClient, opts: { staged?: string } = {}): Promise<Collection> {
  let tmp = opts.staged;
  if (!tmp) {
    const data = await client.download();
    tmp = tempPathBeside(col.path, 'download');
    writeFileSync(tmp, data);
    try {
      verifyDownloaded(tmp, col);
    } catch (e) {
      removeDbFiles(tmp);
      throw e;
    }
  }
  installDownloaded(col, tmp);
  return Collection.open(col.path, { clock: col.clock });
}

/** Opens a downloaded file, checks it, marks it synced as of its own mod; returns note/card counts. */
export function verifyDownloaded(path: string, like: Collection): { notes: number; cards: number; revlog: number; mod: number; scm: number; usn: number } {
  let c: Collection;
  try {
    c = Collection.open(path, { clock: like.clock, backupDir: join(dirname(path), '.schema-backups') });
  } catch (e) {
    throw new SyncError('bad-response', `The collection downloaded from the server cannot be opened (${(e as Error).message}). Nothing was changed.`, { cause: e });
  }
  try {
    const check = c.storage.integrityCheck();
    if (check !== 'ok') throw new SyncError('bad-response', `The collection downloaded from the server is damaged (${check.slice(0, 200)}). Nothing was changed.`);
    const st = new SyncStore(c.db);
    st.markSyncedAsOfMod();
    const s = st.stamps();
    return { notes: st.tableCount('notes'), cards: st.tableCount('cards'), revlog: st.tableCount('revlog'), mod: s.mod, scm: s.scm, usn: s.usn };
  } finally {
    c.close();
  }
}

function installDownloaded(col: Collection, tmp: string): void {
  const path = col.path;
  col.close();
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  renameSync(tmp, path);
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
}
