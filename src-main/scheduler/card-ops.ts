// Scheduling operations from the browser, the reviewer's "more" menu and AnkiConnect: set due date,
// forget (reset to new), reposition new cards, and direct edits of ease / card columns
// (Anki's scheduler/{reviews,new}.rs, revlog/mod.rs; AnkiConnect's card actions).

import { type Card, CardQueue, CardType } from '../cards/card';
import type { Collection } from '../collection/collection';
import { DeckhandError, invalid, notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { getConfig } from '../config/config-service';
import { SchedStore } from '../storage/sched-store';
import { defaultDeckConfigConfig } from '../storage/proto/codecs';
import { parseCardData } from './card-data';
import { normalizeCardDataForWrite, updateCardData } from './card-write';
import { timingAt } from './collection-timing';
import { asU32, f32, roundHalfAway } from './f32';
import { SchedLookup } from './schedule-input';
import { RevlogReviewKind } from './states/next-states';
import { elapsedDaysSince, isUnixEpochTimestamp } from './timing';

// ---------------------------------------------------------------------------------------------
// shared

/** Random integer in [min, max] (both inclusive). */
export type RandomInt = (min: number, max: number) => number;
const defaultRandomInt: RandomInt = (min, max) => min + Math.floor(Math.random() * (max - min + 1));

function cardsInTx(tx: Tx, cardIds: readonly number[], preserveOrder: boolean): Card[] {
  if (preserveOrder) return SchedStore.of(tx.storage.db).cardsInOrder(cardIds);
  return tx.storage.cards.getMany([...new Set(cardIds)]).sort((a, b) => a.id - b.id);
}

/** A card in a filtered deck keeps its queue position and due elsewhere (Anki's original_or_current_due). */
function originalOrCurrentDue(card: Card): number {
  return card.originalDeckId > 0 ? card.originalDue : card.due;
}

/** Leaves the filtered deck without touching type/queue (Anki's remove_from_filtered_deck_before_reschedule). */
function removeFromFilteredDeckBeforeReschedule(card: Card): void {
  if (card.originalDeckId !== 0) {
    card.deckId = card.originalDeckId;
    card.originalDeckId = 0;
    card.originalDue = 0;
  }
}

/** Anki's last_position: a new card's position, else the recorded original position. */
function lastPosition(card: Card): number | null {
  if (card.ctype === CardType.New) return originalOrCurrentDue(card) >>> 0;
  return parseCardData(card.data).originalPosition;
}

/**
 * A manual revlog row (set due date, forget): button 0, time 0, type Manual; factor is the FSRS
 * difficulty (0.1–1.1, ×1000, truncated) when the card has a memory state, else its ease.
 */
export function logManualReviewInTx(tx: Tx, card: Card, originalInterval: number): void {
  const memory = parseCardData(card.data).memoryState;
  let factor = card.easeFactor;
  if (memory) {
    const shifted = f32(f32(f32(f32(memory.difficulty) - 1) / 9) + f32(0.1));
    factor = Math.min(Math.max(Math.trunc(f32(shifted * 1000)), 0), 0xffff);
  }
  const clampI32 = (n: number) => Math.min(n, 0x7fffffff);
  tx.addRevlog({
    id: SchedStore.of(tx.storage.db).uniqueRevlogId(tx.nowMs),
    cid: card.id,
    usn: -1,
    ease: 0,
    ivl: clampI32(card.interval),
    lastIvl: clampI32(originalInterval),
    factor,
    time: 0,
    type: RevlogReviewKind.Manual,
  });
}

// ---------------------------------------------------------------------------------------------
// set due date

export interface DueDateSpecifier {
  min: number;
  max: number;
  /** "!" — also reset the interval to the new delay. */
  forceReset: boolean;
}

/** Anki's set-due-date syntax: "0" today, "1!" tomorrow and reset the interval, "3-7" a random day in range. */
export function parseDueDateStr(s: string): DueDateSpecifier {
  const m = /^(\d+)(?:-(\d+))?(!)?$/.exec(s);
  const u32 = (t: string | undefined): number | null => {
    if (t === undefined) return null;
    const n = Number(t);
    return Number.isSafeInteger(n) && n <= 0xffffffff ? n : NaN;
  };
  const min = m ? u32(m[1]) : NaN;
  const maxRaw = m ? u32(m[2]) : NaN;
  const max = maxRaw === null ? min : maxRaw;
  if (!m || min === null || Number.isNaN(min) || Number.isNaN(max as number)) throw invalid(`invalid due date “${s}”: use e.g. 0 (today), 1! (tomorrow, reset interval) or 3-7`);
  return { min: Math.min(min, max as number), max: Math.max(min, max as number), forceReset: m[3] !== undefined };
}

export interface SetDueDateOptions {
  /** Remember the input as the browser's or reviewer's default (`setDueBrowser`/`setDueReviewer`). */
  context?: 'browser' | 'reviewer';
  /** Random day source (default Math.random). */
  randomInt?: RandomInt;
}

/**
 * Makes cards due in the given number of days ("0", "1!", "3-7" …), turning non-review cards into
 * review cards, as Anki's set_due_date: new interval = the delay (at least 1) for new/learning
 * cards or with "!", else the current interval (FSRS: days since the last review plus the delay);
 * ease set to the preset's starting ease if the card had none; a Manual revlog row per card.
 */
export function setDueDate(col: Collection, cardIds: readonly number[], days: string, opts: SetDueDateOptions = {}): OpResult<number> {
  const spec = parseDueDateStr(days);
  const randomInt = opts.randomInt ?? defaultRandomInt;
  return col.transact('Set Due Date', (tx) => {
    const timing = timingAt(tx, tx.nowMs);
    const today = timing.daysElapsed;
    const fsrs = getConfig(tx, 'fsrs');
    const lookup = new SchedLookup(tx);
    let n = 0;
    for (const card of cardsInTx(tx, cardIds, false)) {
      const homeId = card.originalDeckId || card.deckId;
      const home = lookup.deck(homeId);
      if (!home) throw notFound(`deck ${homeId}`);
      if (!home.kind.normal) throw invalid('home deck is filtered');
      const initialEase = (lookup.preset(Number(home.kind.normal.configId)) ?? lookup.preset(1) ?? defaultDeckConfigConfig()).initialEase;
      const originalInterval = card.interval;
      const daysFromToday = randomInt(spec.min, spec.max);
      const newDue = today + daysFromToday;
      const data = parseCardData(card.data);
      let interval: number;
      if (fsrs) {
        if (card.queue === CardQueue.New || card.interval === 0) interval = 0;
        else if (data.lastReviewTime !== null) interval = elapsedDaysSince(timing.nextDayAt, data.lastReviewTime) + daysFromToday;
        else {
          let due = originalOrCurrentDue(card);
          if (isUnixEpochTimestamp(due)) due = today + Math.trunc((due - timing.nextDayAt) / 86_400);
          interval = Math.max(card.interval + (newDue - due), 0);
        }
      } else if (spec.forceReset || (card.ctype !== CardType.Review && card.ctype !== CardType.Relearn)) {
        interval = Math.max(daysFromToday, 1);
      } else {
        interval = Math.max(card.interval, 1);
      }
      const ease = Math.min(asU32(roundHalfAway(f32(f32(initialEase) * 1000))), 0xffff);
      // schedule as review
      const position = lastPosition(card);
      removeFromFilteredDeckBeforeReschedule(card);
      card.interval = interval >>> 0;
      card.due = newDue;
      card.ctype = CardType.Review;
      card.queue = CardQueue.Review;
      if (card.easeFactor === 0) card.easeFactor = ease;
      updateCardData(card, (d) => {
        d.originalPosition = position;
      });
      logManualReviewInTx(tx, card, originalInterval);
      tx.putCard(card);
      n++;
    }
    if (opts.context) tx.setConfig(opts.context === 'browser' ? 'setDueBrowser' : 'setDueReviewer', days);
    return n;
  });
}

// ---------------------------------------------------------------------------------------------
// forget / reset

export interface ForgetOptions {
  /** Put cards back at their original new position when known (default true). */
  restorePosition?: boolean;
  /** Reset the review and lapse counts (default false). */
  resetCounts?: boolean;
  /** Write a Manual "reset" revlog row per card (default true). */
  log?: boolean;
  /** Remember the choices as the browser's or reviewer's defaults. */
  context?: 'browser' | 'reviewer';
}

/**
 * Resets cards to new (Anki's reschedule_cards_as_new): back to their original position when
 * restoring and known, else to the end of the new queue (`nextPos`); interval, ease and memory
 * state cleared; reps/lapses optionally reset; a revlog row of type Manual with factor 0.
 */
export function forgetCards(col: Collection, cardIds: readonly number[], opts: ForgetOptions = {}): OpResult<number> {
  const restorePosition = opts.restorePosition ?? true;
  const resetCounts = opts.resetCounts ?? false;
  const log = opts.log ?? true;
  return col.transact('Reset Card', (tx) => {
    let position = getConfig(tx, 'nextPos');
    let n = 0;
    for (const card of cardsInTx(tx, cardIds, true)) {
      const originalInterval = card.interval;
      const last = restorePosition ? lastPosition(card) : null;
      removeFromFilteredDeckBeforeReschedule(card);
      card.due = last ?? position;
      card.ctype = CardType.New;
      card.queue = CardQueue.New;
      card.interval = 0;
      card.easeFactor = 0;
      if (resetCounts) {
        card.reps = 0;
        card.lapses = 0;
      }
      updateCardData(card, (d) => {
        d.originalPosition = null;
        d.memoryState = null;
      });
      if (last === null) position++;
      if (log) logManualReviewInTx(tx, card, originalInterval);
      tx.putCard(card);
      n++;
    }
    if (getConfig(tx, 'nextPos') !== position || tx.storage.config.getRow('nextPos') === undefined) tx.setConfig('nextPos', position);
    if (opts.context === 'browser') {
      tx.setConfig('restorePositionBrowser', restorePosition);
      tx.setConfig('resetCountsBrowser', resetCounts);
    } else if (opts.context === 'reviewer') {
      tx.setConfig('restorePositionReviewer', restorePosition);
      tx.setConfig('resetCountsReviewer', resetCounts);
    }
    return n;
  });
}

// ---------------------------------------------------------------------------------------------
// reposition

/**
 * Deviation: Anki leaves `nextPos` alone when cards are moved to higher positions (its Check
 * Database repairs it later); we move it past the highest new-card position at once, so cards
 * added next never share a position and the file stays one Check Database would not touch.
 */
function keepNextPositionAbove(tx: Tx): void {
  const max = tx.storage.cards.maxNewPosition();
  if (getConfig(tx, 'nextPos') <= max) tx.setConfig('nextPos', max + 1);
}

/** Sets a new card's position (in `odue` when it sits in a filtered deck). False if it is not new. */
function setNewPosition(card: Card, position: number): boolean {
  if (card.ctype === CardType.New) {
    if (card.originalDeckId > 0) card.originalDue = position;
    else card.due = position;
    return true;
  }
  if (card.queue === CardQueue.New) {
    card.due = position;
    return true;
  }
  return false;
}

export interface RepositionOptions {
  /** Shuffle source for `randomize` (default Math.random). */
  random?: () => number;
}

/**
 * Repositions new cards (Anki's sort_cards): notes get consecutive positions start, start+step, …
 * in the order given (or shuffled), siblings sharing their note's position; with `shift`, new
 * cards already at or after `start` move up by step × number of cards first. Non-new cards are
 * left alone. Returns how many cards changed.
 */
export function repositionNewCards(
  col: Collection,
  cardIds: readonly number[],
  start: number,
  step = 1,
  randomize = false,
  shift = false,
  opts: RepositionOptions = {},
): OpResult<number> {
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(step) || step < 1) throw invalid('reposition: start must be ≥ 0 and step ≥ 1 (whole numbers)');
  return col.transact('Reposition', (tx) => {
    tx.setConfig('randomOrderReposition', randomize);
    tx.setConfig('shiftPositionOfExistingCards', shift);
    if (shift) {
      const by = step * cardIds.length;
      for (const card of SchedStore.of(tx.storage.db).newCardsAtOrAbovePosition(start)) {
        setNewPosition(card, (card.due >>> 0) + by);
        normalizeCardDataForWrite(card);
        tx.putCard(card);
      }
    }
    const cards = cardsInTx(tx, cardIds, true);
    const nids: number[] = [];
    const seen = new Set<number>();
    for (const c of cards) {
      if (seen.has(c.noteId)) continue;
      seen.add(c.noteId);
      nids.push(c.noteId);
    }
    if (randomize) shuffle(nids, opts.random ?? Math.random);
    return writeNotePositions(tx, cards, new Map(nids.map((nid, i) => [nid, i * step + start])));
  });
}

