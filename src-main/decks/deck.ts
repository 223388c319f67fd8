import type { DeckCommon, DeckKind } from '../storage/proto/messages';

/** A deck row. `name` is the human form with "::" between levels (the DB uses U+001F). */
export interface Deck {
  id: number;
  name: string;
  mtimeSecs: number;
  usn: number;
  common: DeckCommon;
  kind: DeckKind;
}

export const DEFAULT_DECK_ID = 1;
