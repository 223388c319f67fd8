import { describe, expect, it } from 'vitest';
import { CardQueue, CardType } from '../cards/card';
import { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import { closeAndCheck, freshCollectionsPerTest } from '../collection/test-support/fresh';
import { addNote } from '../notes/notes-service';
import { GraveKind } from '../storage/misc-stores';
import { FilteredSearchOrder, OriginalStockKind } from '../storage/proto/messages';
import {
  addDeck,
  addFilteredDeck,
  deckAndChildNames,
  deckNames,
  deckTree,
  findDeckInTree,
  getCurrentDeck,
  getCurrentDeckId,
  getDeck,
  getDeckByName,
  getOrCreateDeck,
  newFilteredDeckProposal,
  parentDecks,
  removeDecks,
  renameDeck,
  reparentDecks,
  setCurrentDeck,
  setDeckCollapsed,
  updateDeck,
} from './decks-service';

const fresh = freshCollectionsPerTest({ prefix: 'deckhand-decks-' });

const names = (col: Collection) => deckNames(col).map((d) => d.name);
const basicId = (col: Collection) => col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.Basic)!.id;
const addBasic = (col: Collection, deckId: number, front: string) => addNote(col, { notetypeId: basicId(col), deckId, fields: [front, 'back'] }).result;
const rawDeckRow = (col: Collection, id: number) => col.storage.decks.getRow(id)!;
const errorCode = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof DeckhandError ? e.code : `not a DeckhandError: ${String(e)}`;
  }
  return undefined;
};

describe('adding decks', () => {
  it('creates missing parents, adopting the case of existing ones, with Anki’s blobs and ids', () => {
    const e = fresh();
    const { col } = e;
    const foo = addDeck(col, 'foo').result;
    expect(getOrCreateDeck(col, 'FOO').result.id).toBe(foo.id);
    const baz = addDeck(col, 'FOO::BAR::BAZ').result;
    expect(baz.name).toBe('foo::BAR::BAZ');
    expect(names(col)).toEqual(['Default', 'foo', 'foo::BAR', 'foo::BAR::BAZ']);
    const bar = getDeckByName(col, 'foo::bar')!;
    // parents are created before the deck itself: smaller ids, both from the ms clock
    expect(bar.id).toBeLessThan(baz.id);
    expect(Math.abs(baz.id - Date.now())).toBeLessThan(60_000);
    // new decks: study/browser collapsed, config 1 — the same blobs as Anki's Default deck
    const row = rawDeckRow(col, baz.id);
    expect(Buffer.from(row.common).toString('hex')).toBe('08011001');
    expect(Buffer.from(row.kind).toString('hex')).toBe('0a020801');
    expect(row.name).toBe('foo\x1fBAR\x1fBAZ');
    expect(row.usn).toBe(-1);
    expect(row.mtime_secs).toBeGreaterThan(0);
    closeAndCheck(e);
  });

  it('normalises typed names', () => {
    const e = fresh();
    expect(addDeck(e.col, '  Spanish :: :: Verbs:\n ').result.name).toBe('Spanish::blank::Verbs');
    expect(names(e.col)).toEqual(['Default', 'Spanish', 'Spanish::blank', 'Spanish::blank::Verbs']);
    closeAndCheck(e);
  });

  it('handles non-ASCII names: ß, Σ/ς, İ, CJK, compared with Anki’s unicase folding', () => {
    const e = fresh();
    const { col } = e;
    const masse = addDeck(col, 'Maße').result;
    // "MASSE" folds to the same key as "Maße": a clear error by default…
    const err = (() => {
      try {
        addDeck(col, 'MASSE');
      } catch (x) {
        return x as DeckhandError;
      }
    })();
    expect(err?.code).toBe('duplicate-name');
    expect(err?.message).toContain('Maße');
    // …Anki's "+" when asked for, and the existing deck for get-or-create
    expect(addDeck(col, 'MASSE', { onDuplicate: 'suffix' }).result.name).toBe('MASSE+');
    expect(addDeck(col, 'masse', { onDuplicate: 'existing' }).result.id).toBe(masse.id);
    // final sigma folds like σ
    addDeck(col, 'Σίσυφος');
    expect(errorCode(() => addDeck(col, 'ΣΊΣΥΦΟΣ'))).toBe('duplicate-name');
    // İ folds to "i̇" (i + combining dot), so it is not the same as a plain i
    addDeck(col, 'İstanbul');
    expect(addDeck(col, 'istanbul').result.name).toBe('istanbul');
    expect(errorCode(() => addDeck(col, 'i\u0307stanbul'))).toBe('duplicate-name');
    // CJK with parents
    addDeck(col, '日本語::文法::助詞');
    expect(getDeckByName(col, '日本語::文法')).toBeDefined();
    expect(addDeck(col, '日本語::語彙').result.name).toBe('日本語::語彙');
    // Anki's deckNames order: unicase order of the stored names
    expect(names(col)).toEqual([
      'Default',
      'istanbul',
      'İstanbul',
      'Maße',
      'MASSE+',
      'Σίσυφος',
      '日本語',
      '日本語::文法',
      '日本語::文法::助詞',
      '日本語::語彙',
    ]);
    closeAndCheck(e);
  });

  it('refuses subdecks of filtered decks and names nested too deeply', () => {
    const e = fresh();
    const f = addFilteredDeck(e.col, { name: 'Cram' }).result;
    expect(errorCode(() => addDeck(e.col, 'Cram::child'))).toBe('invalid-input');
    expect(errorCode(() => addDeck(e.col, 'cram::a::b'))).toBe('invalid-input');
    expect(getDeck(e.col, f.id).kind.filtered).toBeDefined();
    // 11 levels with no existing parent are fine, 12 are not (Anki's recursion limit)
    addDeck(e.col, Array.from({ length: 11 }, (_, i) => `L${i}`).join('::'));
    expect(errorCode(() => addDeck(e.col, Array.from({ length: 12 }, (_, i) => `M${i}`).join('::')))).toBe('invalid-input');
    // …but deep names under existing parents are fine
    addDeck(e.col, Array.from({ length: 14 }, (_, i) => `L${i}`).join('::'));
    closeAndCheck(e);
  });
});

