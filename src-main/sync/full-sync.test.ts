// Full (one-way) sync failure modes: a cut upload or download, an upload the server refuses —
// each must leave the local collection as it was (plus the backup copy made first).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { addNote } from '../notes/notes-service';
import { login } from './sync-client';
import { startSyncServer, type SyncServer, type SyncServerHooks } from './sync-server';
import { syncCollection } from './sync-service';
import { SyncError } from './wire';

let dir: string;
let server: SyncServer;
let hooks: SyncServerHooks = {};
let hostKey: string;

const snapshot = (col: Collection) =>
  ['SELECT * FROM col', 'SELECT * FROM notes ORDER BY id', 'SELECT * FROM cards ORDER BY id', 'SELECT * FROM graves'].map((q) => JSON.stringify(col.db.prepare(q).all())).join('\n');

function fresh(name: string, notes: number): Collection {
  const col = Collection.create(join(dir, name, 'collection.anki2'));
  const nt = col.storage.notetypes.all()[0].id;
  for (let i = 0; i < notes; i++) addNote(col, { notetypeId: nt, deckId: 1, fields: [`${name} ${i}`, ''] });
  return col;
}

beforeAll(async () => {
  dir = tempDir('deckhand-fullsync-');
  server = await startSyncServer({ port: 0, dataDir: join(dir, 'server'), users: ['user:pass'], hooks: { beforeReply: (i) => hooks.beforeReply?.(i) } });
  hostKey = await login(server.url, 'user', 'pass');
});
afterAll(() => server?.close());

describe('full sync that fails part-way', () => {
  it('a cut upload changes nothing locally; the retry succeeds', async () => {
    const A = fresh('a', 3);
    const before = snapshot(A);
    hooks = { beforeReply: (i) => (i.method === 'upload' ? 'destroy' : undefined) };
    const err = await syncCollection(A, { endpoint: server.url, hostKey, media: false, fullSync: 'upload' }).catch((e: unknown) => e);
    hooks = {};
    expect((err as SyncError).kind).toBe('network');
    expect(snapshot(A)).toBe(before);
    // the server did replace its collection before the cut; a retry simply uploads again
    const r = await syncCollection(A, { endpoint: server.url, hostKey, media: false, fullSync: 'upload' });
    expect(r.outcome).toBe('uploaded');
    expect(r.backupPath && existsSync(r.backupPath)).toBe(true);
    const backup = r.backupPath!;
    A.close();
    expectCollectionPasses(A.path);
    expectCollectionPasses(backup);
  });

  it('a cut download changes nothing and keeps the collection open', async () => {
    const B = fresh('b', 1);
    const before = snapshot(B);
    hooks = { beforeReply: (i) => (i.method === 'download' ? 'truncate' : undefined) };
    const err = await syncCollection(B, { endpoint: server.url, hostKey, media: false, fullSync: 'download', inspectRemote: false }).catch((e: unknown) => e);
    hooks = {};
    expect((err as SyncError).kind).toBe('network');
    expect(B.isClosed).toBe(false);
    expect(snapshot(B)).toBe(before);
    const r = await syncCollection(B, { endpoint: server.url, hostKey, media: false, fullSync: 'download' });
    expect(r.outcome).toBe('downloaded');
    expect(r.collection.storage.notes.count()).toBe(3);
    r.collection.close();
    expectCollectionPasses(r.collection.path);
  });

  it('an upload the server refuses is reported with its reason, nothing changes', async () => {
    const small = await startSyncServer({ port: 0, dataDir: join(dir, 'small'), users: ['user:pass'], maxPayloadMegs: 0.01 });
    const C = fresh('c', 2);
    const before = snapshot(C);
    const err = await syncCollection(C, { endpoint: small.url, hostKey, media: false, fullSync: 'upload' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect(['upload-too-large', 'server-message']).toContain((err as SyncError).kind);
    expect((err as SyncError).message).toMatch(/too large|size limit/);
    expect(snapshot(C)).toBe(before);
    C.close();
    await small.close();
  });

  it('a failed sanity check rolls back, and the next sync must be a full one', async () => {
    const data = join(dir, 'sanity');
    let srv = await startSyncServer({ port: 0, dataDir: data, users: ['user:pass'] });
    const D = fresh('d', 2);
    await syncCollection(D, { endpoint: srv.url, hostKey, media: false, fullSync: 'upload' });
    // the server's collection silently gains a row no client knows about (usn 0: never sent)
    await srv.close();
    const serverCol = Collection.open(join(data, 'user', 'collection.anki2'));
    serverCol.db.prepare('INSERT INTO revlog VALUES (1700000000000, 1, 0, 3, 1, 0, 2500, 1000, 1)').run();
    serverCol.close();
    srv = await startSyncServer({ port: 0, dataDir: data, users: ['user:pass'] });
    addNote(D, { notetypeId: D.storage.notetypes.all()[0].id, deckId: 1, fields: ['after', ''] });
    const before = snapshot(D).split('\n').slice(1).join('\n');
    const err = await syncCollection(D, { endpoint: srv.url, hostKey, media: false }).catch((e: unknown) => e);
    expect((err as SyncError).kind).toBe('sanity-check-failed');
    expect((err as SyncError).message).toMatch(/here: 3 cards, 3 notes, 0 reviews.*server: 3 cards, 3 notes, 1 reviews/);
    expect(snapshot(D).split('\n').slice(1).join('\n')).toBe(before);
    const r = await syncCollection(D, { endpoint: srv.url, hostKey, media: false });
    expect(r.outcome).toBe('full-sync-required');
    expect((await syncCollection(D, { endpoint: srv.url, hostKey, media: false, fullSync: 'upload' })).outcome).toBe('uploaded');
    expect((await syncCollection(D, { endpoint: srv.url, hostKey, media: false })).outcome).toBe('no-changes');
    D.close();
    await srv.close();
  });
});
