import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Collection } from '../collection/collection';
import { FIXTURES_DIR, tempDir } from '../collection/test-support/check';
import { freshCollectionsPerTest } from '../collection/test-support/fresh';
import { getNotetype, addField } from '../notetypes/notetypes-service';
import { MediaManager, mediaPathsForCollection } from '../media/media-service';
import { PackageStore } from '../storage/package-store';
import { importApkg } from './apkg-import';
import { exportApkg } from './apkg-export';
import { checkerProblems, extractPackageCollection, rawCounts } from './test-support';
import { expectCollectionPasses } from '../collection/test-support/check';
import { sha1Hex } from '../media/filenames';

const fresh = freshCollectionsPerTest({ prefix: 'deckhand-ie-' });

const fixture = (name: string) => join(FIXTURES_DIR, name);
const counts = (col: Collection) => new PackageStore(col.db).counts();
const STOCK_NOTETYPES = 6;

/** Warnings the imported data brings with it (Anki keeps such data as it is). */
const DATA_WARNINGS: Record<string, RegExp[]> = {
  // AnkiDroid's template test deck: deliberately broken templates and clozes, pre-25.08 review data
  'real/anki2-legacy1-apkg_ankidroid-templates.apkg': [/template has an empty front/, /cloze card whose cloze number/, /'lrt'/],
  // review data from before Anki 25.08 (no `lrt`); due days relative to a collection years older than the new one
  'real/anki21-legacy2-apkg_english-vocab-nested-cloze.apkg': [/'lrt'/, /negative day number/],
  'real/anki21b-apkg_ancient-greek-reviewed.apkg': [/'lrt'/, /negative day number/],
};

const APKG_FIXTURES = [
  ...readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.apkg')),
  ...readdirSync(join(FIXTURES_DIR, 'real'))
    .filter((f) => f.endsWith('.apkg'))
    .map((f) => `real/${f}`),
];

/** PROVENANCE.md: notes / cards / revlog, media files, decks (with Default) and notetypes of the real packages. */
const PROVENANCE: Record<string, { notes: number; cards: number; revlog: number; media: number; decks: number; notetypes: number }> = {
  'real/anki21b-apkg_spanish-cloze-audio.apkg': { notes: 5, cards: 7, revlog: 0, media: 7, decks: 2, notetypes: 1 },
  'real/anki21b-apkg_ancient-greek-reviewed.apkg': { notes: 1000, cards: 1751, revlog: 14694, media: 0, decks: 2, notetypes: 2 },
  'real/anki21b-apkg_german-amateurfunk-betrieb-cloze.apkg': { notes: 72, cards: 401, revlog: 0, media: 0, decks: 2, notetypes: 1 },
  'real/anki21-legacy2-apkg_english-vocab-nested-cloze.apkg': { notes: 22, cards: 44, revlog: 94, media: 0, decks: 5, notetypes: 1 },
  'real/anki2-legacy1-apkg_ankidroid-templates.apkg': { notes: 48, cards: 146, revlog: 102, media: 0, decks: 11, notetypes: 9 },
};

