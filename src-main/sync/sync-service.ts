// `syncCollection`: the one sync entry point for the CLI (`deckhand sync`), AnkiConnect's `sync`
// action and the desktop app. It runs meta → normal sync, or reports/performs a full sync, then
// media sync; never two runs on one collection at once; progress through a callback.

import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Collection } from '../collection/collection';
import { MediaManager, mediaPathsForCollection, type MediaPaths } from '../media/media-service';
import { unburyIfDayRolledOver } from '../scheduler/bury-service';
import { SyncStore } from '../storage/sync-store';
import type { ClientVersion } from './wire';
import { syncMedia, type MediaSyncProgress, type MediaSyncResult } from './media-sync';
import type { SyncHttpClientOptions, TransferProgress } from './http-client';
import {
  backupCollection,
  type ClientSyncState,
  fullDownload,
  fullUpload,
  normalSync,
  type NormalSyncProgress,
  onlineSyncStatus,
  SyncClient,
  verifyDownloaded,
} from './sync-client';
import { SyncError } from './wire';

export type SyncProgress =
  | { stage: 'checking' }
  | ({ stage: 'syncing' | 'finalizing' } & Omit<NormalSyncProgress, 'stage'>)
  | { stage: 'uploading' | 'downloading'; transferredBytes: number; totalBytes?: number }
  | ({ stage: 'media' } & MediaSyncProgress);

export interface SyncCollectionOptions {
  /** Base URL (AnkiWeb if omitted). Pass the `newEndpoint` of an earlier result when there was one. */
  endpoint?: string;
  /** From `login()`. */
  hostKey: string;
  /**
   * The caller's choice when a full (one-way) sync is required: 'upload' replaces the server's
   * collection with this one, 'download' the other way round. Without it, such a sync stops and
   * reports what each direction would replace.
   */
  fullSync?: 'upload' | 'download';
  /** Sync media too (default true). */
  media?: boolean;
  /** Media folder/DB (default: beside the collection, as Anki lays them out). */
  mediaPaths?: MediaPaths;
  /**
   * When a full sync is required and not chosen yet, download the server's collection to count
   * its notes and cards (default true). The download is kept and reused if 'download' is chosen.
   */
  inspectRemote?: boolean;
  /** Where the automatic copy before a full sync goes (default `<collection folder>/backups`). */
  backupDir?: string;
  ioTimeoutMs?: number;
  clientVersion?: ClientVersion;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Test hook: sees every HTTP request the client makes. */
  onRequest?: SyncHttpClientOptions['onRequest'];
}

export interface CollectionCounts {
  notes: number;
  cards: number;
  revlog: number;
}

export interface FullSyncRequired {
  /** Replacing the server with this collection is possible (not if this one is empty and the server isn't). */
  uploadOk: boolean;
  /** Replacing this collection with the server's is possible (not if the server is empty and this isn't). */
  downloadOk: boolean;
  /** What 'upload' keeps and 'download' would replace. */
  local: CollectionCounts;
  /** What 'download' keeps and 'upload' would replace; null if not inspected. */
  remote: CollectionCounts | null;
  remoteEmpty: boolean;
  /** A sentence for the person choosing. */
  message: string;
}

export interface SyncResult {
  outcome: 'no-changes' | 'normal-sync' | 'full-sync-required' | 'uploaded' | 'downloaded';
  /** The collection to use from now on: a new, reopened instance after a download, else the one given. */
  collection: Collection;
  /** Set when the server moved the account (308): use it as the endpoint from now on. */
  newEndpoint?: string;
  serverMessage: string;
  fullSync?: FullSyncRequired;
  /** The copy made before a full sync. */
  backupPath?: string;
  /** Media result; `error` when media sync failed (the collection sync still stands). */
  media?: MediaSyncResult | { error: SyncError | Error };
}

// ---------------------------------------------------------------------------------------------
// one run per collection at a time

const running = new Map<string, Promise<unknown>>();

