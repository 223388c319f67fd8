import type { DeckConfigConfig } from '../storage/proto/messages';

/** A deck options preset (deck_config row). Id 1 is the default and cannot be removed. */
export interface DeckConfig {
  id: number;
  name: string;
  mtimeSecs: number;
  usn: number;
  config: DeckConfigConfig;
}

export const DEFAULT_DECK_CONFIG_ID = 1;