describe('every .apkg fixture imports into a fresh collection', () => {
  for (const name of APKG_FIXTURES) {
    for (const withScheduling of [false, true]) {
      it(`${name} (${withScheduling ? 'with' : 'without'} scheduling)`, async () => {
        const { col, path } = fresh();
        const pkg = rawCounts(extractPackageCollection(fixture(name)).path);
        const r = await importApkg(col, fixture(name), { withScheduling });
        const c = counts(col);
        expect(r.result.log.foundNotes).toBe(pkg.notes);
        expect(r.result.log.new).toHaveLength(pkg.notes);
        expect(c.notes).toBe(pkg.notes);
        expect(c.cards).toBe(pkg.cards);
        expect(c.revlog).toBe(withScheduling ? pkg.revlog : 0);
        expect(c.notetypes).toBe(STOCK_NOTETYPES + pkg.usedNotetypes);
        const deckNames = new Set(['default', ...pkg.deckNames(withScheduling).map((n) => n.toLowerCase())]);
        expect(c.decks).toBe(deckNames.size);
        const p = PROVENANCE[name];
        if (p) {
          expect({ notes: c.notes, cards: c.cards, revlog: withScheduling ? c.revlog : p.revlog, decks: c.decks, notetypes: c.notetypes - STOCK_NOTETYPES }).toEqual({
            notes: p.notes,
            cards: p.cards,
            revlog: p.revlog,
            decks: p.decks,
            notetypes: p.notetypes,
          });
          expect(r.result.media).toBe(p.media);
        }
        col.close();
        const allowed = DATA_WARNINGS[name] ?? [];
        expect(checkerProblems(path).filter((msg) => !allowed.some((re) => re.test(msg)))).toEqual([]);
        expect(checkerProblems(path, false)).toEqual([]);
      });
    }
  }
});

describe('re-importing is idempotent', () => {
  for (const name of APKG_FIXTURES) {
    it(name, async () => {
      const { col } = fresh();
      await importApkg(col, fixture(name), { withScheduling: true });
      const before = counts(col);
      const media = readdirSync(mediaPathsForCollection(col.path).folder).sort();
      const r = await importApkg(col, fixture(name), { withScheduling: true });
      expect(counts(col)).toEqual(before);
      expect(r.result.log.new).toEqual([]);
      expect(r.result.log.updated).toEqual([]);
      expect(r.result.log.duplicate).toHaveLength(before.notes);
      expect(r.result.media).toBe(0);
      expect(readdirSync(mediaPathsForCollection(col.path).folder).sort()).toEqual(media);
    });
  }
});

