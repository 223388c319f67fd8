// What to do after `meta`: nothing, a normal sync, or a full sync (and which directions are
// allowed), from this side's stamps and the server's; and the checks the official client makes.

import type { Collection } from '../collection/collection';
import { SyncStore } from '../storage/sync-store';
import type { SyncMeta } from './protocol';
import type { SyncClient } from './sync-client';
import { MAX_CLOCK_SKEW_SECS, SyncError } from './wire';

export interface LocalSyncMeta {
  mod: number;
  scm: number;
  usn: number;
  ls: number;
  empty: boolean;
}

export function localSyncMeta(col: Collection): LocalSyncMeta {
  const st = new SyncStore(col.db);
  const s = st.stamps();
  return { mod: s.mod, scm: s.scm, usn: s.usn, ls: s.ls, empty: !st.haveAtLeastOneCard() };
}

export type SyncRequired = { kind: 'no-changes' } | { kind: 'normal' } | { kind: 'full'; uploadOk: boolean; downloadOk: boolean };

export interface ClientSyncState {
  required: SyncRequired;
  localIsNewer: boolean;
  /** local col.usn: the client's minUsn */
  usnAtLastSync: number;
  /** the server's usn: what pending local rows are stamped with */
  serverUsn: number;
  serverMessage: string;
  hostNum: number;
  newEndpoint?: string;
  serverMediaUsn: number;
  remote: SyncMeta;
}

/** Anki's SyncMeta::compared_to_remote: equal mod → nothing; else differing scm → full; else normal. */
export function compareToRemote(local: LocalSyncMeta, remote: SyncMeta, newEndpoint?: string): ClientSyncState {
  let required: SyncRequired;
  if (remote.mod === local.mod) required = { kind: 'no-changes' };
  else if (remote.scm !== local.scm) required = { kind: 'full', uploadOk: !local.empty || remote.empty, downloadOk: !remote.empty || local.empty };
  else required = { kind: 'normal' };
  return {
    required,
    localIsNewer: local.mod > remote.mod,
    usnAtLastSync: local.usn,
    serverUsn: remote.usn,
    serverMessage: remote.msg,
    hostNum: remote.hostNum,
    newEndpoint,
    serverMediaUsn: remote.media_usn,
    remote,
  };
}

/** Without the network: what the next sync will need as far as this side knows. */
export function offlineSyncStatus(col: Collection): 'no-changes' | 'normal' | 'full' {
  const s = new SyncStore(col.db).stamps();
  if (s.ls === 0) return 'no-changes'; // never synced: only the server can tell
  if (s.scm > s.ls) return 'full';
  if (s.mod > s.ls) return 'normal';
  return 'no-changes';
}

/** `meta`, then the checks the official client makes: server says stop? clock off by > 5 min? */
export async function onlineSyncStatus(col: Collection, client: SyncClient): Promise<ClientSyncState> {
  const local = localSyncMeta(col);
  const { meta, newEndpoint } = await client.meta();
  if (!meta.cont) throw new SyncError('server-message', meta.msg ? `The sync server refused to sync: ${meta.msg}` : 'The sync server refused to sync.');
  const skew = meta.ts - Math.floor(col.clock.nowMs() / 1000);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECS)
    throw new SyncError(
      'clock-incorrect',
      `This computer's clock is ${Math.abs(skew)} seconds ${skew > 0 ? 'behind' : 'ahead of'} the sync server's. Set the correct date, time and time zone, then sync again.`,
    );
  return compareToRemote(local, meta, newEndpoint);
}
