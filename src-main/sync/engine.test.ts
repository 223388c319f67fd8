// Anki's merge rules, one side at a time: cards/notes keep a pending local row unless the
// incoming one is strictly newer (ties: local wins), while decks/notetypes/deck presets take the
// incoming object when it is newer or equally new (ties: incoming wins).

import { describe, expect, it } from 'vitest';
import { Collection } from '../collection/collection';
import { freshCollectionsPerTest } from '../collection/test-support/fresh';
import { addNote } from '../notes/notes-service';
import { deckToLegacy } from '../storage/legacy/deck';
import { applyChanges, applyChunk, applyGraves, chunkableIds, getChunk, isPendingSync, localUnchunkedChanges, sanityCheckInfo, SyncSide, PendingRowsError } from './engine';

const freshCollection = freshCollectionsPerTest({ prefix: 'deckhand-engine-' });
const fresh = (): Collection => freshCollection().col;

describe('pending', () => {
  it('is usn = -1 on a client and usn >= minUsn on a server', () => {
    expect(isPendingSync(-1, -1)).toBe(true);
    expect(isPendingSync(3, -1)).toBe(false);
    expect(isPendingSync(3, 3)).toBe(true);
    expect(isPendingSync(2, 3)).toBe(false);
  });
});

describe('merging rows', () => {
  it('notes and cards: a pending local row wins ties, loses to a newer one; a synced row is overwritten', () => {
    const col = fresh();
    const side = new SyncSide(col);
    const nt = col.storage.notetypes.all()[0];
    const nid = addNote(col, { notetypeId: nt.id, deckId: 1, fields: ['local', ''] }).result.noteId;
    const row = col.storage.notes.getRow(nid)!;
    const incoming = (mod: number, text: string) => ({ done: true, revlog: [], cards: [], notes: [{ id: nid, guid: row.guid, mid: nt.id, mod, usn: 5, tags: '', flds: `${text}\x1f` }] });
    applyChunk(side, incoming(row.mod, 'tie'), -1);
    expect(col.storage.notes.get(nid)!.fields[0]).toBe('local');
    applyChunk(side, incoming(row.mod + 1, 'newer'), -1);
    expect(col.storage.notes.getRow(nid)).toMatchObject({ usn: 5, mod: row.mod + 1 });
    applyChunk(side, incoming(row.mod - 100, 'older but local is synced'), -1);
    expect(col.storage.notes.get(nid)!.fields[0]).toBe('older but local is synced');

    const card = col.storage.cards.ofNote(nid)[0];
    const cardRow = col.storage.cards.getRow(card.id)!;
    applyChunk(side, { done: true, revlog: [], notes: [], cards: [{ ...cardRow, usn: 6, due: 999 }] }, -1);
    expect(col.storage.cards.getRow(card.id)!.due).toBe(cardRow.due); // pending (usn -1), same mod → local wins
    applyChunk(side, { done: true, revlog: [], notes: [], cards: [{ ...cardRow, usn: 6, mod: cardRow.mod + 1, due: 999 }] }, -1);
    expect(col.storage.cards.getRow(card.id)).toMatchObject({ due: 999, usn: 6 });
  });

  it('revlog entries are inserted or ignored, never updated', () => {
    const col = fresh();
    const side = new SyncSide(col);
    const entry = { id: 1_700_000_000_000, cid: 1, usn: 2, ease: 3, ivl: 1, lastIvl: 0, factor: 2500, time: 1000, type: 1 };
    applyChunk(side, { done: true, cards: [], notes: [], revlog: [entry] }, -1);
    applyChunk(side, { done: true, cards: [], notes: [], revlog: [{ ...entry, ease: 1 }] }, -1);
    expect(col.storage.revlog.getRow(entry.id)!.ease).toBe(3);
  });

  it('decks: incoming wins when newer or equally new; a name taken by another deck gets "+"', () => {
    const col = fresh();
    const side = new SyncSide(col);
    const deck = col.storage.decks.get(1)!;
    const json = (mtimeSecs: number, name: string) => deckToLegacy({ ...deck, mtimeSecs, usn: 9, name });
    col.db.prepare('UPDATE decks SET mtime_secs = 100 WHERE id = 1').run();
    applyChanges(side, { models: [], decks: [json(100, 'Tie')], dconf: [], tags: [] }, 9);
    expect(col.storage.decks.get(1)!.name).toBe('Tie');
    applyChanges(side, { models: [], decks: [json(99, 'Older')], dconf: [], tags: [] }, 9);
    expect(col.storage.decks.get(1)!.name).toBe('Tie');
    const other = { ...deck, id: 1_700_000_000_000, mtimeSecs: 200, name: 'Tie' };
    applyChanges(side, { models: [], decks: [deckToLegacy(other)], dconf: [], tags: [] }, 9);
    expect(col.storage.decks.get(other.id)).toMatchObject({ name: 'Tie+', usn: 9 });
  });

  it("tags are registered with the latest usn, adopting a parent's case", () => {
    const col = fresh();
    const side = new SyncSide(col);
    applyChanges(side, { models: [], decks: [], dconf: [], tags: ['Lang'] }, 4);
    applyChanges(side, { models: [], decks: [], dconf: [], tags: ['lang::de'] }, 5);
    expect(col.storage.tags.all().map((t) => [t.tag, t.usn])).toEqual([
      ['Lang', 4],
      ['Lang::de', 5],
    ]);
  });

  it('graves: objects go, graves stay with the latest usn (an existing grave is kept)', () => {
    const col = fresh();
    const side = new SyncSide(col);
    const nt = col.storage.notetypes.all()[0];
    const nid = addNote(col, { notetypeId: nt.id, deckId: 1, fields: ['x', ''] }).result.noteId;
    const cid = col.storage.cards.ofNote(nid)[0].id;
    col.db.prepare('INSERT INTO graves (oid, type, usn) VALUES (?, 0, 2)').run(cid);
    applyGraves(side, { cards: [cid], notes: [nid], decks: [] }, 7);
    expect(col.storage.notes.get(nid)).toBeUndefined();
    expect(col.storage.cards.get(cid)).toBeUndefined();
    expect(col.storage.graves.getRow(nid, 1)!.usn).toBe(7);
    expect(col.storage.graves.getRow(cid, 0)!.usn).toBe(2);
  });
});

