// Shared fixtures for the scheduler tests.

import { CardQueue, CardType, type Card } from '../cards/card';
import { defaultDeckConfigConfig } from '../storage/proto/codecs';
import type { DeckConfigConfig } from '../storage/proto/messages';
import type { SchedTimingToday } from './timing';

/** 2023-11-14 22:13:20 UTC. */
export const NOW_SECS = 1_700_000_000;
export const TODAY = 500;
/** 8 hours until the next day cutoff, unless a test says otherwise. */
export const TIMING: SchedTimingToday = { now: NOW_SECS, daysElapsed: TODAY, nextDayAt: NOW_SECS + 8 * 3600 };

export function makeConfig(overrides: Partial<DeckConfigConfig> = {}): DeckConfigConfig {
  return { ...defaultDeckConfigConfig(), ...overrides };
}

export function makeCard(overrides: Partial<Card> = {}): Card {
  return {
    id: 1_700_000_000_000,
    noteId: 1_600_000_000_000,
    deckId: 1,
    ord: 0,
    mtimeSecs: 0,
    usn: 0,
    ctype: CardType.New,
    queue: CardQueue.New,
    due: 7,
    interval: 0,
    easeFactor: 0,
    reps: 0,
    lapses: 0,
    remainingSteps: 0,
    originalDue: 0,
    originalDeckId: 0,
    flags: 0,
    data: '{}',
    ...overrides,
  };
}

export function reviewCard(ivl: number, ease: number, daysLate = 0, extra: Partial<Card> = {}): Card {
  return makeCard({
    ctype: CardType.Review,
    queue: CardQueue.Review,
    interval: ivl,
    easeFactor: ease,
    due: TODAY - daysLate,
    reps: 5,
    ...extra,
  });
}
