import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { tempDir } from '../collection/test-support/check';
import { addDeck } from '../decks/decks-service';
import { addNote } from '../notes/notes-service';
import { collectionStats } from './stats-service';

const open: Collection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

it("counts today's answers and the cards by state, for the collection or a deck with its subdecks", () => {
  const col = Collection.create(join(tempDir(), 'collection.anki2'));
  open.push(col);
  const basic = col.storage.notetypes.all().find((n) => n.name === 'Basic')!.id;
  const sub = addDeck(col, 'A::B').result.id;
  addNote(col, { notetypeId: basic, deckId: 1, fields: ['one', ''] });
  const n2 = addNote(col, { notetypeId: basic, deckId: sub, fields: ['two', ''] }).result;
  const now = col.clock.nowMs();
  col.transact('log', (tx) => {
    tx.addRevlog({ id: now, cid: n2.cardIds[0], usn: -1, ease: 1, ivl: -60, lastIvl: 0, factor: 0, time: 3000, type: 0 });
    tx.addRevlog({ id: now + 1, cid: n2.cardIds[0], usn: -1, ease: 0, ivl: 0, lastIvl: 0, factor: 0, time: 0, type: 4 });
  });
  const all = collectionStats(col, { wholeCollection: true });
  expect(all.deck).toBe(null);
  expect(all.cards).toMatchObject({ total: 2, new: 2, learning: 0, notes: 2 });
  expect(all.today).toMatchObject({ count: 1, timeMs: 3000, again: 1, learn: 1 });
  const a = collectionStats(col, { wholeCollection: false, deckId: col.storage.decks.byName('A')!.id });
  expect(a.deck?.name).toBe('A');
  expect(a.cards.total).toBe(1);
  expect(a.today.count).toBe(1);
  expect(collectionStats(col, { wholeCollection: false }).cards.total).toBe(1);
});
