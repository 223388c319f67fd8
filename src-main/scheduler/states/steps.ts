// (Re)learning step arithmetic, as in Anki's scheduler/states/steps.rs.

import { asU32, f32, mul, roundHalfAway, div } from '../f32';

const DAY = 86_400;

function toSecs(minutes: number): number {
  return asU32(mul(f32(minutes), 60));
}

/** Rounds a delay above one day to whole days, so the answer does not depend on the time of day. */
function maybeRoundInDays(secs: number): number {
  if (secs > DAY) return asU32(roundHalfAway(div(f32(secs), DAY))) * DAY;
  return secs;
}

export class LearningSteps {
  /** Steps in minutes (f32 values, as stored in the preset). */
  constructor(readonly steps: readonly number[]) {}

  get length(): number {
    return this.steps.length;
  }

  isEmpty(): boolean {
    return this.steps.length === 0;
  }

  /** Current step index for a `left` value (the legacy `today*1000` part is stripped). */
  private index(remaining: number): number {
    const total = this.steps.length;
    return Math.min(Math.max(total - (remaining % 1000), 0), Math.max(total - 1, 0));
  }

  private secsAt(index: number): number | null {
    return index >= 0 && index < this.steps.length ? toSecs(this.steps[index]) : null;
  }

  againDelaySecs(): number | null {
    return this.secsAt(0);
  }

  hardDelaySecs(remaining: number): number | null {
    const idx = this.index(remaining);
    const current = this.secsAt(idx) ?? this.secsAt(0);
    if (current === null) return null;
    if (idx !== 0) return current;
    const next = this.secsAt(1);
    if (next !== null) {
      // average of the first (again) and second (good) step, integer seconds
      return maybeRoundInDays(Math.floor((current + next) / 2));
    }
    // 50% more than the again delay, but at most one day more
    return maybeRoundInDays(Math.min(Math.floor((current * 3) / 2), current + DAY));
  }

  goodDelaySecs(remaining: number): number | null {
    return this.secsAt(this.index(remaining) + 1);
  }

  currentDelaySecs(remaining: number): number {
    return this.secsAt(this.index(remaining)) ?? 0;
  }

  remainingForGood(remaining: number): number {
    return Math.max(this.steps.length - (this.index(remaining) + 1), 0);
  }

  remainingForFailed(): number {
    return this.steps.length;
  }
}
