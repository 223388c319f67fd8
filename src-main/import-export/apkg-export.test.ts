import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CardQueue, CardType } from '../cards/card';
import type { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { freshCollectionsPerTest } from '../collection/test-support/fresh';
import { addDeckConfigInTx } from '../decks/deck-config-service';
import { addDeckInTx, addFilteredDeckInTx } from '../decks/decks-service';
import { sha1Hex } from '../media/filenames';
import { mediaPathsForCollection } from '../media/media-service';
import { addNoteInTx } from '../notes/notes-service';
import { getNotetype, updateNotetype } from '../notetypes/notetypes-service';
import { decodeMediaEntries } from '../storage/proto/codecs';
import { defaultDeckCommon, defaultNormalDeck } from '../storage/proto/codecs';
import { registerUnicase } from '../storage/unicase';
import { latexFilename } from '../template/latex';
import { importApkg } from './apkg-import';
import { exportApkg } from './apkg-export';
import { normalizedCardData } from './exchange';
import { DUMMY_NOTE_TEXT } from './package-writer';
import { extractPackageCollection, mediaFiles, snapshot } from './test-support';
import { METHOD_DEFLATE, METHOD_STORED, ZipReader } from './zip';

const fresh = freshCollectionsPerTest({ prefix: 'deckhand-ie-' });

const MEDIA: Record<string, string> = {
  'pic.png': 'PNG-DATA',
  'a.mp3': 'MP3-DATA',
  '_style.css': '.x { color: red }',
  'unused.png': 'NOT REFERENCED',
};
const LATEX = 'x^2';

/**
 * A collection with a deck tree, a filtered deck, a preset with FSRS params, four notetypes
 * (one referencing `_style.css`), tags (incl. `marked`), media and some review history.
 */
function buildSource(): { col: Collection; dir: string; path: string; ids: Record<string, number> } {
  const f = fresh();
  const { col } = f;
  const folder = mediaPathsForCollection(col.path).folder;
  mkdirSync(folder, { recursive: true });
  for (const [name, data] of Object.entries(MEDIA)) writeFileSync(join(folder, name), data);
  writeFileSync(join(folder, latexFilename(`$${LATEX}$`, false)), 'LATEX-PNG');
  const nts = col.storage.notetypes.all();
  const basic = nts.find((n) => n.name === 'Basic')!;
  const reversed = nts.find((n) => n.name === 'Basic (and reversed card)')!;
  const cloze = nts.find((n) => n.name === 'Cloze')!;
  const styled = getNotetype(col, basic.id);
  styled.config.css += '\n@import url("_style.css");';
  updateNotetype(col, styled);
  const ids: Record<string, number> = {};
  col.transact('setup', (tx) => {
    const normal = () => ({ common: defaultDeckCommon(), kind: { normal: defaultNormalDeck() } });
    ids.parent = addDeckInTx(tx, { name: 'Parent', ...normal() }).id;
    ids.child = addDeckInTx(tx, { name: 'Parent::Child', ...normal() }).id;
    ids.grand = addDeckInTx(tx, { name: 'Parent::Child::Grand', ...normal() }).id;
    ids.other = addDeckInTx(tx, { name: 'Other', ...normal() }).id;
    const conf = addDeckConfigInTx(tx, 'Custom');
    conf.config.fsrsParams5 = [0.5, 1.5, 2.5];
    conf.config.newPerDay = 33;
    tx.putDeckConfig(conf);
    ids.conf = conf.id;
    const child = tx.storage.decks.get(ids.child)!;
    child.kind.normal!.configId = BigInt(conf.id);
    child.kind.normal!.description = 'child deck';
    child.common.newStudied = 4;
    child.common.lastDayStudied = 2;
    tx.putDeck(child);
    ids.note1 = addNoteInTx(tx, { notetypeId: basic.id, deckId: ids.child, fields: ['<img src="pic.png"> front', 'back [sound:a.mp3]'], tags: ['marked', 'tag1', 'Parent::x'] }).noteId;
    ids.note2 = addNoteInTx(tx, { notetypeId: reversed.id, deckId: ids.grand, fields: ['fr', 'bk'], tags: ['leech'] }).noteId;
    ids.note3 = addNoteInTx(tx, { notetypeId: cloze.id, deckId: ids.parent, fields: [`{{c1::one}} {{c2::two}} [$]${LATEX}[/$]`, ''] }).noteId;
    ids.note4 = addNoteInTx(tx, { notetypeId: basic.id, deckId: ids.other, fields: ['elsewhere', ''] }).noteId;
    // the reversed note's second card lives in another deck (it is exported with its note)
    const [c0, c1] = tx.storage.cards.ofNote(ids.note2);
    tx.putCard({ ...c1, deckId: ids.other });
    // review history on the first card of note 1
    const card = tx.storage.cards.ofNote(ids.note1)[0];
    const reviewed = tx.nowMs - 86_400_000;
    tx.putCard({ ...card, ctype: CardType.Review, queue: CardQueue.Review, due: 5, interval: 12, easeFactor: 2300, reps: 6, lapses: 1, flags: 3, data: normalizedCardData(`{"pos":1,"s":12.5,"d":5.25,"dr":0.9,"lrt":${Math.floor(reviewed / 1000)}}`) });
    tx.addRevlog({ id: reviewed, cid: card.id, usn: -1, ease: 3, ivl: 12, lastIvl: 3, factor: 2300, time: 4000, type: 1 });
    // a learning card in a filtered deck, home deck Parent::Child::Grand
    const filtered = addFilteredDeckInTx(tx, { name: 'Parent Filtered' });
    ids.filtered = filtered.id;
    tx.putCard({ ...c0, deckId: filtered.id, originalDeckId: ids.grand, originalDue: c0.due, due: -100000, ctype: CardType.Learn, queue: CardQueue.Learn, remainingSteps: 1 });
    tx.putCard({ ...c0, deckId: filtered.id, originalDeckId: ids.grand, originalDue: Math.floor(tx.nowMs / 1000) + 600, due: -100000, ctype: CardType.Learn, queue: CardQueue.Learn, remainingSteps: 1 });
    tx.addRevlog({ id: tx.nowMs - 1000, cid: c0.id, usn: -1, ease: 1, ivl: -600, lastIvl: 0, factor: 0, time: 3000, type: 0 });
    const learning = tx.storage.cards.get(c0.id)!;
    tx.putCard({ ...learning, data: normalizedCardData(`{"lrt":${Math.floor((tx.nowMs - 1000) / 1000)}}`) });
  });
  return { ...f, ids };
}

describe('.apkg round trip (deck export, fresh profile import)', () => {
  for (const legacy of [false, true]) {
    it(`${legacy ? 'legacy' : 'latest'} format, with scheduling and deck configs: identical`, async () => {
      const src = buildSource();
      const out = join(src.dir, 'deck.apkg');
      const res = await exportApkg(src.col, out, { deckId: src.ids.parent }, { withScheduling: true, withDeckConfigs: true, legacy });
      expect(res).toEqual({ notes: 3, cards: 5, media: 4 });
      const dst = fresh();
      await importApkg(dst.col, out, { withScheduling: true, withDeckConfigs: true });
      const pick = (col: Collection) => snapshot(col);
      const a = pick(src.col) as { notes: { guid: string }[]; cards: { key: string }[]; decks: { name: string }[]; revlog: unknown[]; notetypes: unknown[] };
      const exportedGuids = new Set((src.col.db.prepare('SELECT guid FROM notes WHERE id != ?').pluck().all(src.ids.note4) as string[]));
      a.notes = a.notes.filter((n) => exportedGuids.has(n.guid));
      a.cards = a.cards.filter((c) => exportedGuids.has(c.key.slice(0, c.key.lastIndexOf(':'))));
      // notetypes keep their ids but their names clash with the fresh profile's stock ones: "Basic+"
      const b = pick(dst.col) as typeof a & { notetypes: { name: string }[] };
      const unplus = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/\+"/g, '"'));
      // both sides: a random GUID may itself end in '+'
      expect(unplus(b.notes)).toEqual(unplus(a.notes));
      expect(b.cards).toEqual(a.cards);
      expect(b.revlog).toEqual(a.revlog);
      expect(unplus(b.notetypes)).toEqual(unplus(a.notetypes));
      // decks: the exported tree and the "Other" deck of the sibling card (no Default)
      expect(b.decks).toEqual(a.decks);
      // deck options preset with its FSRS params
      const conf = dst.col.storage.deckConfigs.get(src.ids.conf)!;
      expect(conf.name).toBe('Custom');
      expect(conf.config.newPerDay).toBe(33);
      expect(conf.config.fsrsParams5).toEqual([0.5, 1.5, 2.5]);
      // media: the referenced files (fields, LaTeX, `_` files from CSS), not the unused one
      const srcMedia = mediaFiles(src.path);
      srcMedia.delete('unused.png');
      expect(mediaFiles(dst.path)).toEqual(srcMedia);
      // tags are registered
      expect(dst.col.storage.tags.all().map((t) => t.tag)).toEqual(['leech', 'marked', 'Parent::x', 'tag1']);
      dst.col.close();
      expectCollectionPasses(dst.path);
    });
  }

  for (const legacy of [false, true]) {
    it(`${legacy ? 'legacy' : 'latest'} format, without scheduling: notes and cards as new, marked/leech dropped`, async () => {
      const src = buildSource();
      const out = join(src.dir, 'deck.apkg');
      await exportApkg(src.col, out, { deckId: src.ids.parent }, { legacy });
      const dst = fresh();
      await importApkg(dst.col, out, { withScheduling: true });
      const a = snapshot(src.col, { scheduling: false }) as { notes: { guid: string; tags: string }[]; cards: { key: string; deck: string }[]; notetypes: unknown[] };
      const b = snapshot(dst.col, { scheduling: false }) as typeof a;
      const unplus = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/\+"/g, '"'));
      const exported = a.notes.filter((n) => n.guid !== (src.col.db.prepare('SELECT guid FROM notes WHERE id = ?').pluck().get(src.ids.note4) as string));
      expect(unplus(b.notes)).toEqual(unplus(exported.map((n) => ({ ...n, tags: n.tags.replace(' marked', '').replace(' leech', '').replace(/^ $/, '') }))));
      // the filtered deck became a normal deck holding its card
      expect(b.cards.find((c) => c.deck === 'Parent Filtered')).toBeTruthy();
      expect(dst.col.storage.decks.byName('Parent Filtered')!.kind.normal).toBeTruthy();
      const rows = dst.col.db.prepare('SELECT type, queue, ivl, factor, reps, lapses, flags, odid, odue FROM cards').all() as Record<string, number>[];
      for (const r of rows) expect(r).toEqual({ type: 0, queue: 0, ivl: 0, factor: 0, reps: 0, lapses: 0, flags: 0, odid: 0, odue: 0 });
      expect(dst.col.db.prepare('SELECT count() FROM revlog').pluck().get()).toBe(0);
      // no preset travels; study counters are cleared
      const child = dst.col.storage.decks.byName('Parent::Child')!;
      expect(child.kind.normal!.configId).toBe(1n);
      expect(child.kind.normal!.description).toBe('child deck');
      expect(child.common.newStudied).toBe(0);
      dst.col.close();
      expectCollectionPasses(dst.path);
    });
  }
});

describe('package layout', () => {
  it('latest: meta 08 03, zstd schema-18 collection, stub, zstd media, protobuf media list', async () => {
    const src = buildSource();
    const out = join(src.dir, 'deck.apkg');
    await exportApkg(src.col, out, { deckId: src.ids.parent }, { withScheduling: true, withDeckConfigs: true });
    const zip = ZipReader.open(out);
    const names = zip.entries().map((e) => e.name);
    expect(names).toEqual(['meta', 'collection.anki21b', 'collection.anki2', '0', '1', '2', '3', 'media']);
    expect(zip.entries().every((e) => e.method === METHOD_STORED)).toBe(true);
    expect([...zip.read('meta')]).toEqual([8, 3]);
    const colBytes = zip.read('collection.anki21b');
    expect([...colBytes.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    const sqlite = zstdDecompressSync(colBytes);
    expect(sqlite.subarray(0, 15).toString()).toBe('SQLite format 3');
    expect([sqlite[18], sqlite[19]]).toEqual([2, 2]);
    const list = decodeMediaEntries(zstdDecompressSync(zip.read('media'))).entries;
    const folder = mediaPathsForCollection(src.col.path).folder;
    expect(list.map((e) => e.name).sort()).toEqual(['_style.css', 'a.mp3', latexFilename(`$${LATEX}$`, false), 'pic.png'].sort());
    list.forEach((e, i) => {
      const data = readFileSync(join(folder, e.name));
      expect(zstdDecompressSync(zip.read(String(i)))).toEqual(data);
      expect(e.size).toBe(data.length);
      expect(Buffer.from(e.sha1).toString('hex')).toBe(sha1Hex(data));
    });
    // the stub for old clients: schema 11, 512-byte pages, one note asking to update
    const stubPath = join(tempDir(), 'stub.anki2');
    writeFileSync(stubPath, zip.read('collection.anki2'));
    zip.close();
    const stub = new Database(stubPath, { readonly: true });
    expect(stub.prepare('SELECT ver FROM col').pluck().get()).toBe(11);
    expect(stub.pragma('page_size', { simple: true })).toBe(512);
    expect(stub.prepare('SELECT flds FROM notes').pluck().all()).toEqual([`${DUMMY_NOTE_TEXT}\x1f`]);
    stub.close();
    // the package's collection passes the strict checker
    const { path } = extractPackageCollection(out);
    expectCollectionPasses(path);
  });

  it('legacy: meta 08 02, deflated schema-11 collection.anki21 (rollback journal), stored media, JSON map', async () => {
    const src = buildSource();
    const out = join(src.dir, 'deck.apkg');
    await exportApkg(src.col, out, { deckId: src.ids.parent }, { withScheduling: true, legacy: true });
    const zip = ZipReader.open(out);
    expect(zip.entries().map((e) => e.name)).toEqual(['meta', 'collection.anki21', 'collection.anki2', '0', '1', '2', '3', 'media']);
    expect([...zip.read('meta')]).toEqual([8, 2]);
    expect(zip.entry('collection.anki21')!.method).toBe(METHOD_DEFLATE);
    const map = JSON.parse(zip.read('media').toString()) as Record<string, string>;
    expect(Object.keys(map)).toEqual(['0', '1', '2', '3']);
    expect(zip.read('0').toString()).toBe(MEDIA[map['0']] ?? 'LATEX-PNG');
    const path = join(tempDir(), 'c.anki21');
    writeFileSync(path, zip.read('collection.anki21'));
    zip.close();
    const bytes = readFileSync(path);
    expect([bytes[18], bytes[19]]).toEqual([1, 1]);
    const db = new Database(path, { readonly: true });
    registerUnicase(db);
    expect(db.prepare('SELECT ver FROM col').pluck().get()).toBe(11);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['cards', 'col', 'graves', 'notes', 'revlog']);
    const col = db.prepare('SELECT models, decks, dconf, conf, tags FROM col').get() as Record<string, string>;
    const decks = Object.values(JSON.parse(col.decks) as Record<string, { name: string; dyn: number }>).map((d) => d.name).sort();
    expect(decks).toEqual(['Default', 'Other', 'Parent', 'Parent Filtered', 'Parent::Child', 'Parent::Child::Grand']);
    expect(Object.values(JSON.parse(col.models) as Record<string, { name: string }>).map((m) => m.name).sort()).toEqual(['Basic', 'Basic (and reversed card)', 'Cloze']);
    expect(JSON.parse(col.conf).curModel).toBeTypeOf('number');
    expect(Object.keys(JSON.parse(col.tags)).sort()).toEqual(['Parent::x', 'leech', 'marked', 'tag1']);
    const graves = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'graves'").pluck().get() as string;
    expect(graves).toMatch(/usn integer NOT NULL,\s*oid integer NOT NULL,\s*type integer NOT NULL/);
    db.close();
  });

  it('exports notes by id, by search and everything', async () => {
    const src = buildSource();
    const out = join(src.dir, 'n.apkg');
    // the notetype's CSS imports `_style.css`, which goes along
    expect(await exportApkg(src.col, out, { noteIds: [src.ids.note4] })).toEqual({ notes: 1, cards: 1, media: 1 });
    expect(await exportApkg(src.col, out, { search: 'tag:tag1' })).toMatchObject({ notes: 1, cards: 1 });
    const { path } = extractPackageCollection(out);
    const db = new Database(path, { readonly: true });
    registerUnicase(db);
    expect(db.prepare('SELECT count() FROM notes').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count() FROM notetypes').pluck().get()).toBe(1);
    db.close();
    expectCollectionPasses(path);
    // everything, with and without media
    expect(await exportApkg(src.col, out, { all: true }, { withMedia: false })).toEqual({ notes: 4, cards: 6, media: 0 });
  });

  it('reports progress', async () => {
    const src = buildSource();
    const stages = new Set<string>();
    await exportApkg(src.col, join(src.dir, 'p.apkg'), { all: true }, { progress: (p) => stages.add(p.stage) });
    expect([...stages]).toEqual(expect.arrayContaining(['gathering', 'notes', 'file', 'media']));
  });

  it('refuses ids more than a day in the future', async () => {
    const src = buildSource();
    src.col.db.prepare('UPDATE notes SET id = ? WHERE id = ?').run(Date.now() + 3 * 86_400_000, src.ids.note4);
    src.col.db.prepare('UPDATE cards SET nid = (SELECT max(id) FROM notes) WHERE nid = ?').run(src.ids.note4);
    await expect(exportApkg(src.col, join(src.dir, 'x.apkg'), { all: true })).rejects.toThrow(/ids in the future/);
  });
});
