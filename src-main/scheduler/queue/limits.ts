// Daily new/review limits (Anki's decks/limits.rs, v3 rules): what is left today per deck, and the
// tree of limits the queue builder decrements as it takes cards.

import type { Deck } from '../../decks/deck';
import { deckNameLevel } from '../../decks/deck-names';
import type { DayLimit, DeckConfigConfig, NormalDeck } from '../../storage/proto/messages';

export type LimitKind = 'review' | 'new';

/** Today's value of a "today only" limit, if it was set for today. */
export function limitIfToday(limit: DayLimit | undefined, today: number): number | undefined {
  return limit && limit.today === today ? limit.limit : undefined;
}

/** The deck's review limit for today, or its own regular one, if either is set. */
export function currentReviewLimit(deck: NormalDeck, today: number): number | undefined {
  return limitIfToday(deck.reviewLimitToday, today) ?? deck.reviewLimit;
}

/** The deck's new limit for today, or its own regular one, if either is set. */
export function currentNewLimit(deck: NormalDeck, today: number): number | undefined {
  return limitIfToday(deck.newLimitToday, today) ?? deck.newLimit;
}

/** New and review cards studied today (0, 0 when the counters are from another day; may be negative). */
export function studiedToday(deck: Deck, today: number): { new: number; review: number } {
  const c = deck.common;
  return c.lastDayStudied === today ? { new: c.newStudied, review: c.reviewStudied } : { new: 0, review: 0 };
}

/**
 * Adds to a deck's studied-today counters (negative values lower them), first zeroing them when
 * they are from another day. `ms` leaves the time studied alone when undefined.
 */
export function addStudiedToday(deck: Deck, today: number, delta: { new: number; review: number; ms?: number }): void {
  const c = deck.common;
  if (c.lastDayStudied !== today) {
    c.newStudied = 0;
    c.learningStudied = 0;
    c.reviewStudied = 0;
    c.millisecondsStudied = 0;
    c.lastDayStudied = today;
  }
  c.newStudied = (c.newStudied + delta.new) | 0;
  c.reviewStudied = (c.reviewStudied + delta.review) | 0;
  if (delta.ms !== undefined) c.millisecondsStudied = (c.millisecondsStudied + delta.ms) | 0;
}

export interface RemainingLimits {
  review: number;
  new: number;
  /** Taking a review also caps the new limit at what is left of the review limit. */
  capNewToReview: boolean;
}

/** Filtered decks and decks without a preset: effectively unlimited. */
export const UNLIMITED: Readonly<RemainingLimits> = Object.freeze({ review: 9999, new: 9999, capNewToReview: false });

const toI32 = (n: number) => n | 0;

/** What is left of today's limits for one deck (Anki's RemainingLimits::new, v3). */
export function remainingLimits(
  deck: Deck,
  config: DeckConfigConfig | undefined,
  today: number,
  newCardsIgnoreReviewLimit: boolean,
): RemainingLimits {
  const normal = deck.kind.normal;
  if (!normal || !config) return { ...UNLIMITED };
  let review = toI32(currentReviewLimit(normal, today) ?? config.reviewsPerDay);
  let newLimit = toI32(currentNewLimit(normal, today) ?? config.newPerDay);
  const done = studiedToday(deck, today);
  review -= done.review;
  newLimit -= done.new;
  if (!newCardsIgnoreReviewLimit) {
    review -= done.new;
    newLimit = Math.min(newLimit, review);
  }
  return { review: Math.max(review, 0), new: Math.max(newLimit, 0), capNewToReview: !newCardsIgnoreReviewLimit };
}

export function capTo(limits: RemainingLimits, other: RemainingLimits): void {
  limits.review = Math.min(limits.review, other.review);
  limits.new = Math.min(limits.new, other.new);
}

/** Decrements one kind; true if some limit reached 0 through it. */
function decrement(l: RemainingLimits, kind: LimitKind): boolean {
  const before = { review: l.review, new: l.new };
  if (kind === 'review') {
    l.review = Math.max(l.review - 1, 0);
    if (l.capNewToReview) l.new = Math.min(l.new, l.review);
  } else {
    l.new = Math.max(l.new - 1, 0);
  }
  return (before.review > 0 && l.review === 0) || (before.new > 0 && l.new === 0);
}

interface LimitNode {
  deckId: number;
  level: number;
  limits: RemainingLimits;
  parent: LimitNode | null;
  children: LimitNode[];
}

/**
 * The remaining limits of the studied deck tree (Anki's LimitTreeMap): each child starts capped
 * by its parent; taking a card decrements its deck and every ancestor, and a limit reaching 0
 * caps the whole subtree below it.
 */
export class LimitTree {
  private readonly byDeck = new Map<number, LimitNode>();
  private readonly root: LimitNode;

  /** `decks` sorted by name, the root first (decks whose parent is missing are left out, as Anki). */
  constructor(decks: readonly Deck[], configFor: (deck: Deck) => DeckConfigConfig | undefined, today: number, newCardsIgnoreReviewLimit: boolean) {
    const node = (deck: Deck, parent: LimitNode | null): LimitNode => {
      const n: LimitNode = {
        deckId: deck.id,
        level: deckNameLevel(deck.name),
        limits: remainingLimits(deck, configFor(deck), today, newCardsIgnoreReviewLimit),
        parent,
        children: [],
      };
      if (parent) {
        capTo(n.limits, parent.limits);
        parent.children.push(n);
      }
      this.byDeck.set(deck.id, n);
      return n;
    };
    this.root = node(decks[0], null);
    let i = 1;
    const addChildren = (parent: LimitNode): void => {
      while (i < decks.length) {
        const deck = decks[i];
        const level = deckNameLevel(deck.name);
        if (level <= parent.level) return;
        if (level === parent.level + 1) {
          node(deck, parent);
          i++;
        } else {
          const last = parent.children.at(-1);
          if (last) addChildren(last);
          else i++; // immediate parent missing: skipped until a database check
        }
      }
    };
    addChildren(this.root);
  }

  get rootDeckId(): number {
    return this.root.deckId;
  }

  has(deckId: number): boolean {
    return this.byDeck.has(deckId);
  }

  limits(deckId: number): RemainingLimits | undefined {
    return this.byDeck.get(deckId)?.limits;
  }

  rootLimitReached(kind: LimitKind): boolean {
    return this.root.limits[kind] === 0;
  }

  /** True when the deck has no limit of this kind left; undefined when the deck is not in the tree. */
  limitReached(deckId: number, kind: LimitKind): boolean | undefined {
    const n = this.byDeck.get(deckId);
    return n ? n.limits[kind] === 0 : undefined;
  }

  decrementDeckAndParents(deckId: number, kind: LimitKind): void {
    for (let n = this.byDeck.get(deckId) ?? null; n; n = n.parent) {
      if (decrement(n.limits, kind)) capSubtree(n, n.limits);
    }
  }
}

function capSubtree(n: LimitNode, limits: RemainingLimits): void {
  capTo(n.limits, limits);
  for (const c of n.children) capSubtree(c, { ...limits });
}
