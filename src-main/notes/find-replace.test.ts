// Find and Replace as Anki does it (rslib findreplace.rs / tags/findreplace.rs tests, restated,
// plus regex, literal and replacement-expansion cases), one undo step, checker-clean results.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { addNote } from './notes-service';
import { compileReplacer, expandReplacement, fieldNamesForNotes, findAndReplace, findAndReplaceTags } from './find-replace';

const open: Collection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) if (!c.isClosed) c.close();
});

function fresh() {
  const path = join(tempDir('deckhand-findreplace-'), 'collection.anki2');
  const col = Collection.create(path);
  open.push(col);
  const id = (name: string) => col.storage.notetypes.all().find((n) => n.name === name)!.id;
  const add = (nt: string, fields: string[], tags: string[] = []) => addNote(col, { notetypeId: id(nt), deckId: 1, fields, tags }).result.noteId;
  return { col, path, add };
}

const fields = (col: Collection, id: number) => col.storage.notes.get(id)!.fields;
const replace = (text: string, search: string, replacement: string, o: { regex?: boolean; matchCase?: boolean } = {}) =>
  compileReplacer({ noteIds: [], search, replacement, regex: o.regex ?? true, matchCase: o.matchCase ?? true }, true, o.regex ?? true).replaceAll(text);

describe('find and replace in fields', () => {
  it("Anki's case: all fields of all notes, then one field by name (notes without it skipped)", () => {
    const { col, add } = fresh();
    const a = add('Basic', ['one aaa', 'two aaa']);
    const b = add('Cloze', ['three aaa', '']);
    expect(findAndReplace(col, { noteIds: [], search: 'AAA', replacement: 'BBB', regex: true, matchCase: false, field: null }).result).toBe(2);
    expect(fields(col, a)).toEqual(['one BBB', 'two BBB']);
    expect(fields(col, b)).toEqual(['three BBB', '']);
    expect(fieldNamesForNotes(col, [a, b])).toEqual(['Back', 'Back Extra', 'Front', 'Text']);
    expect(findAndReplace(col, { noteIds: [a, b], search: 'BBB', replacement: 'ccc', regex: false, matchCase: true, field: 'front' }).result).toBe(1);
    expect(fields(col, a)).toEqual(['one ccc', 'two BBB']);
  });

  it('literal search escapes regex syntax; a literal replacement is inserted as is', () => {
    const { col, add } = fresh();
    const a = add('Basic', ['a.b axb', '1+1=2']);
    expect(findAndReplace(col, { noteIds: [a], search: 'a.b', replacement: '$1 ${x} $$', regex: false, matchCase: true, field: null }).result).toBe(1);
    expect(fields(col, a)[0]).toBe('$1 ${x} $$ axb');
    expect(findAndReplace(col, { noteIds: [a], search: '1+1', replacement: 'one plus one', regex: false, matchCase: false, field: 'Back' }).result).toBe(1);
    expect(fields(col, a)[1]).toBe('one plus one=2');
  });

  it('match case, and the count only counts notes that changed', () => {
    const { col, add } = fresh();
    const a = add('Basic', ['Dog dog', '']);
    const b = add('Basic', ['cat', '']);
    expect(findAndReplace(col, { noteIds: [a, b], search: 'dog', replacement: 'fox', regex: false, matchCase: true, field: null }).result).toBe(1);
    expect(fields(col, a)[0]).toBe('Dog fox');
    expect(findAndReplace(col, { noteIds: [a, b], search: 'DOG', replacement: 'wolf', regex: false, matchCase: false, field: null }).result).toBe(1);
    expect(fields(col, a)[0]).toBe('wolf fox');
  });

  it("regexes: groups ($1, ${name}), Unicode classes, Rust's empty-match rule", () => {
    expect(replace('ana@example', '(\\w+)@(?P<host>\\w+)', '${host} has $1')).toBe('example has ana');
    expect(replace('café au lait', '\\w+', '<$0>')).toBe('<café> <au> <lait>');
    expect(replace('x ٣ y', '\\d', '#')).toBe('x # y');
    expect(replace('abc', 'x*', '-')).toBe('-a-b-c-');
    expect(replace('baaac', 'a*', '-')).toBe('-b-c-');
    expect(replace('a1b', '(\\d)', '$1a')).toBe('ab'); // `$1a` names group "1a", which is empty
    expect(replace('a1b', '(\\d)', '${1}a')).toBe('a1ab');
    expect(replace('😀x😀', '', '.')).toBe('.😀.x.😀.');
    expect(replace('no match', 'zzz', 'y')).toBeNull();
    expect(expandReplacement('$ and $$ and ${', () => 'G')).toBe('$ and $ and ${');
  });

  it('an invalid regex fails with a clear error and changes nothing', () => {
    const { col, add } = fresh();
    const a = add('Basic', ['x', '']);
    expect(() => findAndReplace(col, { noteIds: [a], search: '(unclosed', replacement: '', regex: true, matchCase: true, field: null })).toThrow(/Invalid regular expression/);
    expect(() => findAndReplace(col, { noteIds: [a], search: '(?<=x)y', replacement: '', regex: true, matchCase: true, field: null })).toThrow(/Invalid regular expression/);
    expect(fields(col, a)[0]).toBe('x');
  });

  it('is one undo step; new content generates cards; the file stays checker-clean', () => {
    const { col, path, add } = fresh();
    const a = add('Basic (optional reversed card)', ['q1', 'a1', '']);
    const b = add('Basic (optional reversed card)', ['q2', 'a2', '']);
    expect(col.storage.cards.count()).toBe(2);
    // Add Reverse becomes non-empty: Anki generates the reverse cards
    expect(findAndReplace(col, { noteIds: [], search: '^$', replacement: 'y', regex: true, matchCase: true, field: 'Add Reverse' }).result).toBe(2);
    expect(col.storage.cards.count()).toBe(4);
    expect(col.undoStatus().undo).toBe('Find and Replace');
    col.undo();
    expect(fields(col, a)).toEqual(['q1', 'a1', '']);
    expect(fields(col, b)).toEqual(['q2', 'a2', '']);
    expect(col.storage.cards.count()).toBe(2);
    col.redo();
    expect(fields(col, b)[2]).toBe('y');
    col.close();
    expectCollectionPasses(path);
  });
});

