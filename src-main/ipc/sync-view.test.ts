import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../sync/sync-loop';
import { syncProgressView, syncStatusLine, toSyncView } from './sync-view';

const base = { lastSyncMs: null, username: 'ana', automatic: true, nextSyncAtMs: null, lastResult: null };

describe('the sync status for the window and the tray', () => {
  it('maps every state of the loop, with progress and the retry time', () => {
    const states: SyncStatus[] = [
      { ...base, state: 'idle', message: null },
      { ...base, state: 'syncing', message: null, progress: { stage: 'downloading', transferredBytes: 1024 * 1024, totalBytes: 4 * 1024 * 1024 } },
      { ...base, state: 'error', message: 'network down', kind: 'network', retryAtMs: 1_000 },
      { ...base, state: 'logged-out', message: 'not logged in', username: null },
    ];
    const views = states.map(toSyncView);
    expect(views.map((v) => v.state)).toEqual(['idle', 'syncing', 'error', 'logged-out']);
    expect(views[1].progress).toEqual({ stage: 'downloading', message: 'downloading the collection: 1.0 MB of 4.0 MB', done: 1024 * 1024, total: 4 * 1024 * 1024 });
    expect(views[2]).toMatchObject({ retryAtMs: 1_000, errorKind: 'network', progress: null });
    expect(views[0]).toMatchObject({ retryAtMs: null, errorKind: null, progress: null, fullSync: null });
    expect(syncStatusLine(views[3])).toBe('Sync: not logged in');
    expect(syncStatusLine(views[1])).toBe('Sync: downloading the collection: 1.0 MB of 4.0 MB');
    expect(syncStatusLine(views[2])).toMatch(/^Sync failed: network down — retrying at /);
    expect(syncStatusLine(views[0])).toBe('Sync: idle');
    expect(syncStatusLine({ ...views[3], message: 'the server refused the key' })).toBe('Sync: log in again (the server refused the key)');
  });

  it('describes each stage of a run', () => {
    expect(syncProgressView({ stage: 'checking' }).message).toBe('checking for changes');
    expect(syncProgressView({ stage: 'syncing', localUpdate: 2, localRemove: 1, remoteUpdate: 4, remoteRemove: 0 })).toMatchObject({ message: 'syncing: 3 sent, 4 received', done: 7, total: null });
    expect(syncProgressView({ stage: 'media', checked: 10, downloadedFiles: 1, downloadedDeletions: 0, uploadedFiles: 2, uploadedDeletions: 1 }).message).toBe('media: 10 checked, 3 sent, 1 received');
  });
});
