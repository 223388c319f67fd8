import { describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses } from '../collection/test-support/check';
import { freshCollectionsPerTest } from '../collection/test-support/fresh';
import { addNote } from '../notes/notes-service';
import { addTagsToNotes, allTags, noteTags, removeTagsFromNotes, replaceTagOnNotes, tagMatcher } from './tags-service';

const freshCollection = freshCollectionsPerTest();

function fresh(): { col: Collection; note: (tags: string[]) => number } {
  const { col } = freshCollection();
  const basic = col.storage.notetypes.all().find((n) => n.name === 'Basic')!.id;
  let i = 0;
  return { col, note: (tags) => addNote(col, { notetypeId: basic, deckId: 1, fields: [`n${i++}`, ''], tags }).result.noteId };
}

describe('tags on notes', () => {
  it('adds space-separated tags, keeping the spelling a note already has; only changed notes are written', () => {
    const { col, note } = fresh();
    const a = note(['Keep']);
    const b = note([]);
    const before = col.storage.notes.get(a)!.mtimeSecs;
    expect(addTagsToNotes(col, [a, b, 999], 'keep new::Child').result).toBe(2);
    expect(noteTags(col, a)).toEqual(['Keep', 'new::Child']);
    // a new tag takes the spelling already registered (Anki's prepare_tag_for_registering)
    expect(noteTags(col, b)).toEqual(['Keep', 'new::Child']);
    expect(addTagsToNotes(col, [a], 'KEEP').result).toBe(0);
    expect(col.storage.notes.get(a)!.mtimeSecs).toBeGreaterThanOrEqual(before);
    expect(allTags(col)).toEqual(['Keep', 'new::Child']);
  });

  it("removes with Anki's matcher: case-insensitive, children included, * wildcard", () => {
    const { col, note } = fresh();
    const a = note(['lang::ja', 'lang', 'vocab', 'verb-ru', 'verb-u', 'other']);
    expect(removeTagsFromNotes(col, [a], 'LANG verb-*').result).toBe(1);
    expect(noteTags(col, a)).toEqual(['other', 'vocab']);
    expect(tagMatcher('a.b')('axb')).toBe(false);
    expect(tagMatcher('')('x')).toBe(false);
  });

  it('replaces one tag (ignoring case) on given notes or all notes; children untouched', () => {
    const { col, note } = fresh();
    const a = note(['Old', 'old::child']);
    const b = note(['old']);
    expect(replaceTagOnNotes(col, [a], 'OLD', 'new').result).toBe(1);
    // (old::child took its registered parent's spelling when the note was added)
    expect(noteTags(col, a)).toEqual(['new', 'Old::child']);
    expect(replaceTagOnNotes(col, 'all', 'old', 'newer').result).toBe(1);
    expect(noteTags(col, b)).toEqual(['newer']);
    col.close();
    expectCollectionPasses(col.path);
  });
});
