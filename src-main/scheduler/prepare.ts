// Everything needed to schedule one card at one moment: Anki's CardStateUpdater setup
// (answering/mod.rs card_state_updater + state_context) and current-state derivation (current.rs).

import { CardQueue, CardType, type Card } from '../cards/card';
import type { DeckConfigConfig } from '../storage/proto/messages';
import { parseCardData, type CardData } from './card-data';
import { asI32, f32 } from './f32';
import {
  decayFromParams,
  Fsrs,
  fsrsAllowsShortTerm,
  presetFsrsParams,
  type FsrsNextStates,
  type MemoryState,
} from './fsrs/model';
import { ignoreRevlogsBeforeMs, memoryStateForCard, type RevlogForFsrs } from './fsrs/revlog';
import { fuzzFactorFromSeed, fuzzSeed, learningIvlWithFuzz } from './fuzz';
import { LearningSteps } from './states/steps';
import type { CardState, NormalState, ReviewFuzzHook, StateContext } from './states/types';
import { elapsedDaysSince, secsUntilRollover, type SchedTimingToday } from './timing';

/** The card's current deck, when it is a filtered deck. */
export interface FilteredDeckInfo {
  reschedule: boolean;
  previewAgainSecs: number;
  previewHardSecs: number;
  previewGoodSecs: number;
}

/** Fuzz control. Default: Anki's seeded fuzz (seed = card id + reps). */
export type FuzzOption =
  | boolean
  /** Force a fuzz factor (and optionally the learning-step seed); mainly for tests. */
  | { factor: number | null; seed?: bigint | null };

export interface ScheduleInput {
  card: Card;
  /** The preset of the card's home deck (`odid` if in a filtered deck, else `did`). */
  config: DeckConfigConfig;
  /** Set when the card currently sits in a filtered deck. */
  filteredDeck?: FilteredDeckInfo | null;
  /** The home deck's own desired retention (`Deck.Normal.desired_retention`), overriding the preset's. */
  deckDesiredRetention?: number | null;
  timing: SchedTimingToday;
  /** Answer/display time, Unix milliseconds. */
  nowMs: number;
  /** Global config `fsrs`. */
  fsrs?: boolean;
  /** Global config `fsrsShortTermWithStepsEnabled`. */
  fsrsShortTermWithSteps?: boolean;
  fuzz?: FuzzOption;
  /**
   * FSRS only: the card's revlog (ascending id). Used, as Anki does, to rebuild the memory state of a
   * non-new card whose data lacks `s`/`d`, and for the last review time when data has no `lrt`.
   */
  revlog?: readonly RevlogForFsrs[] | null;
  /**
   * FSRS only: an already rebuilt memory state, for a non-new card whose data lacks
   * `s`/`d`. When absent, Anki's no-usable-revlog fallback is used (derived from ease and interval
   * with the preset's historical retention; none for cards with interval 0).
   */
  memoryStateFromRevlog?: MemoryState | null;
  /** FSRS only: time of the latest rated revlog entry (secs), used when data has no `lrt`. */
  lastReviewSecsFromRevlog?: number | null;
  /** Optional load balancer replacing plain review fuzz. Off by default. */
  loadBalancer?: ReviewFuzzHook | null;
}

export interface PreparedCard {
  input: ScheduleInput;
  card: Card;
  /** Parsed card data, with FSRS decay / fallback memory state already applied as Anki does. */
  data: CardData;
  current: CardState;
  ctx: StateContext;
  /** Seed for learning-step fuzz (null = fuzz off). */
  fuzzSeed: bigint | null;
  nowSecs: number;
  secsUntilRollover: number;
  /** FSRS desired retention in force (null when FSRS is off). */
  desiredRetention: number | null;
  fsrsNextStates: FsrsNextStates | null;
}

