import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CardQueue } from '../cards/card';
import { setFlag, suspendCards } from '../cards/cards-service';
import { addNote, addNotes, deleteNotes, updateNote } from '../notes/notes-service';
import { OriginalStockKind } from '../storage/proto/messages';
import { Collection } from './collection';
import { DeckhandError } from './errors';
import { expectCollectionPasses, tempDir } from './test-support/check';

const open: Collection[] = [];
function fresh(): { col: Collection; path: string } {
  const path = join(tempDir(), 'collection.anki2');
  const col = Collection.create(path);
  open.push(col);
  return { col, path };
}
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

const stockId = (col: Collection, kind: OriginalStockKind) => col.storage.notetypes.all().find((n) => n.config.originalStockKind === kind)!.id;

describe('a new collection', () => {
  it('holds what a brand-new Anki collection holds and passes the checker', () => {
    const { col, path } = fresh();
    const s = col.storage;
    expect(s.schemaVersion()).toBe(18);
    expect(s.decks.all().map((d) => [d.id, d.name])).toEqual([[1, 'Default']]);
    expect(s.deckConfigs.all().map((c) => [c.id, c.name, c.config.newPerDay, c.config.reviewsPerDay])).toEqual([[1, 'Default', 20, 200]]);
    const kinds = s.notetypes.all().map((n) => n.config.originalStockKind).sort();
    expect(kinds).toEqual([1, 2, 3, 4, 5, 6]);
    const basic = s.notetypes.get(stockId(col, OriginalStockKind.Basic))!;
    expect(basic.fields.map((f) => f.name)).toEqual(['Front', 'Back']);
    expect(basic.templates[0].config.aFormat).toBe('{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}');
    expect(s.config.get('curModel')).toBe(basic.id);
    expect(s.config.get('sched2021')).toBe(true);
    expect(s.col.get().mod).toBe(0);
    col.close();
    expectCollectionPasses(path);
  });

  it('refuses to create over an existing file', () => {
    const { path } = fresh();
    expect(() => Collection.create(path)).toThrow(DeckhandError);
  });
});

