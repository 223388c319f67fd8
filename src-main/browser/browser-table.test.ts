// The browser table's cells against Anki's texts (rslib browser_table.rs with the English ftl):
// new / learning / review / suspended / buried / filtered cards, notes mode aggregates, colours,
// rendered question/answer, deleted rows; and sorting through the search module.
import { afterEach, describe, expect, it } from 'vitest';
import { CardQueue, CardType } from '../cards/card';
import { addFilteredDeck } from '../decks/decks-service';
import { addNote } from '../notes/notes-service';
import { serializeCardData, emptyCardData } from '../scheduler/card-data';
import { timingToday } from '../scheduler/collection-timing';
import { findCards, findNotes, searchContextFromDb } from '../search/search-service';
import { OriginalStockKind } from '../storage/proto/messages';
import { addCards, card, closeAll, deck, editCards, freshCollection, notetypeId } from '../scheduler/test-support/fixture';
import { browserColumns, browserRows, dateAndTimeString, dateString, type BrowserColumn } from './browser-table';

afterEach(closeAll);

const row = (f: ReturnType<typeof freshCollection>, id: number, columns: BrowserColumn[], mode: 'cards' | 'notes' = 'cards') => browserRows(f.col, [id], columns, mode)[0];

describe('browser columns', () => {
  it("lists Anki's columns by label with sortability from the search module", () => {
    const cols = browserColumns();
    expect(cols.map((c) => c.cardsLabel)).toEqual([
      'Answer',
      'Card Modified',
      'Card Type',
      'Created',
      'Deck',
      'Difficulty',
      'Due',
      'Ease',
      'Interval',
      'Lapses',
      'Note Modified',
      'Note Type',
      'Position',
      'Question',
      'Retrievability',
      'Reviews',
      'Sort Field',
      'Stability',
      'Tags',
    ]);
    const by = Object.fromEntries(cols.map((c) => [c.key, c]));
    expect(by.question.sortingCards).toBe('none');
    expect(by.noteFld.sortingCards).toBe('ascending');
    expect(by.cardDue.sortingCards).toBe('descending');
    expect(by.stability.sortingCards).toBe('descending');
    expect(by.stability.sortingNotes).toBe('none');
    expect(by.template.notesLabel).toBe('Cards');
    expect(by.cardEase.notesLabel).toBe('Avg. Ease');
    expect(by.cardIvl.notesLabel).toBe('Avg. Interval');
  });
});

