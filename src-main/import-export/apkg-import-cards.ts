// Incoming cards added where the note lacks that ordinal (due dates shifted to the target's
// day), and the revlog of the cards added.

import type { Card } from '../cards/card';
import { CardQueue, CardType } from '../cards/card';
import type { RevlogRow } from '../storage/misc-stores';
import { type ImportContext, keepingStamps } from './apkg-import-context';
import { collectionTimingToday, type ExchangeData, normalizedCardData } from './exchange';

export function importCardsAndRevlog(ctx: ImportContext, data: ExchangeData, deckMap: Map<number, number>, notetypeOfSourceNote: Map<number, number>): void {
  const { tx, store } = ctx;
  const existingCards = store.allCardNidOrds();
  const existingCardIds = store.allCardIds();
  const delta = data.daysElapsed - collectionTimingToday(tx).daysElapsed;
  const importedCards = new Map<number, number>();
  const addedNew: Card[] = [];
  for (const card of data.cards) {
    const sourceNid = card.noteId;
    const nid = ctx.noteIdMap.get(sourceNid);
    if (nid === undefined) continue;
    card.noteId = nid;
    if (existingCards.has(`${card.noteId}:${card.ord}`)) continue;
    card.usn = -1;
    card.deckId = deckMap.get(card.deckId) ?? card.deckId;
    card.originalDeckId = deckMap.get(card.originalDeckId) ?? card.originalDeckId;
    const ntid = notetypeOfSourceNote.get(sourceNid);
    const templateMap = ntid === undefined ? undefined : ctx.remappedTemplates.get(ntid);
    card.ord = templateMap?.get(card.ord) ?? card.ord;
    shiftCollectionRelativeDates(card, delta);
    const sourceId = card.id;
    while (existingCardIds.has(card.id)) card.id += 999;
    if (store.cardExists(card.id)) continue;
    card.data = normalizedCardData(card.data);
    keepingStamps(tx, () => tx.putCard(card, true));
    if (card.ctype === CardType.New && card.queue !== CardQueue.Preview && card.originalDeckId === 0) addedNew.push(card);
    existingCardIds.add(card.id);
    importedCards.set(sourceId, card.id);
  }
  renumberOutOfRangePositions(ctx, addedNew);
  for (const entry of data.revlog) {
    const cid = importedCards.get(entry.cid);
    if (cid === undefined) continue;
    if (store.revlogExists(entry.id)) continue;
    const row: RevlogRow = { ...entry, cid, usn: -1 };
    tx.addRevlog(row);
  }
}

/**
 * Deliberate difference: Anki keeps incoming new-card positions as they are and leaves `nextPos`
 * alone. Positions of 1,000,000 and more (old clients used timestamps) are what Anki's Check
 * Database treats as broken, so such cards get the next free positions here (in their old order,
 * siblings together); and `nextPos` moves past the imported positions, so cards added later do
 * not reuse them (Check Database does the same).
 */
function renumberOutOfRangePositions(ctx: ImportContext, added: Card[]): void {
  if (!added.length) return;
  const { tx } = ctx;
  const stored = tx.storage.config.get<unknown>('nextPos');
  let next = Math.max(typeof stored === 'number' && Number.isSafeInteger(stored) ? stored : 0, ctx.store.maxNewPosition() + 1);
  const big = added.filter((c) => c.due >= 1_000_000).sort((a, b) => a.due - b.due || a.id - b.id);
  let lastDue: number | null = null;
  for (const card of big) {
    if (card.due !== lastDue) {
      if (lastDue !== null) next++;
      lastDue = card.due;
    }
    card.due = next;
    keepingStamps(tx, () => tx.putCard(card));
  }
  if (big.length) next++;
  if (stored !== next && (typeof stored !== 'number' || stored < next)) tx.setConfig('nextPos', next);
}

/** Review-type due dates are day numbers: move them by how far the source's "today" is ahead. */
function shiftCollectionRelativeDates(card: Card, delta: number): void {
  if (card.queue === CardQueue.Review || card.queue === CardQueue.DayLearn || card.ctype === CardType.Review) card.due -= delta;
  if (card.ctype === CardType.Review && card.originalDue !== 0) card.originalDue -= delta;
}
