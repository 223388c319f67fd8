// Helpers for writing cards the way Anki's storage does.

import type { Card } from '../cards/card';
import { parseCardData, serializeCardData, type CardData } from './card-data';

/**
 * Anki rewrites `cards.data` from its parsed form on every card update (unknown keys dropped,
 * FSRS values rounded, "{}" when empty); do the same before writing a card.
 */
export function normalizeCardDataForWrite(card: Card): Card {
  card.data = serializeCardData(parseCardData(card.data));
  return card;
}

/** Parses, changes and writes back `card.data`. */
export function updateCardData(card: Card, change: (data: CardData) => void): Card {
  const data = parseCardData(card.data);
  change(data);
  card.data = serializeCardData(data);
  return card;
}
