// The study queues of one deck as Anki keeps them in memory between answers
// (rslib scheduler/queue/{mod,learning,main,entry}.rs): intraday learning cards sorted by
// (never answered, due), the main queue (reviews, interday learning and new cards already mixed),
// the counts, and the learning cutoff that moves forward after every answer.

import type { Card } from '../../cards/card';
import { CardQueue } from '../../cards/card';
import type { SchedSettings } from '../collection-timing';
import type { LoadBalancer } from '../load-balancer';

export type QueueEntryKind = 'new' | 'learning' | 'review';

export interface LearningQueueEntry {
  /** Epoch seconds. */
  due: number;
  id: number;
  mtime: number;
  reps: number;
}

export type MainQueueEntryKind = 'new' | 'review' | 'interdayLearning';

export interface MainQueueEntry {
  id: number;
  mtime: number;
  kind: MainQueueEntryKind;
}

export type QueueEntry = { intraday: true; entry: LearningQueueEntry } | { intraday: false; entry: MainQueueEntry };

export interface CutoffSnapshot {
  learningCount: number;
  learningCutoff: number;
}

export interface Counts {
  new: number;
  learning: number;
  review: number;
}

/** (never answered, due): cards answered at least once come first (Anki 26.05+). */
export function compareLearning(a: LearningQueueEntry, b: LearningQueueEntry): number {
  const ra = a.reps === 0 ? 1 : 0;
  const rb = b.reps === 0 ? 1 : 0;
  return ra - rb || a.due - b.due;
}

/** Rust's slice::binary_search_by: Ok(index of a match) or Err(insertion point), as one index. */
function binarySearchIndex<T>(items: readonly T[], cmp: (x: T) => number): number {
  let size = items.length;
  if (size === 0) return 0;
  let base = 0;
  while (size > 1) {
    const half = size >>> 1;
    const mid = base + half;
    base = cmp(items[mid]) > 0 ? base : mid;
    size -= half;
  }
  const c = cmp(items[base]);
  return c === 0 ? base : base + (c < 0 ? 1 : 0);
}

export interface CardQueuesInit {
  deckId: number;
  counts: Counts;
  main: MainQueueEntry[];
  intradayLearning: LearningQueueEntry[];
  currentDay: number;
  learnAheadSecs: number;
  buildTimeMs: number;
  nowSecs: number;
  loadBalancer: LoadBalancer | null;
}

export class CardQueues {
  readonly deckId: number;
  readonly counts: Counts;
  /** Main queue; entries before `mainHead` have been taken. */
  private readonly main: MainQueueEntry[];
  private mainHead = 0;
  readonly intradayLearning: LearningQueueEntry[];
  readonly currentDay: number;
  readonly learnAheadSecs: number;
  readonly buildTimeMs: number;
  /** Moved to "now" after each answer, and when all counts are 0. */
  currentLearningCutoff: number;
  readonly loadBalancer: LoadBalancer | null;
  /** Global settings read when the queues were built (they are rebuilt when settings change). */
  settings?: SchedSettings;

  constructor(init: CardQueuesInit) {
    this.deckId = init.deckId;
    this.counts = init.counts;
    this.main = init.main;
    this.intradayLearning = init.intradayLearning;
    this.currentDay = init.currentDay;
    this.learnAheadSecs = init.learnAheadSecs;
    this.buildTimeMs = init.buildTimeMs;
    this.currentLearningCutoff = init.nowSecs;
    this.loadBalancer = init.loadBalancer;
  }

  get mainEntries(): readonly MainQueueEntry[] {
    return this.main.slice(this.mainHead);
  }

  private get mainEmpty(): boolean {
    return this.mainHead >= this.main.length;
  }

  private learnAheadCutoff(): number {
    return this.currentLearningCutoff + this.learnAheadSecs;
  }

  /** Intraday learning cards that can be shown now. */
  intradayNow(): LearningQueueEntry[] {
    const cutoff = this.currentLearningCutoff;
    return this.intradayLearning.filter((e) => e.due <= cutoff);
  }

  /** Intraday learning cards shown once the main queue is empty (learn ahead). */
  intradayAhead(): LearningQueueEntry[] {
    const cutoff = this.currentLearningCutoff;
    const ahead = this.learnAheadCutoff();
    return this.intradayLearning.filter((e) => e.due > cutoff && e.due <= ahead);
  }

  /** The queue in presentation order: learning due now, the main queue, learning due soon. */
  entries(limit = Infinity): QueueEntry[] {
    const out: QueueEntry[] = [];
    for (const e of this.intradayNow()) {
      if (out.length >= limit) return out;
      out.push({ intraday: true, entry: e });
    }
    for (let i = this.mainHead; i < this.main.length; i++) {
      if (out.length >= limit) return out;
      out.push({ intraday: false, entry: this.main[i] });
    }
    for (const e of this.intradayAhead()) {
      if (out.length >= limit) return out;
      out.push({ intraday: true, entry: e });
    }
    return out;
  }

