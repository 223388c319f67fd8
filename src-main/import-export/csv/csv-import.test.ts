import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Collection } from '../../collection/collection';
import { expectCollectionPasses, FIXTURES_DIR, tempDir } from '../../collection/test-support/check';
import { freshCollectionsPerTest } from '../../collection/test-support/fresh';
import { addDeck } from '../../decks/decks-service';
import { addNote } from '../../notes/notes-service';
import { getCsvMetadata, importCsv } from './csv-import';
import { parseCsv, withoutTagsLine } from './csv-reader';

const fresh = freshCollectionsPerTest({ prefix: 'deckhand-ie-' });
const basicId = (col: Collection) => col.storage.notetypes.all().find((n) => n.name === 'Basic')!.id;
const notes = (col: Collection) => col.db.prepare('SELECT flds, tags FROM notes ORDER BY id').all() as { flds: string; tags: string }[];

function file(content: string, name = 'in.csv'): string {
  const p = join(tempDir(), name);
  writeFileSync(p, content);
  return p;
}

describe('CSV reader (the csv crate as Anki configures it)', () => {
  it('quotes, escaped quotes, delimiters and newlines inside quotes', () => {
    expect(parseCsv('a,"b,c","d ""e"""\n"multi\nline",x', { delimiter: ',' })).toEqual([
      ['a', 'b,c', 'd "e"'],
      ['multi\nline', 'x'],
    ]);
  });
  it('comment lines, blank lines, CRLF, ragged rows, a BOM and a quote inside a field', () => {
    expect(parseCsv('\ufeff# note\r\na\tb\r\n\r\n\n#c\td\nonly\nx"y\t"z"w\t\n', { delimiter: '\t' })).toEqual([['a', 'b'], ['only'], ['x"y', 'zw', '']]);
  });
  it('drops a historic "tags:" first line', () => {
    expect(withoutTagsLine('tags:foo bar\nfront,back\n')).toBe('front,back\n');
    expect(withoutTagsLine('front,back\n')).toBe('front,back\n');
  });
});

describe('CSV metadata', () => {
  it('text-2fields.txt: comment header skipped, tab detected, Basic and the current deck, fields by position', () => {
    const { col } = fresh();
    const m = getCsvMetadata(col, join(FIXTURES_DIR, 'text-2fields.txt'));
    expect(m.delimiter).toBe('tab');
    expect(m.isHtml).toBe(false);
    expect(m.columnLabels).toEqual(['', '']);
    expect(m.notetype).toEqual({ globalNotetype: { id: basicId(col), fieldColumns: [1, 2] } });
    expect(m.deck).toEqual({ deckId: 1 });
    expect(m.tagsColumn).toBe(0);
    expect(m.preview[0]).toEqual(['食べる', 'to eat']);
    expect(m.dupeResolution).toBe('update');
    expect(m.matchScope).toBe('notetype');
  });

  it('text-tags.txt: a column beyond the fields becomes the tags column', () => {
    const { col } = fresh();
    expect(getCsvMetadata(col, join(FIXTURES_DIR, 'text-tags.txt')).tagsColumn).toBe(3);
  });

  it('header directives', () => {
    const { col } = fresh();
    addDeck(col, 'Existing');
    const p = file(
      [
        '#separator:Comma',
        '#html:true',
        '#tags:global1 global2',
        '#columns:Back,Tags,Front',
        '#notetype:Basic (and reversed card)',
        '#deck:Existing',
        '#tags column:2',
        '#if matches:keep both',
        '#match scope:notetype + deck',
        'b<b>x</b>,t1 t2,f',
      ].join('\n'),
    );
    const m = getCsvMetadata(col, p);
    const rev = col.storage.notetypes.all().find((n) => n.name === 'Basic (and reversed card)')!;
    expect(m).toMatchObject({
      delimiter: 'comma',
      forceDelimiter: true,
      isHtml: true,
      forceIsHtml: true,
      globalTags: ['global1', 'global2'],
      columnLabels: ['Back', 'Tags', 'Front'],
      notetype: { globalNotetype: { id: rev.id, fieldColumns: [3, 1] } },
      deck: { deckId: col.storage.decks.byName('Existing')!.id },
      tagsColumn: 2,
      dupeResolution: 'duplicate',
      matchScope: 'notetypeAndDeck',
    });
  });

  it('separator forms, trailing junk after values, a deck to create, notetype/deck/guid columns', () => {
    const { col } = fresh();
    expect(getCsvMetadata(col, file('#separator:|\na|b\n')).delimiter).toBe('pipe');
    expect(getCsvMetadata(col, file('#separator:Semicolon;;;\na;b\n')).delimiter).toBe('semicolon');
    expect(getCsvMetadata(col, file('#html:false,,,\na,<b>b</b>\n')).isHtml).toBe(false);
    expect(getCsvMetadata(col, file('a,<b>b</b>\n')).isHtml).toBe(true);
    expect(getCsvMetadata(col, file('#deck:Brand new\na,b\n')).deck).toEqual({ deckName: 'Brand new' });
    const m = getCsvMetadata(col, file('#separator:tab\n#notetype column:1\n#deck column:2\n#guid column:3\nBasic\tDefault\tg1\tfront\tback\n'));
    expect(m.notetype).toEqual({ notetypeColumn: 1 });
    expect(m.deck).toEqual({ deckColumn: 2 });
    expect(m.guidColumn).toBe(3);
    expect(() => getCsvMetadata(col, file(''))).toThrow(/empty/);
  });
});