describe('renaming', () => {
  it('follows Anki’s renaming sequence (children follow, parent→child renames, "+" on request)', () => {
    const e = fresh();
    const { col } = e;
    addDeck(col, 'foo::bar::baz');
    const top = getDeckByName(col, 'foo')!;
    renameDeck(col, top.id, 'other');
    expect(names(col)).toEqual(['Default', 'other', 'other::bar', 'other::bar::baz']);
    const middle = getDeckByName(col, 'other::bar')!;
    renameDeck(col, middle.id, 'quux::foo');
    expect(names(col)).toEqual(['Default', 'other', 'quux', 'quux::foo', 'quux::foo::baz']);
    addDeck(col, 'quux::foo::baz2');
    // quux::foo → quux::foo::baz::four: its children move with it and a new quux::foo appears
    renameDeck(col, middle.id, 'quux::foo::baz::four');
    expect(names(col)).toEqual(['Default', 'other', 'quux', 'quux::foo', 'quux::foo::baz', 'quux::foo::baz::four', 'quux::foo::baz::four::baz', 'quux::foo::baz::four::baz2']);
    // a taken name: error by default, "+" like Anki when asked
    expect(errorCode(() => renameDeck(col, middle.id, 'OTHER'))).toBe('duplicate-name');
    expect(renameDeck(col, middle.id, 'other', { onDuplicate: 'suffix' }).result.name).toBe('other+');
    renameDeck(col, middle.id, 'one::two');
    expect(names(col)).toEqual(['Default', 'one', 'one::two', 'one::two::baz', 'one::two::baz2', 'other', 'quux', 'quux::foo', 'quux::foo::baz']);
    closeAndCheck(e);
  });

  it('allows changing only the case of a name, and keeps other fields with updateDeck', () => {
    const e = fresh();
    const d = addDeck(e.col, 'straße::x').result;
    const parent = getDeckByName(e.col, 'straße')!;
    const r = renameDeck(e.col, parent.id, 'STRASSE');
    expect(r.result.name).toBe('STRASSE');
    expect(getDeck(e.col, d.id).name).toBe('STRASSE::x');
    const deck = getDeck(e.col, d.id);
    deck.kind.normal!.description = 'Beschreibung';
    updateDeck(e.col, deck);
    expect(getDeck(e.col, d.id).kind.normal!.description).toBe('Beschreibung');
    // no change → no write, no undo step
    const before = e.col.undoStatus().undo;
    expect(renameDeck(e.col, d.id, 'STRASSE::x').changes.decks).toBe(false);
    expect(e.col.undoStatus().undo).toBe(before);
    closeAndCheck(e);
  });
});

