import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { sha1Hex } from './filenames';
import { addMediaFile, listMediaFiles, MediaManager, mediaFolder, mediaPathsForCollection, readMediaFile, trashMediaFiles } from './media-service';

const open: MediaManager[] = [];
function fresh(): { m: MediaManager; dir: string } {
  const dir = tempDir('deckhand-media-');
  const m = MediaManager.forCollection(join(dir, 'collection.anki2'));
  open.push(m);
  return { m, dir };
}
afterEach(() => {
  for (const m of open.splice(0)) m.close();
});

const files = (dir: string) => readdirSync(dir).sort();

describe('media paths', () => {
  it('follows Anki: X.anki2 → X.media/, X.media.db2, media.trash/ beside', () => {
    expect(mediaPathsForCollection('/p/collection.anki2')).toEqual({ folder: '/p/collection.media', db: '/p/collection.media.db2', trash: '/p/media.trash' });
    expect(mediaPathsForCollection('/p/User 1.ANKI2').folder).toBe('/p/User 1.media');
  });
});

describe('collection.media.db2', () => {
  it('is created with exactly Anki’s schema, WAL, 4 KiB pages, meta (0, 0)', () => {
    const { m, dir } = fresh();
    m.close();
    const db = new Database(join(dir, 'collection.media.db2'), { readonly: true });
    const sql = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();
    expect(sql).toEqual([
      { type: 'index', name: 'idx_media_dirty', sql: 'CREATE INDEX idx_media_dirty ON media (dirty)\nWHERE dirty = 1' },
      {
        type: 'table',
        name: 'media',
        sql: 'CREATE TABLE media (\n  fname text NOT NULL PRIMARY KEY,\n  -- null indicates deleted file\n  csum text,\n  -- zero if deleted\n  mtime int NOT NULL,\n  dirty int NOT NULL\n) without rowid',
      },
      { type: 'table', name: 'meta', sql: 'CREATE TABLE meta (dirMod int, lastUsn int)' },
    ]);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT * FROM meta').all()).toEqual([{ dirMod: 0, lastUsn: 0 }]);
    db.close();
  });

  it('reopens an existing DB without touching it', () => {
    const { m, dir } = fresh();
    m.addFile('a.txt', Buffer.from('a'));
    m.close();
    const again = MediaManager.forCollection(join(dir, 'collection.anki2'));
    open.push(again);
    expect(again.entry('a.txt')?.sha1).toBe(sha1Hex('a'));
  });
});

describe('addFile (Anki `adding_removing` test and the lower-case retry)', () => {
  it('reuses identical files, lower-cases, and hashes differing content', () => {
    const { m } = fresh();
    expect(m.addFile('test.mp3', Buffer.from('hello'))).toBe('test.mp3');
    expect(m.addFile('test.mp3', Buffer.from('hello'))).toBe('test.mp3');
    expect(m.addFile('Test.mp3', Buffer.from('hello1'))).toBe('test-88fdd585121a4ccb3d1540527aee53a77c77abb8.mp3');
    expect(m.addFile('test.mp3', Buffer.from('hello1'))).toBe('test-88fdd585121a4ccb3d1540527aee53a77c77abb8.mp3');
    expect(files(m.folder)).toEqual(['test-88fdd585121a4ccb3d1540527aee53a77c77abb8.mp3', 'test.mp3']);
  });

  it('stores a new upper-case name in lower case, and reuses an identical upper-case file', () => {
    const { m } = fresh();
    expect(m.addFile('Photo.JPG', Buffer.from('p'))).toBe('photo.jpg');
    writeFileSync(join(m.folder, 'Exact.png'), 'x');
    expect(m.addFile('Exact.png', Buffer.from('x'))).toBe('Exact.png');
    expect(files(m.folder)).toEqual(['Exact.png', 'photo.jpg']);
  });

  it('normalises the name first (NFC, forbidden characters, device names)', () => {
    const { m } = fresh();
    expect(m.addFile('ぱぱ.jpg'.normalize('NFD'), Buffer.from('nfd'))).toBe('ぱぱ.jpg');
    expect(m.addFile('what?.png', Buffer.from('q'))).toBe('what.png');
    expect(m.addFile('con.txt', Buffer.from('c'))).toBe('con_.txt');
    expect(() => m.addFile('???', Buffer.from('c'))).toThrow(/no usable characters/);
  });

  it('marks the DB entry dirty with checksum and the file mtime in ms', () => {
    const { m } = fresh();
    const name = m.addFile('Straße.mp3', Buffer.from('ß'));
    expect(name).toBe('straße.mp3');
    const e = m.entry(name)!;
    expect(e.sha1).toBe(sha1Hex(Buffer.from('ß')));
    expect(e.dirty).toBe(true);
    expect(e.mtime).toBe(Math.floor(statSync(join(m.folder, name)).mtimeMs));
    // re-adding the same content leaves the entry alone
    m.db.setEntry({ ...e, dirty: false });
    m.addFile('straße.mp3', Buffer.from('ß'));
    expect(m.entry(name)!.dirty).toBe(false);
  });

  it('keeps the stored folder mtime in step when the DB matched the folder', () => {
    const { m } = fresh();
    m.registerChanges();
    const before = m.db.getMeta().folderMtime;
    expect(before).toBeGreaterThan(0);
    const past = new Date(Date.now() - 60_000);
    utimesSync(m.folder, past, past);
    m.db.setMeta({ ...m.db.getMeta(), folderMtime: Math.floor(statSync(m.folder).mtimeMs) });
    m.addFile('n.txt', Buffer.from('n'));
    expect(m.db.getMeta().folderMtime).toBe(Math.floor(statSync(m.folder).mtimeMs));
  });
});

