import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { expectCollectionPasses, tempDir } from '../collection/test-support/check';
import { setConfig } from '../config/config-service';
import { addDeck, setCurrentDeck } from '../decks/decks-service';
import { setCurrentNotetype } from '../notetypes/notetypes-service';
import { addingDefaults, addNoteFromEditor, lastDeckKey, lastNotetypeKey } from './adding';

const open: Collection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

function fresh() {
  const col = Collection.create(join(tempDir(), 'collection.anki2'));
  open.push(col);
  const nt = (name: string) => col.storage.notetypes.all().find((n) => n.name === name)!.id;
  return { col, basic: nt('Basic'), cloze: nt('Cloze') };
}

it('remembers the deck per note type, the note type per deck and curModel, in the add step', () => {
  const { col, basic, cloze } = fresh();
  const spanish = addDeck(col, 'Spanish').result.id;
  const r = addNoteFromEditor(col, { notetypeId: cloze, deckId: spanish, fields: ['{{c1::hola}}', ''] });
  expect(r.result.cardIds).toHaveLength(1);
  expect(col.storage.config.get(lastDeckKey(cloze))).toBe(spanish);
  expect(col.storage.config.get(lastNotetypeKey(spanish))).toBe(cloze);
  expect(col.storage.config.get('curModel')).toBe(cloze);
  // one undo step takes it all back
  expect(col.undoStatus().undo).toBe('Add Note');
  col.undo();
  expect(col.storage.config.get(lastDeckKey(cloze))).toBeUndefined();
  expect(basic).toBeGreaterThan(0);
  col.close();
  expectCollectionPasses(col.path);
});

it("Anki's defaults for adding: current deck and its last note type; or the current note type and its last deck", () => {
  const { col, basic, cloze } = fresh();
  const spanish = addDeck(col, 'Spanish').result.id;
  const french = addDeck(col, 'French').result.id;
  setCurrentNotetype(col, basic);
  setCurrentDeck(col, spanish);
  expect(addingDefaults(col)).toEqual({ deckId: spanish, notetypeId: basic });
  addNoteFromEditor(col, { notetypeId: cloze, deckId: spanish, fields: ['{{c1::x}}', ''] });
  addNoteFromEditor(col, { notetypeId: basic, deckId: french, fields: ['y', ''] });
  // addToCur (default): the current deck, with the note type it last received
  expect(addingDefaults(col)).toEqual({ deckId: spanish, notetypeId: cloze });
  // choosing a note type: the deck it last added to
  expect(addingDefaults(col, { notetypeId: basic })).toEqual({ notetypeId: basic, deckId: french });
  // "change deck depending on note type": the current note type (basic, last added) and its deck
  setConfig(col, 'addToCur', false);
  expect(addingDefaults(col)).toEqual({ notetypeId: basic, deckId: french });
});

it('selecting a deck or a note type records no undo step and keeps the real ones', () => {
  const { col, basic } = fresh();
  const d = addDeck(col, 'X').result.id;
  setCurrentDeck(col, d);
  setCurrentNotetype(col, basic);
  expect(col.undoStatus().undo).toBe('Add Deck');
  expect(col.storage.config.get('curDeck')).toBe(d);
});