describe('reparenting (drag and drop)', () => {
  it('moves decks with their children, refuses own subdecks and filtered targets, appends + on collisions', () => {
    const e = fresh();
    const { col } = e;
    const a = addDeck(col, 'a::b::c').result;
    const b = getDeckByName(col, 'a::b')!;
    const target = addDeck(col, 'target').result;
    expect(reparentDecks(col, [b.id], target.id).result).toBe(1);
    expect(names(col)).toEqual(['a', 'Default', 'target', 'target::b', 'target::b::c']);
    expect(getDeck(col, a.id).name).toBe('target::b::c');
    // into its own subdeck: refused
    const top = getDeckByName(col, 'target')!;
    expect(errorCode(() => reparentDecks(col, [top.id], a.id))).toBe('invalid-input');
    // on itself / on its current parent: nothing happens
    expect(reparentDecks(col, [b.id], b.id).result).toBe(0);
    expect(reparentDecks(col, [b.id], top.id).result).toBe(0);
    // filtered target: refused
    const f = addFilteredDeck(col, { name: 'F' }).result;
    expect(errorCode(() => reparentDecks(col, [b.id], f.id))).toBe('invalid-input');
    // to the top level, with a name collision → "+" (the person did not type the name)
    addDeck(col, 'B');
    expect(reparentDecks(col, [b.id], null).result).toBe(1);
    expect(getDeck(col, b.id).name).toBe('b+');
    expect(getDeck(col, a.id).name).toBe('b+::c');
    // "a::b" onto its sibling "a::bc" works (Anki's prefix test would ignore it)
    const ab = addDeck(col, 'x::b').result;
    const abc = addDeck(col, 'x::bc').result;
    expect(reparentDecks(col, [ab.id], abc.id).result).toBe(1);
    expect(getDeck(col, ab.id).name).toBe('x::bc::b');
    closeAndCheck(e);
  });
});

describe('deleting decks', () => {
  it('deletes cards, notes left without cards, subdecks, aux config; writes graves; undo restores all', () => {
    const e = fresh();
    const { col } = e;
    const spanish = addDeck(col, 'Spanish').result;
    const verbs = addDeck(col, 'Spanish::Verbs').result;
    const other = addDeck(col, 'Other').result;
    const n1 = addBasic(col, spanish.id, 'hola');
    const n2 = addBasic(col, verbs.id, 'comer');
    // a note with cards in two decks: only its Spanish card goes, the note stays
    const rev = col.storage.notetypes.all().find((n) => n.config.originalStockKind === OriginalStockKind.BasicAndReversed)!;
    const n3 = addNote(col, { notetypeId: rev.id, deckId: spanish.id, fields: ['perro', 'dog'] }).result;
    col.transact('move', (tx) => {
      const c = tx.storage.cards.get(n3.cardIds[1])!;
      c.deckId = other.id;
      tx.putCard(c);
      tx.setConfig(`_deck_${verbs.id}_lastNotetype`, basicId(col));
      tx.setConfig(`_deck_${other.id}_lastNotetype`, basicId(col));
    });
    const graves = col.storage.graves.count();

    const r = removeDecks(col, [spanish.id]);
    expect(r.result).toBe(3);
    expect(r.changes.decks && r.changes.cards && r.changes.notes).toBe(true);
    expect(names(col)).toEqual(['Default', 'Other']);
    expect(col.storage.notes.exists(n1.noteId)).toBe(false);
    expect(col.storage.notes.exists(n2.noteId)).toBe(false);
    expect(col.storage.notes.exists(n3.noteId)).toBe(true);
    expect(col.storage.cards.ofNote(n3.noteId).map((c) => c.id)).toEqual([n3.cardIds[1]]);
    const s = col.storage;
    for (const id of [spanish.id, verbs.id]) expect(s.graves.getRow(id, GraveKind.Deck)?.usn).toBe(-1);
    for (const id of [n1.cardIds[0], n2.cardIds[0], n3.cardIds[0]]) expect(s.graves.getRow(id, GraveKind.Card)).toBeDefined();
    for (const id of [n1.noteId, n2.noteId]) expect(s.graves.getRow(id, GraveKind.Note)).toBeDefined();
    expect(s.graves.getRow(n3.noteId, GraveKind.Note)).toBeUndefined();
    expect(s.graves.count()).toBe(graves + 7);
    expect(s.config.get(`_deck_${verbs.id}_lastNotetype`)).toBeUndefined();
    expect(s.config.get(`_deck_${other.id}_lastNotetype`)).toBe(basicId(col));

    // undo brings decks, cards and notes back and withdraws the graves
    expect(col.undo().result.op).toBe('Delete Deck');
    expect(names(col)).toEqual(['Default', 'Other', 'Spanish', 'Spanish::Verbs']);
    expect(col.storage.cards.ofNote(n2.noteId).map((c) => [c.id, c.deckId])).toEqual([[n2.cardIds[0], verbs.id]]);
    expect(col.storage.cards.ofNote(n3.noteId)).toHaveLength(2);
    expect(s.graves.count()).toBe(graves);
    expect(s.config.get(`_deck_${verbs.id}_lastNotetype`)).toBe(basicId(col));
    // and redo deletes them again
    col.redo();
    expect(names(col)).toEqual(['Default', 'Other']);
    // (the reversed note now lacks its first card, which Anki's Check Database would add back;
    // undo once more so the file we check is one Anki would not repair)
    col.undo();
    closeAndCheck(e);
  });

  it('never removes deck 1: its cards go and it comes back as "Default" (Anki’s default-deck test)', () => {
    const e = fresh();
    const { col } = e;
    renameDeck(col, 1, 'one::two');
    addDeck(col, 'default');
    const n = addBasic(col, 1, 'card in the real default');
    addDeck(col, 'one::two::three');
    const one = getDeckByName(col, 'one')!;
    expect(removeDecks(col, [one.id]).result).toBe(1);
    expect(names(col)).toEqual(['default', 'Default+']);
    expect(getDeck(col, 1).name).toBe('Default+');
    expect(col.storage.cards.count()).toBe(0);
    expect(col.storage.notes.exists(n.noteId)).toBe(false);
    expect(col.storage.graves.getRow(1, GraveKind.Deck)).toBeUndefined();
    // deleting it directly: same
    removeDecks(col, [1]);
    expect(getDeck(col, 1).name).toBe('Default+');
    closeAndCheck(e);
  });

  it('deletes cards whose home deck is deleted while they sit in a filtered deck, and returns filtered decks’ cards home', () => {
    const e = fresh();
    const { col } = e;
    const home = addDeck(col, 'Home').result;
    const keep = addDeck(col, 'Keep').result;
    const a = addBasic(col, home.id, 'a');
    const b = addBasic(col, keep.id, 'b');
    const f = addFilteredDeck(col, { name: 'Filtered' }).result;
    // pull both cards into the filtered deck the way the scheduler does (new cards: position kept as odue)
    col.transact('build', (tx) => {
      let pos = -100_000;
      for (const id of [a.cardIds[0], b.cardIds[0]]) {
        const c = tx.storage.cards.get(id)!;
        c.originalDeckId = c.deckId;
        c.originalDue = c.due;
        c.deckId = f.id;
        c.due = pos++;
        tx.putCard(c);
      }
    });
    removeDecks(col, [home.id]);
    expect(col.storage.cards.get(a.cardIds[0])).toBeUndefined();
    expect(col.storage.cards.get(b.cardIds[0])!.deckId).toBe(f.id);
    const due = col.storage.cards.get(b.cardIds[0])!.originalDue;
    removeDecks(col, [f.id]);
    const back = col.storage.cards.get(b.cardIds[0])!;
    expect([back.deckId, back.originalDeckId, back.originalDue, back.due, back.queue, back.ctype]).toEqual([keep.id, 0, 0, due, CardQueue.New, CardType.New]);
    expect(names(col)).toEqual(['Default', 'Keep']);
    closeAndCheck(e);
  });
});