describe('notes and cards', () => {
  it('adds notes in every stock notetype with the right cards, and the file still passes', () => {
    const { col, path } = fresh();
    const id = (k: OriginalStockKind) => stockId(col, k);
    const r1 = addNote(col, { notetypeId: id(OriginalStockKind.Basic), deckId: 1, fields: ['Straße', 'street'], tags: ['de::nouns', 'Σίσυφος'] });
    expect(r1.result.cardIds).toHaveLength(1);
    expect(r1.changes.notes && r1.changes.cards).toBe(true);
    expect(addNote(col, { notetypeId: id(OriginalStockKind.BasicAndReversed), deckId: 1, fields: ['犬', 'dog'] }).result.cardIds).toHaveLength(2);
    expect(addNote(col, { notetypeId: id(OriginalStockKind.BasicOptionalReversed), deckId: 1, fields: ['a', 'b', ''] }).result.cardIds).toHaveLength(1);
    expect(addNote(col, { notetypeId: id(OriginalStockKind.BasicOptionalReversed), deckId: 1, fields: ['a2', 'b', 'y'] }).result.cardIds).toHaveLength(2);
    expect(addNote(col, { notetypeId: id(OriginalStockKind.BasicTyping), deckId: 1, fields: ['q', 'a'] }).result.cardIds).toHaveLength(1);
    const cloze = addNote(col, { notetypeId: id(OriginalStockKind.Cloze), deckId: 1, fields: ['{{c1::Paris}} is in {{c3::France}}', ''] });
    expect(col.storage.cards.getMany(cloze.result.cardIds).map((c) => c.ord).sort()).toEqual([0, 2]);
    const io = addNote(col, { notetypeId: id(OriginalStockKind.ImageOcclusion), deckId: 1, fields: ['{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2}}', '<img src="a.png">', '', '', ''] });
    expect(io.result.cardIds).toHaveLength(1);
    const note = col.storage.notes.get(r1.result.noteId)!;
    expect(note.tags).toEqual(['de::nouns', 'Σίσυφος']);
    expect(col.storage.tags.all().map((t) => t.tag)).toEqual(['de::nouns', 'Σίσυφος']);
    expect(col.storage.config.get('nextPos')).toBe(8);
    col.close();
    expectCollectionPasses(path);
  });

  it('rejects a field count mismatch and leaves the collection unchanged', () => {
    const { col } = fresh();
    const before = col.storage.notes.count();
    expect(() => addNote(col, { notetypeId: stockId(col, OriginalStockKind.Basic), deckId: 1, fields: ['only one'] })).toThrow(/has 2 fields, but 1 were given/);
    expect(col.storage.notes.count()).toBe(before);
    expect(col.undoStatus().undo).toBeNull();
  });

  it('computes sfld and csum as Anki does', () => {
    const { col } = fresh();
    const { result } = addNote(col, { notetypeId: stockId(col, OriginalStockKind.Basic), deckId: 1, fields: ['hello', 'x'] });
    const row = col.storage.notes.getRow(result.noteId)!;
    expect(row.csum).toBe(2868168221);
    expect(row.sfld).toBe('hello');
  });

  it('updates fields and tags, generating newly required cards', () => {
    const { col } = fresh();
    const nt = stockId(col, OriginalStockKind.BasicOptionalReversed);
    const { result } = addNote(col, { notetypeId: nt, deckId: 1, fields: ['a', 'b', ''] });
    updateNote(col, result.noteId, { fields: { 'Add Reverse': 'y' }, tags: ['x', 'X', 'y'] });
    expect(col.storage.cards.ofNote(result.noteId).map((c) => c.ord)).toEqual([0, 1]);
    expect(col.storage.notes.get(result.noteId)!.tags).toEqual(['x', 'y']);
  });

  it('undoes and redoes an add, a delete and a suspend', () => {
    const { col, path } = fresh();
    const nt = stockId(col, OriginalStockKind.Basic);
    const { result } = addNote(col, { notetypeId: nt, deckId: 1, fields: ['front', 'back'] });
    const [cid] = result.cardIds;
    suspendCards(col, [cid]);
    setFlag(col, [cid], 3);
    expect(col.storage.cards.get(cid)!.flags).toBe(3);
    col.undo();
    expect(col.storage.cards.get(cid)!.flags).toBe(0);
    expect(col.storage.cards.get(cid)!.queue).toBe(CardQueue.Suspended);
    col.undo();
    expect(col.storage.cards.get(cid)!.queue).toBe(CardQueue.New);
    deleteNotes(col, [result.noteId]);
    expect(col.storage.notes.get(result.noteId)).toBeUndefined();
    expect(col.storage.graves.count()).toBe(2);
    expect(col.undoStatus().undo).toBe('Delete Note');
    col.undo();
    expect(col.storage.notes.get(result.noteId)).toBeDefined();
    expect(col.storage.cards.get(cid)).toBeDefined();
    expect(col.storage.graves.count()).toBe(0);
    col.redo();
    expect(col.storage.notes.get(result.noteId)).toBeUndefined();
    col.close();
    expectCollectionPasses(path);
  });

  it('adds 1,000 notes in one operation and one undo step', () => {
    const { col } = fresh();
    const nt = stockId(col, OriginalStockKind.Basic);
    const notes = Array.from({ length: 1000 }, (_, i) => ({ notetypeId: nt, deckId: 1, fields: [`front ${i}`, `back ${i}`] }));
    const { result } = addNotes(col, notes);
    expect(new Set(result.map((r) => r.noteId)).size).toBe(1000);
    expect(col.storage.notes.count()).toBe(1000);
    col.undo();
    expect(col.storage.notes.count()).toBe(0);
    expect(col.storage.cards.count()).toBe(0);
  });
});

describe('opening files', () => {
  it('refuses a non-SQLite file and a truncated one, leaving them unchanged', () => {
    const dir = tempDir();
    const junk = join(dir, 'junk.anki2');
    writeFileSync(junk, 'this is not a database at all, just some text that is long enough to pass the size test'.repeat(3));
    const before = readFileSync(junk);
    expect(() => Collection.open(junk)).toThrow(/not an SQLite database/);
    expect(readFileSync(junk)).toEqual(before);
    const { col, path } = fresh();
    col.close();
    open.pop();
    const truncated = join(dir, 'truncated.anki2');
    writeFileSync(truncated, readFileSync(path).subarray(0, 50));
    expect(() => Collection.open(truncated)).toThrow(/empty or truncated/);
  });

  it('refuses a schema newer than 18 and leaves the file unchanged', () => {
    const { col, path } = fresh();
    col.storage.db.prepare('UPDATE col SET ver = 19').run();
    col.close();
    open.pop();
    const before = readFileSync(path);
    expect(() => Collection.open(path)).toThrow(/newer Anki \(schema 19\)/);
    expect(readFileSync(path)).toEqual(before);
  });

  it('says the collection is open in another program when it is locked', () => {
    const { path } = fresh();
    const size = statSync(path).size;
    expect(() => Collection.open(path)).toThrow(/open in another program/);
    expect(statSync(path).size).toBe(size);
  });

  it('reopens a collection it wrote with everything intact', () => {
    const { col, path } = fresh();
    addNote(col, { notetypeId: stockId(col, OriginalStockKind.Basic), deckId: 1, fields: ['x', 'y'] });
    col.close();
    open.pop();
    const copy = join(tempDir(), 'copy.anki2');
    copyFileSync(path, copy);
    const again = Collection.open(copy);
    open.push(again);
    expect(again.storage.notes.count()).toBe(1);
    expect(again.storage.notetypes.all()).toHaveLength(6);
  });
});
