/** Deck actions and deck options presets (getDeckConfig & co.). getDeckStats lives with the scheduler actions. */
import { cardsById, setDeckInTx } from '../../cards/cards-service';
import type { Collection } from '../../collection/collection';
import { DEFAULT_DECK_CONFIG_ID, type DeckConfig } from '../../decks/deck-config';
import {
  addDeckConfig,
  deckConfigForDeck,
  listDeckConfigs,
  removeDeckConfig,
  setDeckConfigForDecks,
  updateDeckConfig,
} from '../../decks/deck-config-service';
import { deckNames as deckNamesService, getDeck, getOrCreateDeck, getOrCreateDeckInTx, isFilteredDeck, removeDecks } from '../../decks/decks-service';
import { deckConfigFromLegacy, deckConfigToLegacy, deckToLegacy } from '../../storage/legacy';
import { pyStrRepr } from '../py-compat';
import { defineAnkiAction } from './define';
import { collection, deckOrDefault, memo } from './session';

/** Deck name → id, exact names (AnkiConnect tests membership with `deck in self.deckNames()`). */
function exactDeckIds(col: Collection): Map<string, number> {
  return new Map(deckNamesService(col).map((d) => [d.name, d.id]));
}

/** Python's `int(x)` for an id given as a number or a string. */
function pyInt(v: number | string): number {
  if (typeof v === 'number') return v;
  if (!/^\s*[-+]?\d+\s*$/.test(v)) throw new Error(`invalid literal for int() with base 10: ${pyStrRepr(v)}`);
  return Number(v.trim());
}

const configExists = (col: Collection, id: number) => listDeckConfigs(col).some((c) => c.id === id);

export const deckNames = defineAnkiAction('deckNames', (_p, ctx) => deckNamesService(collection(ctx)).map((d) => d.name));

export const deckNamesAndIds = defineAnkiAction('deckNamesAndIds', (_p, ctx) => {
  const out: Record<string, number> = {};
  for (const d of deckNamesService(collection(ctx))) out[d.name] = d.id;
  return out;
});

export const deckNameFromId = defineAnkiAction('deckNameFromId', ({ deckId }, ctx) => {
  const deck = collection(ctx).storage.decks.get(deckId);
  if (!deck) throw new Error(`deck was not found: ${deckId}`);
  return deck.name;
});

/** Deck name → the given card ids in it (current deck; an unknown card counts as deck 1's, as upstream). */
export const getDecks = defineAnkiAction('getDecks', ({ cards }, ctx) => {
  const col = collection(ctx);
  const byId = cardsById(col, cards);
  const deckName = memo((did: number) => deckOrDefault(col, did).name);
  const out: Record<string, number[]> = {};
  for (const cid of cards) {
    const name = deckName(byId.get(cid)?.deckId ?? 1);
    (out[name] ??= []).push(cid);
  }
  return out;
});

export const createDeck = defineAnkiAction('createDeck', ({ deck }, ctx) => getOrCreateDeck(collection(ctx), deck).result.id);

/** Moves cards (out of filtered decks first) to a deck, created when missing — one transaction. */
export const changeDeck = defineAnkiAction('changeDeck', ({ cards, deck }, ctx) => {
  collection(ctx).transact('Change Deck', (tx) => setDeckInTx(tx, cards, getOrCreateDeckInTx(tx, deck).id));
  return null;
});

export const deleteDecks = defineAnkiAction('deleteDecks', ({ decks, cardsToo }, ctx) => {
  if (!cardsToo) throw new Error("Since Anki 2.1.28 it's not possible to delete decks without deleting cards as well");
  const col = collection(ctx);
  const ids = exactDeckIds(col);
  const existing = decks.map((d) => ids.get(d)).filter((id): id is number => id !== undefined);
  if (existing.length) removeDecks(col, existing);
  return null;
});

/** The preset of a deck as Anki's legacy JSON (a filtered deck answers its own deck object), or false. */
export const getDeckConfig = defineAnkiAction('getDeckConfig', ({ deck }, ctx) => {
  const col = collection(ctx);
  const id = exactDeckIds(col).get(deck);
  if (id === undefined) return false;
  const d = getDeck(col, id);
  if (isFilteredDeck(d)) return deckToLegacy(d);
  return deckConfigToLegacy(deckConfigForDeck(col, id));
});

/** Saves a preset given as legacy JSON; false when its id is not a preset or saving fails. */
export const saveDeckConfig = defineAnkiAction('saveDeckConfig', ({ config }, ctx) => {
  const col = collection(ctx);
  const id = pyInt(config.id);
  if (!configExists(col, id)) return false;
  let conf: DeckConfig;
  try {
    conf = deckConfigFromLegacy({ ...config, id });
    updateDeckConfig(col, { ...conf, id });
  } catch {
    return false;
  }
  return true;
});

export const setDeckConfigId = defineAnkiAction('setDeckConfigId', ({ decks, configId }, ctx) => {
  const col = collection(ctx);
  const ids = exactDeckIds(col);
  const targets: number[] = [];
  for (const name of decks) {
    const id = ids.get(name);
    if (id === undefined) return false;
    targets.push(id);
  }
  try {
    setDeckConfigForDecks(col, configId, targets);
  } catch {
    return false;
  }
  return true;
});

export const cloneDeckConfigId = defineAnkiAction('cloneDeckConfigId', ({ name, cloneFrom }, ctx) => {
  const col = collection(ctx);
  const from = pyInt(cloneFrom);
  if (!configExists(col, from)) return false;
  return addDeckConfig(col, name, from).result.id;
});

/** false for a missing preset, and for preset 1 (Anki refuses to delete it). */
export const removeDeckConfigId = defineAnkiAction('removeDeckConfigId', ({ configId }, ctx) => {
  const col = collection(ctx);
  if (configId === DEFAULT_DECK_CONFIG_ID || !configExists(col, configId)) return false;
  removeDeckConfig(col, configId);
  return true;
});

export const DECK_ACTIONS = [
  deckNames,
  deckNamesAndIds,
  deckNameFromId,
  getDecks,
  createDeck,
  changeDeck,
  deleteDecks,
  getDeckConfig,
  saveDeckConfig,
  setDeckConfigId,
  cloneDeckConfigId,
  removeDeckConfigId,
];
