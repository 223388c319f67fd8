// Media sync between two clients through the server: additions, deletions and replacements in
// both directions, zips of ≤ 25 files and ~2.5 MiB, the server-wins rule, and the sanity check
// that wipes the local media DB when counts disagree.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { tempDir } from '../collection/test-support/check';
import { MediaManager, mediaPathsForCollection } from '../media/media-service';
import type { MediaSyncResult } from './media-sync';
import { requiredMediaChange } from './media-sync';
import { login } from './sync-client';
import { startSyncServer, type SyncServer } from './sync-server';
import { syncCollection } from './sync-service';
import { SyncError } from './wire';

let dir: string;
let server: SyncServer;
let hostKey: string;
let A: Collection;
let B: Collection;
const requests: string[] = [];

async function syncMediaOf(col: Collection): Promise<MediaSyncResult> {
  const r = await syncCollection(col, { endpoint: server.url, hostKey, onRequest: (i) => requests.push(`${i.service}/${i.method}`) });
  if (r.media && 'error' in r.media) throw r.media.error;
  return r.media as MediaSyncResult;
}

function withMedia<T>(col: Collection, fn: (m: MediaManager) => T): T {
  const m = MediaManager.forCollection(col.path);
  try {
    return fn(m);
  } finally {
    m.close();
  }
}

const folderOf = (col: Collection) => mediaPathsForCollection(col.path).folder;
const bytes = (s: string, size = 0) => (size ? Buffer.alloc(size, s) : Buffer.from(s));

beforeAll(async () => {
  dir = tempDir('deckhand-msync-');
  server = await startSyncServer({ port: 0, dataDir: join(dir, 'server'), users: ['user:pass'] });
  hostKey = await login(server.url, 'user', 'pass');
  A = Collection.create(join(dir, 'a', 'collection.anki2'));
  B = Collection.create(join(dir, 'b', 'collection.anki2'));
});

afterAll(async () => {
  A?.close();
  B?.close();
  await server?.close();
});

describe('Anki\'s decision table for a server change', () => {
  it('matches determine_required_change', () => {
    expect(requiredMediaChange('', '', 'not-in-db')).toBe('none');
    expect(requiredMediaChange('', '', 'in-db-not-pending')).toBe('delete');
    expect(requiredMediaChange('', '1', 'in-db-pending')).toBe('download');
    expect(requiredMediaChange('1', '', 'in-db-pending')).toBe('none');
    expect(requiredMediaChange('1', '', 'in-db-not-pending')).toBe('delete');
    expect(requiredMediaChange('1', '1', 'in-db-not-pending')).toBe('none');
    expect(requiredMediaChange('1', '1', 'in-db-pending')).toBe('remove-pending');
    expect(requiredMediaChange('a', 'b', 'in-db-pending')).toBe('download');
    expect(requiredMediaChange('a', 'b', 'in-db-not-pending')).toBe('download');
  });
});