  /** The counts; when all are 0 the learning cutoff moves to now first (Anki's counts()). */
  currentCounts(nowSecs: number): Counts {
    if (this.counts.new === 0 && this.counts.learning === 0 && this.counts.review === 0) this.updateLearningCutoffAndCount(nowSecs);
    return { ...this.counts };
  }

  /**
   * Moves the cutoff to now and counts learning cards that came within the learn-ahead window.
   * Returns what it was before (for undo).
   */
  updateLearningCutoffAndCount(nowSecs: number): CutoffSnapshot {
    const snapshot = { learningCount: this.counts.learning, learningCutoff: this.currentLearningCutoff };
    const lastAhead = this.learnAheadCutoff();
    this.currentLearningCutoff = nowSecs;
    const newAhead = this.learnAheadCutoff();
    for (const e of this.intradayLearning) if (e.due > lastAhead && e.due <= newAhead) this.counts.learning++;
    return snapshot;
  }

  restoreCutoff(s: CutoffSnapshot): void {
    this.counts.learning = s.learningCount;
    this.currentLearningCutoff = s.learningCutoff;
  }

  /**
   * Takes the answered card off the queues (anywhere in intraday learning, or the head of the
   * main queue). Returns the entry, or null if it was not there.
   */
  popEntry(cardId: number): QueueEntry | null {
    const pos = this.intradayLearning.findIndex((e) => e.id === cardId);
    if (pos >= 0) {
      const [entry] = this.intradayLearning.splice(pos, 1);
      this.counts.learning = Math.max(this.counts.learning - 1, 0);
      return { intraday: true, entry };
    }
    if (!this.mainEmpty && this.main[this.mainHead].id === cardId) {
      const head = this.main[this.mainHead++];
      if (head.kind === 'new') this.counts.new--;
      else if (head.kind === 'review') this.counts.review--;
      else this.counts.learning = Math.max(this.counts.learning - 1, 0);
      return { intraday: false, entry: head };
    }
    return null;
  }

  /** Puts an undone answer's entry back at the top of its queue. */
  pushUndoEntry(e: QueueEntry): void {
    if (e.intraday) {
      this.intradayLearning.unshift(e.entry);
      this.counts.learning++;
      return;
    }
    if (this.mainHead > 0) this.main[--this.mainHead] = e.entry;
    else this.main.unshift(e.entry);
    if (e.entry.kind === 'new') this.counts.new++;
    else if (e.entry.kind === 'review') this.counts.review++;
    else this.counts.learning++;
  }

  /** Drops a card from anywhere in the queues (a sibling buried meanwhile); true if found. */
  removeCard(cardId: number): boolean {
    const pos = this.intradayLearning.findIndex((e) => e.id === cardId);
    if (pos >= 0) {
      const [e] = this.intradayLearning.splice(pos, 1);
      if (e.due <= this.learnAheadCutoff()) this.counts.learning = Math.max(this.counts.learning - 1, 0);
      return true;
    }
    for (let i = this.mainHead; i < this.main.length; i++) {
      if (this.main[i].id !== cardId) continue;
      const [e] = this.main.splice(i, 1);
      if (e.kind === 'new') this.counts.new--;
      else if (e.kind === 'review') this.counts.review--;
      else this.counts.learning = Math.max(this.counts.learning - 1, 0);
      return true;
    }
    return false;
  }

  /**
   * After an answer: puts a card that is still in intraday learning and due before the next day
   * back in the learning queue, avoiding showing it again immediately when nothing else is left.
   */
  maybeRequeueLearningCard(card: Card, nextDayAt: number): boolean {
    if ((card.queue !== CardQueue.Learn && card.queue !== CardQueue.Preview) || card.due >= nextDayAt) return false;
    const entry: LearningQueueEntry = { due: card.due, id: card.id, mtime: card.mtimeSecs, reps: card.reps };
    const cutoff = this.learnAheadCutoff();
    if (entry.due <= cutoff && this.mainEmpty) {
      const next = this.intradayLearning[0];
      if (next && next.due >= entry.due && next.due + 1 < cutoff) entry.due = next.due + 1;
    }
    this.insertIntradayLearning(entry);
    return true;
  }

  private insertIntradayLearning(entry: LearningQueueEntry): void {
    if (entry.due <= this.learnAheadCutoff()) this.counts.learning++;
    const idx = binarySearchIndex(this.intradayLearning, (e) => compareLearning(e, entry));
    this.intradayLearning.splice(idx, 0, entry);
  }
}
