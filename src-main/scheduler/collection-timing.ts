// Collection-level scheduler context: "today" from the collection's crt/creationOffset/rollover
// (Anki's Collection::timing_for_timestamp) and the global scheduling settings.

import { Collection } from '../collection/collection';
import type { Tx } from '../collection/tx';
import { getConfig, schedulerVersion } from '../config/config-service';
import { SchedStore } from '../storage/sched-store';
import { localMinutesWest, schedTimingToday, type SchedTimingToday } from './timing';

/** Anything that can read the collection: an open collection or a transaction. */
export type Reader = Collection | Tx;

/** "Now" of a reader: the collection's clock, or the transaction's time. */
export function nowMsOf(r: Reader): number {
  return r instanceof Collection ? r.clock.nowMs() : r.nowMs;
}

export interface TimingOptions {
  /**
   * Use the collection's recorded `localOffset` instead of this machine's UTC offset, as Anki does
   * on a sync server (default false: a client uses its own offset).
   */
  configuredOffset?: boolean;
}

/**
 * The scheduler's day at `nowMs`: days since the collection was created and the next rollover, as
 * Anki computes them (v2/v3: calendar days between crt in `creationOffset` and now in the machine's
 * current offset, shifted by the rollover hour; missing `rollover` means 4; v1: whole days since crt).
 */
export function timingAt(r: Reader, nowMs: number, opts: TimingOptions = {}): SchedTimingToday {
  const nowSecs = Math.floor(nowMs / 1000);
  const v1 = schedulerVersion(r) === 1;
  return schedTimingToday({
    crt: SchedStore.of(r.storage.db).creationStamp(),
    now: nowSecs,
    creationOffset: getConfig(r, 'creationOffset'),
    currentOffset: opts.configuredOffset ? (getConfig(r, 'localOffset') ?? 0) : localMinutesWest(nowSecs),
    rollover: v1 ? null : getConfig(r, 'rollover'),
  });
}

/**
 * Records this machine's current UTC offset in `localOffset` when it differs, as an Anki client
 * does whenever it works out "today" (a sync server then uses it).
 */
export function recordLocalOffsetInTx(tx: Tx): void {
  const current = localMinutesWest(tx.nowSecs);
  if (getConfig(tx, 'localOffset') !== current) tx.setConfig('localOffset', current);
}

/** The scheduler's day now (the collection's clock, or the transaction's time). */
export function timingToday(r: Reader): SchedTimingToday {
  return timingAt(r, nowMsOf(r));
}

/** Global settings that affect scheduling (config table). */
export interface SchedSettings {
  fsrs: boolean;
  fsrsShortTermWithSteps: boolean;
  loadBalancerEnabled: boolean;
  newCardsIgnoreReviewLimit: boolean;
  applyAllParentLimits: boolean;
  /** `collapseTime`: learn-ahead limit in seconds. */
  learnAheadSecs: number;
}

export function schedSettings(r: Reader): SchedSettings {
  return {
    fsrs: getConfig(r, 'fsrs'),
    fsrsShortTermWithSteps: getConfig(r, 'fsrsShortTermWithStepsEnabled'),
    loadBalancerEnabled: getConfig(r, 'loadBalancerEnabled'),
    newCardsIgnoreReviewLimit: getConfig(r, 'newCardsIgnoreReviewLimit'),
    applyAllParentLimits: getConfig(r, 'applyAllParentLimits'),
    learnAheadSecs: getConfig(r, 'collapseTime'),
  };
}

/** `collapseTime` (default 1200 s). */
export function learnAheadSecs(r: Reader): number {
  return getConfig(r, 'collapseTime');
}