describe('media moves both ways', () => {
  it('a file added on A reaches B', async () => {
    withMedia(A, (m) => m.addFile('a.png', bytes('PNG-A')));
    const ra = await syncMediaOf(A);
    expect(ra).toMatchObject({ uploadedFiles: 1, downloadedFiles: 0, changed: true });
    const rb = await syncMediaOf(B);
    expect(rb).toMatchObject({ downloadedFiles: 1, uploadedFiles: 0 });
    expect(readFileSync(join(folderOf(B), 'a.png')).toString()).toBe('PNG-A');
    withMedia(B, (m) => expect(m.entry('a.png')).toMatchObject({ dirty: false, sha1: expect.stringMatching(/^[0-9a-f]{40}$/) }));
    // nothing left to do on either side: no sanity check either
    requests.length = 0;
    expect((await syncMediaOf(A)).changed).toBe(false);
    expect(requests).toEqual(['sync/meta']); // the media usn came with meta: no begin
  });

  it('a deletion and a file dropped straight into the folder travel from B to A', async () => {
    withMedia(B, (m) => m.trashFiles(['a.png']));
    writeFileSync(join(folderOf(B), 'b sound.mp3'), bytes('MP3'));
    const rb = await syncMediaOf(B);
    expect(rb).toMatchObject({ uploadedFiles: 1, uploadedDeletions: 1 });
    const ra = await syncMediaOf(A);
    expect(ra).toMatchObject({ downloadedFiles: 1, downloadedDeletions: 1 });
    expect(existsSync(join(folderOf(A), 'a.png'))).toBe(false);
    expect(existsSync(join(dir, 'a', 'media.trash', 'a.png'))).toBe(true); // trashed, as Anki
    expect(readFileSync(join(folderOf(A), 'b sound.mp3')).toString()).toBe('MP3');
    withMedia(A, (m) => expect(m.entry('a.png')).toBeUndefined());
  });

  it('many files go in zips of at most 25; big ones stop a download zip at 2.5 MiB', async () => {
    withMedia(A, (m) => {
      for (let i = 0; i < 30; i++) m.addFile(`small-${i}.txt`, bytes(`file ${i}`));
      for (let i = 0; i < 4; i++) m.addFile(`big-${i}.bin`, bytes(String(i), 1024 * 1024));
    });
    requests.length = 0;
    const ra = await syncMediaOf(A);
    expect(ra.uploadedFiles).toBe(34);
    // 34 dirty entries: 25 (but the zip stops adding after 2.5 MiB), then the rest
    expect(requests.filter((r) => r === 'msync/uploadChanges').length).toBeGreaterThanOrEqual(2);
    requests.length = 0;
    const rb = await syncMediaOf(B);
    expect(rb.downloadedFiles).toBe(34);
    expect(requests.filter((r) => r === 'msync/downloadFiles').length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 4; i++) expect(readFileSync(join(folderOf(B), `big-${i}.bin`)).equals(bytes(String(i), 1024 * 1024))).toBe(true);
    expect(readFileSync(join(folderOf(B), 'small-29.txt')).toString()).toBe('file 29');
  });

  it('the same file changed on both sides: the side syncing second gets the server\'s version', async () => {
    withMedia(A, (m) => m.addFile('c.txt', bytes('base')));
    await syncMediaOf(A);
    await syncMediaOf(B);
    // replaced by rename, as editors save: the folder's mtime moves, so the scanner looks
    const replace = (col: Collection, text: string) => {
      writeFileSync(join(folderOf(col), '.tmp'), text);
      renameSync(join(folderOf(col), '.tmp'), join(folderOf(col), 'c.txt'));
    };
    replace(A, 'from A');
    replace(B, 'from B');
    await syncMediaOf(A);
    const rb = await syncMediaOf(B);
    expect(rb.downloadedFiles).toBe(1);
    expect(readFileSync(join(folderOf(B), 'c.txt')).toString()).toBe('from A');
    withMedia(B, (m) => expect(m.entry('c.txt')?.dirty).toBe(false));
  });

  it('a count mismatch after syncing wipes the local media DB; the next sync recovers', async () => {
    // forget one file in A's DB without touching the folder: A's count is now one short
    withMedia(A, (m) => m.db.removeEntry('c.txt'));
    withMedia(A, (m) => m.addFile('d.txt', bytes('D')));
    const r = await syncCollection(A, { endpoint: server.url, hostKey });
    expect(r.media && 'error' in r.media && (r.media.error as SyncError).kind).toBe('media-resync-required');
    withMedia(A, (m) => expect(m.db.getMeta()).toEqual({ folderMtime: 0, lastSyncUsn: 0 }));
    const again = await syncMediaOf(A);
    expect(again.changed).toBe(true);
    withMedia(A, (m) => {
      expect(m.db.pendingUploads(100)).toEqual([]);
      expect(m.entry('c.txt')?.dirty).toBe(false);
    });
    await syncMediaOf(B);
    expect(readFileSync(join(folderOf(B), 'd.txt')).toString()).toBe('D');
  });
});