function resolveFuzz(card: Card, option: FuzzOption | undefined): { factor: number | null; seed: bigint | null } {
  if (option === undefined || option === true) {
    const seed = fuzzSeed(card.id, card.reps);
    return { factor: fuzzFactorFromSeed(seed), seed };
  }
  if (option === false) return { factor: null, seed: null };
  return { factor: option.factor, seed: option.seed ?? null };
}

/** Anki's time_of_last_review: the latest rated entry that is not a cram (type 3 with factor 0). */
export function lastRatedReviewSecs(revlog: readonly RevlogForFsrs[] | null | undefined): number | null {
  if (!revlog) return null;
  let best: number | null = null;
  for (const e of revlog) {
    if (e.ease >= 1 && e.ease <= 4 && (e.type !== 3 || e.factor !== 0) && (best === null || e.id > best)) best = e.id;
  }
  return best === null ? null : Math.trunc(best / 1000);
}

/** Remaining steps with the legacy `today*1000` part removed. */
export function remainingSteps(card: Card): number {
  return (card.remainingSteps >>> 0) % 1000;
}

/** Ease as an f32 multiplier. */
export function easeFactor(card: Card): number {
  return f32(f32(card.easeFactor) / 1000);
}

function learnSteps(config: DeckConfigConfig): LearningSteps {
  return new LearningSteps(config.learnSteps.map((v) => f32(v)));
}

function relearnSteps(config: DeckConfigConfig): LearningSteps {
  return new LearningSteps(config.relearnSteps.map((v) => f32(v)));
}

/** Anki's current.rs: the card's current state. */
function currentCardState(
  card: Card,
  data: CardData,
  input: ScheduleInput,
  nowSecs: number,
  fuzzEnabled: boolean,
): CardState {
  const today = input.timing.daysElapsed;
  const filtered = input.filteredDeck ?? null;
  let due: number;
  if (!filtered) {
    // never let a review card's due lie after today
    due = card.ctype === CardType.Review ? Math.min(card.due, today) : card.due;
  } else {
    due = card.originalDue !== 0 ? card.originalDue : card.due;
  }

  const memoryState = data.memoryState;
  const remaining = remainingSteps(card);
  const elapsedSecs = (lastIvl: number): number => {
    if (card.queue === CardQueue.Learn) {
      // the fuzz drawn when the step was scheduled, i.e. with the previous reps count
      const seed = fuzzEnabled ? fuzzSeed(card.id, (card.reps - 1) >>> 0) : null;
      const lastIvlWithFuzz = learningIvlWithFuzz(seed, lastIvl);
      return (nowSecs - (due - lastIvlWithFuzz)) >>> 0;
    }
    if (card.queue === CardQueue.DayLearn) {
      const lastIvlDays = Math.max(Math.floor(lastIvl / 86_400), 1);
      return ((today - due + lastIvlDays) * 86_400) >>> 0;
    }
    return 0;
  };

  let normal: NormalState;
  switch (card.ctype) {
    case CardType.New:
      normal = { kind: 'new', position: Math.max(due, 0) };
      break;
    case CardType.Learn: {
      const lastIvl = learnSteps(input.config).currentDelaySecs(remaining);
      normal = {
        kind: 'learning',
        scheduledSecs: lastIvl,
        remainingSteps: remaining,
        elapsedSecs: elapsedSecs(lastIvl),
        memoryState,
      };
      break;
    }
    case CardType.Review:
      normal = {
        kind: 'review',
        scheduledDays: card.interval,
        elapsedDays: Math.max(card.interval - (due - today), 0),
        easeFactor: easeFactor(card),
        lapses: card.lapses,
        leeched: false,
        memoryState,
      };
      break;
    case CardType.Relearn: {
      const lastIvl = relearnSteps(input.config).currentDelaySecs(remaining);
      normal = {
        kind: 'relearning',
        learning: { scheduledSecs: lastIvl, elapsedSecs: elapsedSecs(lastIvl), remainingSteps: remaining, memoryState },
        review: {
          scheduledDays: card.interval,
          elapsedDays: card.interval,
          easeFactor: easeFactor(card),
          lapses: card.lapses,
          leeched: false,
          memoryState,
        },
      };
      break;
    }
    default:
      throw new Error(`card ${card.id} has an unknown type ${String(card.ctype)}`);
  }

  if (!filtered) return normal;
  if (filtered.reschedule) return { kind: 'rescheduling', originalState: normal };
  return { kind: 'preview', scheduledSecs: filtered.previewAgainSecs, finished: false };
}

