// Incoming decks matched by name (a clash between a filtered and a normal deck renames the
// incoming one), and deck configs added when their id is free.

import type { Deck } from '../decks/deck';
import { deckNameComponents, immediateParentName } from '../decks/deck-names';
import { addDeckInTx, updateDeckInTx } from '../decks/decks-service';
import { defaultDeckCommon, defaultNormalDeck } from '../storage/proto/codecs';
import type { DayLimit, NormalDeck } from '../storage/proto/messages';
import { type ImportContext, keepingStamps } from './apkg-import-context';
import { collectionTimingToday, type ExchangeData } from './exchange';

interface DeckContext {
  ctx: ImportContext;
  renamedParents: [string, string][];
  imported: Map<number, number>;
  suffix: string;
  sourceToday: number;
  targetToday: number;
}

export function importDecksAndConfigs(ctx: ImportContext, data: ExchangeData): Map<number, number> {
  const { tx } = ctx;
  for (const conf of data.deckConfigs) {
    if (tx.storage.deckConfigs.getRow(conf.id)) continue;
    conf.usn = -1;
    keepingStamps(tx, () => tx.putDeckConfig(conf, true));
  }
  const dctx: DeckContext = {
    ctx,
    renamedParents: [],
    imported: new Map(),
    suffix: String(Math.floor(tx.nowMs / 1000)),
    sourceToday: data.daysElapsed,
    targetToday: collectionTimingToday(tx).daysElapsed,
  };
  const decks = [...data.decks].sort((a, b) => deckNameComponents(a.name).length - deckNameComponents(b.name).length);
  for (const deck of decks) {
    maybeReparent(dctx, deck);
    correctDayLimits(dctx, deck);
    importDeck(dctx, deck);
  }
  return dctx.imported;
}

function maybeReparent(d: DeckContext, deck: { name: string }): void {
  for (const [oldParent, newParent] of d.renamedParents) {
    if (deck.name.startsWith(oldParent)) {
      deck.name = newParent + deck.name.slice(oldParent.length);
      return;
    }
  }
}

function correctDayLimits(d: DeckContext, deck: Deck): void {
  const normal = deck.kind.normal;
  if (!normal) return;
  const fix = (limit: DayLimit | undefined): DayLimit | undefined => {
    if (!limit) return undefined;
    if (limit.today === d.sourceToday) return { ...limit, today: d.targetToday };
    if (d.targetToday > 0) return { ...limit, today: Math.min(limit.today, d.targetToday - 1) };
    return undefined;
  };
  normal.newLimitToday = fix(normal.newLimitToday);
  normal.reviewLimitToday = fix(normal.reviewLimitToday);
}

function uniquifyDeckName(d: DeckContext, deck: { name: string }): void {
  const oldParent = `${deck.name}::`;
  deck.name = `${deck.name} ${d.suffix}`;
  d.renamedParents.push([oldParent, `${deck.name}::`]);
}

function importDeck(d: DeckContext, deck: Deck): void {
  const { tx } = d.ctx;
  const original = tx.storage.decks.byName(deck.name);
  if (original) {
    if (!!original.kind.filtered === !!deck.kind.filtered) return updateDeck(d, deck, original);
    uniquifyDeckName(d, deck);
  }
  ensureValidFirstExistingParent(d, deck);
  const added = addDeckInTx(tx, { name: deck.name, common: deck.common, kind: deck.kind }, 'suffix');
  d.imported.set(deck.id, added.id);
}

function updateNormalWithOther(normal: NormalDeck, other: NormalDeck): void {
  if (other.description !== '') {
    normal.markdownDescription = other.markdownDescription;
    normal.description = other.description;
  }
  if (other.configId !== 1n) normal.configId = other.configId;
  normal.reviewLimit = other.reviewLimit ?? normal.reviewLimit;
  normal.newLimit = other.newLimit ?? normal.newLimit;
  normal.reviewLimitToday = other.reviewLimitToday ?? normal.reviewLimitToday;
  normal.newLimitToday = other.newLimitToday ?? normal.newLimitToday;
}

function updateDeck(d: DeckContext, deck: Deck, original: Deck): void {
  const updated = structuredClone(original);
  if (updated.kind.normal && deck.kind.normal) updateNormalWithOther(updated.kind.normal, deck.kind.normal);
  else if (updated.kind.filtered && deck.kind.filtered) updated.kind.filtered = structuredClone(deck.kind.filtered);
  d.imported.set(deck.id, updated.id);
  updateDeckInTx(d.ctx.tx, updated, 'suffix');
}

/** A filtered deck cannot be a parent: the nearest existing ancestor, if filtered, gets a renamed normal twin. */
function ensureValidFirstExistingParent(d: DeckContext, deck: Deck): void {
  const { tx } = d.ctx;
  let name: string | null = deck.name;
  let ancestor: Deck | undefined;
  while ((name = immediateParentName(name)) !== null) {
    ancestor = tx.storage.decks.byName(name);
    if (ancestor) break;
  }
  if (ancestor?.kind.filtered) {
    const twin = { name: ancestor.name };
    uniquifyDeckName(d, twin);
    addDeckInTx(tx, { name: twin.name, common: { ...defaultDeckCommon(), studyCollapsed: true, browserCollapsed: true }, kind: { normal: defaultNormalDeck() } }, 'suffix');
    maybeReparent(d, deck);
  }
}