/**
 * Renumbers a deck's new cards 1, 2, 3… by note creation (or randomly), as Anki does when a deck's
 * preset changes its new-card insertion order (sort_deck): cards whose current deck is this deck
 * only, no shifting, `nextPos` untouched (but kept above the new positions, see above).
 */
export function sortDeckNewCardsInTx(tx: Tx, deckId: number, random: boolean, rand: () => number = Math.random): number {
  const cards = tx.storage.cards
    .getMany(SchedStore.of(tx.storage.db).cardIdsInDeck(deckId))
    .filter((c) => c.ctype === CardType.New)
    .sort((a, b) => a.id - b.id);
  const nids = [...new Set(cards.map((c) => c.noteId))];
  if (random) shuffle(nids, rand);
  else nids.sort((a, b) => a - b);
  return writeNotePositions(tx, cards, new Map(nids.map((nid, i) => [nid, i + 1])));
}

/** Fisher–Yates, in place, with `random` giving [0, 1). */
function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/**
 * Gives each new card its note's position (0 when the note has none), writes the cards that
 * changed and keeps `nextPos` above the positions. Returns how many cards changed.
 */
function writeNotePositions(tx: Tx, cards: Card[], positionOfNote: ReadonlyMap<number, number>): number {
  let n = 0;
  for (const card of cards) {
    if (setNewPosition(card, positionOfNote.get(card.noteId) ?? 0)) {
      normalizeCardDataForWrite(card);
      tx.putCard(card);
      n++;
    }
  }
  keepNextPositionAbove(tx);
  return n;
}

