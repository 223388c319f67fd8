import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import { expectCollectionPasses, FIXTURES_DIR, runChecker, tempDir } from '../collection/test-support/check';
import { addDeck, deckNames } from '../decks/decks-service';
import { addNote } from '../notes/notes-service';
import { MediaDbStore } from '../storage/media-store';
import { OriginalStockKind } from '../storage/proto/messages';
import { discoverAnkiProfiles } from './anki-profiles';
import { ankiBaseDir, deckhandDataDir } from './paths';
import { checkProfileName, openAnkiProfileInPlace, ProfileManager } from './profiles-service';

const toClose: Collection[] = [];
afterEach(() => {
  for (const c of toClose.splice(0)) c.close();
});
const keep = (c: Collection) => (toClose.push(c), c);
const code = async (f: () => unknown): Promise<string | undefined> => {
  try {
    await f();
  } catch (e) {
    return e instanceof DeckhandError ? e.code : `not a DeckhandError: ${String(e)}`;
  }
  return undefined;
};
const sha1 = (p: string) => createHash('sha1').update(readFileSync(p)).digest('hex');

describe('data folders', () => {
  it('puts Deckhand’s folder where each OS expects it, with overrides', () => {
    const home = '/home/ana';
    expect(deckhandDataDir({ platform: 'linux', env: {}, homedir: home })).toBe('/home/ana/.local/share/Deckhand');
    expect(deckhandDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data' }, homedir: home })).toBe('/data/Deckhand');
    // relative XDG values are ignored (XDG spec)
    expect(deckhandDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'rel' }, homedir: home })).toBe('/home/ana/.local/share/Deckhand');
    expect(deckhandDataDir({ platform: 'darwin', env: {}, homedir: '/Users/ana' })).toBe('/Users/ana/Library/Application Support/Deckhand');
    expect(deckhandDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\Ana\\AppData\\Roaming' }, homedir: 'C:\\Users\\Ana' })).toBe(
      'C:\\Users\\Ana\\AppData\\Roaming\\Deckhand',
    );
    expect(deckhandDataDir({ platform: 'linux', env: { DECKHAND_DATA_DIR: '/tmp/dh' }, homedir: home })).toBe('/tmp/dh');
    expect(deckhandDataDir({ platform: 'linux', env: { DECKHAND_DATA_DIR: '/tmp/dh' }, homedir: home, explicit: '/opt/x' })).toBe('/opt/x');
  });

  it('finds Anki’s base folder by Anki’s rules', () => {
    expect(ankiBaseDir({ platform: 'linux', env: {}, homedir: '/home/ana' })).toBe('/home/ana/.local/share/Anki2');
    expect(ankiBaseDir({ platform: 'linux', env: { XDG_DATA_HOME: '/xdg' }, homedir: '/home/ana' })).toBe('/xdg/Anki2');
    expect(ankiBaseDir({ platform: 'darwin', env: {}, homedir: '/Users/ana' })).toBe('/Users/ana/Library/Application Support/Anki2');
    expect(ankiBaseDir({ platform: 'win32', env: { APPDATA: 'D:\\Roaming' }, homedir: 'C:\\Users\\Ana' })).toBe('D:\\Roaming\\Anki2');
    expect(ankiBaseDir({ platform: 'win32', env: { ANKI_BASE: '/anki/base' }, homedir: 'C:\\Users\\Ana' })).toBe('/anki/base');
  });
});

describe('profile names', () => {
  it('accepts ordinary and non-ASCII names and refuses file-system trouble', () => {
    expect(checkProfileName('  Ærø 日本 ')).toBe('Ærø 日本');
    expect(checkProfileName('Cafe\u0301')).toBe('Café');
    for (const bad of ['', '   ', 'a/b', 'a\\b', 'a:b', 'what?', '.hidden', 'end.', 'CON', 'nul.txt', 'com1', 'tab\there']) {
      expect(() => checkProfileName(bad), bad).toThrow(DeckhandError);
    }
  });
});

