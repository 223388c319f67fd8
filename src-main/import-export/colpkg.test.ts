import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, FIXTURES_DIR, tempDir } from '../collection/test-support/check';
import { sha1Hex } from '../media/filenames';
import { MediaManager, mediaPathsForCollection } from '../media/media-service';
import { addNote } from '../notes/notes-service';
import { PackageStore } from '../storage/package-store';
import { registerUnicase } from '../storage/unicase';
import { exportColpkg, importColpkg } from './colpkg';
import { importCollectionPackage } from './import-export-service';
import { checkerProblems, extractPackageCollection, freshCollection, mediaFiles, rawCounts, snapshot } from './test-support';
import { ZipReader } from './zip';

const open: Collection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) if (!c.isClosed) c.close();
});
function fresh() {
  const f = freshCollection();
  open.push(f.col);
  return f;
}

function sourceWithMedia() {
  const f = fresh();
  const basic = f.col.storage.notetypes.all().find((n) => n.name === 'Basic')!;
  addNote(f.col, { notetypeId: basic.id, deckId: 1, fields: ['<img src="x.png">', 'y'], tags: ['t'] });
  addNote(f.col, { notetypeId: basic.id, deckId: 1, fields: ['two', ''] });
  const folder = mediaPathsForCollection(f.path).folder;
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'x.png'), 'image bytes');
  writeFileSync(join(folder, 'unused.txt'), 'also exported in a colpkg');
  return f;
}