describe("Anki's import rules on the legacy fixtures", () => {
  it('update1 → update2 updates the note only if newer (update_notes IF_NEWER), ALWAYS and NEVER', async () => {
    const { col } = fresh();
    await importApkg(col, fixture('update1.apkg'));
    const flds = () => col.db.prepare('SELECT flds, mod FROM notes').get() as { flds: string; mod: number };
    expect(flds()).toEqual({ flds: 'hello\x1fworld', mod: 1375933503 });
    let r = await importApkg(col, fixture('update2.apkg'));
    expect(r.result.log.updated).toHaveLength(1);
    expect(flds()).toEqual({ flds: 'goodbye\x1fworld', mod: 1375933856 });
    // the older package does not win with IF_NEWER, nor with NEVER
    r = await importApkg(col, fixture('update1.apkg'));
    expect(r.result.log.duplicate).toHaveLength(1);
    r = await importApkg(col, fixture('update1.apkg'), { updateNotes: 'never' });
    expect(flds().flds).toBe('goodbye\x1fworld');
    // ALWAYS updates whenever the stamps differ, keeping the incoming mtime
    r = await importApkg(col, fixture('update1.apkg'), { updateNotes: 'always' });
    expect(r.result.log.updated).toHaveLength(1);
    expect(flds()).toEqual({ flds: 'hello\x1fworld', mod: 1375933503 });
    expect(counts(col).notes).toBe(1);
    // the options are remembered as Anki stores them
    expect(col.storage.config.get('updateNotes')).toBe('Always');
  });

  it('diffmodels2: a changed schema under the same notetype id becomes a new notetype; the known note conflicts', async () => {
    const { col } = fresh();
    await importApkg(col, fixture('diffmodels2-1.apkg'));
    const r = await importApkg(col, fixture('diffmodels2-2.apkg'));
    const c = counts(col);
    expect(c.notes).toBe(1);
    expect(c.cards).toBe(1);
    expect(c.notetypes).toBe(STOCK_NOTETYPES + 2);
    expect(r.result.log.conflicting).toHaveLength(1);
    const copy = col.storage.notetypes.all().find((nt) => nt.config.originalId === 1351338947208n && nt.id !== 1351338947208)!;
    expect(copy.templates.map((t) => t.name)).toEqual(['Card 1', 'Card 2']);
    // importing the same package again reuses that copy instead of adding another one
    await importApkg(col, fixture('diffmodels2-2.apkg'));
    expect(counts(col).notetypes).toBe(STOCK_NOTETYPES + 2);
  });

  it('diffmodeltemplates: a newer notetype with the same schema updates the templates', async () => {
    const { col } = fresh();
    await importApkg(col, fixture('diffmodeltemplates-1.apkg'));
    expect(getNotetype(col, 1403973847422).templates[0].config.qFormat).toBe('{{Front}}');
    await importApkg(col, fixture('diffmodeltemplates-2.apkg'));
    const nt = getNotetype(col, 1403973847422);
    expect(nt.templates[0].config.qFormat).toBe('Changed Front Template\n{{Front}}');
    expect(counts(col).notetypes).toBe(STOCK_NOTETYPES + 1);
    // underscore ("static") media are copied once and never replaced
    const folder = mediaPathsForCollection(col.path).folder;
    expect(readdirSync(folder).sort()).toEqual(['_IncrementalReadingExtension.dat', '_ViewSizeAdjustAddon.dat']);
  });

  it('media.apkg: imports the file; identical files are reused; a different local file makes a renamed copy', async () => {
    const a = fresh();
    await importApkg(a.col, fixture('media.apkg'));
    const folder = mediaPathsForCollection(a.col.path).folder;
    expect(readFileSync(join(folder, 'foo.wav')).toString()).toBe('abc\n');
    expect(a.col.db.prepare('SELECT flds FROM notes').pluck().get()).toBe('[sound:foo.wav]\x1f');

    const b = fresh();
    const folderB = mediaPathsForCollection(b.col.path).folder;
    mkdirSync(folderB, { recursive: true });
    writeFileSync(join(folderB, 'foo.wav'), 'different');
    const r = await importApkg(b.col, fixture('media.apkg'));
    const renamed = `foo-${sha1Hex('abc\n')}.wav`;
    expect(r.result.media).toBe(1);
    expect(readFileSync(join(folderB, 'foo.wav')).toString()).toBe('different');
    expect(readFileSync(join(folderB, renamed)).toString()).toBe('abc\n');
    expect(b.col.db.prepare('SELECT flds FROM notes').pluck().get()).toBe(`[sound:${renamed}]\x1f`);
    // the media DB knows the imported file with its checksum
    const m = MediaManager.forCollection(b.col.path);
    expect(m.entry(renamed)).toMatchObject({ sha1: sha1Hex('abc\n'), dirty: true });
    m.close();
  });

  it('keeps ids unless taken (+999 steps) and remaps cards to the new note id', async () => {
    const { col } = fresh();
    await importApkg(col, fixture('update1.apkg'));
    // a second package with the same note id but another guid
    const dir = tempDir();
    const other = join(dir, 'other.apkg');
    const { path } = extractPackageCollection(fixture('update1.apkg'));
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path);
    db.exec("UPDATE notes SET guid = 'otherguid', flds = 'second' || char(31) || 'x'");
    db.close();
    writeFileSync(other, zipSync({ 'collection.anki2': readFileSync(path), media: new TextEncoder().encode('{}') }));
    const r = await importApkg(col, other);
    expect(r.result.log.new).toHaveLength(1);
    const ids = col.db.prepare('SELECT id FROM notes ORDER BY id').pluck().all() as number[];
    expect(ids[1] - ids[0]).toBe(999);
    const cardNids = col.db.prepare('SELECT nid FROM cards ORDER BY nid').pluck().all();
    expect(cardNids).toEqual(ids);
  });

  it('reports progress while extracting, gathering, checking media, adding notes and copying media', async () => {
    const { col } = fresh();
    const seen: { stage: string; done: number; total?: number }[] = [];
    await importApkg(col, fixture('real/anki21b-apkg_spanish-cloze-audio.apkg'), { progress: (p) => seen.push(p) });
    expect([...new Set(seen.map((p) => p.stage))]).toEqual(['extracting', 'gathering', 'mediaCheck', 'notes', 'media']);
    expect(seen.filter((p) => p.stage === 'notes').at(-1)).toEqual({ stage: 'notes', done: 5, total: 5 });
    expect(seen.filter((p) => p.stage === 'media').at(-1)).toEqual({ stage: 'media', done: 7, total: 7 });
  });

  it('imports are one undoable step', async () => {
    const { col } = fresh();
    await importApkg(col, fixture('real/anki21b-apkg_german-amateurfunk-betrieb-cloze.apkg'));
    expect(col.undoStatus().undo).toBe('Import');
    col.undo();
    const c = counts(col);
    expect(c.notes).toBe(0);
    expect(c.cards).toBe(0);
    expect(c.notetypes).toBe(STOCK_NOTETYPES);
    expect(c.decks).toBe(1);
  });
});