describe('find and replace in tags', () => {
  it("Anki's case: regex over each tag, literal with match case; tags re-registered", () => {
    const { col, path, add } = fresh();
    const a = add('Basic', ['x', ''], ['test']);
    expect(findAndReplaceTags(col, { noteIds: [a], search: 'foo|test', replacement: 'bar', regex: true, matchCase: false }).result).toBe(1);
    expect(col.storage.notes.get(a)!.tags).toEqual(['bar']);
    expect(findAndReplaceTags(col, { noteIds: [a], search: 'BAR', replacement: 'baz', regex: false, matchCase: true }).result).toBe(0);
    expect(findAndReplaceTags(col, { noteIds: [], search: 'BAR', replacement: 'baz', regex: false, matchCase: false }).result).toBe(1);
    expect(col.storage.notes.get(a)!.tags).toEqual(['baz']);
    expect(col.storage.tags.getRow('baz')).toBeDefined();
    expect(() => findAndReplaceTags(col, { noteIds: [a], search: 'baz', replacement: 'two words', regex: false, matchCase: false })).toThrow(/cannot contain a space/);
    col.close();
    expectCollectionPasses(path);
  });

  it('a regex replacement expands groups; an emptied tag disappears', () => {
    const { col, add } = fresh();
    const a = add('Basic', ['x', ''], ['lang::ja', 'drop']);
    expect(findAndReplaceTags(col, { noteIds: [a], search: '^lang::(\\w+)$', replacement: '$1', regex: true, matchCase: true }).result).toBe(1);
    expect(findAndReplaceTags(col, { noteIds: [a], search: 'drop', replacement: '', regex: false, matchCase: true }).result).toBe(1);
    expect(col.storage.notes.get(a)!.tags).toEqual(['ja']);
  });
});