/** {@link sortDeckNewCardsInTx} as one operation ("Sort Cards"). */
export function sortDeckNewCards(col: Collection, deckId: number, random: boolean): OpResult<number> {
  return col.transact('Sort Cards', (tx) => sortDeckNewCardsInTx(tx, deckId, random));
}

// ---------------------------------------------------------------------------------------------
// direct edits (AnkiConnect)

/** Ease factors in permille, null for missing cards (AnkiConnect getEaseFactors). */
export function getEaseFactors(col: Collection, cardIds: readonly number[]): (number | null)[] {
  return cardIds.map((id) => col.storage.cards.get(id)?.easeFactor ?? null);
}

/**
 * Sets ease factors (permille) card by card; true where the card exists (AnkiConnect
 * setEaseFactors). Values are written as given, like AnkiConnect.
 */
export function setEaseFactors(col: Collection, cardIds: readonly number[], easeFactors: readonly number[]): OpResult<boolean[]> {
  if (easeFactors.length < cardIds.length) throw invalid('list index out of range');
  for (const f of easeFactors) if (!Number.isInteger(f)) throw invalid(`ease factor must be a whole number (permille), got ${String(f)}`);
  return col.transact('Set Ease', (tx) =>
    cardIds.map((id, i) => {
      const card = tx.storage.cards.get(id);
      if (!card) return false;
      card.easeFactor = easeFactors[i];
      normalizeCardDataForWrite(card);
      tx.putCard(card);
      return true;
    }),
  );
}

