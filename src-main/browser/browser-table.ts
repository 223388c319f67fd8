// The browser table: Anki's columns (rslib/src/browser_table.rs) for cards mode and notes mode,
// by the keys Anki stores in `activeCols` / `activeNoteCols` / `sortType`, each cell rendered as
// desktop Anki 26.x shows it (English strings from ftl/core), and the row's colour state.
//
// `browserRows` builds only the rows asked for: the table fetches one window of ids at a time, so
// the cost is the window's, never the collection's. Everything a window needs is read with one
// statement per table (storage/browser-store), notetypes and decks once per window, and the
// question/answer are rendered only when one of those columns is shown.

import type { Card } from '../cards/card';
import { CardQueue, CardType } from '../cards/card';
import { cardIdsByNote, noteIdsOfCards } from '../cards/cards-service';
import type { Collection } from '../collection/collection';
import { parseCardData } from '../scheduler/card-data';
import { nowMsOf, timingToday } from '../scheduler/collection-timing';
import { FSRS5_DEFAULT_DECAY } from '../scheduler/fsrs/model';
import type { SchedTimingToday } from '../scheduler/timing';
import { timeSpan } from '../scheduler/timespan';
import { isSortable, type ReturnItemType, type SortColumn } from '../search/search-service';
import { BrowserStore } from '../storage/browser-store';
import { browserColumnTexts } from '../template/card';
import { htmlToTextLine } from '../text/html';
import type { Note } from '../notes/note';
import { isCloze, type Notetype } from '../notetypes/notetype';
import type { Deck } from '../decks/deck';
import { BROWSER_COLUMN_KEYS, type BrowserColumnKey } from './column-keys';

// ---------------------------------------------------------------------------------------------
// Columns

export { BROWSER_COLUMN_KEYS };
export type BrowserColumn = BrowserColumnKey;

export const isBrowserColumn = (k: unknown): k is BrowserColumn => typeof k === 'string' && (BROWSER_COLUMN_KEYS as readonly string[]).includes(k);

/** The columns of a new profile (aqt's BrowserDefaults). */
export const DEFAULT_CARD_COLUMNS: readonly BrowserColumn[] = ['noteFld', 'template', 'cardDue', 'deck'];
export const DEFAULT_NOTE_COLUMNS: readonly BrowserColumn[] = ['noteFld', 'note', 'template', 'noteTags'];

export type ColumnSorting = 'none' | 'ascending' | 'descending';

export interface BrowserColumnInfo {
  key: BrowserColumn;
  cardsLabel: string;
  notesLabel: string;
  cardsTooltip: string;
  notesTooltip: string;
  /** Whether the column sorts, and its direction when first clicked (Anki's `default_order`). */
  sortingCards: ColumnSorting;
  sortingNotes: ColumnSorting;
  alignment: 'start' | 'center';
  /** Question, Answer and Sort Field use the template's browser font in Anki. */
  usesCellFont: boolean;
  /** Stability, Difficulty, Retrievability: only meaningful with FSRS on. */
  fsrs: boolean;
}

const CARDS_LABEL: Record<BrowserColumn, string> = {
  answer: 'Answer',
  cardMod: 'Card Modified',
  template: 'Card Type',
  deck: 'Deck',
  cardDue: 'Due',
  cardEase: 'Ease',
  cardLapses: 'Lapses',
  cardIvl: 'Interval',
  noteCrt: 'Created',
  noteMod: 'Note Modified',
  note: 'Note Type',
  originalPosition: 'Position',
  question: 'Question',
  cardReps: 'Reviews',
  noteFld: 'Sort Field',
  noteTags: 'Tags',
  stability: 'Stability',
  difficulty: 'Difficulty',
  retrievability: 'Retrievability',
};

const NOTES_LABEL: Partial<Record<BrowserColumn, string>> = { template: 'Cards', cardEase: 'Avg. Ease', cardIvl: 'Avg. Interval' };

const CARDS_TOOLTIP: Partial<Record<BrowserColumn, string>> = {
  answer: 'The back side of a card, customisable in the card template editor',
  cardMod: 'The last time changes were made to a card, including reviews, flags and deck changes',
  template: "The name of a card's card template",
  noteMod: 'The last time changes were made to a note, usually field content or tag edits',
  note: "The name of a note's note type",
  question: 'The front side of a card, customisable in the card template editor',
};

