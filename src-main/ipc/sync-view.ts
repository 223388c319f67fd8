// The window's and the tray's view of the profile's sync loop (src-main/sync/sync-loop via the
// host): its status as contract JSON, pushed as `sync-status` events whenever it changes.

import type { HostSync } from '../host/host';
import type { SyncStatus } from '../sync/sync-loop';
import { describeFullSyncChoice, summarizeMedia, summarizeSync } from '../sync/sync-session';
import type { SyncStatusView } from './contract';
import type { EventHub } from './invoker';

export function toSyncView(s: SyncStatus): SyncStatusView {
  const last = s.lastResult;
  const full = s.state === 'full-sync-required' ? { uploadOk: s.details.uploadOk, downloadOk: s.details.downloadOk, ...describeFullSyncChoice(s.details) } : null;
  return {
    state: s.state,
    message: s.message,
    username: s.username,
    lastSyncMs: s.lastSyncMs,
    automatic: s.automatic,
    nextSyncAtMs: s.nextSyncAtMs,
    lastSummary: last ? [summarizeSync(last), summarizeMedia(last)].filter(Boolean).join('; ') : null,
    fullSync: full,
  };
}

/** Publishes every status change of the sync loop as a `sync-status` event. */
export function forwardSyncStatus(events: EventHub, sync: HostSync): () => void {
  return sync.onStatusChange((s) => events.emit('sync-status', toSyncView(s)));
}