describe('decks, cards and presets', () => {
  async function exportFrom(build: (col: Collection) => void, opts: { withScheduling?: boolean; withDeckConfigs?: boolean } = {}) {
    const src = fresh();
    build(src.col);
    const pkg = join(src.dir, 'x.apkg');
    await exportApkg(src.col, pkg, { all: true }, opts);
    return { src, pkg };
  }
  const basicOf = (col: Collection) => col.storage.notetypes.all().find((nt) => nt.name === 'Basic')!.id;

  it('decks by name: existing parents keep their case, a filtered namesake gets a renamed normal twin', async () => {
    const { addDeck, addFilteredDeck } = await import('../decks/decks-service');
    const { addNote } = await import('../notes/notes-service');
    const { pkg } = await exportFrom((col) => {
      for (const name of ['filtered::child', 'parent::child', 'unknown parent::child']) {
        const d = addDeck(col, name).result;
        addNote(col, { notetypeId: basicOf(col), deckId: d.id, fields: [name, ''] });
      }
    });
    const { col, path } = fresh();
    addFilteredDeck(col, { name: 'filtered' });
    addDeck(col, 'PARENT');
    await importApkg(col, pkg);
    const names = col.storage.decks.allNames().map((d) => d.name);
    expect(names).toContain('PARENT::child');
    expect(names).toContain('unknown parent::child');
    const twin = names.find((n) => /^filtered \d+$/.test(n))!;
    expect(twin).toBeTruthy();
    expect(names).toContain(`${twin}::child`);
    const deckOf = (front: string) => col.db.prepare('SELECT d.name FROM cards c JOIN notes n ON n.id = c.nid JOIN decks d ON d.id = c.did WHERE n.flds LIKE ?').pluck().get(`${front}%`);
    expect(deckOf('filtered::child')).toBe(`${twin}\x1fchild`);
    col.close();
    expectCollectionPasses(path);
  });

  it('review due days move by the difference between the collections\' days; limits of today follow', async () => {
    const src = fresh();
    const { addNote } = await import('../notes/notes-service');
    const n = addNote(src.col, { notetypeId: basicOf(src.col), deckId: 1, fields: ['r', ''] }).result;
    // the source collection is 10 days older than the target: its "today" is 10
    src.col.db.prepare('UPDATE col SET crt = crt - 10 * 86400').run();
    src.col.db.prepare('UPDATE cards SET type = 2, queue = 2, due = 15, ivl = 5, factor = 2500 WHERE id = ?').run(n.cardIds[0]);
    const { addDeck } = await import('../decks/decks-service');
    const deck = addDeck(src.col, 'Limited').result;
    src.col.transact('x', (tx) => {
      const d = tx.storage.decks.get(deck.id)!;
      d.kind.normal!.newLimitToday = { limit: 7, today: 10 };
      d.kind.normal!.reviewLimitToday = { limit: 9, today: 3 };
      tx.putDeck(d);
      const c = tx.storage.cards.get(n.cardIds[0])!;
      tx.putCard({ ...c, deckId: deck.id });
    });
    const out = join(src.dir, 'due.apkg');
    await exportApkg(src.col, out, { all: true }, { withScheduling: true });
    const { col } = fresh();
    await importApkg(col, out, { withScheduling: true });
    expect(col.db.prepare('SELECT due FROM cards').pluck().get()).toBe(5);
    const imported = col.storage.decks.byName('Limited')!.kind.normal!;
    // the active limit is moved to the target's day (0); the stale one is dropped on a new collection
    expect(imported.newLimitToday).toEqual({ limit: 7, today: 0 });
    expect(imported.reviewLimitToday).toBeUndefined();
  });

  it('deck presets are added only when their id is free; existing ones are never overwritten', async () => {
    const { addDeck } = await import('../decks/decks-service');
    const { addDeckConfig, setDeckConfigForDecks } = await import('../decks/deck-config-service');
    const { addNote } = await import('../notes/notes-service');
    let confId = 0;
    const { pkg } = await exportFrom(
      (col) => {
        const d = addDeck(col, 'With preset').result;
        const conf = addDeckConfig(col, 'Exported preset').result;
        confId = conf.id;
        setDeckConfigForDecks(col, conf.id, [d.id]);
        addNote(col, { notetypeId: basicOf(col), deckId: d.id, fields: ['p', ''] });
      },
      { withScheduling: true, withDeckConfigs: true },
    );
    const a = fresh();
    await importApkg(a.col, pkg, { withDeckConfigs: true });
    expect(a.col.storage.deckConfigs.get(confId)?.name).toBe('Exported preset');
    expect(a.col.storage.decks.byName('With preset')!.kind.normal!.configId).toBe(BigInt(confId));
    // without the option the deck uses the default preset
    const b = fresh();
    await importApkg(b.col, pkg);
    expect(b.col.storage.deckConfigs.get(confId)).toBeUndefined();
    expect(b.col.storage.decks.byName('With preset')!.kind.normal!.configId).toBe(1n);
    // an existing preset with that id keeps its own options
    const c = fresh();
    c.col.transact('x', (tx) => tx.putDeckConfig({ ...tx.storage.deckConfigs.get(1)!, id: confId, name: 'Mine' }, true));
    await importApkg(c.col, pkg, { withDeckConfigs: true });
    expect(c.col.storage.deckConfigs.get(confId)?.name).toBe('Mine');
  });
});

