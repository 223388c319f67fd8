// Two clients and the server in one process, on loopback with ephemeral ports: first full
// upload/download, then normal syncs merging edits by Anki's rules, deletions, a schema change
// forcing a full sync, a connection cut mid-sync, a wrong password, and every written
// collection checked with the independent Anki-format checker.

import { DeckhandError } from '../collection/errors';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { addDeckConfig, updateDeckConfig } from '../decks/deck-config-service';
import { addDeck, renameDeck, removeDecks } from '../decks/decks-service';
import { addNote, deleteNotes, updateNote } from '../notes/notes-service';
import { noteDerivedColumns } from '../notes/derived';
import { OriginalStockKind } from '../storage/proto/messages';
import { login } from './sync-client';
import { startSyncServer, type SyncServer, type SyncServerHooks } from './sync-server';
import { syncCollection, type SyncResult } from './sync-service';
import { SyncError } from './wire';

// one clock for both clients and the server, close to real time (the clock check allows 5 min)
const clock = { t: Date.now(), nowMs: () => clock.t };
const tick = (secs = 2) => {
  clock.t += secs * 1000;
};

let dir: string;
let server: SyncServer;
let hooks: SyncServerHooks = {};
let hostKey: string;
let A: Collection;
let B: Collection;

const basicId = (col: Collection) => col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.Basic)!.id;
const fieldsOf = (col: Collection, id: number) => col.storage.notes.get(id)?.fields;

async function sync(col: Collection, extra: Partial<Parameters<typeof syncCollection>[1]> = {}): Promise<SyncResult> {
  tick(1);
  const r = await syncCollection(col, { endpoint: server.url, hostKey, media: false, ...extra });
  tick(1);
  return r;
}

/** Syncs A then B then A, so both end with everything. */
async function syncAll(): Promise<void> {
  expect((await sync(A)).outcome).toMatch(/normal-sync|no-changes/);
  expect((await sync(B)).outcome).toMatch(/normal-sync|no-changes/);
  expect((await sync(A)).outcome).toMatch(/normal-sync|no-changes/);
}

function snapshot(col: Collection): string {
  const db = col.db;
  const q = (sql: string) => JSON.stringify(db.prepare(sql).all());
  return [
    q('SELECT * FROM col'),
    q('SELECT id, mod, usn, flds, tags FROM notes ORDER BY id'),
    q('SELECT id, mod, usn, did, queue FROM cards ORDER BY id'),
    q('SELECT * FROM revlog ORDER BY id'),
    q('SELECT * FROM graves ORDER BY oid, type'),
    q('SELECT id, name, mtime_secs, usn FROM decks ORDER BY id'),
    q('SELECT id, name, mtime_secs, usn FROM notetypes ORDER BY id'),
    q('SELECT tag, usn FROM tags ORDER BY tag'),
  ].join('\n');
}

beforeAll(async () => {
  dir = tempDir('deckhand-sync-');
  server = await startSyncServer({
    port: 0,
    dataDir: join(dir, 'server'),
    users: ['user:pass', 'other:secret'],
    clock,
    hooks: { beforeReply: (info) => hooks.beforeReply?.(info) },
  });
  hostKey = await login(server.url, 'user', 'pass');
  A = Collection.create(join(dir, 'a', 'collection.anki2'), { clock });
  B = Collection.create(join(dir, 'b', 'collection.anki2'), { clock });
});

afterAll(async () => {
  A?.close();
  B?.close();
  await server?.close();
});

