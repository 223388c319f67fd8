// Empty Cards (rslib notetype/emptycards.rs, aqt emptycards.py): the report per note type, and
// deleting the empty cards with or without keeping notes that would lose every card.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { addNote } from '../notes/notes-service';
import { deleteEmptyCards, emptyCards, emptyCardsText } from './empty-cards';

const open: Collection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) if (!c.isClosed) c.close();
});

function fresh() {
  const path = join(tempDir('deckhand-emptycards-'), 'collection.anki2');
  const col = Collection.create(path);
  open.push(col);
  const id = (name: string) => col.storage.notetypes.all().find((n) => n.name === name)!.id;
  const add = (nt: string, fields: string[]) => addNote(col, { notetypeId: id(nt), deckId: 1, fields }).result;
  return { col, path, add };
}

describe('Empty Cards', () => {
  it('reports cards whose template or cloze no longer renders, per note type, in Anki’s words', () => {
    const { col, add } = fresh();
    expect(emptyCards(col)).toEqual({ notetypes: [], report: '', cardIds: [] });
    expect(emptyCardsText(emptyCards(col))).toBe('No empty cards.');
    const rev = add('Basic (optional reversed card)', ['q', 'a', 'y']);
    const cl = add('Cloze', ['{{c1::a}} {{c2::b}} {{c3::c}}', '']);
    // the reverse is no longer wanted, and clozes 1 and 3 are gone
    col.db.prepare('UPDATE notes SET flds = ? WHERE id = ?').run('q\x1fa\x1f', rev.noteId);
    col.db.prepare('UPDATE notes SET flds = ? WHERE id = ?').run('{{c2::b}}\x1f', cl.noteId);
    const r = emptyCards(col);
    expect(r.notetypes.map((n) => n.name)).toEqual(['Basic (optional reversed card)', 'Cloze']);
    expect(r.notetypes[0].notes).toEqual([
      { noteId: rev.noteId, notetypeId: r.notetypes[0].notetypeId, cardIds: [rev.cardIds[1]], ords: [1], templateNames: 'Card 2', existingCount: 2, willDeleteNote: false },
    ]);
    expect(r.notetypes[1].notes[0]).toMatchObject({ cardIds: [cl.cardIds[0], cl.cardIds[2]], templateNames: 'Cloze 1, 3', existingCount: 3, willDeleteNote: false });
    expect(r.report).toBe(
      `<div><b>Empty cards for Basic (optional reversed card):</b></div><ol><li class=>[anki:nid:${rev.noteId}] 1 of 2 cards empty (Card 2).</li></ol>` +
        `<div><b>Empty cards for Cloze:</b></div><ol><li class=>[anki:nid:${cl.noteId}] 2 of 3 cards empty (Cloze 1, 3).</li></ol>`,
    );
    expect(r.cardIds).toEqual([rev.cardIds[1], cl.cardIds[0], cl.cardIds[2]]);
  });

  it('deletes the empty cards; "keep notes" leaves the first card of a note that would lose them all', () => {
    const { col, path, add } = fresh();
    const a = add('Cloze', ['{{c1::a}} {{c2::b}}', '']);
    const b = add('Cloze', ['{{c1::a}}', '']);
    col.db.prepare('UPDATE notes SET flds = ? WHERE id IN (?, ?)').run('no clozes\x1f', a.noteId, b.noteId);
    const r = emptyCards(col);
    expect(r.notetypes[0].notes.map((n) => [n.willDeleteNote, n.cardIds.length])).toEqual([
      [true, 2],
      [true, 1],
    ]);
    expect(r.report).toContain('<li class=allempty>');
    expect(deleteEmptyCards(col, r.cardIds, true).result).toBe(1);
    expect(col.storage.cards.ofNote(a.noteId).map((c) => c.ord)).toEqual([0]);
    expect(col.storage.cards.ofNote(b.noteId).map((c) => c.ord)).toEqual([0]);
    expect(col.undoStatus().undo).toBe('Delete Empty Cards');
    // without keeping notes, they go with their cards
    expect(deleteEmptyCards(col, emptyCards(col).cardIds, false).result).toBe(2);
    expect(col.storage.notes.count()).toBe(0);
    col.close();
    expectCollectionPasses(path);
  });
});