describe('.colpkg', () => {
  for (const legacy of [false, true]) {
    it(`round trip (${legacy ? 'legacy' : 'latest'}): the whole collection and every media file`, async () => {
      const src = sourceWithMedia();
      const out = join(src.dir, 'all.colpkg');
      expect(await exportColpkg(src.col, out, { legacy })).toEqual({ media: 2 });
      // the collection stays open and usable
      expect(src.col.isClosed).toBe(false);
      const zip = ZipReader.open(out);
      expect(zip.entries().map((e) => e.name)).toEqual(['meta', legacy ? 'collection.anki21' : 'collection.anki21b', 'collection.anki2', '0', '1', 'media']);
      zip.close();
      const dir = tempDir();
      const target = join(dir, 'collection.anki2');
      expect(await importColpkg(out, target)).toEqual({ media: 2 });
      const col = Collection.open(target);
      open.push(col);
      expect(snapshot(col)).toEqual(snapshot(src.col));
      expect(counts(col)).toEqual(counts(src.col));
      expect(col.storage.notetypes.all().map((n) => n.name)).toEqual(src.col.storage.notetypes.all().map((n) => n.name));
      // the import bumps scm and mod
      expect(col.storage.col.get().scm).toBeGreaterThan(src.col.storage.col.get().scm);
      col.close();
      expect(mediaFiles(target)).toEqual(mediaFiles(src.path));
      expectCollectionPasses(target);
      if (!legacy) expectCollectionPasses(extractPackageCollection(out).path);
    });
  }

  it('imports the fixture .colpkg files with their counts and media (PROVENANCE.md)', async () => {
    const expected: Record<string, { notes: number; cards: number; revlog: number; decks: number; notetypes: number; deckConfigs: number; media: number; graves: number }> = {
      'anki21b-colpkg_sat-math-latex-cloze-images.colpkg': { notes: 57, cards: 76, revlog: 21, decks: 1, notetypes: 5, deckConfigs: 1, media: 21, graves: 13 },
      'anki21b-colpkg_cpp-interview-filtered-deck.colpkg': { notes: 88, cards: 88, revlog: 72, decks: 8, notetypes: 7, deckConfigs: 1, media: 1, graves: 4 },
    };
    for (const [name, want] of Object.entries(expected)) {
      const dir = tempDir();
      const target = join(dir, 'collection.anki2');
      const pkg = join(FIXTURES_DIR, 'real', name);
      const raw = rawCounts(extractPackageCollection(pkg).path);
      expect(await importColpkg(pkg, target)).toEqual({ media: want.media });
      const col = Collection.open(target);
      const c = counts(col);
      expect({ ...c, media: readdirSync(mediaPathsForCollection(target).folder).length, graves: col.storage.graves.count() }).toEqual(want);
      expect(c.notes).toBe(raw.notes);
      col.close();
      // data from before Anki 25.08 lacks `lrt`; otherwise the collection passes
      expect(checkerProblems(target).filter((p) => !/'lrt'/.test(p))).toEqual([]);
      // media restored with the package's checksums
      const m = MediaManager.forCollection(target);
      m.registerChanges();
      for (const f of readdirSync(m.folder)) expect(m.entry(f)?.sha1).toBe(sha1Hex(readFileSync(join(m.folder, f))));
      m.close();
    }
  });

  it('restores media: skips files already present with the same checksum, replaces others', async () => {
    const src = sourceWithMedia();
    const out = join(src.dir, 'all.colpkg');
    await exportColpkg(src.col, out);
    const dir = tempDir();
    const target = join(dir, 'collection.anki2');
    const folder = mediaPathsForCollection(target).folder;
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'x.png'), 'image bytes');
    writeFileSync(join(folder, 'unused.txt'), 'stale content');
    writeFileSync(join(folder, 'local-only.ogg'), 'kept');
    expect(await importColpkg(out, target)).toEqual({ media: 1 });
    expect(readFileSync(join(folder, 'unused.txt')).toString()).toBe('also exported in a colpkg');
    expect(readFileSync(join(folder, 'local-only.ogg')).toString()).toBe('kept');
  });

  it('replaces an open collection through the service, and keeps it when the package is broken', async () => {
    const src = sourceWithMedia();
    const out = join(src.dir, 'all.colpkg');
    await exportColpkg(src.col, out);
    const target = fresh();
    const basic = target.col.storage.notetypes.all().find((n) => n.name === 'Basic')!;
    addNote(target.col, { notetypeId: basic.id, deckId: 1, fields: ['old note', ''] });
    const bad = join(target.dir, 'bad.colpkg');
    writeFileSync(bad, zipSync({ meta: new Uint8Array([8, 3]), 'collection.anki21b': new TextEncoder().encode('garbage') }));
    await expect(importCollectionPackage(target.col, bad)).rejects.toMatchObject({ code: 'corrupt' });
    expect(target.col.isClosed).toBe(true);
    // the old collection is intact
    const check = Collection.open(target.path);
    expect(check.db.prepare('SELECT flds FROM notes').pluck().all()).toEqual(['old note\x1f']);
    check.close();
    const reopened0 = Collection.open(target.path);
    const reopened = await importCollectionPackage(reopened0, out);
    open.push(reopened);
    expect(reopened.db.prepare('SELECT count() FROM notes').pluck().get()).toBe(2);
    expect(existsSync(join(target.dir, 'collection.media', 'x.png'))).toBe(true);
  });

  it('refuses a package whose collection fails the integrity check', async () => {
    const src = fresh();
    const basic = src.col.storage.notetypes.all().find((n) => n.name === 'Basic')!;
    for (let i = 0; i < 300; i++) addNote(src.col, { notetypeId: basic.id, deckId: 1, fields: [`note ${i} ${'x'.repeat(200)}`, ''] });
    src.col.close();
    // damage an index page of the file (the collection still opens)
    const db = new Database(src.path);
    registerUnicase(db);
    const page = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'ix_notes_csum'").pluck().get() as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(src.path);
    bytes.fill(0x41, (page - 1) * size + 8, page * size);
    const out = join(src.dir, 'damaged.colpkg');
    writeFileSync(out, zipSync({ 'collection.anki2': bytes, media: new TextEncoder().encode('{}') }));
    const target = join(tempDir(), 'collection.anki2');
    await expect(importColpkg(out, target)).rejects.toMatchObject({ code: 'corrupt' });
    expect(existsSync(target)).toBe(false);
  });
});

function counts(col: Collection) {
  return new PackageStore(col.db).counts();
}