function defaultOrder(key: BrowserColumn, notes: boolean): ColumnSorting {
  switch (key) {
    case 'question':
    case 'answer':
      return 'none';
    case 'noteFld':
    case 'noteTags':
    case 'note':
    case 'deck':
      return 'ascending';
    case 'stability':
    case 'difficulty':
    case 'retrievability':
      return notes ? 'none' : 'descending';
    default:
      return 'descending';
  }
}

const START_ALIGNED = new Set<BrowserColumn>(['question', 'answer', 'template', 'deck', 'noteFld', 'note', 'noteTags']);

/** Every column with its labels and sort behaviour, in Anki's menu order (by cards-mode label). */
export function browserColumns(): BrowserColumnInfo[] {
  return BROWSER_COLUMN_KEYS.map((key) => {
    // sortability comes from the search module, which owns the ORDER BY of each column
    const sortable = (mode: ReturnItemType) => isSortable(key as SortColumn, mode);
    const cardsLabel = CARDS_LABEL[key];
    return {
      key,
      cardsLabel,
      notesLabel: NOTES_LABEL[key] ?? cardsLabel,
      cardsTooltip: CARDS_TOOLTIP[key] ?? '',
      notesTooltip: key === 'template' ? 'The number of cards a note has' : cardsLabel,
      sortingCards: sortable('cards') ? defaultOrder(key, false) : 'none',
      sortingNotes: sortable('notes') ? defaultOrder(key, true) : 'none',
      alignment: START_ALIGNED.has(key) ? 'start' : 'center',
      usesCellFont: key === 'question' || key === 'answer' || key === 'noteFld',
      fsrs: key === 'stability' || key === 'difficulty' || key === 'retrievability',
    } satisfies BrowserColumnInfo;
  }).sort((a, b) => (a.cardsLabel < b.cardsLabel ? -1 : a.cardsLabel > b.cardsLabel ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Rows

/** Anki's row colours (BrowserRow.Color). */
export type RowColor = 'default' | 'marked' | 'suspended' | 'buried' | 'flagRed' | 'flagOrange' | 'flagGreen' | 'flagBlue' | 'flagPink' | 'flagTurquoise' | 'flagPurple';
const FLAG_COLORS: RowColor[] = ['default', 'flagRed', 'flagOrange', 'flagGreen', 'flagBlue', 'flagPink', 'flagTurquoise', 'flagPurple'];

export interface BrowserRowView {
  /** Card id (cards mode) or note id (notes mode), as asked for. */
  id: number;
  noteId: number;
  cells: string[];
  color: RowColor;
  /** The first card's flag (cards mode) — 0 in notes mode. */
  flag: number;
  suspended: boolean;
  buried: boolean;
  marked: boolean;
  /**
   * The row could not be built: its card/note is gone ("(deleted)" in every cell), or the note
   * needs Check Database (no cards, missing notetype). Anki shows such rows greyed out.
   */
  disabled: boolean;
  /** The sort field is right-to-left (the Sort Field cell's direction). */
  sortFieldRtl: boolean;
  /** The card template's browser font, when set (Anki's row font). */
  fontName: string;
  fontSize: number;
}

/** Cells longer than this are cut (the table elides them anyway; this bounds the reply). */
export const MAX_CELL_CHARS = 2000;
const DELETED = '(deleted)';
const CHECK_DATABASE = 'Please use the Check Database action, then try again.';

interface WindowContext {
  col: Collection;
  notesMode: boolean;
  timing: SchedTimingToday;
  nowSecs: number;
  notetype: (id: number) => Notetype | undefined;
  deck: (id: number) => Deck | undefined;
}

function memo<K, V>(load: (k: K) => V): (k: K) => V {
  const m = new Map<K, V>();
  return (k) => {
    if (!m.has(k)) m.set(k, load(k));
    return m.get(k)!;
  };
}

/**
 * The rows for a window of ids, in the order asked, each with its cells for `columns`. Ids that
 * no longer exist give disabled "(deleted)" rows, as in Anki.
 */
export function browserRows(col: Collection, ids: readonly number[], columns: readonly BrowserColumn[], mode: ReturnItemType): BrowserRowView[] {
  const store = BrowserStore.of(col.db);
  const nowMs = nowMsOf(col);
  const ctx: WindowContext = {
    col,
    notesMode: mode === 'notes',
    timing: timingToday(col),
    nowSecs: Math.floor(nowMs / 1000),
    notetype: memo((id) => col.storage.notetypes.get(id)),
    deck: memo((id) => col.storage.decks.get(id)),
  };
  let items: { id: number; note: Note | undefined; cards: Card[] }[];
  if (mode === 'notes') {
    const notes = store.notes(ids);
    const cards = store.cardsOfNotes([...notes.keys()]);
    items = ids.map((id) => ({ id, note: notes.get(id), cards: cards.get(id) ?? [] }));
  } else {
    const cards = store.cards(ids);
    const notes = store.notes([...new Set([...cards.values()].map((c) => c.noteId))]);
    items = ids.map((id) => {
      const card = cards.get(id);
      return { id, note: card && notes.get(card.noteId), cards: card ? [card] : [] };
    });
  }
  return items.map((it) => buildRow(ctx, it.id, it.note, it.cards, columns));
}

function disabledRow(id: number, noteId: number, width: number, text: string): BrowserRowView {
  return {
    id,
    noteId,
    cells: Array.from({ length: width }, () => text),
    color: 'default',
    flag: 0,
    suspended: false,
    buried: false,
    marked: false,
    disabled: true,
    sortFieldRtl: false,
    fontName: '',
    fontSize: 0,
  };
}

function buildRow(ctx: WindowContext, id: number, note: Note | undefined, cards: Card[], columns: readonly BrowserColumn[]): BrowserRowView {
  if (!note) return disabledRow(id, 0, columns.length, cards.length ? CHECK_DATABASE : DELETED);
  if (cards.length === 0) return disabledRow(id, note.id, columns.length, CHECK_DATABASE);
  const nt = ctx.notetype(note.notetypeId);
  const deck = ctx.deck(cards[0].deckId);
  if (!nt || !deck || (cards[0].originalDeckId && !ctx.deck(cards[0].originalDeckId))) return disabledRow(id, note.id, columns.length, CHECK_DATABASE);
  const row = new RowContext(ctx, note, cards, nt, deck);
  const first = cards[0];
  const marked = note.tags.some(isMarkedTag);
  const template = row.template();
  return {
    id,
    noteId: note.id,
    cells: columns.map((c) => clip(row.cell(c))),
    color: row.color(marked),
    flag: ctx.notesMode ? 0 : first.flags & 7,
    suspended: !ctx.notesMode && first.queue === CardQueue.Suspended,
    buried: !ctx.notesMode && (first.queue === CardQueue.SchedBuried || first.queue === CardQueue.UserBuried),
    marked,
    disabled: false,
    sortFieldRtl: nt.fields[nt.config.sortFieldIdx]?.config.rtl ?? false,
    fontName: template?.config.browserFontName ?? '',
    fontSize: template?.config.browserFontSize ?? 0,
  };
}

/** Anki's `eq_ignore_ascii_case("marked")`. */
const isMarkedTag = (t: string) => t.length === 6 && t.replace(/[A-Z]/g, (c) => c.toLowerCase()) === 'marked';

const clip = (s: string) => (s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS)}…` : s);

// --- dates, as rslib's TimestampSecs prints them (local time)

const pad = (n: number) => String(n).padStart(2, '0');

/** `%Y-%m-%d` in local time (Anki's `date_string`). */
export function dateString(secs: number): string {
  const d = new Date(secs * 1000);
  if (!Number.isFinite(d.getTime())) return 'invalid date';
  return `${String(d.getFullYear()).padStart(4, '0')}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `%Y-%m-%d @ %H:%M` in local time (Anki's `date_and_time_string`). */
export function dateAndTimeString(secs: number): string {
  const d = new Date(secs * 1000);
  if (!Number.isFinite(d.getTime())) return 'invalid date @ invalid date';
  return `${dateString(secs)} @ ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Rust's `{:.0}` on an f32: the nearest integer, ties to even on the exact binary value. */
function formatPercent(v: number): string {
  const x = Math.fround(v);
  const floor = Math.floor(x);
  const diff = x - floor;
  const n = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return `${n === 0 ? 0 : n}%`;
}

/** Anki's `fsrs::current_retrievability` (FSRS-6 power curve), in f32. */
function currentRetrievability(stability: number, daysElapsed: number, decay: number): number {
  const f = Math.fround;
  const factor = f(f(Math.pow(f(0.9), f(1 / f(-decay)))) - 1);
  return f(Math.pow(f(f(f(f(daysElapsed) / f(stability)) * factor) + 1), f(-decay)));
}

// --- card helpers (Anki's impl Card in browser_table.rs)

const isFilteredCard = (c: Card) => c.originalDeckId !== 0;
const isNewTypeOrQueue = (c: Card) => c.queue === CardQueue.New || c.ctype === CardType.New;
const isUndueQueue = (c: Card) => c.queue < 0;
const originalOrCurrentDue = (c: Card) => (c.originalDeckId > 0 ? c.originalDue : c.due);

function isDueInDays(c: Card): boolean {
  return (
    (c.ctype !== CardType.New && originalOrCurrentDue(c) <= 365_000) ||
    c.queue === CardQueue.DayLearn ||
    c.queue === CardQueue.Review ||
    (c.ctype === CardType.Review && isUndueQueue(c))
  );
}

function dueTime(c: Card, ctx: WindowContext): number | null {
  if (c.queue === CardQueue.Learn) return originalOrCurrentDue(c);
  if (isDueInDays(c)) return ctx.nowSecs + (originalOrCurrentDue(c) - ctx.timing.daysElapsed) * 86_400;
  return null;
}

/** Seconds since the last review, wrapped to u32 as Anki does (`as u32`). */
function secondsSinceLastReview(c: Card, lastReviewTime: number | null, ctx: WindowContext): number | null {
  if (lastReviewTime !== null) return (ctx.nowSecs - lastReviewTime) >>> 0;
  if (isDueInDays(c)) {
    const due = dueTime(c, ctx);
    if (due === null) return null;
    return Math.max(0, ctx.nowSecs - (due - 86_400 * c.interval)) >>> 0;
  }
  return (ctx.nowSecs - originalOrCurrentDue(c)) >>> 0;
}

class RowContext {
  private rendered: { question: string; answer: string } | null = null;

  constructor(
    private readonly ctx: WindowContext,
    private readonly note: Note,
    private readonly cards: Card[],
    private readonly nt: Notetype,
    private readonly deck: Deck,
  ) {}

  template() {
    const templates = this.nt.templates;
    return isCloze(this.nt) ? templates[0] : templates[this.cards[0].ord];
  }

  private render(): { question: string; answer: string } {
    if (!this.rendered) {
      const card = this.cards[0];
      if (!this.template()) {
        this.rendered = { question: CHECK_DATABASE, answer: CHECK_DATABASE };
      } else {
        const home = this.ctx.deck(card.originalDeckId || card.deckId);
        this.rendered = browserColumnTexts({
          notetype: this.nt,
          fields: this.note.fields,
          cardOrd: card.ord,
          deckName: home?.name,
          tags: this.note.tags,
          flags: card.flags,
          cardId: card.id,
        });
      }
    }
    return this.rendered;
  }

  cell(column: BrowserColumn): string {
    const cards = this.cards;
    switch (column) {
      case 'question':
        return this.render().question;
      case 'answer':
        return this.render().answer;
      case 'deck':
        return this.deckStr();
      case 'cardDue':
        return this.ctx.notesMode ? this.noteDueStr() : this.cardDueStr();
      case 'cardEase':
        return this.easeStr();
      case 'cardIvl':
        return this.intervalStr();
      case 'cardLapses':
        return String(cards.reduce((s, c) => s + c.lapses, 0));
      case 'cardReps':
        return String(cards.reduce((s, c) => s + c.reps, 0));
      case 'cardMod':
        return dateAndTimeString(Math.max(...cards.map((c) => c.mtimeSecs)));
      case 'template':
        return this.cardsStr();
      case 'noteCrt':
        return dateAndTimeString(Math.trunc(this.note.id / 1000));
      case 'noteFld':
        return htmlToTextLine(this.note.fields[this.nt.config.sortFieldIdx] ?? '', true);
      case 'noteMod':
        return dateAndTimeString(this.note.mtimeSecs);
      case 'originalPosition':
        return this.originalPosition();
      case 'noteTags':
        return this.note.tags.join(' ');
      case 'note':
        return this.nt.name;
      case 'stability':
        return this.stability();
      case 'difficulty':
        return this.difficulty();
      case 'retrievability':
        return this.retrievability();
    }
  }

  color(marked: boolean): RowColor {
    if (this.ctx.notesMode) return marked ? 'marked' : 'default';
    const card = this.cards[0];
    const flag = card.flags & 7;
    if (flag) return FLAG_COLORS[flag];
    if (marked) return 'marked';
    if (card.queue === CardQueue.Suspended) return 'suspended';
    if (card.queue === CardQueue.UserBuried || card.queue === CardQueue.SchedBuried) return 'buried';
    return 'default';
  }

  private originalPosition(): string {
    const card = this.cards[0];
    const pos = parseCardData(card.data).originalPosition;
    if (pos !== null) return String(pos);
    if (card.ctype === CardType.New) return String(card.due);
    return '';
  }

  private cardDueStr(): string {
    const card = this.cards[0];
    let due: string;
    if (isFilteredCard(card)) due = '(filtered)';
    else if (isNewTypeOrQueue(card)) due = `New #${card.due}`;
    else {
      const time = dueTime(card, this.ctx);
      if (time === null) return '';
      due = dateString(time);
    }
    return isUndueQueue(card) ? `(${due})` : due;
  }

  /** The earliest due date of the note's cards that are not filtered, new, suspended or buried. */
  private noteDueStr(): string {
    let min: number | null = null;
    for (const c of this.cards) {
      if (isFilteredCard(c) || isNewTypeOrQueue(c) || isUndueQueue(c)) continue;
      const t = dueTime(c, this.ctx);
      if (t !== null && (min === null || t < min)) min = t;
    }
    return min === null ? '' : dateString(min);
  }

  /** Average ease of the non-new cards, or "(new)". */
  private easeStr(): string {
    const eases = this.cards.filter((c) => c.ctype !== CardType.New).map((c) => c.easeFactor);
    if (!eases.length) return '(new)';
    return `${Math.trunc(Math.trunc(eases.reduce((a, b) => a + b, 0) / eases.length) / 10)}%`;
  }

  /** The interval (cards) or the average interval of review/relearn cards (notes). */
  private intervalStr(): string {
    if (!this.ctx.notesMode) {
      const t = this.cards[0].ctype;
      if (t === CardType.New) return '(new)';
      if (t === CardType.Learn) return '(learning)';
    }
    const ivls = this.cards.filter((c) => c.ctype === CardType.Review || c.ctype === CardType.Relearn).map((c) => c.interval);
    if (!ivls.length) return '';
    return timeSpan(Math.trunc((ivls.reduce((a, b) => a + b, 0) * 86_400) / ivls.length));
  }

  private deckStr(): string {
    if (this.ctx.notesMode) {
      const decks = new Set(this.cards.map((c) => c.deckId)).size;
      if (decks > 1) return `(${decks})`;
    }
    const odid = this.cards[0].originalDeckId;
    if (odid) return `${this.deck.name} (${this.ctx.deck(odid)?.name ?? ''})`;
    return this.deck.name;
  }

  private cardsStr(): string {
    if (this.ctx.notesMode) return String(this.cards.length);
    const t = this.template();
    if (!t) return '';
    return isCloze(this.nt) ? `${t.name} ${this.cards[0].ord + 1}` : t.name;
  }

  private stability(): string {
    const m = parseCardData(this.cards[0].data).memoryState;
    return m ? timeSpan(Math.fround(m.stability * 86_400)) : '';
  }

  private difficulty(): string {
    const m = parseCardData(this.cards[0].data).memoryState;
    return m ? formatPercent(Math.fround(Math.fround(Math.fround(m.difficulty - 1) / 9) * 100)) : '';
  }

  private retrievability(): string {
    const card = this.cards[0];
    const data = parseCardData(card.data);
    if (!data.memoryState) return '';
    const secs = secondsSinceLastReview(card, data.lastReviewTime, this.ctx);
    if (secs === null) return '';
    const r = currentRetrievability(data.memoryState.stability, Math.fround(Math.fround(secs) / 86_400), data.decay ?? FSRS5_DEFAULT_DECAY);
    return formatPercent(Math.fround(r * 100));
  }
}

/** The cards and notes a selection of rows stands for: a card's note, or all of a note's cards. */
export function browserSelection(col: Collection, mode: ReturnItemType, ids: readonly number[]): { cardIds: number[]; noteIds: number[] } {
  if (mode === 'cards') return { cardIds: [...ids], noteIds: noteIdsOfCards(col, ids) };
  const byNote = cardIdsByNote(col, ids);
  return { cardIds: ids.flatMap((id) => byNote.get(id) ?? []), noteIds: [...ids] };
}
