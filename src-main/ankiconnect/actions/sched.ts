/**
 * Actions over the scheduler service: answering, forgetting, due dates, the review log
 * (intervals, due checks, statistics), deck due counts, and cardsInfo (which reports the answer
 * buttons' interval labels).
 */
import { gatherAndRenderCard } from '../../cards/card-render';
import { cardsById } from '../../cards/cards-service';
import type { Collection } from '../../collection/collection';
import { getOrCreateDeckInTx } from '../../decks/decks-service';
import { notesById } from '../../notes/notes-service';
import {
  answerCards as answerCardsService,
  areDue as areDueService,
  cardReviews as cardReviewsService,
  deckTreeWithCounts,
  forgetCards as forgetCardsService,
  getIntervals as getIntervalsService,
  getLatestReviewId,
  getReviewsOfCards as getReviewsOfCardsService,
  insertReviews as insertReviewsService,
  nextIntervalLabels,
  numCardsReviewedByDay,
  numCardsReviewedToday,
  setDueDate as setDueDateService,
  type DeckCountsNode,
} from '../../scheduler/sched-service';
import { collectionStats } from '../../stats/stats-service';
import { answerWithStyle, questionWithStyle } from '../../template/card';
import { escapeHtml } from '../../text/html';
import { defineAnkiAction } from './define';
import { collection, deckOrDefault, fieldsObject, memo } from './session';

/** Deck ids by name, creating missing decks (upstream resolves with `decks.id(name)`), in one transaction. */
function deckIdsCreating(col: Collection, names: readonly string[]): number[] {
  return col.transact('Add Deck', (tx) => names.map((n) => getOrCreateDeckInTx(tx, n).id)).result;
}

// ---------------------------------------------------------------------------------------------
// cards

export const answerCards = defineAnkiAction('answerCards', ({ answers }, ctx) => answerCardsService(collection(ctx), answers));

/** Back to new: original position restored, a reset entry logged, counts kept. */
export const forgetCards = defineAnkiAction('forgetCards', ({ cards }, ctx) => {
  forgetCardsService(collection(ctx), cards, { restorePosition: true, resetCounts: false, log: true });
  return null;
});

export const setDueDate = defineAnkiAction('setDueDate', ({ cards, days }, ctx) => {
  setDueDateService(collection(ctx), cards, days);
  return true;
});

export const areDue = defineAnkiAction('areDue', ({ cards }, ctx) => areDueService(collection(ctx), cards));

export const getIntervals = defineAnkiAction('getIntervals', ({ cards, complete }, ctx) => getIntervalsService(collection(ctx), cards, complete));

/** Card, note fields, rendered sides (with `<style>`), scheduling columns and button labels; `{}` for unknown ids. */
export const cardsInfo = defineAnkiAction('cardsInfo', ({ cards }, ctx) => {
  const col = collection(ctx);
  const byId = cardsById(col, cards);
  const notes = notesById(col, [...byId.values()].map((c) => c.noteId));
  const model = memo((mid: number) => col.storage.notetypes.get(mid));
  const deckName = memo((did: number) => deckOrDefault(col, did).name);
  return cards.map((id) => {
    const card = byId.get(id);
    const note = card && notes.get(card.noteId);
    const nt = note && model(note.notetypeId);
    if (!card || !note || !nt) return {};
    const { rendered } = gatherAndRenderCard(col, card, { note, notetype: nt });
    let nextReviews: string[];
    try {
      nextReviews = nextIntervalLabels(col, card.id);
    } catch {
      nextReviews = [];
    }
    return {
      cardId: card.id,
      fields: fieldsObject(nt, note.fields),
      fieldOrder: card.ord,
      question: questionWithStyle(rendered),
      answer: answerWithStyle(rendered),
      modelName: nt.name,
      ord: card.ord,
      deckName: deckName(card.deckId),
      css: nt.config.css,
      factor: card.easeFactor,
      interval: card.interval,
      note: card.noteId,
      type: card.ctype,
      queue: card.queue,
      due: card.due,
      reps: card.reps,
      lapses: card.lapses,
      left: card.remainingSteps,
      mod: card.mtimeSecs,
      nextReviews,
      flags: card.flags,
    };
  });
});

// ---------------------------------------------------------------------------------------------
// decks

/**
 * Today's counts from the deck list tree, keyed by deck id (as a string), in tree order. Like
 * upstream, names are resolved with create-if-missing, and `name` is the tree node's (last) name.
 */
