import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../collection/test-support/check';
import { freshCollectionsPerTest } from '../collection/test-support/fresh';
import { addDeck, deckNames, removeDecks } from '../decks/decks-service';
import { mediaPathsForCollection } from '../media/media-service';
import { addNote } from '../notes/notes-service';
import { ankiConnectExportPackage, ankiConnectImportPackage, importDeckPackage, importKindOf, importPresets, importTextFile } from './import-export-service';

const fresh = freshCollectionsPerTest({ prefix: 'deckhand-ie-' });

describe('import/export service', () => {
  it('tells package kinds by extension', () => {
    expect(importKindOf('/x/Deck.APKG')).toBe('apkg');
    expect(importKindOf('backup-2026-01-01-10.00.00.colpkg')).toBe('colpkg');
    expect(importKindOf('words.tsv')).toBe('csv');
    expect(() => importKindOf('x.pdf')).toThrow(/cannot import/);
  });

  it("starts from Anki's defaults and remembers the last .apkg options", async () => {
    const { col } = fresh();
    expect(importPresets(col)).toEqual({ mergeNotetypes: false, withScheduling: false, withDeckConfigs: false, updateNotes: 'ifNewer', updateNotetypes: 'ifNewer' });
    await importDeckPackage(col, join(FIXTURES_DIR, 'update1.apkg'), { withScheduling: true, updateNotetypes: 'never' });
    expect(importPresets(col)).toMatchObject({ withScheduling: true, updateNotetypes: 'never', updateNotes: 'ifNewer' });
  });

  it('AnkiConnect exportPackage/importPackage: export a deck, delete it, import it back', async () => {
    const { col, dir } = fresh();
    const deck = addDeck(col, 'test_deck').result;
    const basic = col.storage.notetypes.all().find((n) => n.name === 'Basic')!;
    addNote(col, { notetypeId: basic.id, deckId: deck.id, fields: ['front', 'back'] });
    expect(await ankiConnectExportPackage(col, { deck: 'no such deck', path: join(dir, 'x.apkg') })).toBe(false);
    const out = join(dir, 'test_deck.apkg');
    expect(await ankiConnectExportPackage(col, { deck: 'test_deck', path: out, includeSched: true })).toBe(true);
    removeDecks(col, [deck.id]);
    expect(deckNames(col).map((d) => d.name)).not.toContain('test_deck');
    // a relative path is looked up in the media folder
    const media = mediaPathsForCollection(col.path).folder;
    mkdirSync(media, { recursive: true });
    copyFileSync(out, join(media, 'pkg.apkg'));
    expect(await ankiConnectImportPackage(col, { path: 'pkg.apkg' })).toBe(true);
    expect(deckNames(col).map((d) => d.name)).toContain('test_deck');
    expect(col.db.prepare('SELECT count() FROM notes').pluck().get()).toBe(1);
  });

  it('imports text files with the metadata the file implies', () => {
    const { col } = fresh();
    const r = importTextFile(col, join(FIXTURES_DIR, 'text-tags.txt'));
    expect(r.result.new).toHaveLength(2);
    expect(r.changes.notes).toBe(true);
  });
});
