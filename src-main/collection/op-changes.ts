/** What an operation changed; the renderer invalidates its caches from this. */
export interface OpChanges {
  notes: boolean;
  cards: boolean;
  decks: boolean;
  deckConfigs: boolean;
  notetypes: boolean;
  tags: boolean;
  config: boolean;
  revlog: boolean;
  /** Card scheduling or deck limits changed: study queues and deck counts must be rebuilt. */
  studyQueues: boolean;
}

export type ChangeKind = Exclude<keyof OpChanges, 'studyQueues'>;

export const noChanges = (): OpChanges => ({
  notes: false,
  cards: false,
  decks: false,
  deckConfigs: false,
  notetypes: false,
  tags: false,
  config: false,
  revlog: false,
  studyQueues: false,
});

export function anyChange(c: OpChanges): boolean {
  return Object.values(c).some(Boolean);
}

export interface OpResult<T> {
  result: T;
  changes: OpChanges;
}