export const getDeckStats = defineAnkiAction('getDeckStats', ({ decks }, ctx) => {
  const col = collection(ctx);
  const wanted = new Set(deckIdsCreating(col, decks));
  const out: Record<string, unknown> = {};
  const walk = (node: DeckCountsNode) => {
    if (wanted.has(node.deckId)) {
      out[String(node.deckId)] = {
        deck_id: node.deckId,
        name: node.name,
        new_count: node.newCount,
        learn_count: node.learnCount,
        review_count: node.reviewCount,
        total_in_deck: node.totalInDeck,
      };
    }
    node.children.forEach(walk);
  };
  walk(deckTreeWithCounts(col));
  return out;
});

// ---------------------------------------------------------------------------------------------
// statistics

export const getNumCardsReviewedToday = defineAnkiAction('getNumCardsReviewedToday', (_p, ctx) => numCardsReviewedToday(collection(ctx)));

export const getNumCardsReviewedByDay = defineAnkiAction('getNumCardsReviewedByDay', (_p, ctx) => numCardsReviewedByDay(collection(ctx)));

/** Reviews newer than `startID` of cards whose current deck is `deck` (created when missing, as upstream). */
export const cardReviews = defineAnkiAction('cardReviews', ({ deck, startID }, ctx) => {
  const col = collection(ctx);
  return cardReviewsService(col, deckIdsCreating(col, [deck])[0], startID);
});

export const getLatestReviewID = defineAnkiAction('getLatestReviewID', ({ deck }, ctx) => {
  const col = collection(ctx);
  return getLatestReviewId(col, deckIdsCreating(col, [deck])[0]);
});

/** Keyed by the ids as given; ids given as strings get [] (current upstream matches integers only). */
export const getReviewsOfCards = defineAnkiAction('getReviewsOfCards', ({ cards }, ctx) => {
  const numeric = cards.filter((c): c is number => typeof c === 'number');
  const found = getReviewsOfCardsService(collection(ctx), numeric);
  const out: Record<string, unknown[]> = {};
  for (const c of cards) out[String(c)] = typeof c === 'number' ? (found[String(c)] ?? []) : [];
  return out;
});

const pct = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 1000) / 10}%` : '0%');

/**
 * A short HTML report in the spirit of Anki's legacy statistics page: today's answers and the
 * card counts, for the whole collection or the current deck with its subdecks.
 */
export const getCollectionStatsHTML = defineAnkiAction('getCollectionStatsHTML', ({ wholeCollection }, ctx) => {
  const { deck, today: t, cards: c } = collectionStats(collection(ctx), { wholeCollection });
  const minutes = Math.round(t.timeMs / 600) / 100;
  const perCard = t.count ? Math.round(t.timeMs / t.count / 100) / 10 : 0;
  const row = (label: string, n: number) => `<tr><td>${label}</td><td align=right>${n}</td><td align=right>${pct(n, c.total)}</td></tr>`;
  return [
    '<center>',
    `<h1>${deck ? escapeHtml(deck.name) : 'Whole collection'}</h1>`,
    '<h2>Today</h2>',
    t.count ? `Studied ${t.count} cards in ${minutes} minutes today (${perCard}s/card).<br>` : 'No cards have been studied today.<br>',
    `Again count: ${t.again} (${t.count ? pct(t.count - t.again, t.count) : '0%'} correct).<br>`,
    `Learn: ${t.learn}, Review: ${t.review}, Relearn: ${t.relearn}, Filtered: ${t.filtered}.`,
    '<h2>Card Counts</h2>',
    '<table>',
    row('New', c.new),
    row('Learning', c.learning),
    row('Young', c.young),
    row('Mature', c.mature),
    row('Suspended', c.suspended),
    row('Buried', c.buried),
    `<tr><td>Total</td><td align=right>${c.total}</td><td></td></tr>`,
    '</table>',
    `${c.total} cards, ${c.notes} notes.`,
    '</center>',
  ].join('\n');
});

export const insertReviews = defineAnkiAction('insertReviews', ({ reviews }, ctx) => {
  if (reviews.length) insertReviewsService(collection(ctx), reviews);
  else collection(ctx);
  return null;
});

export const SCHED_ACTIONS = [
  answerCards,
  forgetCards,
  setDueDate,
  areDue,
  getIntervals,
  cardsInfo,
  getDeckStats,
  getNumCardsReviewedToday,
  getNumCardsReviewedByDay,
  getCollectionStatsHTML,
  cardReviews,
  getLatestReviewID,
  getReviewsOfCards,
  insertReviews,
];