describe('cards mode cells', () => {
  it('new card: "New #pos", "(new)" ease and interval, position, counts, sort field, dates', () => {
    const f = freshCollection();
    const [[cid]] = addCards(f.col, 1, 1, { prefix: '<b>Bold</b>&nbsp;text' });
    const c = card(f.col, cid);
    const r = row(f, cid, ['noteFld', 'template', 'cardDue', 'deck', 'cardEase', 'cardIvl', 'cardReps', 'cardLapses', 'originalPosition', 'note', 'noteCrt', 'cardMod']);
    expect(r.cells).toEqual([
      'Bold text front 0',
      'Card 1',
      `New #${c.due}`,
      'Default',
      '(new)',
      '(new)',
      '0',
      '0',
      String(c.due),
      'Basic',
      dateAndTimeString(Math.trunc(c.noteId / 1000)),
      dateAndTimeString(c.mtimeSecs),
    ]);
    expect(r.cells[10]).toMatch(/^\d{4}-\d\d-\d\d @ \d\d:\d\d$/);
    expect(r.color).toBe('default');
    expect(r.disabled).toBe(false);
  });

  it('learning and review cards: due dates, "(learning)", interval and ease texts', () => {
    const f = freshCollection();
    const [[learn], [review], [relearn]] = addCards(f.col, 1, 3);
    const today = timingToday(f.col).daysElapsed;
    const now = Math.floor(f.clock.ms / 1000);
    editCards(f.col, [learn], (c) => Object.assign(c, { ctype: CardType.Learn, queue: CardQueue.Learn, due: now + 600, easeFactor: 0 }));
    editCards(f.col, [review], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today + 5, interval: 45, easeFactor: 2500, reps: 7, lapses: 1 }));
    editCards(f.col, [relearn], (c) => Object.assign(c, { ctype: CardType.Relearn, queue: CardQueue.Learn, due: now + 60, interval: 1, easeFactor: 2310 }));
    const cols: BrowserColumn[] = ['cardDue', 'cardIvl', 'cardEase', 'cardReps', 'cardLapses', 'originalPosition'];
    // a learning card is not new: its (zero) ease is averaged in, as Anki shows it
    expect(row(f, learn, cols).cells).toEqual([dateString(now + 600), '(learning)', '0%', '0', '0', '']);
    expect(row(f, review, cols).cells).toEqual([dateString(now + 5 * 86_400), '1.5 months', '250%', '7', '1', '']);
    expect(row(f, relearn, cols).cells).toEqual([dateString(now + 60), '1 day', '231%', '0', '0', '']);
  });

  it('suspended and buried cards: due in parentheses, row colours; flag beats marked beats suspended', () => {
    const f = freshCollection();
    const [[susp], [buried], [flagged]] = addCards(f.col, 1, 3, { tags: [] });
    const today = timingToday(f.col).daysElapsed;
    const now = Math.floor(f.clock.ms / 1000);
    editCards(f.col, [susp], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Suspended, due: today + 2, interval: 3, easeFactor: 2500 }));
    editCards(f.col, [buried], (c) => Object.assign(c, { queue: CardQueue.UserBuried }));
    editCards(f.col, [flagged], (c) => Object.assign(c, { queue: CardQueue.Suspended, flags: 3 }));
    const s = row(f, susp, ['cardDue']);
    expect(s.cells).toEqual([`(${dateString(now + 2 * 86_400)})`]);
    expect([s.color, s.suspended]).toEqual(['suspended', true]);
    const b = row(f, buried, ['cardDue']);
    expect(b.cells[0]).toMatch(/^\(New #\d+\)$/);
    expect([b.color, b.buried]).toEqual(['buried', true]);
    const g = row(f, flagged, ['cardDue']);
    expect([g.color, g.flag]).toEqual(['flagGreen', 3]);
  });

  it('marked notes colour the row; a card in a filtered deck shows "(filtered)" and "Filtered (Home)"', () => {
    const f = freshCollection();
    const home = deck(f.col, 'Home');
    const [[a], [b]] = addCards(f.col, home, 2, { tags: ['Marked'] });
    const filtered = addFilteredDeck(f.col, { name: 'Cram' }).result.id;
    editCards(f.col, [b], (c) => Object.assign(c, { originalDeckId: c.deckId, deckId: filtered, originalDue: c.due }));
    expect(row(f, a, ['deck']).color).toBe('marked');
    expect(row(f, b, ['cardDue', 'deck']).cells).toEqual(['(filtered)', 'Cram (Home)']);
  });

  it('question and answer: browser templates, HTML stripped, the question cut from the answer', () => {
    const f = freshCollection();
    const nt = notetypeId(f.col, OriginalStockKind.Basic);
    const { cardIds } = addNote(f.col, { notetypeId: nt, deckId: 1, fields: ['What is <i>2+2</i>?', '4<br>four [sound:x.mp3]'] }).result;
    expect(row(f, cardIds[0], ['question', 'answer']).cells).toEqual(['What is 2+2?', '4 four 🔉x.mp3🔉']);
  });

  it('cloze card type is "Cloze N"; ids that no longer exist give disabled "(deleted)" rows', () => {
    const f = freshCollection();
    const nt = notetypeId(f.col, OriginalStockKind.Cloze);
    const { cardIds } = addNote(f.col, { notetypeId: nt, deckId: 1, fields: ['{{c1::a}} {{c2::b}}', ''] }).result;
    const rows = browserRows(f.col, [cardIds[1], 12345], ['template', 'noteFld'], 'cards');
    // the sort field is the field's text, clozes and all
    expect(rows[0].cells).toEqual(['Cloze 2', '{{c1::a}} {{c2::b}}']);
    expect(rows[1]).toMatchObject({ id: 12345, disabled: true, cells: ['(deleted)', '(deleted)'] });
  });

  it('FSRS columns from the memory state in card data', () => {
    const f = freshCollection();
    const [[cid]] = addCards(f.col, 1, 1);
    const today = timingToday(f.col).daysElapsed;
    const now = Math.floor(f.clock.ms / 1000);
    editCards(f.col, [cid], (c) => {
      const data = emptyCardData();
      data.memoryState = { stability: 10, difficulty: 5.5 };
      data.lastReviewTime = now - 10 * 86_400;
      Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today, interval: 10, easeFactor: 2500, data: serializeCardData(data) });
    });
    expect(row(f, cid, ['stability', 'difficulty', 'retrievability']).cells).toEqual(['10 days', '50%', '90%']);
  });
});

