// The normal (incremental) sync in one local transaction: deletions, unchunked changes, the
// server's rows, ours, the sanity check and finish; any failure rolls back and aborts.
// Follows rslib/src/sync/collection/{normal,start,changes,chunks,sanity,finish}.rs.

import type { Collection } from '../collection/collection';
import { SyncStore } from '../storage/sync-store';
import {
  applyChanges,
  applyChunk,
  applyGraves,
  chunkableIds,
  getChunk,
  localUnchunkedChanges,
  NotetypeSchemaChangedError,
  pendingGraves,
  PendingRowsError,
  sanityCheckInfo,
  SyncDataError,
  SyncSide,
} from './engine';
import { ProtocolError, type SanityCheckResponse, type SanityCounts, takeGravesChunk } from './protocol';
import type { SyncClient } from './sync-client';
import type { ClientSyncState } from './sync-status';
import { CHUNK_SIZE, SyncError } from './wire';

export interface NormalSyncProgress {
  stage: 'syncing' | 'finalizing';
  localUpdate: number;
  localRemove: number;
  remoteUpdate: number;
  remoteRemove: number;
}

export interface NormalSyncOptions {
  onProgress?: (p: NormalSyncProgress) => void;
  /** The collection's real `transact` (when the caller has shadowed it to keep others out). */
  transact?: Collection['transact'];
}

/**
 * Exchanges changes with the server in one local transaction; on any failure rolls it back
 * (leaving the collection exactly as it was), tells the server to abort, and — if the sanity
 * check failed — marks the schema changed so the next sync is a full one.
 */
export async function normalSync(col: Collection, client: SyncClient, state: ClientSyncState, opts: NormalSyncOptions = {}): Promise<void> {
  const side = new SyncSide(col);
  const { store } = side;
  const progress: NormalSyncProgress = { stage: 'syncing', localUpdate: 0, localRemove: 0, remoteUpdate: 0, remoteRemove: 0 };
  const report = () => opts.onProgress?.({ ...progress });
  const serverUsn = state.serverUsn;
  if (store.inTransaction) throw new SyncError('busy', 'The collection is in the middle of another operation; sync again when it has finished.');
  store.begin();
  try {
    report();
    // 1. deletions
    const remoteGraves = await client.start({ minUsn: state.usnAtLastSync, lnewer: state.localIsNewer, graves: null });
    const local = pendingGraves(side, -1);
    store.restampPendingGraves(serverUsn);
    for (let chunk = takeGravesChunk(local, CHUNK_SIZE); chunk; chunk = takeGravesChunk(local, CHUNK_SIZE)) {
      progress.localRemove += chunk.cards.length + chunk.notes.length + chunk.decks.length;
      report();
      await client.applyGraves(chunk);
    }
    progress.remoteRemove = remoteGraves.cards.length + remoteGraves.notes.length + remoteGraves.decks.length;
    applyGraves(side, remoteGraves, serverUsn);
    report();

    // 2. notetypes, decks, deck configs, tags, config
    const localChanges = localUnchunkedChanges(side, -1, serverUsn, state.localIsNewer);
    progress.localUpdate += localChanges.models.length + localChanges.decks.length + localChanges.dconf.length + localChanges.tags.length;
    report();
    const remoteChanges = await client.applyChanges(localChanges);
    progress.remoteUpdate += remoteChanges.models.length + remoteChanges.decks.length + remoteChanges.dconf.length + remoteChanges.tags.length;
    applyChanges(side, remoteChanges, serverUsn);
    report();

    // 3. server → client rows (before ours, so a local edit that loses is never sent)
    for (;;) {
      const chunk = await client.chunk();
      progress.remoteUpdate += chunk.revlog.length + chunk.cards.length + chunk.notes.length;
      applyChunk(side, chunk, -1);
      report();
      if (chunk.done) break;
    }

    // 4. client → server rows
    const ids = chunkableIds(side, -1);
    for (;;) {
      const chunk = getChunk(side, ids, serverUsn);
      progress.localUpdate += chunk.revlog.length + chunk.cards.length + chunk.notes.length;
      report();
      await client.applyChunk(chunk);
      if (chunk.done) break;
    }

    // 5. compare counts, 6. finish
    progress.stage = 'finalizing';
    report();
    const counts = sanityCheckInfo(side);
    const sanity = await client.sanityCheck(counts);
    if (sanity.status !== 'ok') throw new SanityCheckFailed(sanity);
    const newMtime = await client.finish();
    store.setLastSync(newMtime);
    store.setUsn(serverUsn + 1);
    store.setModified(newMtime);
    // clear undo (the journal no longer matches usns) and tell listeners what changed
    const transact = opts.transact ?? col.transact.bind(col);
    transact(
      'Sync',
      (tx) => {
        Object.assign(tx.changes, side.changes);
        tx.changes.studyQueues = true;
      },
      { keepStamps: true, undoable: false },
    );
    store.commit();
  } catch (e) {
    store.rollback();
    side.forgetCaches();
    await client.abort().catch(() => undefined);
    throw translateNormalSyncError(e, col);
  }
}

class SanityCheckFailed extends Error {
  constructor(readonly reply: SanityCheckResponse) {
    super('sanity check failed');
  }
}

function describeCounts(c: SanityCounts | null): string {
  return c ? `${c.cards} cards, ${c.notes} notes, ${c.revlog} reviews, ${c.models} notetypes, ${c.decks} decks, ${c.deckConfig} deck presets` : 'unknown';
}

function translateNormalSyncError(e: unknown, col: Collection): Error {
  if (e instanceof SanityCheckFailed) {
    // as Anki: force a one-way sync next time
    new SyncStore(col.db).setSchemaModified(col.clock.nowMs());
    return new SyncError(
      'sanity-check-failed',
      `After syncing, this collection and the server's did not match (here: ${describeCounts(e.reply.c)}; server: ${describeCounts(e.reply.s)}). Nothing was changed; the next sync must be a one-way full sync.`,
    );
  }
  if (e instanceof NotetypeSchemaChangedError) {
    // Anki reports "resync required"; we also mark the schema changed so the next sync offers the
    // full sync (upload or download) instead of failing the same way again
    new SyncStore(col.db).setSchemaModified(col.clock.nowMs());
    return new SyncError('resync-required', `The note type "${e.notetypeName}" has different fields or card types here and on the server. Nothing was changed; a one-way full sync is required.`);
  }
  if (e instanceof SyncError) return e;
  if (e instanceof PendingRowsError || e instanceof SyncDataError)
    return new SyncError('database-check-required', `The sync could not be completed (${e.message}). Nothing was changed; run Check Database and sync again.`, { cause: e });
  if (e instanceof ProtocolError) return new SyncError('bad-response', `The sync server sent data that could not be read (${e.message}). Nothing was changed.`, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}