/** Serialises async work per collection file: a second sync waits for the first to finish. */
async function withCollectionLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  const prev = running.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => undefined);
  running.set(key, tail);
  try {
    return await run;
  } finally {
    if (running.get(key) === tail) running.delete(key);
  }
}

/** True while a sync of this collection file is running (or queued). */
export function isSyncing(path: string): boolean {
  return running.has(resolve(path));
}


// staged downloads from inspectRemote, reused when the caller then chooses 'download'
const staged = new Map<string, { file: string; mod: number; scm: number; usn: number }>();

function dropStaged(path: string): void {
  const s = staged.get(resolve(path));
  if (!s) return;
  staged.delete(resolve(path));
  for (const p of [s.file, `${s.file}-wal`, `${s.file}-shm`]) rmSync(p, { force: true });
}

// ---------------------------------------------------------------------------------------------

/**
 * Syncs a collection with AnkiWeb or a self-hosted server. Errors are SyncErrors with a clear
 * message (wrong password, network, server error, …); a failed sync leaves the collection as it
 * was. When a full sync is required and `fullSync` is not given, the result says so with the
 * counts on each side; call again with `fullSync: 'upload' | 'download'`.
 */
export function syncCollection(col: Collection, opts: SyncCollectionOptions): Promise<SyncResult> {
  return withCollectionLock(col.path, () => runSync(col, opts));
}

async function runSync(col: Collection, opts: SyncCollectionOptions): Promise<SyncResult> {
  if (col.isClosed) throw new SyncError('busy', 'The collection was closed before the sync could start (it may have been replaced by a full download; use the new one).');
  const client = SyncClient.create({
    endpoint: opts.endpoint,
    hostKey: opts.hostKey,
    ioTimeoutMs: opts.ioTimeoutMs,
    clientVersion: opts.clientVersion,
    signal: opts.signal,
    onRequest: opts.onRequest,
  });
  try {
    const result: SyncResult = { outcome: 'no-changes', collection: col, serverMessage: '' };
    const serverMediaUsn = await syncCollectionData(col, client, opts, result);
    if (result.outcome !== 'full-sync-required' && opts.media !== false) result.media = await runMediaSync(result.collection, client, opts, serverMediaUsn);
    return result;
  } finally {
    client.close();
  }
}

/** meta, then a normal sync or the full sync the caller chose; returns the server's media usn. */
async function syncCollectionData(col: Collection, client: SyncClient, opts: SyncCollectionOptions, result: SyncResult): Promise<number> {
  const progress = opts.onProgress;
  progress?.({ stage: 'checking' });
  const state = await onlineSyncStatus(col, client);
  result.newEndpoint = state.newEndpoint;
  result.serverMessage = state.serverMessage;
  const req = state.required;
  if (req.kind === 'no-changes') return state.serverMediaUsn;
  if (req.kind === 'normal') {
    // as Anki before a normal sync: buried cards come back if the day rolled over (no usn change)
    try {
      unburyIfDayRolledOver(col);
    } catch {
      /* a scheduler problem must not stop the sync */
    }
  }
  // from here on a transaction may stay open across network calls: keep other writers out
  const hold = col.hold('The collection is being synced; try again when the sync has finished.');
  try {
    if (req.kind === 'normal') {
      await normalSync(col, client, state, { transact: hold.transact, onProgress: (p) => progress?.(p) });
      result.outcome = 'normal-sync';
      return state.serverMediaUsn;
    }
    const choice = opts.fullSync;
    if (!choice || (choice === 'upload' && !req.uploadOk) || (choice === 'download' && !req.downloadOk)) {
      result.outcome = 'full-sync-required';
      result.fullSync = await describeFullSync(col, client, state, opts);
      if (choice)
        throw new SyncError(
          'resync-required',
          choice === 'upload'
            ? "This collection is empty and the server's is not, so it cannot replace the server's collection; download instead."
            : "The server's collection is empty, so it cannot replace this one; upload instead.",
        );
      return state.serverMediaUsn;
    }
    result.backupPath = backupCollection(col, opts.backupDir ?? join(dirname(col.path), 'backups'), `before-full-${choice}`);
    client.http.onProgress = (p: TransferProgress) =>
      progress?.({ stage: p.direction === 'up' ? 'uploading' : 'downloading', transferredBytes: p.transferred, totalBytes: p.total });
    if (choice === 'upload') {
      dropStaged(col.path);
      await fullUpload(col, client, { transact: hold.transact });
      result.outcome = 'uploaded';
    } else {
      const s = staged.get(resolve(col.path));
      const reuse = s && s.mod === state.remote.mod && s.scm === state.remote.scm && s.usn === state.remote.usn ? s.file : undefined;
      if (reuse) staged.delete(resolve(col.path));
      else dropStaged(col.path);
      hold.release(); // the collection is closed and replaced by the download
      result.collection = await fullDownload(col, client, { staged: reuse });
      result.outcome = 'downloaded';
    }
    client.http.onProgress = undefined;
    return state.serverMediaUsn;
  } finally {
    hold.release();
  }
}