describe('notes mode cells', () => {
  it('card count, decks "(N)", averages over non-new cards, earliest due of due-able cards', () => {
    const f = freshCollection();
    const other = deck(f.col, 'Other');
    const [[c1, c2]] = addCards(f.col, 1, 1, { reversed: true });
    const today = timingToday(f.col).daysElapsed;
    const now = Math.floor(f.clock.ms / 1000);
    editCards(f.col, [c1], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today + 3, interval: 4, easeFactor: 2500, reps: 2 }));
    editCards(f.col, [c2], (c) => Object.assign(c, { ctype: CardType.Review, queue: CardQueue.Review, due: today + 1, interval: 2, easeFactor: 2000, reps: 3, deckId: other }));
    const nid = card(f.col, c1).noteId;
    const r = row(f, nid, ['noteFld', 'template', 'deck', 'cardEase', 'cardIvl', 'cardReps', 'cardDue', 'note', 'noteTags'], 'notes');
    expect(r.cells).toEqual(['d1 front 0', '2', '(2)', '225%', '3 days', '5', dateString(now + 86_400), 'Basic (and reversed card)', '']);
    expect(r.id).toBe(nid);
    expect(r.noteId).toBe(nid);
    // a new note: "(new)" ease, no interval, no due
    const [[n1]] = addCards(f.col, 1, 1, { prefix: 'fresh' });
    expect(row(f, card(f.col, n1).noteId, ['cardEase', 'cardIvl', 'cardDue'], 'notes').cells).toEqual(['(new)', '', '']);
  });
});

describe('sorting through the search module', () => {
  it('sort field ascending and reversed, due column, notes mode', () => {
    const f = freshCollection();
    const nt = notetypeId(f.col, OriginalStockKind.Basic);
    for (const w of ['banana', 'Apple', 'cherry']) addNote(f.col, { notetypeId: nt, deckId: 1, fields: [w, ''] });
    const ctx = searchContextFromDb(f.col.db, Math.floor(f.clock.ms / 1000));
    const cells = (ids: number[], mode: 'cards' | 'notes') => browserRows(f.col, ids, ['noteFld'], mode).map((r) => r.cells[0]);
    expect(cells(findCards(f.col.db, '', ctx, { kind: 'builtin', column: 'noteFld' }), 'cards')).toEqual(['Apple', 'banana', 'cherry']);
    expect(cells(findCards(f.col.db, '', ctx, { kind: 'builtin', column: 'noteFld', reverse: true }), 'cards')).toEqual(['cherry', 'banana', 'Apple']);
    expect(cells(findNotes(f.col.db, '', ctx, { kind: 'builtin', column: 'noteFld' }), 'notes')).toEqual(['Apple', 'banana', 'cherry']);
    const byDue = browserRows(f.col, findCards(f.col.db, '', ctx, { kind: 'builtin', column: 'cardDue' }), ['cardDue'], 'cards').map((r) => r.cells[0]);
    const positions = f.col.storage.cards
      .getMany(findCards(f.col.db, '', ctx))
      .map((c) => c.due)
      .sort((a, b) => a - b);
    expect(byDue).toEqual(positions.map((p) => `New #${p}`));
  });
});