/** Card columns AnkiConnect's setSpecificValueOfCard only touches with `warning_check`. */
export const PROTECTED_CARD_KEYS: ReadonlySet<string> = new Set(['did', 'id', 'ivl', 'lapses', 'left', 'mod', 'nid', 'odid', 'odue', 'ord', 'queue', 'reps', 'type', 'usn']);

const COLUMN_TO_FIELD: Record<string, keyof Card> = {
  nid: 'noteId',
  did: 'deckId',
  ord: 'ord',
  type: 'ctype',
  queue: 'queue',
  due: 'due',
  ivl: 'interval',
  factor: 'easeFactor',
  reps: 'reps',
  lapses: 'lapses',
  left: 'remainingSteps',
  odue: 'originalDue',
  odid: 'originalDeckId',
  flags: 'flags',
  data: 'data',
};

/**
 * Sets card columns by their Anki names (AnkiConnect setSpecificValueOfCard): due, factor, flags,
 * data, and — the caller having confirmed — did, ivl, lapses, left, odid, odue, ord, queue, reps,
 * type, nid. `id` cannot change; `mod`/`usn` are stamped on save as with any edit.
 */
export function setCardValues(col: Collection, cardId: number, values: Record<string, unknown>): OpResult<Card> {
  return col.transact('Update Card', (tx) => {
    const card = tx.storage.cards.get(cardId);
    if (!card) throw new DeckhandError('not-found', `Card was not found: ${cardId}`);
    for (const [key, value] of Object.entries(values)) {
      if (key === 'mod' || key === 'usn') continue;
      const field = COLUMN_TO_FIELD[key];
      if (!field) throw invalid(`card has no settable column “${key}”`);
      if (field === 'data') {
        if (typeof value !== 'string') throw invalid('data must be a string');
        card.data = value;
      } else {
        const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalid(`${key} must be a whole number`);
        (card as unknown as Record<string, number>)[field] = n;
      }
    }
    if ('did' in values && !tx.storage.decks.getRow(card.deckId)) throw notFound(`deck ${card.deckId}`);
    normalizeCardDataForWrite(card);
    tx.putCard(card);
    keepNextPositionAbove(tx);
    return card;
  });
}

/**
 * AnkiConnect relearnCards: sets cards to relearning in the learning queue (type 3, queue 1),
 * keeping `left`. Deviation: a card whose due is a day number is made due now, so the row stays
 * one Anki accepts (AnkiConnect leaves the day number in a timestamp queue).
 */
export function relearnCards(col: Collection, cardIds: readonly number[]): OpResult<number> {
  return col.transact('Relearn Cards', (tx) => {
    let n = 0;
    for (const card of tx.storage.cards.getMany([...new Set(cardIds)])) {
      card.ctype = CardType.Relearn;
      card.queue = CardQueue.Learn;
      if (card.originalDeckId === 0 && !isUnixEpochTimestamp(card.due)) card.due = tx.nowSecs;
      normalizeCardDataForWrite(card);
      tx.putCard(card);
      n++;
    }
    return n;
  });
}