describe('tree, collapse, current deck, lookups', () => {
  it('builds the nested tree with collapsed flags and hides an empty Default', () => {
    const e = fresh();
    const { col } = e;
    for (const n of ['1', '2', '2::a', '2::b', '2::c', '2::c::A', '3']) addDeck(col, n);
    let tree = deckTree(col);
    expect(tree.children.map((c) => c.name)).toEqual(['1', '2', '3']);
    const two = tree.children[1];
    expect(two.children.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(two.children[2].children[0]).toMatchObject({ name: 'A', fullName: '2::c::A', level: 3, collapsed: true, browserCollapsed: true, filtered: false });
    // Default is shown when asked, or when it has cards
    expect(deckTree(col, { hideEmptyDefault: false }).children.map((c) => c.name)).toEqual(['1', '2', '3', 'Default']);
    addBasic(col, 1, 'x');
    expect(deckTree(col).children.map((c) => c.name)).toEqual(['1', '2', '3', 'Default']);
    const c = getDeckByName(col, '2::c')!;
    setDeckCollapsed(col, c.id, false);
    setDeckCollapsed(col, c.id, false, 'browser');
    tree = deckTree(col);
    expect(findDeckInTree(tree, c.id)).toMatchObject({ collapsed: false, browserCollapsed: false });
    // a deck whose parent is missing is left out of the tree (as Anki does)
    col.transact('break', (tx) => tx.removeDeck(getDeckByName(col, '2::c')!.id));
    expect(findDeckInTree(deckTree(col), getDeckByName(col, '2::c::A')!.id)).toBeUndefined();
    col.undo();
    // only deck: Default is never hidden
    const e2 = fresh();
    expect(deckTree(e2.col).children.map((n) => n.deckId)).toEqual([1]);
    closeAndCheck(e);
  });

  it('lists names with options, parents and children', () => {
    const e = fresh();
    const { col } = e;
    const c = addDeck(col, 'A::B::C').result;
    addFilteredDeck(col, { name: 'F' });
    expect(deckNames(col, { includeFiltered: false }).map((d) => d.name)).toEqual(['A', 'A::B', 'A::B::C', 'Default']);
    expect(deckNames(col, { skipEmptyDefault: true }).map((d) => d.name)).toEqual(['A', 'A::B', 'A::B::C', 'F']);
    expect(parentDecks(col, c.id).map((d) => d.name)).toEqual(['A::B', 'A']);
    expect(deckAndChildNames(col, getDeckByName(col, 'a')!.id).map((d) => d.name)).toEqual(['A', 'A::B', 'A::B::C']);
    expect(getDeckByName(col, ' a :: b ')!.name).toBe('A::B');
    expect(errorCode(() => getDeck(col, 42))).toBe('not-found');
    // the stored separator U+001F sorts before a space, so subdecks come before "A B" (as in Anki)
    addDeck(col, 'A B');
    expect(names(col).slice(0, 4)).toEqual(['A', 'A::B', 'A::B::C', 'A B']);
    expect(deckTree(col).children.map((n) => n.name).slice(0, 2)).toEqual(['A', 'A B']);
    closeAndCheck(e);
  });

  it('selects the current deck and falls back to Default when it is gone', () => {
    const e = fresh();
    const { col } = e;
    expect(getCurrentDeck(col).id).toBe(1);
    const d = addDeck(col, 'Current').result;
    setCurrentDeck(col, d.id);
    expect(col.storage.config.get('curDeck')).toBe(d.id);
    expect(getCurrentDeck(col).name).toBe('Current');
    expect(errorCode(() => setCurrentDeck(col, 12345))).toBe('not-found');
    // a stale curDeck (written by another program) falls back to Default
    col.transact('stale', (tx) => tx.setConfig('curDeck', 999));
    expect(getCurrentDeckId(col)).toBe(999);
    expect(getCurrentDeck(col).id).toBe(1);
    // deleting the current deck selects Default (Anki leaves curDeck dangling)
    setCurrentDeck(col, d.id);
    removeDecks(col, [d.id]);
    expect(getCurrentDeckId(col)).toBe(1);
    closeAndCheck(e);
  });
});

describe('filtered decks', () => {
  it('are created with Anki’s defaults and searches based on the current deck', () => {
    const e = fresh();
    const { col } = e;
    const d = addDeck(col, 'My Deck').result;
    setCurrentDeck(col, d.id);
    const proposal = newFilteredDeckProposal(col);
    expect(proposal.name).toMatch(/^Filtered Deck \d\d:\d\d$/);
    expect(proposal.config.searchTerms.map((t) => t.search)).toEqual(['"deck:My Deck" is:due', '"deck:My Deck" is:new']);
    const f = addFilteredDeck(col).result;
    expect(f.name).toBe(proposal.name);
    // the automatic name is not one the person typed: a clash gets Anki's "+" (same minute)
    const f2 = addFilteredDeck(col).result;
    if (newFilteredDeckProposal(col).name === f.name) expect(f2.name).toBe(`${f.name}+`);
    const fd = getDeck(col, f.id).kind.filtered!;
    expect(fd.reschedule).toBe(true);
    expect(fd.searchTerms.map((t) => [t.limit, t.order])).toEqual([
      [100, FilteredSearchOrder.Random],
      [20, FilteredSearchOrder.Due],
    ]);
    expect([fd.previewAgainSecs, fd.previewHardSecs, fd.previewGoodSecs]).toEqual([60, 600, 0]);
    expect(Buffer.from(rawDeckRow(col, f.id).common).toString('hex')).toBe('08011001');
    const g = addFilteredDeck(col, { name: 'Cram::Exam', config: { reschedule: false } }).result;
    expect(getDeck(col, g.id).kind.filtered!.reschedule).toBe(false);
    // the missing parent is a normal deck
    expect(getDeckByName(col, 'Cram')!.kind.normal).toBeDefined();
    expect(errorCode(() => addFilteredDeck(col, { name: 'cram::exam' }))).toBe('duplicate-name');
    expect(addFilteredDeck(col, { name: 'cram::exam', onDuplicate: 'suffix' }).result.name).toBe('Cram::exam+');
    closeAndCheck(e);
  });
});
