import { describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../../src-main/ipc/contract';
import { syncBadge } from './sync-badge';

const base: SyncStatusView = { state: 'idle', message: null, username: 'ana', lastSyncMs: null, automatic: true, nextSyncAtMs: null, lastSummary: null, fullSync: null, progress: null, retryAtMs: null, errorKind: null };

describe('the sync indicator', () => {
  it('names every state of the loop and what a click does', () => {
    expect(syncBadge({ ...base, state: 'logged-out', message: 'not logged in' })).toMatchObject({ label: 'Sync (not logged in)', title: 'Not logged in to a sync server', action: 'settings' });
    expect(syncBadge({ ...base, state: 'logged-out', message: 'the server refused the key' }).title).toBe('Log in again: the server refused the key');
    expect(syncBadge({ ...base, state: 'syncing', progress: { stage: 'downloading', message: 'downloading', done: 1, total: 4 } })).toMatchObject({ label: 'Syncing… 25%', action: null, tone: 'busy' });
    expect(syncBadge({ ...base, state: 'full-sync-required', message: 'choose' })).toMatchObject({ label: 'Sync: choose', action: 'tools', tone: 'attention' });
    expect(syncBadge({ ...base, state: 'error', message: 'offline', retryAtMs: 0 })).toMatchObject({ label: 'Sync failed', title: 'offline', action: 'sync' });
    expect(syncBadge({ ...base, lastSummary: 'synced: 3 sent' })).toMatchObject({ label: 'Sync', title: 'synced: 3 sent', action: 'sync' });
  });
});