describe('Deckhand profiles', () => {
  it('creates, lists, opens, renames and deletes profiles', async () => {
    const pm = new ProfileManager({ baseDir: join(tempDir('deckhand-profiles-'), 'Deckhand') });
    expect(pm.list()).toEqual([]);
    const p = pm.create('Ærø 日本', { ankiConnect: { port: 8766 } });
    expect(readdirSync(p.dir).sort()).toEqual(['backups', 'collection.anki2', 'collection.media', 'collection.media.db2', 'profile.json']);
    expectCollectionPasses(p.collectionPath);
    const settings = pm.readSettings('Ærø 日本');
    expect(settings.ankiConnect).toEqual({ enabled: true, port: 8766, bindAddress: '127.0.0.1', corsOrigins: ['http://localhost'] });
    expect(settings.sync).toEqual({ endpoint: null, username: null, autoSync: true, syncMedia: true });
    pm.create('basic');
    expect(pm.list().map((x) => x.name)).toEqual(['basic', 'Ærø 日本']);
    expect(await code(() => pm.create('ærø 日本'))).toBe('duplicate-name');
    expect(await code(() => pm.create('BASIC'))).toBe('duplicate-name');
    expect(await code(() => pm.create('a/b'))).toBe('invalid-input');

    // open: the collection is usable; while it is open, rename/delete are refused
    const col = keep(pm.open('ærø 日本'));
    addDeck(col, 'Ærø::Ø');
    expect(pm.lastProfile()).toBe('Ærø 日本');
    expect(await code(() => pm.rename('Ærø 日本', 'Other'))).toBe('collection-locked');
    expect(await code(() => pm.delete('Ærø 日本'))).toBe('collection-locked');
    // a second open (another Deckhand, or Anki) is refused too
    expect(await code(() => pm.open('Ærø 日本'))).toBe('collection-locked');
    col.close();

    // rename, including a case-only rename
    const renamed = pm.rename('Ærø 日本', 'ÆRØ 日本');
    expect(renamed.name).toBe('ÆRØ 日本');
    expect(pm.list().map((x) => x.name)).toEqual(['basic', 'ÆRØ 日本']);
    expect(pm.lastProfile()).toBe('ÆRØ 日本');
    expect(await code(() => pm.rename('ÆRØ 日本', 'Basic'))).toBe('duplicate-name');
    pm.rename('ÆRØ 日本', 'Σίσυφος');
    const again = keep(pm.open('Σίσυφος'));
    expect(deckNames(again).map((d) => d.name)).toContain('Ærø::Ø');
    again.close();
    expectCollectionPasses(pm.get('Σίσυφος').collectionPath);

    pm.delete('Σίσυφος');
    expect(pm.list().map((x) => x.name)).toEqual(['basic']);
    expect(pm.lastProfile()).toBeNull();
    expect(await code(() => pm.get('Σίσυφος'))).toBe('not-found');
  });

  it('keeps settings in profile.json and never stores secrets', () => {
    const pm = new ProfileManager({ baseDir: tempDir('deckhand-settings-') });
    pm.create('p');
    const s = pm.updateSettings('p', { sync: { endpoint: 'https://sync.example.org/', username: 'ana@example.org' }, futureOption: { x: 1 } });
    expect(s.sync.endpoint).toBe('https://sync.example.org/');
    expect(s.sync.autoSync).toBe(true);
    expect(pm.readSettings('p')).toMatchObject({ futureOption: { x: 1 }, ankiConnect: { port: 8765 } });
    expect(() => pm.updateSettings('p', { sync: { password: 'hunter2' } as never })).toThrow(/passwords or keys/);
    expect(() => pm.updateSettings('p', { hkey: 'abc' })).toThrow(/passwords or keys/);
    expect(() => pm.updateSettings('p', { ankiConnect: { port: 70_000 } })).toThrow(/ankiConnect.port/);
    expect(() => pm.updateSettings('p', { sync: { endpoint: 'ftp://x' } })).toThrow(/sync.endpoint/);
    expect(() => pm.create('q', { sync: { apiKey: 'k' } as never })).toThrow(/passwords or keys/);
    expect(existsSync(join(pm.baseDir, 'q'))).toBe(false);
    const text = readFileSync(join(pm.baseDir, 'p', 'profile.json'), 'utf8');
    expect(text).not.toMatch(/hunter2|"hkey"/);
  });
});

/** A fake Anki base folder: prefs21.db written the way Anki's ProfileManager does (Python). */
function makeAnkiBase(profiles: string[]): string {
  const base = join(tempDir('deckhand-anki-'), 'Anki2');
  mkdirSync(base, { recursive: true });
  const script = [
    'import sqlite3, pickle, sys',
    'db = sqlite3.connect(sys.argv[1])',
    'db.execute("create table if not exists profiles (name text primary key collate nocase, data blob not null)")',
    'db.execute("insert into profiles values (?, ?)", ("_global", pickle.dumps({"ver": 0, "updates": True}, protocol=4)))',
    'for n in sys.argv[2:]: db.execute("insert into profiles values (?, ?)", (n, pickle.dumps({"syncKey": None}, protocol=4)))',
    'db.commit()',
  ].join('\n');
  execFileSync('python3', ['-c', script, join(base, 'prefs21.db'), ...profiles]);
  return base;
}