describe('trash, read, list', () => {
  it('moves files to media.trash beside the folder and marks them deleted', () => {
    const { m, dir } = fresh();
    m.addFile('a.jpg', Buffer.from('a'));
    m.addFile('b.jpg', Buffer.from('b'));
    m.trashFiles(['a.jpg', 'missing.jpg', 'b.jpg']);
    expect(files(m.folder)).toEqual([]);
    expect(files(join(dir, 'media.trash'))).toEqual(['a.jpg', 'b.jpg']);
    expect(m.entry('a.jpg')).toEqual({ fname: 'a.jpg', sha1: null, mtime: 0, dirty: true });
    expect(m.entry('missing.jpg')).toBeUndefined();
    expect(m.trashStats()).toEqual({ count: 2, bytes: 2 });
    expect(() => m.trashFiles(['../x'])).toThrow(/not a valid media file name/);
  });

  it('restores the trash (renaming when the name is taken by other content) and empties it', () => {
    const { m, dir } = fresh();
    const trash = join(dir, 'media.trash');
    mkdirSync(trash, { recursive: true });
    writeFileSync(join(trash, 'test.jpg'), 'test');
    m.restoreTrash();
    expect(files(m.folder)).toEqual(['test.jpg']);
    writeFileSync(join(trash, 'test.jpg'), 'test');
    m.restoreTrash();
    expect(files(m.folder)).toEqual(['test.jpg']);
    writeFileSync(join(trash, 'test.jpg'), 'test2');
    m.restoreTrash();
    expect(files(m.folder)).toEqual(['test-109f4b3c50d7b0df729d299bc6f8e9ef9066971f.jpg', 'test.jpg']);
    expect(files(trash)).toEqual([]);
    writeFileSync(join(trash, 'x'), 'x');
    m.emptyTrash();
    expect(files(trash)).toEqual([]);
  });

  it('reads and lists files', () => {
    const { m } = fresh();
    m.addFile('b.txt', Buffer.from('bb'));
    m.addFile('a.txt', Buffer.from('a'));
    mkdirSync(join(m.folder, 'sub'));
    expect(m.readFile('b.txt')?.toString()).toBe('bb');
    expect(m.readFile('nope.txt')).toBeNull();
    expect(m.readFile('sub')).toBeNull();
    expect(m.listFiles().map((f) => [f.fname, f.size])).toEqual([
      ['a.txt', 1],
      ['b.txt', 2],
    ]);
    expect(m.listFileNames('b*')).toEqual(['b.txt']);
  });
});

describe('registerChanges (change tracker)', () => {
  it('registers new, changed and removed files; ignores bad names, empty and nonsyncable files', () => {
    const { m } = fresh();
    writeFileSync(join(m.folder, 'new.jpg'), 'new');
    writeFileSync(join(m.folder, 'foo[.jpg'), 'bad name');
    writeFileSync(join(m.folder, 'empty.jpg'), '');
    writeFileSync(join(m.folder, 'Thumbs.db'), 'x');
    m.registerChanges();
    const e = m.entry('new.jpg')!;
    expect(e).toMatchObject({ sha1: sha1Hex('new'), dirty: true });
    expect(e.mtime).toBe(Math.floor(statSync(join(m.folder, 'new.jpg')).mtimeMs / 1000));
    expect(m.entry('foo[.jpg')).toBeUndefined();
    expect(m.entry('empty.jpg')).toBeUndefined();
    expect(m.entry('Thumbs.db')).toBeUndefined();
    // a scan of an unchanged folder does nothing
    m.db.setEntry({ ...e, dirty: false });
    m.registerChanges();
    expect(m.entry('new.jpg')!.dirty).toBe(false);
    // removal
    rmSync(join(m.folder, 'new.jpg'));
    const past = new Date(Date.now() - 120_000);
    utimesSync(m.folder, past, past);
    m.registerChanges();
    expect(m.entry('new.jpg')).toEqual({ fname: 'new.jpg', sha1: null, mtime: 0, dirty: true });
    expect(existsSync(join(m.folder, 'new.jpg'))).toBe(false);
    expect(readFileSync(join(m.folder, 'foo[.jpg'), 'utf8')).toBe('bad name');
  });
});

describe('collection-level helpers', () => {
  it('add, read, list and trash beside a real collection, which stays valid', () => {
    const path = join(tempDir('deckhand-media-col-'), 'collection.anki2');
    const col = Collection.create(path);
    try {
      expect(addMediaFile(col, 'Hörbeispiel.MP3', Buffer.from('mp3'))).toBe('hörbeispiel.mp3');
      expect(mediaFolder(col)).toBe(path.replace(/anki2$/, 'media'));
      expect(readMediaFile(col, 'hörbeispiel.mp3')?.toString()).toBe('mp3');
      expect(listMediaFiles(col).map((f) => f.fname)).toEqual(['hörbeispiel.mp3']);
      trashMediaFiles(col, ['hörbeispiel.mp3']);
      expect(listMediaFiles(col)).toEqual([]);
      expect(existsSync(path.replace(/collection\.anki2$/, 'collection.media.db2'))).toBe(true);
    } finally {
      col.close();
    }
    expectCollectionPasses(path);
  });
});