/** Builds the current state and transition context for a card (no side effects). */
export function prepareCard(input: ScheduleInput): PreparedCard {
  const card = { ...input.card };
  const config = input.config;
  const nowSecs = Math.floor(input.nowMs / 1000);
  const data = parseCardData(card.data);
  const fuzz = resolveFuzz(card, input.fuzz);
  const desiredRetentionInForce = f32(input.deckDesiredRetention ?? config.desiredRetention);

  let fsrsNextStates: FsrsNextStates | null = null;
  let fsrsAllowShortTerm = false;
  if (input.fsrs) {
    const params = presetFsrsParams(config);
    const model = new Fsrs(params);
    data.decay = decayFromParams(params);
    if (data.memoryState === null && card.ctype !== CardType.New) {
      if (input.memoryStateFromRevlog) {
        data.memoryState = {
          stability: f32(input.memoryStateFromRevlog.stability),
          difficulty: f32(input.memoryStateFromRevlog.difficulty),
        };
      } else {
        data.memoryState = memoryStateForCard(model, card, input.revlog ?? [], {
          nextDayAt: input.timing.nextDayAt,
          historicalRetention: config.historicalRetention,
          ignoreBeforeMs: ignoreRevlogsBeforeMs(config.ignoreRevlogsBeforeDate),
        });
      }
    }
    const lastReview = data.lastReviewTime ?? input.lastReviewSecsFromRevlog ?? lastRatedReviewSecs(input.revlog);
    const daysElapsed = lastReview !== null ? elapsedDaysSince(input.timing.nextDayAt, lastReview) : 0;
    fsrsNextStates = model.nextStates(data.memoryState, desiredRetentionInForce, daysElapsed);
    fsrsAllowShortTerm = fsrsAllowsShortTerm(params);
  }

  const current = currentCardState(card, data, input, nowSecs, fuzz.seed !== null);
  const filtered = input.filteredDeck ?? null;
  const ctx: StateContext = {
    fuzzFactor: fuzz.factor,
    fsrsNextStates,
    fsrsShortTermWithStepsEnabled: input.fsrsShortTermWithSteps ?? false,
    fsrsAllowShortTerm,
    steps: learnSteps(config),
    graduatingIntervalGood: config.graduatingIntervalGood,
    graduatingIntervalEasy: config.graduatingIntervalEasy,
    initialEaseFactor: f32(config.initialEase),
    hardMultiplier: f32(config.hardMultiplier),
    easyMultiplier: f32(config.easyMultiplier),
    intervalMultiplier: f32(config.intervalMultiplier),
    maximumReviewInterval: config.maximumReviewInterval,
    leechThreshold: config.leechThreshold,
    loadBalancer: input.loadBalancer ?? null,
    relearnSteps: relearnSteps(config),
    lapseMultiplier: f32(config.lapseMultiplier),
    minimumLapseInterval: config.minimumLapseInterval,
    inFilteredDeck: filtered !== null,
    previewDelays: filtered
      ? { again: filtered.previewAgainSecs, hard: filtered.previewHardSecs, good: filtered.previewGoodSecs }
      : { again: 0, hard: 0, good: 0 },
  };

  return {
    input,
    card,
    data,
    current,
    ctx,
    fuzzSeed: fuzz.seed,
    nowSecs,
    secsUntilRollover: asI32(secsUntilRollover(input.timing, nowSecs)),
    desiredRetention: input.fsrs ? desiredRetentionInForce : null,
    fsrsNextStates,
  };
}