/** Media sync; a failure is reported in the result (the collection sync stands). */
async function runMediaSync(col: Collection, client: SyncClient, opts: SyncCollectionOptions, serverMediaUsn: number): Promise<SyncResult['media']> {
  let mgr: MediaManager | undefined;
  try {
    mgr = MediaManager.open(opts.mediaPaths ?? mediaPathsForCollection(col.path));
    return await syncMedia(mgr, client, { serverUsn: serverMediaUsn, onProgress: (p) => opts.onProgress?.({ stage: 'media', ...p }) });
  } catch (e) {
    return { error: e as Error };
  } finally {
    mgr?.close();
  }
}

async function describeFullSync(col: Collection, client: SyncClient, state: ClientSyncState, opts: SyncCollectionOptions): Promise<FullSyncRequired> {
  const req = state.required as { kind: 'full'; uploadOk: boolean; downloadOk: boolean };
  const st = new SyncStore(col.db);
  const local: CollectionCounts = { notes: st.tableCount('notes'), cards: st.tableCount('cards'), revlog: st.tableCount('revlog') };
  let remote: CollectionCounts | null = state.remote.empty ? { notes: 0, cards: 0, revlog: 0 } : null;
  if (!state.remote.empty && opts.inspectRemote !== false) {
    dropStaged(col.path);
    const data = await client.download();
    const file = join(dirname(col.path), `.${col.path.split(/[\\/]/).pop()}.staged-download.tmp`);
    writeFileSync(file, data);
    try {
      const info = verifyDownloaded(file, col);
      remote = { notes: info.notes, cards: info.cards, revlog: info.revlog };
      // the download bumped the server's usn/mod; what it reports now is what the file holds
      staged.set(resolve(col.path), { file, mod: info.mod, scm: info.scm, usn: info.usn });
    } catch {
      for (const p of [file, `${file}-wal`, `${file}-shm`]) rmSync(p, { force: true });
    }
  }
  const side = (c: CollectionCounts | null) => (c ? `${c.notes} notes and ${c.cards} cards` : 'its notes and cards');
  const parts = [`A one-way sync is required (the collections were changed in ways that cannot be merged).`];
  if (req.uploadOk) parts.push(`Upload replaces the server's collection (${side(remote)}) with this one (${side(local)}).`);
  if (req.downloadOk) parts.push(`Download replaces this collection (${side(local)}) with the server's (${side(remote)}).`);
  if (!req.uploadOk) parts.push('Upload is not possible: this collection is empty and the server\'s is not.');
  if (!req.downloadOk) parts.push('Download is not possible: the server\'s collection is empty and this one is not.');
  return { uploadOk: req.uploadOk, downloadOk: req.downloadOk, local, remote, remoteEmpty: state.remote.empty, message: parts.join(' ') };
}
