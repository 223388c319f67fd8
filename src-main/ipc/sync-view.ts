// The window's and the tray's view of the profile's sync loop (src-main/sync/sync-loop via the
// host): its status as contract JSON, pushed as `sync-status` events whenever it changes, and the
// one-line summary the tray shows.

import type { HostSync } from '../host/host';
import type { SyncStatus } from '../sync/sync-loop';
import type { SyncProgress } from '../sync/sync-service';
import { describeFullSyncChoice, summarizeMedia, summarizeSync } from '../sync/sync-session';
import type { SyncStatusView } from './contract';
import type { EventHub } from './invoker';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A sync run's progress in words, with done/total when there is a measure. */
export function syncProgressView(p: SyncProgress): NonNullable<SyncStatusView['progress']> {
  switch (p.stage) {
    case 'checking':
      return { stage: p.stage, message: 'checking for changes', done: 0, total: null };
    case 'syncing':
    case 'finalizing': {
      const sent = p.localUpdate + p.localRemove;
      const received = p.remoteUpdate + p.remoteRemove;
      return { stage: p.stage, message: `${p.stage === 'finalizing' ? 'finishing' : 'syncing'}: ${sent} sent, ${received} received`, done: sent + received, total: null };
    }
    case 'uploading':
    case 'downloading': {
      const total = p.totalBytes ?? null;
      const message = `${p.stage} the collection: ${mib(p.transferredBytes)}${total ? ` of ${mib(total)}` : ''}`;
      return { stage: p.stage, message, done: p.transferredBytes, total };
    }
    case 'media': {
      const up = p.uploadedFiles + p.uploadedDeletions;
      const down = p.downloadedFiles + p.downloadedDeletions;
      return { stage: p.stage, message: `media: ${p.checked} checked, ${up} sent, ${down} received`, done: up + down, total: null };
    }
  }
}

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
    progress: s.state === 'syncing' && s.progress ? syncProgressView(s.progress) : null,
    retryAtMs: s.state === 'error' ? s.retryAtMs : null,
    errorKind: s.state === 'error' ? s.kind : null,
  };
}

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The tray's status line (also its tooltip): every state of the loop, in a few words. */
export function syncStatusLine(s: SyncStatusView): string {
  switch (s.state) {
    case 'logged-out':
      return s.message && s.message !== 'not logged in' && s.message !== 'logged out' ? `Sync: log in again (${s.message})` : 'Sync: not logged in';
    case 'syncing':
      return `Sync: ${s.progress?.message ?? s.message ?? 'syncing…'}`;
    case 'full-sync-required':
      return 'Sync: choose upload or download (open Deckhand)';
    case 'error':
      return `Sync failed: ${s.message ?? 'unknown error'}${s.retryAtMs ? ` — retrying at ${clock(s.retryAtMs)}` : ''}`;
    case 'idle': {
      const last = s.lastSyncMs ? ` (${clock(s.lastSyncMs)})` : '';
      return `Sync: ${s.lastSummary ?? s.message ?? 'idle'}${last}`;
    }
  }
}

/** Publishes every status change of the sync loop as a `sync-status` event. */
export function forwardSyncStatus(events: EventHub, sync: HostSync): () => void {
  return sync.onStatusChange((s) => events.emit('sync-status', toSyncView(s)));
}