describe('what a side sends', () => {
  it('a client restamps what it sends to the server usn; chunks pop ids from the end, 250 at most', () => {
    const col = fresh();
    const side = new SyncSide(col);
    const nt = col.storage.notetypes.all()[0];
    for (let i = 0; i < 130; i++) addNote(col, { notetypeId: nt.id, deckId: 1, fields: [`n${i}`, ''] });
    const ids = chunkableIds(side, -1);
    const first = getChunk(side, ids, 12);
    expect(first.notes.length + first.cards.length).toBe(250);
    expect(first.done).toBe(false);
    expect(first.notes[0].id).toBeGreaterThan(first.notes[1].id);
    expect(first.notes.every((n) => n.usn === 12)).toBe(true);
    const second = getChunk(side, ids, 12);
    expect(second.done).toBe(true);
    expect(second.notes.length + second.cards.length).toBe(10);
    // everything pending was restamped: the sanity counts can be taken
    expect(sanityCheckInfo(side)).toMatchObject({ counts: [0, 0, 0], notes: 130, cards: 130, graves: 0, decks: 1, deckConfig: 1, models: 6 });
    col.db.prepare("INSERT INTO tags (tag, usn, collapsed) VALUES ('pending', -1, 1)").run();
    expect(() => sanityCheckInfo(side)).toThrow(PendingRowsError);
  });

  it('config and crt are sent only by the newer side; config usns are then cleared', () => {
    const col = fresh();
    const side = new SyncSide(col);
    expect(localUnchunkedChanges(side, -1, 3, false).conf).toBeUndefined();
    const newer = localUnchunkedChanges(side, -1, 3, true);
    expect(newer.conf!.get('curDeck')).toBe('1');
    expect(newer.crt).toBe(side.store.stamps().crt);
    expect(col.db.prepare('SELECT count() FROM config WHERE usn != 0').pluck().get()).toBe(0);
  });
});