describe('notetype merging', () => {
  it('an added field: without merging the note conflicts and a copy is added; with merging it is merged and the copy removed', async () => {
    const src = fresh();
    const dst = fresh();
    const basic = src.col.storage.notetypes.all().find((nt) => nt.name === 'Basic')!;
    const { addNote } = await import('../notes/notes-service');
    addNote(src.col, { notetypeId: basic.id, deckId: 1, fields: ['foo', 'bar'] });
    const pkg = join(src.dir, 'a.apkg');
    await exportApkg(src.col, pkg, { all: true });
    await importApkg(dst.col, pkg);
    expect(counts(dst.col).notetypes).toBe(7);

    addField(src.col, basic.id, 'new incoming');
    addNote(src.col, { notetypeId: basic.id, deckId: 1, fields: ['baz', 'bar', 'foo'] });
    // the first note must look newer than the copy in dst for an update
    await exportApkg(src.col, pkg, { all: true });
    let r = await importApkg(dst.col, pkg);
    expect(r.result.log.conflicting).toHaveLength(1);
    expect(counts(dst.col).notetypes).toBe(8);

    r = await importApkg(dst.col, pkg, { mergeNotetypes: true });
    expect(r.result.log.conflicting).toHaveLength(0);
    expect(counts(dst.col).notetypes).toBe(7);
    const merged = getNotetype(dst.col, basic.id);
    expect(merged.fields.map((f) => f.name)).toEqual(['Front', 'Back', 'new incoming']);
    const rows = dst.col.db.prepare('SELECT flds, mid FROM notes ORDER BY flds').all() as { flds: string; mid: number }[];
    expect(rows).toEqual([
      { flds: 'baz\x1fbar\x1ffoo', mid: basic.id },
      { flds: 'foo\x1fbar\x1f', mid: basic.id },
    ]);
    dst.col.close();
    expect(checkerProblems(dst.path)).toEqual([]);
  });

  it('refuses to merge a cloze notetype into a normal one', async () => {
    const src = fresh();
    const dst = fresh();
    const basic = src.col.storage.notetypes.all().find((nt) => nt.name === 'Basic')!;
    const { addNote } = await import('../notes/notes-service');
    addNote(src.col, { notetypeId: basic.id, deckId: 1, fields: ['foo', 'bar'] });
    const pkg = join(src.dir, 'a.apkg');
    await exportApkg(src.col, pkg, { all: true });
    // make the target's notetype with that id a cloze one
    const cloze = dst.col.storage.notetypes.all().find((nt) => nt.name === 'Cloze')!;
    dst.col.db.prepare('UPDATE notetypes SET id = ? WHERE id = ?').run(basic.id, cloze.id);
    dst.col.db.prepare('UPDATE fields SET ntid = ? WHERE ntid = ?').run(basic.id, cloze.id);
    dst.col.db.prepare('UPDATE templates SET ntid = ? WHERE ntid = ?').run(basic.id, cloze.id);
    dst.col.storage.notetypes.clearCache();
    await expect(importApkg(dst.col, pkg, { mergeNotetypes: true })).rejects.toThrow(/different kinds/);
    expect(counts(dst.col).notes).toBe(0);
  });
});