describe('CSV import', () => {
  it('text-2fields.txt: every row with a first field becomes a note', () => {
    const { col, path } = fresh();
    const r = importCsv(col, join(FIXTURES_DIR, 'text-2fields.txt'), getCsvMetadata(col, join(FIXTURES_DIR, 'text-2fields.txt')));
    // rows are matched against notes that existed before the import, so the repeated row is added too
    expect(r.result.new).toHaveLength(8);
    expect(r.result.emptyFirstField).toEqual([{ fields: ['', 'to play'] }]);
    expect(r.result.foundNotes).toBe(9);
    expect(notes(col).map((n) => n.flds)).toContain('多すぎる\x1ftoo many');
    expect(notes(col).map((n) => n.flds)).toContain('not, enough, fields\x1f');
    expect(col.db.prepare('SELECT count() FROM cards WHERE did = 1').pluck().get()).toBe(8);
    col.close();
    expectCollectionPasses(path);
  });

  it('text-tags.txt: tags from the third column', () => {
    const { col, path } = fresh();
    importCsv(col, join(FIXTURES_DIR, 'text-tags.txt'), getCsvMetadata(col, join(FIXTURES_DIR, 'text-tags.txt')));
    expect(notes(col)).toEqual([
      { flds: 'foo\x1fbar', tags: ' baz,qux ' },
      { flds: 'foo2\x1fbar2', tags: ' baz2 ' },
    ]);
    expect(col.storage.tags.all().map((t) => t.tag)).toEqual(['baz,qux', 'baz2']);
    col.close();
    expectCollectionPasses(path);
  });

  it('text-update.txt: the first field matches an existing note, which is updated', () => {
    const { col, path } = fresh();
    addNote(col, { notetypeId: basicId(col), deckId: 1, fields: ['1', 'old'] });
    const r = importCsv(col, join(FIXTURES_DIR, 'text-update.txt'), getCsvMetadata(col, join(FIXTURES_DIR, 'text-update.txt')));
    expect(r.result.firstFieldMatch).toHaveLength(1);
    expect(notes(col)).toEqual([{ flds: '1\x1fx', tags: '' }]);
    // importing again finds the note identical
    const r2 = importCsv(col, join(FIXTURES_DIR, 'text-update.txt'), getCsvMetadata(col, join(FIXTURES_DIR, 'text-update.txt')));
    expect(r2.result.duplicate).toHaveLength(1);
    col.close();
    expectCollectionPasses(path);
  });

  it('duplicate handling: keep current, keep both, update; by guid', () => {
    const { col } = fresh();
    addNote(col, { notetypeId: basicId(col), deckId: 1, fields: ['dup', 'one'], guid: 'GUID1' });
    const keep = importCsv(col, file('#if matches:keep current\ndup,two\n'), getCsvMetadata(col, file('#if matches:keep current\ndup,two\n')));
    expect(keep.result.firstFieldMatch).toHaveLength(1);
    expect(notes(col)).toHaveLength(1);
    const both = file('#if matches:keep both\ndup,three\n');
    expect(importCsv(col, both, getCsvMetadata(col, both)).result.firstFieldMatch).toHaveLength(1);
    expect(notes(col)).toHaveLength(2);
    // the last choice ("keep both") is remembered in the config, as in Anki
    expect(getCsvMetadata(col, file('x,y\n')).dupeResolution).toBe('duplicate');
    const byGuid = file('#separator:comma\n#if matches:update current\n#guid column:3\n#tags column:4\nchanged,by guid,GUID1,t\n');
    const r = importCsv(col, byGuid, getCsvMetadata(col, byGuid));
    expect(r.result.updated).toHaveLength(1);
    expect(notes(col)[0]).toEqual({ flds: 'changed\x1fby guid', tags: ' t ' });
  });

  it('escapes HTML when the file is not HTML, creates named decks, reads notetype and deck columns', () => {
    const { col, path } = fresh();
    const p = file('#html:false\n#deck:Made::Here\na < b & "c","line1\nline2"\n');
    const r = importCsv(col, p, getCsvMetadata(col, p));
    expect(r.result.new).toHaveLength(1);
    expect(notes(col)[0].flds).toBe('a &lt; b &amp; &quot;c&quot;\x1fline1<br>line2');
    expect(col.storage.decks.byName('Made::Here')).toBeTruthy();
    const q = file('#separator:tab\n#notetype column:1\n#deck column:2\nBasic (and reversed card)\tCol Deck\tfront\tback\nNo such type\tDefault\tx\ty\n');
    const r2 = importCsv(col, q, getCsvMetadata(col, q));
    expect(r2.result.new).toHaveLength(1);
    expect(r2.result.missingNotetype).toEqual([{ fields: ['x', 'y'] }]);
    const deck = col.storage.decks.byName('Col Deck')!;
    expect(col.db.prepare('SELECT count() FROM cards WHERE did = ?').pluck().get(deck.id)).toBe(2);
    col.close();
    expectCollectionPasses(path);
  });

  it('is one undoable step', () => {
    const { col } = fresh();
    importCsv(col, join(FIXTURES_DIR, 'text-2fields.txt'), getCsvMetadata(col, join(FIXTURES_DIR, 'text-2fields.txt')));
    expect(col.undoStatus().undo).toBe('Import');
    col.undo();
    expect(notes(col)).toHaveLength(0);
  });
});
