/** Time source of a collection; tests replace it to make ids and stamps deterministic. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export const secs = (ms: number) => Math.floor(ms / 1000);
