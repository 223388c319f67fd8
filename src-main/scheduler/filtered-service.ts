// Filtered decks (build, rebuild, empty) and custom study (Anki's scheduler/filtered/*.rs).

import { type Card, CardQueue } from '../cards/card';
import type { Collection } from '../collection/collection';
import { DeckhandError, invalid, notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { getConfig } from '../config/config-service';
import type { Deck } from '../decks/deck';
import { addFilteredDeckInTx, deckAndChildIds, getDeckByName, newFilteredDeckProposal, updateDeckInTx } from '../decks/decks-service';
import { returnAllCardsInFilteredDeckInTx } from '../decks/filtered-decks';
import { deckSearchText, findCards, normalizeSearch, tagSearchText, type SearchContext } from '../search';
import { FilteredSearchOrder, type FilteredDeck, type FilteredSearchTerm } from '../storage/proto/messages';
import { SchedStore } from '../storage/sched-store';
import { splitTags } from '../tags/canonical';
import { unicaseCompare, unicaseFold } from '../storage/unicase';
import { normalizeCardDataForWrite } from './card-write';
import { timingAt, type Reader } from './collection-timing';
import { deckTreeWithCounts, findCountsNode, type DeckCountsNode } from './deck-counts';
import { addStudiedToday } from './queue/limits';
import type { SchedTimingToday } from './timing';

/** The name Anki gives the deck custom study creates (English). */
export const CUSTOM_STUDY_DECK_NAME = 'Custom Study Session';

/** Where the first card of a rebuilt filtered deck goes; the next ones follow (Anki). */
const FIRST_POSITION = -100_000;

/** The search context of a reader at a time (today, rollover, current deck, learn-ahead). */
export function searchContextFor(r: Reader, timing: SchedTimingToday): SearchContext {
  return {
    today: timing.daysElapsed,
    dayCutoff: timing.nextDayAt,
    nowSecs: timing.now,
    currentDeckId: getConfig(r, 'curDeck'),
    learnAheadSecs: getConfig(r, 'collapseTime'),
    ignoreAccentsInSearch: getConfig(r, 'ignoreAccentsInSearch'),
    normalizeNoteText: getConfig(r, 'normalize_note_text'),
  };
}

/** ORDER BY … LIMIT of one search term (Anki's order_and_limit_for_search). */
export function orderAndLimitForTerm(term: FilteredSearchTerm, timing: SchedTimingToday, fsrs: boolean): string {
  const { daysElapsed: today, nextDayAt, now } = timing;
  let order: string;
  switch (term.order) {
    case FilteredSearchOrder.OldestReviewedFirst:
      order = '(select max(id) from revlog where cid=c.id)';
      break;
    case FilteredSearchOrder.Random:
      order = 'random()';
      break;
    case FilteredSearchOrder.IntervalsAscending:
      order = 'ivl';
      break;
    case FilteredSearchOrder.IntervalsDescending:
      order = 'ivl desc';
      break;
    case FilteredSearchOrder.Lapses:
      order = 'lapses desc';
      break;
    case FilteredSearchOrder.Added:
      order = 'n.id, c.ord';
      break;
    case FilteredSearchOrder.ReverseAdded:
      order = 'n.id desc, c.ord asc';
      break;
    case FilteredSearchOrder.Due:
      order = `(case when c.due > 1000000000 then due else (due - ${today}) * 86400 + ${now} end), c.ord`;
      break;
    case FilteredSearchOrder.RetrievabilityAscending:
    case FilteredSearchOrder.RetrievabilityDescending: {
      const dir = term.order === FilteredSearchOrder.RetrievabilityAscending ? 'asc' : 'desc';
      // Anki writes an empty clause (a syntax error) without FSRS; we fall back to the tie-break only
      order = fsrs ? `extract_fsrs_retrievability(c.data, case when c.odue !=0 then c.odue else c.due end, ivl, ${today}, ${nextDayAt}, ${now}) ${dir}` : '';
      break;
    }
    case FilteredSearchOrder.RelativeOverdueness:
      order = `extract_fsrs_relative_retrievability(data, case when odue !=0 then odue else due end, ivl, ${today}, ${nextDayAt}, ${now}) asc`;
      break;
    default:
      order = 'random()';
  }
  const limit = Math.max(0, Math.trunc(term.limit)) >>> 0;
  return `${order ? `${order}, ` : ''}fnvhash(c.id, c.mod) limit ${limit}`;
}

/** Moves a card into a filtered deck (Anki's move_into_filtered_deck). False if it has an odue already. */
function moveIntoFilteredDeck(card: Card, deckId: number, reschedule: boolean, position: number): boolean {
  if (card.originalDue !== 0) return false;
  card.originalDeckId = card.deckId;
  card.deckId = deckId;
  card.originalDue = card.due;
  if (!reschedule) card.queue = CardQueue.Review;
  if (card.due > 0) card.due = position;
  return true;
}

/** Empties the deck and fills it from its searches (at most the first two terms). Returns the card count. */
export function rebuildFilteredDeckInTx(tx: Tx, deck: Deck): number {
  const config = deck.kind.filtered;
  if (!config) throw invalid(`“${deck.name}” is not a filtered deck`);
  returnAllCardsInFilteredDeckInTx(tx, deck);
  const timing = timingAt(tx, tx.nowMs);
  const ctx = searchContextFor(tx, timing);
  const fsrs = getConfig(tx, 'fsrs');
  let position = FIRST_POSITION;
  for (const term of config.searchTerms.slice(0, 2)) {
    const search = `${term.search.trim() ? `(${term.search})` : ''} -is:suspended -is:buried -deck:filtered`;
    const ids = findCards(tx.storage.db, search, ctx, { kind: 'custom', orderBy: orderAndLimitForTerm(term, timing, fsrs) });
    for (const card of SchedStore.of(tx.storage.db).cardsInOrder(ids)) {
      if (moveIntoFilteredDeck(card, deck.id, config.reschedule, position)) {
        normalizeCardDataForWrite(card);
        tx.putCard(card);
      }
      position++;
    }
  }
  return position - FIRST_POSITION;
}

export interface FilteredDeckForUpdate {
  /** 0 to add a new filtered deck. */
  id: number;
  name: string;
  config: FilteredDeck;
  /** Keep the deck even when its searches match no card (default false: refuse, as Anki). */
  allowEmpty?: boolean;
}

/** An existing filtered deck's settings, or Anki's proposal for a new one (id 0). */
export function getOrProposeFilteredDeck(col: Collection, deckId = 0): FilteredDeckForUpdate {
  if (deckId === 0) {
    const p = newFilteredDeckProposal(col);
    return { id: 0, name: p.name, config: p.config };
  }
  const deck = col.storage.decks.get(deckId);
  if (!deck) throw notFound(`deck ${deckId}`);
  if (!deck.kind.filtered) throw invalid(`“${deck.name}” is not a filtered deck`);
  return { id: deck.id, name: deck.name, config: deck.kind.filtered };
}

export const NO_MATCHING_CARDS = 'No cards matched the criteria you provided.';

export interface FilteredDeckResult {
  deckId: number;
  /** Cards pulled in. */
  cardCount: number;
}

/** Adds or updates a filtered deck and builds it, inside a transaction. */
export function addOrUpdateFilteredDeckInTx(tx: Tx, update: FilteredDeckForUpdate, onDuplicate: 'error' | 'suffix' = 'error'): FilteredDeckResult {
  if (update.config.searchTerms.length === 0) throw invalid('a filtered deck needs at least one search');
  // the searches must parse; they are stored in normalised form, as Anki does
  const config = structuredClone(update.config);
  for (const term of config.searchTerms) term.search = normalizeSearch(term.search);
  let deck: Deck;
  if (update.id === 0) {
    deck = addFilteredDeckInTx(tx, { name: update.name, config, onDuplicate });
  } else {
    const existing = tx.storage.decks.get(update.id);
    if (!existing) throw notFound(`deck ${update.id}`);
    if (!existing.kind.filtered) throw invalid(`“${existing.name}” is not a filtered deck`);
    deck = updateDeckInTx(tx, { ...existing, name: update.name, kind: { filtered: config } }, onDuplicate);
  }
  const cardCount = rebuildFilteredDeckInTx(tx, deck);
  if (cardCount === 0 && !update.allowEmpty) throw new DeckhandError('invalid-input', NO_MATCHING_CARDS);
  if (tx.storage.config.get('curDeck') !== deck.id) tx.setConfig('curDeck', deck.id);
  return { deckId: deck.id, cardCount };
}

/**
 * Adds (id 0) or updates a filtered deck and (re)builds it; it becomes the current deck. Refused,
 * with nothing changed, when the searches match no card (unless `allowEmpty`).
 */
export function addOrUpdateFilteredDeck(col: Collection, update: FilteredDeckForUpdate, opts: { onDuplicate?: 'error' | 'suffix' } = {}): OpResult<FilteredDeckResult> {
  return col.transact('Build Filtered Deck', (tx) => addOrUpdateFilteredDeckInTx(tx, update, opts.onDuplicate));
}

/** "Rebuild": returns the deck's cards home and pulls in what its searches match now. */
export function rebuildFilteredDeck(col: Collection, deckId: number): OpResult<number> {
  return col.transact('Rebuild', (tx) => {
    const deck = tx.storage.decks.get(deckId);
    if (!deck) throw notFound(`deck ${deckId}`);
    return rebuildFilteredDeckInTx(tx, deck);
  });
}

/** "Empty": returns every card of a filtered deck to its home deck. Returns how many. */
export function emptyFilteredDeck(col: Collection, deckId: number): OpResult<number> {
  return col.transact('Empty', (tx) => {
    const deck = tx.storage.decks.get(deckId);
    if (!deck) throw notFound(`deck ${deckId}`);
    if (!deck.kind.filtered) throw invalid(`“${deck.name}” is not a filtered deck`);
    return returnAllCardsInFilteredDeckInTx(tx, deck);
  });
}

// ---------------------------------------------------------------------------------------------
// custom study

/** A tiny version of Anki's SearchBuilder, enough to write the searches custom study creates. */
type Tok = 'and' | 'or' | { text: string };
class SearchBuilder {
  constructor(readonly nodes: Tok[] = []) {}
  static of(...texts: string[]): SearchBuilder {
    return SearchBuilder.all(texts);
  }
  static all(texts: readonly string[]): SearchBuilder {
    return new SearchBuilder(texts.flatMap((t, i) => (i ? ['and' as const, { text: t }] : [{ text: t }])));
  }
  static any(texts: readonly string[]): SearchBuilder {
    return new SearchBuilder(texts.flatMap((t, i) => (i ? ['or' as const, { text: t }] : [{ text: t }])));
  }
  private group(): SearchBuilder {
    return this.nodes.length > 1 ? new SearchBuilder([{ text: `(${this.write()})` }]) : this;
  }
  private join(other: SearchBuilder, op: 'and' | 'or', group: boolean): SearchBuilder {
    const a = group ? this.group() : this;
    const b = group ? other.group() : other;
    return new SearchBuilder([...a.nodes, ...(a.nodes.length && b.nodes.length ? [op] : []), ...b.nodes]);
  }
  and(other: SearchBuilder): SearchBuilder {
    return this.join(other, 'and', true);
  }
  andFlat(other: SearchBuilder): SearchBuilder {
    return this.join(other, 'and', false);
  }
  write(): string {
    return this.nodes.map((n) => (n === 'and' ? ' ' : n === 'or' ? ' OR ' : n.text)).join('');
  }
}

export type CramKind = 'new' | 'due' | 'review' | 'all';

export type CustomStudyRequest =
  /** Increase (or with a negative value decrease) today's new card limit. */
  | { kind: 'newLimitDelta'; delta: number }
  /** Increase today's review limit. */
  | { kind: 'reviewLimitDelta'; delta: number }
  /** Review cards answered Again in the last `days` days. */
  | { kind: 'forgotDays'; days: number }
  /** Review ahead: cards due in the next `days` days. */
  | { kind: 'reviewAheadDays'; days: number }
  /** Preview new cards added in the last `days` days. */
  | { kind: 'previewDays'; days: number }
  /** Study by card state or tag. */
  | { kind: 'cram'; cramKind: CramKind; cardLimit: number; tagsToInclude?: string[]; tagsToExclude?: string[] };

function customStudyConfig(reschedule: boolean, search: string, order: FilteredSearchOrder, limit?: number): FilteredDeck {
  return {
    reschedule,
    searchTerms: [{ search, limit: limit ?? 99_999, order }],
    delays: [],
    previewDelay: 10,
    previewAgainSecs: 60,
    previewHardSecs: 600,
    previewGoodSecs: 0,
  };
}

/** The filtered-deck settings custom study uses for a request on a deck (Anki's *_config functions). */
export function customStudyDeckConfig(deckName: string, req: CustomStudyRequest): FilteredDeck {
  const deck = SearchBuilder.of(deckSearchText(deckName));
  switch (req.kind) {
    case 'forgotDays':
      return customStudyConfig(false, SearchBuilder.of(`rated:${req.days >>> 0}:1`).and(deck).write(), FilteredSearchOrder.Random);
    case 'reviewAheadDays':
      return customStudyConfig(true, SearchBuilder.of(`prop:due<=${req.days >>> 0}`).and(deck).write(), FilteredSearchOrder.Due);
    case 'previewDays':
      return customStudyConfig(false, SearchBuilder.of('is:new').andFlat(SearchBuilder.of(`added:${req.days >>> 0}`)).andFlat(deck).write(), FilteredSearchOrder.Added);
    case 'cram': {
      const [reschedule, nodes, order] =
        req.cramKind === 'new'
          ? [true, SearchBuilder.of('is:new'), FilteredSearchOrder.Added]
          : req.cramKind === 'due'
            ? [true, SearchBuilder.of('is:due'), FilteredSearchOrder.Due]
            : req.cramKind === 'review'
              ? [true, SearchBuilder.of('-is:new'), FilteredSearchOrder.Random]
              : [false, new SearchBuilder(), FilteredSearchOrder.Random];
      const include = SearchBuilder.any((req.tagsToInclude ?? []).map(tagSearchText));
      const exclude = SearchBuilder.all((req.tagsToExclude ?? []).map((t) => `-${tagSearchText(t)}`));
      const search = nodes.and(deck).andFlat(include.and(exclude)).write();
      return customStudyConfig(reschedule, search, order, req.cardLimit >>> 0);
    }
    default:
      throw invalid(`custom study ${req.kind} does not create a filtered deck`);
  }
}

/** Lowers/raises today's "studied" counters so more (or fewer) cards are allowed (Anki's extend_limits). */
export function extendLimitsInTx(tx: Tx, deckId: number, newDelta: number, reviewDelta: number): void {
  const today = timingAt(tx, tx.nowMs).daysElapsed;
  const deck = tx.storage.decks.get(deckId);
  if (!deck) return;
  const decks = [deck];
  if (getConfig(tx, 'applyAllParentLimits')) {
    const parts = deck.name.split('::');
    for (let i = parts.length - 1; i > 0; i--) {
      const parent = tx.storage.decks.byName(parts.slice(0, i).join('::'));
      if (!parent) break;
      decks.push(parent);
    }
  }
  for (const d of decks) {
    addStudiedToday(d, today, { new: -newDelta, review: -reviewDelta });
    tx.putDeck(d);
  }
}

function customStudyKey(deckId: number, key: 'customStudyIncludeTags' | 'customStudyExcludeTags'): string {
  return `_deck_${deckId}_${key}`;
}

export interface CustomStudyResult {
  /** The "Custom Study Session" deck, when one was built. */
  filteredDeckId: number | null;
  cardCount: number;
}

/**
 * Custom study on a deck, as Anki's dialog does: extend today's new/review limit (and remember the
 * amount in `extendNew`/`extendReview`), or (re)build the "Custom Study Session" filtered deck for
 * forgotten cards, review ahead, preview new cards, or cards by state/tags. A normal deck with that
 * name is an error; a search matching nothing is an error and changes nothing.
 */
export function customStudy(col: Collection, deckId: number, req: CustomStudyRequest): OpResult<CustomStudyResult> {
  return col.transact('Custom Study', (tx) => {
    const deck = tx.storage.decks.get(deckId);
    if (!deck) throw notFound(`deck ${deckId}`);
    if (req.kind === 'newLimitDelta' || req.kind === 'reviewLimitDelta') {
      if (!deck.kind.normal) throw invalid(`“${deck.name}” is a filtered deck`);
      const delta = Math.trunc(req.delta) | 0;
      extendLimitsInTx(tx, deck.id, req.kind === 'newLimitDelta' ? delta : 0, req.kind === 'reviewLimitDelta' ? delta : 0);
      if (delta > 0) {
        const fresh = tx.storage.decks.get(deck.id)!;
        if (req.kind === 'newLimitDelta') fresh.kind.normal!.extendNew = delta;
        else fresh.kind.normal!.extendReview = delta;
        updateDeckInTx(tx, fresh, 'suffix');
      }
      return { filteredDeckId: null, cardCount: 0 };
    }
    const config = customStudyDeckConfig(deck.name, req);
    const existing = tx.storage.decks.byName(CUSTOM_STUDY_DECK_NAME);
    if (existing && !existing.kind.filtered) throw invalid(`Rename the existing “${CUSTOM_STUDY_DECK_NAME}” deck first.`);
    const result = addOrUpdateFilteredDeckInTx(tx, { id: existing?.id ?? 0, name: CUSTOM_STUDY_DECK_NAME, config }, 'suffix');
    if (req.kind === 'cram') {
      tx.setConfig(customStudyKey(deck.id, 'customStudyIncludeTags'), req.tagsToInclude ?? []);
      tx.setConfig(customStudyKey(deck.id, 'customStudyExcludeTags'), req.tagsToExclude ?? []);
    }
    return { filteredDeckId: result.deckId, cardCount: result.cardCount };
  });
}

export interface CustomStudyDefaults {
  extendNew: number;
  extendReview: number;
  /** New / review cards due in this deck alone (before limits), and in its subdecks. */
  availableNew: number;
  availableNewInChildren: number;
  availableReview: number;
  availableReviewInChildren: number;
  /** Tags of the deck's notes (case-insensitively unique and sorted), with the last include/exclude choice. */
  tags: { name: string; include: boolean; exclude: boolean }[];
}

/** What the custom study dialog starts with (Anki's custom_study_defaults). */
export function customStudyDefaults(col: Collection, deckId: number): CustomStudyDefaults {
  const deck = col.storage.decks.get(deckId);
  if (!deck) throw notFound(`deck ${deckId}`);
  if (!deck.kind.normal) throw invalid(`“${deck.name}” is a filtered deck`);
  const node = findCountsNode(deckTreeWithCounts(col, { hideEmptyDefault: false }), deckId);
  if (!node) throw notFound(`deck ${deckId}`);
  const total = (n: DeckCountsNode, f: (n: DeckCountsNode) => number): number => f(n) + n.children.reduce((a, c) => a + total(c, f), 0);
  const stored = (key: 'customStudyIncludeTags' | 'customStudyExcludeTags') => {
    const v = col.storage.config.get<unknown>(customStudyKey(deckId, key));
    return new Set(Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []);
  };
  const include = stored('customStudyIncludeTags');
  const exclude = stored('customStudyExcludeTags');
  const tags = new Map<string, string>();
  for (const s of SchedStore.of(col.storage.db).noteTagsInDecks(deckAndChildIds(col, deckId))) {
    for (const t of splitTags(s)) if (!tags.has(unicaseFold(t))) tags.set(unicaseFold(t), t);
  }
  return {
    extendNew: deck.kind.normal.extendNew,
    extendReview: deck.kind.normal.extendReview,
    availableNew: node.newUncapped,
    availableNewInChildren: total(node, (n) => n.newUncapped) - node.newUncapped,
    availableReview: node.reviewUncapped,
    availableReviewInChildren: total(node, (n) => n.reviewUncapped) - node.reviewUncapped,
    tags: [...tags.values()].sort(unicaseCompare).map((name) => ({ name, include: include.has(name), exclude: exclude.has(name) })),
  };
}

/** A filtered deck by name (helper for adapters). */
export function filteredDeckByName(r: Reader, name: string): Deck | undefined {
  const d = getDeckByName(r, name);
  return d?.kind.filtered ? d : undefined;
}

