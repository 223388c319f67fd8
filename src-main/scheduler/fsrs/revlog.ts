// Rebuilding a card's FSRS memory state from its review history, as Anki does when a non-new card
// has no memory state (scheduler/fsrs/params.rs reviews_for_fsrs, memory_state.rs
// fsrs_item_for_memory_state and Card::set_memory_state; fsrs-rs forward_reviews).

import { f32 } from '../f32';
import { D_MAX, D_MIN, S_MAX, S_MIN, step, type Fsrs, type MemoryState } from './model';

/** The revlog columns this needs. Entries must be in ascending id order. */
export interface RevlogForFsrs {
  /** ms timestamp */
  id: number;
  /** button 1–4, 0 for manual entries */
  ease: number;
  ivl: number;
  factor: number;
  /** revlog type: 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled */
  type: number;
}

export interface FsrsReview {
  rating: number;
  deltaT: number;
}

const LEARNING = 0;
const FILTERED = 3;
const MANUAL = 4;

const isCramming = (e: RevlogForFsrs): boolean => e.type === FILTERED && e.factor === 0;
const hasRating = (e: RevlogForFsrs): boolean => e.ease > 0;
const isReset = (e: RevlogForFsrs): boolean => e.type === MANUAL && e.factor === 0;

function daysElapsed(e: RevlogForFsrs, nextDayAt: number): number {
  return Math.max(Math.trunc((nextDayAt - Math.trunc(e.id / 1000)) / 86_400), 0);
}

/** Config `ignore_revlogs_before_date` ("YYYY-MM-DD" or "") as UTC-midnight ms. */
export function ignoreRevlogsBeforeMs(date: string): number {
  if (!date) return 0;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date.trim());
  if (!m) throw new Error(`Error parsing date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** The card's reviews for memory-state purposes (non-training reviews_for_fsrs), or null. */
export function reviewsForFsrs(
  entriesIn: readonly RevlogForFsrs[],
  nextDayAt: number,
  ignoreBeforeMs: number,
): { reviews: FsrsReview[]; complete: boolean; filtered: RevlogForFsrs[] } | null {
  let entries = [...entriesIn];
  let firstOfLastLearn: number | null = null;
  let firstUserGrade: number | null = null;
  let complete = false;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (isCramming(e)) continue;
    const withinCutoff = e.id > ignoreBeforeMs;
    const interday = e.ivl >= 1 || e.ivl <= -86_400;
    if (hasRating(e) && withinCutoff && interday) firstUserGrade = i;
    if (hasRating(e) && e.type === LEARNING) {
      firstOfLastLearn = i;
      complete = true;
    } else if (isReset(e)) {
      if (firstOfLastLearn !== null) {
        complete = true;
        break;
      } else if (firstUserGrade !== null) {
        complete = false;
        break;
      } else {
        return null;
      }
    } else if (firstOfLastLearn !== null) {
      break;
    }
  }
  if (firstOfLastLearn !== null && entries[firstOfLastLearn].id < ignoreBeforeMs && firstOfLastLearn < entries.length - 1) {
    complete = false;
    firstOfLastLearn = null;
  }
  if (firstOfLastLearn !== null) {
    entries = entries.slice(firstOfLastLearn);
  } else {
    if (firstUserGrade === null) return null;
    entries = entries.slice(firstUserGrade);
  }
  entries = entries.filter((e) => hasRating(e) && !isCramming(e));
  if (entries.length === 0) return null;
  const reviews = entries.map((e, i) => ({
    rating: e.ease,
    deltaT: i === 0 ? 0 : daysElapsed(entries[i - 1], nextDayAt) - daysElapsed(e, nextDayAt),
  }));
  return { reviews, complete, filtered: entries };
}

/** fsrs-rs `memory_state` over a review list (optionally from a starting state). */
export function forwardReviews(fsrs: Fsrs, reviews: readonly FsrsReview[], starting: MemoryState | null): MemoryState {
  const w = fsrs.w;
  let state: MemoryState;
  let start = 0;
  if (starting) {
    state = { stability: f32(starting.stability), difficulty: f32(starting.difficulty) };
  } else if (reviews.length === 0) {
    state = { stability: 0, difficulty: 0 };
  } else {
    const rating = reviews[0].rating;
    if (rating === 0) {
      state = { stability: S_MIN, difficulty: D_MIN };
    } else {
      const r = Math.min(Math.max(rating, 1), 4);
      const init = fsrs.nextStates(null, 0.9, 0);
      const m = [init.again, init.hard, init.good, init.easy][r - 1].memory;
      state = {
        stability: Math.min(Math.max(m.stability, S_MIN), S_MAX),
        difficulty: Math.min(Math.max(m.difficulty, D_MIN), D_MAX),
      };
    }
    start = 1;
  }
  for (let i = start; i < reviews.length; i++) state = step(w, reviews[i].deltaT, reviews[i].rating, state, i);
  if (!Number.isFinite(state.stability) || !Number.isFinite(state.difficulty)) {
    throw new Error('FSRS produced an invalid memory state');
  }
  return state;
}

export interface CardForMemoryState {
  ctype: number;
  interval: number;
  /** permille */
  easeFactor: number;
}

/**
 * Anki's memory state for a card that lacks one: from the revlog when it has usable entries
 * (with an SM-2-derived starting state when the history is truncated), else from the card's
 * ease and interval, else none (new cards, interval 0).
 */
export function memoryStateForCard(
  fsrs: Fsrs,
  card: CardForMemoryState,
  revlog: readonly RevlogForFsrs[],
  opts: { nextDayAt: number; historicalRetention: number; ignoreBeforeMs?: number },
): MemoryState | null {
  const out = reviewsForFsrs(revlog, opts.nextDayAt, opts.ignoreBeforeMs ?? 0);
  if (out) {
    if (out.complete) return forwardReviews(fsrs, out.reviews, null);
    const first = out.filtered[0];
    const interval = Math.max(first.ivl, 1);
    const ease = f32((first.factor === 0 ? 2500 : first.factor) / 1000);
    const starting = fsrs.memoryStateFromSm2(ease, interval, opts.historicalRetention);
    // an ease ≤ 1.1 means the entry was written by FSRS (shifted difficulty)
    if (ease <= f32(1.1)) starting.difficulty = f32(f32(f32(ease - f32(0.1)) * 9) + 1);
    return forwardReviews(fsrs, out.reviews.slice(1), starting);
  }
  if (card.ctype === 0 || card.interval === 0) return null;
  return fsrs.memoryStateFromSm2(f32(card.easeFactor / 1000), card.interval, opts.historicalRetention);
}