function makeAnkiProfile(base: string, name: string): string {
  const dir = join(base, name);
  mkdirSync(join(dir, 'collection.media'), { recursive: true });
  const col = Collection.create(join(dir, 'collection.anki2'));
  const basic = col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.Basic)!;
  const deck = addDeck(col, 'Japanese::語彙').result;
  addNote(col, { notetypeId: basic.id, deckId: deck.id, fields: ['犬<img src="dog.png">', 'dog'] });
  col.close();
  writeFileSync(join(dir, 'collection.media', 'dog.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  MediaDbStore.open(join(dir, 'collection.media.db2')).close();
  return dir;
}

describe('Anki profiles', () => {
  it('does not fail when Anki is absent', () => {
    const r = discoverAnkiProfiles({ baseDir: join(tempDir('deckhand-noanki-'), 'Anki2') });
    expect(r).toMatchObject({ exists: false, source: 'none', profiles: [] });
    expect(discoverAnkiProfiles({ platform: 'linux', env: { XDG_DATA_HOME: '/nonexistent-xdg' }, homedir: '/nonexistent' }).exists).toBe(false);
  });

  it('lists profiles from prefs21.db (read-only), or from the folders when it is missing or unreadable', () => {
    const base = makeAnkiBase(['User 1', 'Ünïcødé']);
    makeAnkiProfile(base, 'User 1');
    const prefsSum = sha1(join(base, 'prefs21.db'));
    const r = discoverAnkiProfiles({ baseDir: base });
    expect(r.source).toBe('prefs21.db');
    expect(r.profiles.map((p) => [p.name, p.hasCollection, p.hasMedia])).toEqual([
      ['User 1', true, true],
      ['Ünïcødé', false, false],
    ]);
    expect(r.profiles[0].collectionBytes).toBeGreaterThan(0);
    expect(sha1(join(base, 'prefs21.db'))).toBe(prefsSum);
    expect(readdirSync(base).sort()).toEqual(['User 1', 'prefs21.db']);
    // ANKI_BASE is honoured
    expect(discoverAnkiProfiles({ env: { ANKI_BASE: base } }).profiles).toHaveLength(2);

    writeFileSync(join(base, 'prefs21.db'), 'this is not a database, it is long enough to look like a file header......................................');
    const broken = discoverAnkiProfiles({ baseDir: base });
    expect(broken.source).toBe('folders');
    expect(broken.prefsError).toBeTruthy();
    expect(broken.profiles.map((p) => p.name)).toEqual(['User 1']);
  });

  it('imports (copies) an Anki profile with its media, leaving Anki’s files untouched; refuses while Anki holds it', async () => {
    const base = makeAnkiBase(['User 1']);
    const dir = makeAnkiProfile(base, 'User 1');
    const src = discoverAnkiProfiles({ baseDir: base }).profiles[0];
    const pm = new ProfileManager({ baseDir: tempDir('deckhand-import-') });

    // Anki has it open (it holds an exclusive lock, as our own Collection does)
    const anki = keep(Collection.open(src.collectionPath));
    expect(await code(() => pm.importAnkiProfile(src))).toBe('collection-locked');
    expect(await code(() => openAnkiProfileInPlace(src))).toBe('collection-locked');
    expect(pm.list()).toEqual([]);
    anki.close();

    const before = sha1(src.collectionPath);
    const imported = await pm.importAnkiProfile(src, { name: 'Von Anki' });
    expect(sha1(src.collectionPath)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['collection.anki2', 'collection.media', 'collection.media.db2']);
    expect(readFileSync(join(imported.mediaDir, 'dog.png'))).toEqual(readFileSync(join(dir, 'collection.media', 'dog.png')));
    expect(existsSync(imported.mediaDbPath) && existsSync(imported.backupsDir)).toBe(true);
    expect(pm.readSettings('Von Anki').importedFrom).toMatchObject({ ankiBase: base, profile: 'User 1' });
    const col = keep(pm.open('Von Anki'));
    expect(deckNames(col).map((d) => d.name)).toEqual(['Default', 'Japanese', 'Japanese::語彙']);
    expect(col.storage.notes.count()).toBe(1);
    col.close();
    expectCollectionPasses(imported.collectionPath);
    expect(await code(() => pm.importAnkiProfile(src, { name: 'von anki' }))).toBe('duplicate-name');

    // opening in place works once Anki has let go
    const inPlace = keep(openAnkiProfileInPlace(src));
    expect(inPlace.storage.notes.count()).toBe(1);
    inPlace.close();
    expectCollectionPasses(src.collectionPath);
  });

  it('upgrades an older Anki collection in the copy only', async () => {
    const base = makeAnkiBase(['Old']);
    mkdirSync(join(base, 'Old'));
    const srcPath = join(base, 'Old', 'collection.anki2');
    copyFileSync(join(FIXTURES_DIR, 'extra-pr5092-rsdroid', 'schema_17.anki2'), srcPath);
    const before = sha1(srcPath);
    const pm = new ProfileManager({ baseDir: tempDir('deckhand-upgrade-') });
    const p = await pm.importAnkiProfile(discoverAnkiProfiles({ baseDir: base }).profiles[0]);
    expect(sha1(srcPath)).toBe(before);
    expect(readdirSync(p.backupsDir)).toEqual(['collection.anki2.schema17.bak']);
    const col = keep(pm.open('Old'));
    expect(col.storage.schemaVersion()).toBe(18);
    col.close();
    // The copy is a valid schema-18 file; the one finding is the source's own: a 2021 collection
    // has no `sched2021` key (new collections get it since Anki 23.10), which Anki accepts.
    const report = runChecker(p.collectionPath, true);
    expect(report.checks.filter((c) => c.status === 'FAIL' || c.status === 'WARN').map((c) => c.name)).toEqual(['config_required_keys']);
  });
});
