// DeckhandHost with its sync loop: login through host.sync, the full-sync choice, a sync soon
// after an AnkiConnect change, AnkiConnect's `sync` through the loop, requests waiting for a
// running sync instead of failing, and the final sync on stop — against a server on loopback.

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { ProfileManager } from '../profiles/profiles-service';
import { writeSecrets } from '../profiles/secrets';
import { login } from '../sync/sync-client';
import type { ProfileSyncResult } from '../sync/sync-session';
import { startSyncServer, type SyncServer } from '../sync/sync-server';
import { syncCollection } from '../sync/sync-service';
import { DeckhandHost } from './host';

let dir: string;
let server: SyncServer;
let host: DeckhandHost | undefined;

beforeEach(async () => {
  dir = tempDir('deckhand-host-');
  server = await startSyncServer({ port: 0, dataDir: join(dir, 'server'), users: ['ana:pw'] });
});
afterEach(async () => {
  await host?.stop();
  host = undefined;
  await server.close();
});

async function ac(action: string, params: unknown = {}): Promise<{ result: unknown; error: string | null }> {
  const res = await fetch(host!.ankiConnectUrl!, { method: 'POST', body: JSON.stringify({ action, version: 6, params }) });
  return (await res.json()) as { result: unknown; error: string | null };
}

const note = (front: string) => ({ note: { deckName: 'Default', modelName: 'Basic', fields: { Front: front, Back: '' } } });

/** What the server holds now: a fresh client downloads it. */
async function serverNotes(): Promise<string[]> {
  const hostKey = await login(server.url, 'ana', 'pw');
  const col = Collection.create(join(tempDir('deckhand-peek-'), 'collection.anki2'));
  const r = await syncCollection(col, { endpoint: server.url, hostKey, fullSync: 'download', media: false });
  try {
    return (r.collection.db.prepare('SELECT flds FROM notes ORDER BY id').pluck().all() as string[]).map((f) => f.split('\x1f')[0]);
  } finally {
    r.collection.close();
  }
}

describe('DeckhandHost sync', () => {
  it('login, the one-way choice, a sync soon after a change, AnkiConnect sync, the final sync on stop', async () => {
    host = await DeckhandHost.start({ dataDir: join(dir, 'data'), profile: 'P', ankiConnect: { port: 0 }, sync: { debounceMs: 100, syncOptions: { media: false } } });
    expect(host.sync.status).toMatchObject({ state: 'logged-out', automatic: false });
    expect(await ac('sync')).toEqual({ result: null, error: 'sync: auth not configured' });
    expect((await ac('addNote', note('one'))).error).toBeNull();

    const states: string[] = [];
    host.sync.onStatusChange((s) => states.push(s.state));
    const s1 = await host.sync.login({ username: 'ana', password: 'pw', endpoint: server.url });
    expect(s1).toMatchObject({ state: 'full-sync-required', automatic: true, details: { uploadOk: true, downloadOk: false, remoteEmpty: true } });
    // AnkiConnect never chooses a full sync
    expect((await ac('sync')).error).toMatch(/^Sync status 4 not one of \[0, 1\]/);
    const s2 = await host.sync.chooseFullSync('upload');
    expect(s2).toMatchObject({ state: 'idle', lastResult: { outcome: 'uploaded' } });
    expect(await serverNotes()).toEqual(['one']);

    // a change through AnkiConnect is synced ~debounce later, by itself
    expect((await ac('addNote', note('two'))).error).toBeNull();
    await expect.poll(() => host!.sync.status.lastResult?.outcome, { timeout: 10_000 }).toBe('normal-sync');
    expect(await serverNotes()).toEqual(['one', 'two']);
    expect(await ac('sync')).toEqual({ result: null, error: null });

    // the final sync on stop takes a change made just before
    expect((await ac('addNote', note('three'))).error).toBeNull();
    const h = host;
    host = undefined;
    await h.stop();
    expect(await serverNotes()).toEqual(['one', 'two', 'three']);
    expect(states).toContain('syncing');
    expectCollectionPasses(join(dir, 'data', 'P', 'collection.anki2'));
  });

  it('starts syncing on open when a login is stored and autoSync is on; not when off', async () => {
    const manager = new ProfileManager({ baseDir: join(dir, 'data') });
    const info = manager.create('Q');
    writeSecrets(info.dir, { syncHostKey: await login(server.url, 'ana', 'pw'), syncEndpoint: server.url, syncUsername: 'ana' });
    host = await DeckhandHost.start({ dataDir: join(dir, 'data'), profile: 'Q', ankiConnect: false, sync: { syncOptions: { media: false } } });
    expect(host.sync.status.automatic).toBe(true);
    await expect.poll(() => host!.sync.status.lastSyncMs, { timeout: 10_000 }).not.toBeNull();
    await host.stop();

    manager.updateSettings('Q', { sync: { autoSync: false } });
    host = await DeckhandHost.start({ dataDir: join(dir, 'data'), profile: 'Q', ankiConnect: false });
    expect(host.sync.status).toMatchObject({ state: 'idle', automatic: false, lastSyncMs: null });
    expect((await host.sync.syncNow()).lastSyncMs).not.toBeNull(); // manual sync still works
  });

  it('AnkiConnect requests wait for a running sync instead of failing as busy', async () => {
    let release!: () => void;
    const fakeSync = async (session: DeckhandHost['session']): Promise<ProfileSyncResult> => {
      const hold = session.col.hold('The collection is being synced; try again when the sync has finished.');
      await new Promise<void>((r) => (release = r));
      hold.release();
      return { outcome: 'no-changes', endpoint: server.url, username: 'ana', loggedIn: false, serverMessage: '', sent: { changes: 0, deletions: 0 }, received: { changes: 0, deletions: 0 }, media: null, collectionReplaced: false };
    };
    host = await DeckhandHost.start({ dataDir: join(dir, 'data'), profile: 'R', ankiConnect: { port: 0 }, sync: { sync: fakeSync } });
    const syncing = host.sync.syncNow();
    await expect.poll(() => host!.sync.status.state).toBe('syncing');
    const adding = ac('addNote', note('waits'));
    expect((await ac('version')).result).toBe(6); // not held up
    await new Promise((r) => setTimeout(r, 100));
    release();
    await syncing;
    expect(await adding).toMatchObject({ error: null });
  });
});