describe('clear errors for broken packages', () => {
  const dir = tempDir();
  const zip = (name: string, files: Record<string, Uint8Array | string>) => {
    const p = join(dir, name);
    const enc = new TextEncoder();
    writeFileSync(p, zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? enc.encode(v) : v]))));
    return p;
  };

  it('not a zip', async () => {
    const { col } = fresh();
    const p = join(dir, 'text.apkg');
    writeFileSync(p, 'hello');
    await expect(importApkg(col, p)).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/not a valid package/) });
  });

  it('no collection inside', async () => {
    const { col } = fresh();
    await expect(importApkg(col, zip('empty.apkg', { media: '{}' }))).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/collection\.anki2 is missing/) });
    await expect(importApkg(col, zip('empty2.apkg', { meta: new Uint8Array([8, 3]) }))).rejects.toThrow(/collection\.anki21b is missing/);
  });

  it('too new', async () => {
    const { col } = fresh();
    await expect(importApkg(col, zip('v0.apkg', { meta: new Uint8Array([]), 'collection.anki21b': 'x' }))).rejects.toMatchObject({ code: 'schema-too-new' });
    await expect(importApkg(col, zip('v9.apkg', { meta: new Uint8Array([8, 9]), 'collection.anki21b': 'x' }))).rejects.toMatchObject({ code: 'schema-too-new' });
  });

  it('a collection entry that is not a collection', async () => {
    const { col } = fresh();
    await expect(importApkg(col, zip('garbage.apkg', { 'collection.anki2': 'not sqlite at all, definitely not' }))).rejects.toMatchObject({ code: 'corrupt' });
    await expect(importApkg(col, zip('garbage2.apkg', { meta: new Uint8Array([8, 3]), 'collection.anki21b': 'not zstd' }))).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('a media list with an unsafe name', async () => {
    const { col } = fresh();
    const base = readFileSync(fixture('update1.apkg'));
    const p = join(dir, 'evil.apkg');
    copyFileSync(fixture('update1.apkg'), p);
    void base;
    const { path } = extractPackageCollection(p);
    const evil = zip('evil2.apkg', { 'collection.anki2': readFileSync(path), media: '{"0": "../../etc/passwd"}', '0': 'x' });
    await expect(importApkg(col, evil)).rejects.toMatchObject({ code: 'corrupt' });
    expect(existsSync(join(dir, 'etc'))).toBe(false);
  });
});
