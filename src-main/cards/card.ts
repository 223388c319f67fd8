export enum CardType {
  New = 0,
  Learn = 1,
  Review = 2,
  Relearn = 3,
}

export enum CardQueue {
  UserBuried = -3,
  SchedBuried = -2,
  Suspended = -1,
  New = 0,
  Learn = 1,
  Review = 2,
  DayLearn = 3,
  Preview = 4,
}

/** A card row; names follow Anki's Card struct (rslib/src/card), units as stored. */
export interface Card {
  id: number;
  noteId: number;
  deckId: number;
  ord: number;
  mtimeSecs: number;
  usn: number;
  ctype: CardType;
  queue: CardQueue;
  /** New: position; learn/preview: epoch secs; review/day-learn: day number. */
  due: number;
  interval: number;
  /** Permille (2500 = 250%); 0 for new cards. */
  easeFactor: number;
  reps: number;
  lapses: number;
  remainingSteps: number;
  originalDue: number;
  originalDeckId: number;
  flags: number;
  /** Raw cards.data JSON text (see cards/card-data.ts). */
  data: string;
}
