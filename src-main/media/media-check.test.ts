import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { noteDerivedColumns } from '../notes/derived';
import { addNote } from '../notes/notes-service';
import { OriginalStockKind } from '../storage/proto/messages';
import { checkMedia, trashUnusedMedia } from './media-check';
import { MediaManager } from './media-service';

const open: Collection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/**
 * A new collection holding the three notes of Anki's mediacheck.anki2 fixture (the fixture itself
 * is schema 11 and its upgraded copy is not ours to vouch for): `[sound:foo[.jpg]` /
 * `<img src="normal.jpg">`, a note without media, and one whose `<img src='ぱぱ.jpg'>` is NFD.
 */
function fixture(): { col: Collection; path: string; folder: string; ids: number[] } {
  const dir = tempDir('deckhand-mediacheck-');
  const path = join(dir, 'collection.anki2');
  const col = Collection.create(path);
  open.push(col);
  const basic = col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.Basic)!;
  const ids = [
    addNote(col, { notetypeId: basic.id, deckId: 1, fields: ['[sound:foo[.jpg]', '<img src="normal.jpg">'] }).result.noteId,
    addNote(col, { notetypeId: basic.id, deckId: 1, fields: ['another note', '<b>with no media</b>'] }).result.noteId,
    addNote(col, { notetypeId: basic.id, deckId: 1, fields: ['in wrong encoding', 'x'] }).result.noteId,
  ];
  // written as stored by an old client: NFD, which addNote would have normalised
  col.transact('test', (tx) => {
    const n = tx.storage.notes.get(ids[2])!;
    n.fields[1] = `<img src='${'ぱぱ.jpg'.normalize('NFD')}'>`;
    tx.putNote(n, noteDerivedColumns(n, basic));
  });
  const folder = join(dir, 'collection.media');
  mkdirSync(folder, { recursive: true });
  return { col, path, folder, ids };
}

function closeAndCheck(col: Collection, path: string): void {
  col.close();
  expectCollectionPasses(path);
}

describe('checkMedia (Anki check.rs tests restated)', () => {
  it('media_check: renames bad names, reports missing/unused/subfolders', () => {
    const { col, path, folder, ids } = fixture();
    writeFileSync(join(folder, 'zerobytes'), '');
    mkdirSync(join(folder, 'folder'));
    writeFileSync(join(folder, 'normal.jpg'), 'normal');
    writeFileSync(join(folder, 'foo[.jpg'), 'foo');
    writeFileSync(join(folder, '_under.jpg'), 'foo');
    writeFileSync(join(folder, 'unused.jpg'), 'foo');
    writeFileSync(join(folder, '.DS_Store'), '.DS_Store');

    const out = checkMedia(col);
    expect({ ...out, report: undefined }).toEqual({
      unused: ['unused.jpg'],
      missing: ['ぱぱ.jpg'],
      missingMediaNotes: [ids[2]],
      renamed: { 'foo[.jpg': 'foo.jpg' },
      dirs: ['folder'],
      oversize: [],
      trashCount: 0,
      trashBytes: 0,
      inlinedImageCount: 0,
      report: undefined,
    });
    expect(existsSync(join(folder, 'foo[.jpg'))).toBe(false);
    expect(readFileSync(join(folder, 'foo.jpg'), 'utf8')).toBe('foo');
    expect(out.report).toBe(`Missing files: 1
Unused files: 1
Renamed files: 1
Subfolders: 1

Some files have been renamed for compatibility:
Renamed: foo[.jpg -> foo.jpg

Folders inside the media folder are not supported.
Folder: folder

The following files are referenced by cards, but were not found in the media folder:
Missing: ぱぱ.jpg

The following files were found in the media folder, but do not appear to be used on any cards:
Unused: unused.jpg
`);
    // the references were fixed in the notes: renamed file, NFC name
    const fields = col.storage.notes.allIds().flatMap((id) => col.storage.notes.get(id)!.fields);
    expect(fields).toContain('[sound:foo.jpg]');
    expect(fields.some((f) => f.includes('ぱぱ.jpg'.normalize('NFC')))).toBe(true);
    expect(fields.some((f) => f.includes('ぱぱ.jpg'.normalize('NFD')))).toBe(false);
    // the renamed copy is registered in the media DB
    const m = MediaManager.forCollection(path);
    expect(m.entry('foo.jpg')?.dirty).toBe(true);
    m.close();
    // Delete Unused moves to the trash
    trashUnusedMedia(col, out.unused);
    expect(checkMedia(col)).toMatchObject({ unused: [], trashCount: 1, trashBytes: 3 });
    closeAndCheck(col, path);
  });

  it('unicode_normalization: an NFD file name is renamed to NFC', () => {
    const { col, path, folder, ids } = fixture();
    const nfd = 'ぱぱ.jpg'.normalize('NFD');
    writeFileSync(join(folder, nfd), 'nfd encoding');
    const out = checkMedia(col);
    expect(out.missing).toEqual(['foo[.jpg', 'normal.jpg']);
    expect(out.missingMediaNotes).toEqual([ids[0]]);
    expect(out.unused).toEqual([]);
    if (process.platform !== 'darwin') {
      expect(out.renamed).toEqual({ [nfd]: 'ぱぱ.jpg' });
      expect(existsSync(join(folder, 'ぱぱ.jpg'))).toBe(true);
    }
    closeAndCheck(col, path);
  });

  it('extracts inline base64 images and decodes entities in names', () => {
    const { col, path, folder } = fixture();
    const basic = col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.Basic)!;
    addNote(col, { notetypeId: basic.id, deckId: 1, fields: ['foo', "<img src='data:image/jpg;base64,Zm9v'>"] });
    addNote(col, { notetypeId: basic.id, deckId: 1, fields: ['[sound:a &amp; b.mp3]', '<img src="x&amp;y.jpg">'] });
    const out = checkMedia(col);
    expect(out.inlinedImageCount).toBe(1);
    expect(readFileSync(join(folder, 'paste-0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33.jpg'), 'utf8')).toBe('foo');
    expect(out.missing).toEqual(expect.arrayContaining(['a & b.mp3', 'x&y.jpg']));
    // like Anki, the folder was listed before the notes were read: the new file counts next time
    expect(checkMedia(col).missing).not.toContain('paste-0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33.jpg');
    const fields = col.storage.notes.allIds().flatMap((id) => col.storage.notes.get(id)!.fields);
    expect(fields).toContain("<img src='paste-0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33.jpg'>");
    closeAndCheck(col, path);
  });

  it('counts LaTeX images as used and keeps underscore files', () => {
    const { col, path, folder } = fixture();
    const basic = col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.Basic)!;
    addNote(col, { notetypeId: basic.id, deckId: 1, fields: ['[$]x^2[/$]', 'b'] });
    writeFileSync(join(folder, '_static.css'), 'x');
    const first = checkMedia(col);
    const latex = first.missing.find((f) => f.startsWith('latex-'))!;
    expect(latex).toMatch(/^latex-[0-9a-f]{40}\.png$/);
    writeFileSync(join(folder, latex), 'png');
    const second = checkMedia(col);
    expect(second.missing).not.toContain(latex);
    expect(second.unused).toEqual([]);
    closeAndCheck(col, path);
  });
});
