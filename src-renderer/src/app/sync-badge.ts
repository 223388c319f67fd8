// The top bar's sync indicator: the sync loop's status (every state, with progress and retry)
// in a word or two, a longer title, and what a click does.
import type { SyncStatusView } from '../../../src-main/ipc/contract';

export interface SyncBadge {
  label: string;
  title: string;
  tone: 'idle' | 'busy' | 'attention' | 'error' | 'off';
  /** What clicking it does: sync now, or open the settings (log in / choose) . */
  action: 'sync' | 'settings' | 'tools' | null;
}

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function syncBadge(s: SyncStatusView): SyncBadge {
  switch (s.state) {
    case 'logged-out':
      return { label: 'Sync (not logged in)', title: s.message && !/^(not logged in|logged out)$/.test(s.message) ? `Log in again: ${s.message}` : 'Not logged in to a sync server', tone: 'off', action: 'settings' };
    case 'syncing': {
      const pct = s.progress?.total ? ` ${Math.round((s.progress.done / s.progress.total) * 100)}%` : '';
      return { label: `Syncing…${pct}`, title: s.progress?.message ?? s.message ?? 'Syncing', tone: 'busy', action: null };
    }
    case 'full-sync-required':
      return { label: 'Sync: choose', title: s.message ?? 'A one-way sync is required: choose upload or download', tone: 'attention', action: 'tools' };
    case 'error':
      return { label: 'Sync failed', title: `${s.message ?? 'Sync failed'}${s.retryAtMs ? ` — retrying at ${time(s.retryAtMs)}` : ''}`, tone: 'error', action: 'sync' };
    case 'idle':
      return { label: 'Sync', title: [s.lastSummary ?? 'Sync now', s.lastSyncMs ? `last sync ${time(s.lastSyncMs)}` : null, s.nextSyncAtMs ? `next ${time(s.nextSyncAtMs)}` : null].filter(Boolean).join(' · '), tone: 'idle', action: 'sync' };
  }
}
