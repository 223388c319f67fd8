// The data an .apkg carries, gathered from a collection the way Anki's exporter does it
// (import_export/gather.rs) — used by the exporter on the user's collection, and by the importer
// on the package's own collection, so what is stripped without scheduling is the same both ways.

import { type Card, CardQueue, CardType } from '../cards/card';
import { queueFromType } from '../cards/cards-service';
import type { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import type { Tx } from '../collection/tx';
import { getConfig, schedulerVersion } from '../config/config-service';
import type { Deck } from '../decks/deck';
import type { DeckConfig } from '../decks/deck-config';
import { immediateParentName } from '../decks/deck-names';
import type { Note } from '../notes/note';
import type { Notetype } from '../notetypes/notetype';
import { parseCardData, serializeCardData } from '../scheduler/card-data';
import { localMinutesWest, schedTimingToday, type SchedTimingToday } from '../scheduler/timing';
import { cardFromRow } from '../storage/card-store';
import type { RevlogRow } from '../storage/misc-stores';
import { noteFromRow } from '../storage/note-store';
import { PackageStore } from '../storage/package-store';
import { defaultDeckCommon, defaultNormalDeck } from '../storage/proto/codecs';
import { extractLatex } from '../template/latex';
import { extractMediaRefs, extractUnderscoredCssImports, extractUnderscoredReferences } from '../text/media-refs';
import { filenameIsSafe } from './package-format';

type Reader = Collection | Tx;

export interface ExchangeData {
  decks: Deck[];
  notes: Note[];
  cards: Card[];
  notetypes: Notetype[];
  revlog: RevlogRow[];
  deckConfigs: DeckConfig[];
  mediaFilenames: Set<string>;
  /** "Today" of the collection the data came from (review due dates are relative to it). */
  daysElapsed: number;
  creationUtcOffset: number | null;
}

/** Which notes to gather. */
export type NoteSelection = { all: true } | { noteIds: readonly number[] };

const nowMsOf = (r: Reader): number => ('clock' in r ? r.clock.nowMs() : r.nowMs);

/**
 * Anki's `timing_today` for a collection: v1 uses whole days since creation; v2/v3 the rollover
 * hour (4 when unset) with `creationOffset` when present.
 */
export function collectionTimingToday(r: Reader, nowMs = nowMsOf(r)): SchedTimingToday {
  const nowSecs = Math.floor(nowMs / 1000);
  const v1 = schedulerVersion(r) === 1;
  return schedTimingToday({
    crt: r.storage.col.get().crt,
    now: nowSecs,
    creationOffset: getConfig(r, 'creationOffset'),
    currentOffset: localMinutesWest(nowSecs),
    rollover: v1 ? null : getConfig(r, 'rollover'),
  });
}

/** Gathers notes, their cards, decks, notetypes and optionally revlog and deck configs. */
export function gatherData(col: Reader, selection: NoteSelection, withScheduling: boolean, withDeckConfigs: boolean, nowMs = nowMsOf(col)): ExchangeData {
  const store = new PackageStore(col.storage.db);
  const data: ExchangeData = {
    decks: [],
    notes: [],
    cards: [],
    notetypes: [],
    revlog: [],
    deckConfigs: [],
    mediaFilenames: new Set(),
    daysElapsed: collectionTimingToday(col, nowMs).daysElapsed,
    creationUtcOffset: getConfig(col, 'creationOffset'),
  };
  if ('all' in selection) store.setAllNotesSearched();
  else store.setSearchedNotes(selection.noteIds);
  try {
    data.notes = store.searchedNotes().map(noteFromRow);
    data.cards = store.cardsOfSearchedNotes().map(cardFromRow);
    data.decks = gatherDecks(col, store.deckIdsOfSearchedCards(withScheduling), !withScheduling);
    data.notetypes = store
      .notetypeIdsOfSearchedNotes()
      .sort((a, b) => a - b)
      .map((id) => col.storage.notetypes.get(id))
      .filter((nt): nt is Notetype => nt !== undefined)
      .map((nt) => structuredClone(nt));
    const allowFiltered = enablesFilteredDecks(data);
    if (withScheduling) {
      data.revlog = store.revlogOfSearchedCards();
      if (!allowFiltered) restoreCardsFromFilteredDecks(data);
    } else {
      resetCardsAndNotes(data, nextCardPosition(col));
    }
    if (withDeckConfigs) data.deckConfigs = gatherDeckConfigs(col, data.decks, withScheduling);
    resetDecks(data, !withDeckConfigs, !withScheduling, allowFiltered);
  } finally {
    store.clearSearch();
  }
  checkIds(data, nowMs);
  return data;
}

/** The decks of the cards plus every existing parent; deck 1 left out when asked. */
function gatherDecks(col: Reader, deckIds: number[], skipDefault: boolean): Deck[] {
  const decks = [...new Set(deckIds)]
    .sort((a, b) => a - b)
    .map((id) => col.storage.decks.get(id))
    .filter((d): d is Deck => d !== undefined);
  const seen = new Set(decks.map((d) => d.name));
  const parents: Deck[] = [];
  const addParents = (name: string) => {
    const parent = immediateParentName(name);
    if (parent === null || seen.has(parent)) return;
    seen.add(parent);
    const deck = col.storage.decks.byName(parent);
    if (deck) {
      parents.push(deck);
      addParents(parent);
    }
  };
  for (const d of decks) addParents(d.name);
  return [...decks, ...parents].filter((d) => !(skipDefault && d.id === 1));
}

function gatherDeckConfigs(col: Reader, decks: Deck[], withScheduling: boolean): DeckConfig[] {
  const ids: number[] = [];
  for (const d of decks) {
    const id = d.kind.normal ? Number(d.kind.normal.configId) : undefined;
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return ids.map((id) => {
    const conf = col.storage.deckConfigs.get(id);
    if (!conf) throw new DeckhandError('not-found', `deck options preset ${id} not found`);
    if (!withScheduling) {
      conf.config.fsrsParams4 = [];
      conf.config.fsrsParams5 = [];
      conf.config.fsrsParams6 = [];
    }
    return conf;
  });
}

/**
 * True if every card is in a normal deck (and not in a filtered one) or its home deck is
 * exported too; only then may filtered decks stay filtered.
 */
function enablesFilteredDecks(data: ExchangeData): boolean {
  const byId = new Map(data.decks.map((d) => [d.id, d]));
  return data.cards.every((c) => {
    const normal = c.originalDeckId === 0 && byId.get(c.deckId)?.kind.normal !== undefined;
    const homeExists = c.originalDeckId === 1 || byId.has(c.originalDeckId);
    return normal || homeExists;
  });
}

/** Cards leave filtered decks in place: their deck becomes their home (and is made normal). */
function restoreCardsFromFilteredDecks(data: ExchangeData): void {
  for (const card of data.cards) {
    if (card.originalDeckId > 0) {
      card.originalDeckId = card.deckId;
      restoreFromFiltered(card);
    }
  }
}

/** Anki's `remove_from_filtered_deck_restoring_queue`. */
function restoreFromFiltered(card: Card): void {
  if (card.originalDeckId === 0) return;
  card.deckId = card.originalDeckId;
  card.originalDeckId = 0;
  if (card.originalDue !== 0) card.due = card.originalDue;
  if (card.queue >= 0) card.queue = queueFromType(card);
  card.originalDue = 0;
}

/** `nextPos` of a collection (0 when unset, as Anki's config default). */
function nextCardPosition(col: Reader): number {
  const v = col.storage.config.get<number>('nextPos');
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

const SYSTEM_TAGS = ['marked', 'leech'];

function resetCardsAndNotes(data: ExchangeData, firstPosition: number): void {
  for (const note of data.notes) note.tags = note.tags.filter((t) => !SYSTEM_TAGS.includes(t.toLowerCase()));
  let position = firstPosition;
  for (const card of data.cards) {
    const deckId = card.deckId;
    if (scheduleAsNew(card, position)) position++;
    card.flags = 0;
    card.deckId = deckId;
  }
}

/**
 * Anki's `schedule_as_new(position, reset_counts = true, restore_position = true)`: a new card
 * keeps its position, another gets its remembered one (`pos`) or the given one. Returns true if
 * the given position was used.
 */
export function scheduleAsNew(card: Card, position: number): boolean {
  const data = parseCardData(card.data);
  let last: number | null;
  if (card.ctype === CardType.New) last = card.originalDeckId > 0 ? card.originalDue : card.due;
  else last = data.originalPosition;
  // remove_from_filtered_deck_before_reschedule
  if (card.originalDeckId !== 0) {
    card.deckId = card.originalDeckId;
    card.originalDeckId = 0;
    card.originalDue = 0;
  }
  card.due = toU32AsI32(last ?? position);
  card.ctype = CardType.New;
  card.queue = CardQueue.New;
  card.interval = 0;
  card.easeFactor = 0;
  card.reps = 0;
  card.lapses = 0;
  data.originalPosition = null;
  data.memoryState = null;
  card.data = serializeCardData(data);
  return last === null;
}

/** Anki stores the position as u32 and writes it back as i32. */
const toU32AsI32 = (n: number) => (n >>> 0) | 0;

function resetDecks(data: ExchangeData, resetConfigIds: boolean, resetStudyInfo: boolean, allowFiltered: boolean): void {
  for (const deck of data.decks) {
    // the protobuf default (Anki's `Default::default()`): not collapsed, no counters, no `other`
    if (resetStudyInfo) deck.common = { ...defaultDeckCommon(), studyCollapsed: false, browserCollapsed: false };
    const normal = deck.kind.normal;
    if (normal) {
      if (resetConfigIds) normal.configId = 1n;
      if (resetStudyInfo) {
        normal.extendNew = 0;
        normal.extendReview = 0;
        normal.reviewLimit = undefined;
        normal.reviewLimitToday = undefined;
        normal.newLimit = undefined;
        normal.newLimitToday = undefined;
      }
    } else if (deck.kind.filtered && (resetStudyInfo || !allowFiltered)) {
      deck.kind = { normal: { ...defaultNormalDeck(), configId: 1n } };
    }
  }
}

/** Anki refuses to export ids more than a day in the future ("invalid id"). */
function checkIds(data: ExchangeData, nowMs: number): void {
  const tomorrow = nowMs + 86_400_000;
  const bad = data.cards.some((c) => c.id > tomorrow) || data.notes.some((n) => n.id > tomorrow) || data.revlog.some((r) => r.id > tomorrow);
  if (bad) throw new DeckhandError('corrupt', 'Some notes, cards or review entries have ids in the future. Run Check Database (Tools ▸ Check Database) and try again.');
}

/**
 * The media files the data refers to: every file referenced in note fields (sound tags, HTML
 * media tags, generated LaTeX images) and `_`-prefixed files in notetype CSS and templates.
 * Names that are not a single safe path component are skipped.
 */
export function gatherMediaNames(data: ExchangeData, onNote?: () => void): Set<string> {
  const out = data.mediaFilenames;
  const add = (name: string) => {
    if (filenameIsSafe(name)) out.add(name);
  };
  const svg = new Map(data.notetypes.map((nt) => [nt.id, nt.config.latexSvg]));
  for (const note of data.notes) {
    onNote?.();
    const useSvg = svg.get(note.notetypeId) ?? false;
    for (const field of note.fields) {
      for (const ref of extractMediaRefs(field)) add(ref.fnameDecoded);
      for (const latex of extractLatex(field, useSvg).latex) add(latex.fname);
    }
  }
  for (const nt of data.notetypes) {
    for (const name of extractUnderscoredCssImports(nt.config.css)) add(name);
    for (const t of nt.templates) {
      for (const side of [t.config.qFormat, t.config.aFormat]) for (const name of extractUnderscoredReferences(side)) add(name);
    }
  }
  return out;
}

/** The card `data` column as Anki writes it when it stores a card it has read. */
export function normalizedCardData(data: string): string {
  return serializeCardData(parseCardData(data));
}