describe('sync between two clients through the server', () => {
  it('first sync: A uploads (the server is empty), B downloads', async () => {
    tick();
    const n1 = addNote(A, { notetypeId: basicId(A), deckId: 1, fields: ['one', 'uno'], tags: ['shared'] }).result.noteId;
    addNote(A, { notetypeId: basicId(A), deckId: 1, fields: ['two', 'dos'] });
    addDeck(A, 'Spanish::Verbs');

    const first = await sync(A);
    expect(first.outcome).toBe('full-sync-required');
    expect(first.fullSync).toMatchObject({ uploadOk: true, downloadOk: false, remoteEmpty: true, local: { notes: 2, cards: 2 }, remote: { notes: 0, cards: 0 } });
    expect(first.fullSync!.message).toMatch(/Upload replaces the server's collection/);
    // asking for the impossible direction is refused with a clear error, nothing changes
    await expect(sync(A, { fullSync: 'download' })).rejects.toMatchObject({ kind: 'resync-required' });

    const up = await sync(A, { fullSync: 'upload' });
    expect(up.outcome).toBe('uploaded');
    expect(up.backupPath && existsSync(up.backupPath)).toBe(true);
    expect((await sync(A)).outcome).toBe('no-changes');

    const b1 = await sync(B);
    expect(b1.outcome).toBe('full-sync-required');
    expect(b1.fullSync).toMatchObject({ uploadOk: false, downloadOk: true, local: { notes: 0 }, remote: { notes: 2, cards: 2 } });
    const down = await sync(B, { fullSync: 'download' });
    expect(down.outcome).toBe('downloaded');
    expect(B.isClosed).toBe(true);
    B = down.collection;
    expect(fieldsOf(B, n1)).toEqual(['one', 'uno']);
    expect(B.storage.decks.byName('Spanish::Verbs')).toBeDefined();
    expect((await sync(B)).outcome).toBe('no-changes');
    // a download bumps the server's usn and mod (as Anki's), so A has an (empty) normal sync
    expect((await sync(A)).outcome).toBe('normal-sync');
    expect((await sync(A)).outcome).toBe('no-changes');
  });

  it('edits on both sides merge; on a conflict the newer edit wins whichever side syncs first', async () => {
    const nt = basicId(A);
    const [x, y] = A.storage.notes.allIds().sort((a, b) => a - b);
    tick();
    updateNote(A, x, { fields: ['one (A)', 'uno'] });
    const newA = addNote(A, { notetypeId: nt, deckId: 1, fields: ['from A', 'a'], tags: ['fromA'] }).result.noteId;
    tick();
    updateNote(B, y, { fields: ['two (B)', 'dos'], tags: ['fromB'] });
    const newB = addNote(B, { notetypeId: nt, deckId: 1, fields: ['from B', 'b'] }).result.noteId;
    // a review on B
    const cardB = B.storage.cards.ofNote(y)[0];
    B.transact('Review', (tx) => tx.addRevlog({ id: clock.t, cid: cardB.id, usn: -1, ease: 3, ivl: 1, lastIvl: 0, factor: 2500, time: 4000, type: 0 }));

    // conflict: B edits z first, A edits it later → A's edit must win even though B syncs last
    tick();
    updateNote(B, x, { fields: ['one (B older)', 'uno'] });
    tick(5);
    updateNote(A, x, { fields: ['one (A newer)', 'uno'] });

    expect((await sync(A)).outcome).toBe('normal-sync');
    expect((await sync(B)).outcome).toBe('normal-sync');
    expect((await sync(A)).outcome).toBe('normal-sync');

    for (const col of [A, B]) {
      expect(fieldsOf(col, x)).toEqual(['one (A newer)', 'uno']);
      expect(fieldsOf(col, y)).toEqual(['two (B)', 'dos']);
      expect(fieldsOf(col, newA)).toEqual(['from A', 'a']);
      expect(fieldsOf(col, newB)).toEqual(['from B', 'b']);
      expect(col.storage.revlog.ofCard(cardB.id)).toHaveLength(1);
      expect(col.storage.tags.all().map((t) => t.tag)).toEqual(expect.arrayContaining(['fromA', 'fromB', 'shared']));
      const st = col.db.prepare('SELECT (SELECT count() FROM notes WHERE usn = -1) + (SELECT count() FROM cards WHERE usn = -1) + (SELECT count() FROM graves WHERE usn = -1)').pluck().get();
      expect(st).toBe(0);
      // sort field and checksum were recomputed from the fields on arrival
      const row = col.storage.notes.getRow(newB)!;
      expect([String(row.sfld), row.csum]).toEqual([noteDerivedColumns({ fields: ['from B', 'b'] }, col.storage.notetypes.get(nt)!).sfld, noteDerivedColumns({ fields: ['from B', 'b'] }, col.storage.notetypes.get(nt)!).csum]);
    }
    // same rows, same usns (tags are registered with the receiver's latest usn, so they differ)
    expect(snapshot(A).split('\n').slice(1, 7)).toEqual(snapshot(B).split('\n').slice(1, 7));
  });

  it('decks and deck presets: the newer change wins; a deck name clash gets a "+"', async () => {
    const d = A.storage.decks.byName('Spanish::Verbs')!;
    tick();
    const preset = addDeckConfig(A, 'Fast').result;
    tick();
    const def = B.storage.deckConfigs.get(1)!;
    updateDeckConfig(B, { ...def, config: { ...def.config, newPerDay: 33 } });
    tick();
    renameDeck(B, d.id, 'Spanish::Old verbs');
    tick(3);
    renameDeck(A, d.id, 'Spanish::New verbs');
    tick();
    addDeck(A, 'French');
    tick();
    addDeck(B, 'French'); // same name, different deck
    await syncAll();
    for (const col of [A, B]) {
      expect(col.storage.decks.get(d.id)!.name).toBe('Spanish::New verbs');
      const names = col.storage.decks.allNames().map((n) => n.name);
      expect(names).toEqual(expect.arrayContaining(['French', 'French+']));
      expect(col.storage.deckConfigs.get(preset.id)?.name).toBe('Fast');
      expect(col.storage.deckConfigs.get(1)!.config.newPerDay).toBe(33);
    }
  });

  it('deletions travel: notes, their cards and decks', async () => {
    const victim = A.db.prepare("SELECT id FROM notes WHERE flds LIKE 'from B%'").pluck().get() as number;
    const cards = A.storage.cards.ofNote(victim).map((c) => c.id);
    tick();
    deleteNotes(A, [victim]);
    const french = B.storage.decks.byName('French+')!;
    removeDecks(B, [french.id]);
    await syncAll();
    for (const col of [A, B]) {
      expect(col.storage.notes.get(victim)).toBeUndefined();
      for (const c of cards) expect(col.storage.cards.get(c)).toBeUndefined();
      expect(col.storage.decks.get(french.id)).toBeUndefined();
      expect(col.storage.graves.getRow(victim, 1)?.usn).toBeGreaterThanOrEqual(0);
    }
    expect(snapshot(A).split('\n').slice(1, 3)).toEqual(snapshot(B).split('\n').slice(1, 3));
  });

  it('many changes travel in chunks of 250 and a cut connection leaves both sides as they were', async () => {
    const nt = basicId(A);
    tick();
    A.transact('Add many', () => undefined);
    for (let i = 0; i < 140; i++) addNote(A, { notetypeId: nt, deckId: 1, fields: [`bulk ${i}`, String(i)] });
    const before = snapshot(A);
    // cut the connection on the second applyChunk (after the server applied the first one)
    let applyChunks = 0;
    hooks = { beforeReply: (info) => (info.method === 'applyChunk' && ++applyChunks === 2 ? 'destroy' : undefined) };
    const err = await sync(A).catch((e: unknown) => e);
    hooks = {};
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).kind).toBe('network');
    expect((err as SyncError).message).toMatch(/connection .* was lost/);
    expect(applyChunks).toBe(2);
    expect(snapshot(A)).toBe(before);
    expect(A.undoStatus().undo).not.toBeNull(); // nothing happened locally, not even the undo clear

    // also cut the reply half-way through a server→client chunk on B's side
    tick();
    updateNote(B, B.storage.notes.allIds()[0], { fields: ['cut test', 'x'] });
    const beforeB = snapshot(B);
    hooks = { beforeReply: (info) => (info.method === 'chunk' ? 'truncate' : undefined) };
    const errB = await sync(B).catch((e: unknown) => e);
    hooks = {};
    expect((errB as SyncError).kind).toBe('network');
    expect(snapshot(B)).toBe(beforeB);

    // the next syncs complete
    await syncAll();
    expect(B.storage.notes.count()).toBe(A.storage.notes.count());
    expect(B.db.prepare("SELECT count() FROM notes WHERE flds LIKE 'bulk %'").pluck().get()).toBe(140);
  });

  it('other writers are kept out while a sync holds the collection; runs never overlap', async () => {
    tick();
    updateNote(A, A.storage.notes.allIds()[0], { fields: ['busy test', 'x'] });
    let refused: unknown;
    const p1 = sync(A, {
      onProgress: (p) => {
        if (p.stage === 'syncing' && refused === undefined) {
          try {
            updateNote(A, A.storage.notes.allIds()[0], { fields: ['sneaky', 'x'] });
            refused = 'not refused';
          } catch (e) {
            refused = e;
          }
        }
      },
    });
    const p2 = syncCollection(A, { endpoint: server.url, hostKey, media: false });
    const [r1, r2] = await Promise.all([p1, p2]);
    expect((refused as DeckhandError).code).toBe('busy');
    expect((refused as Error).message).toMatch(/being synced/);
    expect(r1.outcome).toBe('normal-sync');
    expect(r2.outcome).toBe('no-changes');
    expect(fieldsOf(A, A.storage.notes.allIds()[0])).toEqual(['busy test', 'x']);
    // after the sync, writes work again
    updateNote(A, A.storage.notes.allIds()[0], { fields: ['after', 'x'] });
    await syncAll();
  });

  it('a notetype change bumps the schema and forces a full sync, with counts for both directions', async () => {
    const nt = structuredClone(A.storage.notetypes.get(basicId(A))!);
    const noteIds = A.storage.notes.idsOfNotetype(nt.id);
    tick();
    A.transact('Add Field', (tx) => {
      nt.fields.push({ ord: nt.fields.length, name: 'Extra', config: { ...nt.fields[1].config, id: undefined } });
      tx.putNotetype(nt);
      for (const id of noteIds) {
        const note = tx.storage.notes.get(id)!;
        note.fields.push('');
        tx.putNote(note, noteDerivedColumns(note, nt));
      }
      tx.markSchemaChanged();
    });
    tick();
    addNote(B, { notetypeId: nt.id, deckId: 1, fields: ['lost on B', 'x'] });

    const r = await sync(A);
    expect(r.outcome).toBe('full-sync-required');
    const local = { notes: A.storage.notes.count(), cards: A.storage.cards.count() };
    expect(r.fullSync).toMatchObject({ uploadOk: true, downloadOk: true, local, remote: { notes: local.notes, cards: local.cards } });
    expect(r.fullSync!.message).toMatch(/Upload replaces the server's collection .* Download replaces this collection/);
    expect((await sync(A, { fullSync: 'upload' })).outcome).toBe('uploaded');

    const rb = await sync(B);
    expect(rb.outcome).toBe('full-sync-required');
    expect(rb.fullSync!.local.notes).toBe(local.notes + 1);
    expect(rb.fullSync!.remote!.notes).toBe(local.notes);
    const d = await sync(B, { fullSync: 'download' });
    B = d.collection;
    expect(B.storage.notetypes.get(nt.id)!.fields.map((f) => f.name)).toEqual(['Front', 'Back', 'Extra']);
    expect(B.storage.notes.get(noteIds[0])!.fields).toHaveLength(3);
    await syncAll();
  });

  it('an incoming notetype with a different field count: the receiver refuses, nothing changes, a full sync follows', async () => {
    const ntId = basicId(A);
    const shrink = (col: Collection) => {
      const nt = structuredClone(col.storage.notetypes.get(ntId)!);
      col.transact('Remove field without schema bump', (tx) => {
        nt.fields.pop();
        for (const id of tx.storage.notes.idsOfNotetype(nt.id)) {
          const note = tx.storage.notes.get(id)!;
          note.fields.pop();
          tx.putNote(note, noteDerivedColumns(note, nt));
        }
        tx.putNotetype(nt);
      });
    };
    // (1) the server is the receiver: it answers 400, the client rolls back
    tick();
    shrink(B);
    const beforeB = snapshot(B);
    const e1 = await sync(B).catch((e: unknown) => e);
    expect((e1 as SyncError).kind).toBe('database-check-required');
    expect(snapshot(B)).toBe(beforeB);

    // (2) the client is the receiver: A renames Basic (newer), B's different fields meet it
    tick();
    const nt = structuredClone(A.storage.notetypes.get(ntId)!);
    nt.name = 'Basic (renamed)';
    A.transact('Rename', (tx) => tx.putNotetype(nt));
    expect((await sync(A)).outcome).toBe('normal-sync');
    const e2 = await sync(B).catch((e: unknown) => e);
    expect((e2 as SyncError).kind).toBe('resync-required');
    expect((e2 as SyncError).message).toMatch(/Basic \(renamed\)/);
    expect(snapshot(B).split('\n').slice(1)).toEqual(beforeB.split('\n').slice(1)); // only col.scm moved
    const r = await sync(B);
    expect(r.outcome).toBe('full-sync-required');
    B = (await sync(B, { fullSync: 'download' })).collection;
    expect(B.storage.notetypes.get(ntId)!.fields).toHaveLength(3);
    expect(B.storage.notetypes.get(ntId)!.name).toBe('Basic (renamed)');
    await syncAll();
  });

  it('a wrong password or a stale host key gives a clear error and changes nothing', async () => {
    const err = await login(server.url, 'user', 'wrong').catch((e: unknown) => e);
    expect((err as SyncError).kind).toBe('auth');
    tick();
    updateNote(A, A.storage.notes.allIds()[0], { fields: { Front: 'pending' } });
    const before = snapshot(A);
    const e2 = await syncCollection(A, { endpoint: server.url, hostKey: 'f'.repeat(40), media: false }).catch((e: unknown) => e);
    expect((e2 as SyncError).kind).toBe('auth');
    expect((e2 as SyncError).message).toMatch(/username or password is wrong, or the saved login has expired/);
    expect(snapshot(A)).toBe(before);
    await syncAll();
  });

  it('every collection written by sync passes the strict checker', async () => {
    const paths = [A.path, B.path];
    A.close();
    B.close();
    await server.close();
    for (const p of [...paths, join(dir, 'server', 'user', 'collection.anki2')]) expectCollectionPasses(p);
    A = Collection.open(paths[0], { clock });
    B = Collection.open(paths[1], { clock });
    server = await startSyncServer({ port: 0, dataDir: join(dir, 'server'), users: ['user:pass'], clock });
    // the restarted server still has everything: nothing to do
    expect((await sync(A)).outcome).toBe('no-changes');
  });
});
