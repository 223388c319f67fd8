// Deck options presets (deck_config rows): list, read (with Anki's fallbacks and read-time range
// checks), add, update, remove, and which decks use which preset. Follows Anki's rslib deckconfig/*
// and pylib decks.py (restated, not copied).

import type { Collection } from '../collection/collection';
import { DeckhandError, invalid, notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { deckConfigToRow } from '../storage/deck-store';
import { defaultDeckConfigConfig, ensureDeckConfigValuesValid } from '../storage/proto/codecs';
import type { DeckConfigConfig } from '../storage/proto/messages';
import type { Deck } from './deck';
import { DEFAULT_DECK_CONFIG_ID, type DeckConfig } from './deck-config';
import { isFilteredDeck, updateDeckInTx } from './decks-service';

type Reader = Collection | Tx;

export interface DeckConfigWithUseCount extends DeckConfig {
  /** How many normal decks use this preset. */
  useCount: number;
}

/** Anki's `DeckConfig::default()`: what a collection without deck config 1 falls back to (id 0). */
export function builtInDeckConfig(): DeckConfig {
  return { id: 0, name: '', mtimeSecs: 0, usn: 0, config: defaultDeckConfigConfig() };
}

/** A stored preset as Anki reads it: out-of-range or NaN values replaced by the defaults. */
function readConfig(col: Reader, id: number): DeckConfig | undefined {
  const c = col.storage.deckConfigs.get(id);
  if (c) ensureDeckConfigValuesValid(c.config);
  return c;
}

/** The preset with this id; throws `not-found`. */
export function getDeckConfig(col: Reader, id: number): DeckConfig {
  const c = readConfig(col, id);
  if (!c) throw notFound(`deck options preset ${id}`);
  return c;
}

/** The preset, else preset 1, else the built-in defaults (Anki's `get_deck_config(id, fallback)`). */
export function getDeckConfigOrDefault(col: Reader, id: number): DeckConfig {
  return readConfig(col, id) ?? readConfig(col, DEFAULT_DECK_CONFIG_ID) ?? builtInDeckConfig();
}

/**
 * The options that apply to a normal deck: its preset, falling back to preset 1, then to the
 * built-in defaults. A filtered deck has no preset (its cards use their home decks' presets).
 */
export function deckConfigForDeck(col: Reader, deckId: number): DeckConfig {
  const deck = col.storage.decks.get(deckId);
  if (!deck) throw notFound(`deck ${deckId}`);
  if (!deck.kind.normal) throw invalid(`“${deck.name}” is a filtered deck: it has no options preset of its own (its cards use their home decks' presets).`);
  return getDeckConfigOrDefault(col, Number(deck.kind.normal.configId));
}

/** How many normal decks use each preset id (ids of missing presets included). */
export function deckConfigUseCounts(col: Reader): Map<number, number> {
  const counts = new Map<number, number>();
  for (const d of col.storage.decks.all()) {
    if (!d.kind.normal) continue;
    const id = Number(d.kind.normal.configId);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** All presets in id order, each with its use count. */
export function listDeckConfigs(col: Reader): DeckConfigWithUseCount[] {
  const counts = deckConfigUseCounts(col);
  return col.storage.deckConfigs.all().map((c) => ({ ...c, config: ensureDeckConfigValuesValid(c.config), useCount: counts.get(c.id) ?? 0 }));
}

/** Ids of the normal decks using a preset. */
export function decksUsingConfig(col: Reader, configId: number): number[] {
  return col.storage.decks
    .all()
    .filter((d) => d.kind.normal && Number(d.kind.normal.configId) === configId)
    .map((d) => d.id);
}

// ---------------------------------------------------------------------------------------------
// Validation before saving

const f32 = Math.fround;

/** The ranges Anki's reader accepts (`ensure_deck_config_values_valid`); we clamp into them on save. */
const U32_RANGES: [keyof DeckConfigConfig, number, number][] = [
  ['newPerDay', 0, 9999],
  ['reviewsPerDay', 0, 9999],
  ['newPerDayMinimum', 0, 9999],
  ['maximumReviewInterval', 1, 36_500],
  ['minimumLapseInterval', 1, 36_500],
  ['graduatingIntervalGood', 1, 36_500],
  ['graduatingIntervalEasy', 1, 36_500],
  ['leechThreshold', 1, 9999],
  ['capAnswerTimeToSecs', 1, 9999],
];
const F32_RANGES: [keyof DeckConfigConfig, number, number][] = [
  ['initialEase', 1.31, 5.0],
  ['easyMultiplier', 1.0, 5.0],
  ['hardMultiplier', 0.5, 1.3],
  ['lapseMultiplier', 0.0, 1.0],
  ['intervalMultiplier', 0.5, 2.0],
  ['desiredRetention', 0.7, 0.99],
  ['historicalRetention', 0.7, 0.97],
  ['secondsToShowQuestion', 0, Number.MAX_VALUE],
  ['secondsToShowAnswer', 0, Number.MAX_VALUE],
];
/** Highest known value of each enum field (proto enums of DeckConfig.Config). */
const ENUM_MAX: [keyof DeckConfigConfig, number][] = [
  ['newCardInsertOrder', 1],
  ['newCardGatherPriority', 5],
  ['newCardSortOrder', 4],
  ['newMix', 2],
  ['reviewOrder', 12],
  ['interdayLearningMix', 2],
  ['leechAction', 1],
  ['questionAction', 1],
  ['answerAction', 4],
];
/** Parameter counts the FSRS crate Anki uses (6.6) accepts: none (defaults), FSRS 4.5, 5, 6. */
const FSRS_PARAM_COUNTS = new Set([0, 17, 19, 21]);

/**
 * Checks a preset before it is saved and returns the normalised copy: whole numbers clamped into
 * the ranges Anki accepts (as the deck options screen's inputs do; outside them Anki would read the
 * default instead), floats stored as float32, unknown enum values, bad steps and invalid FSRS
 * parameters refused with a clear message.
 */
export function validateDeckConfigConfig(input: DeckConfigConfig): DeckConfigConfig {
  const c = structuredClone(input);
  const rec = c as unknown as Record<string, unknown>;
  for (const [key, min, max] of U32_RANGES) {
    const v = rec[key];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(`deck options: ${key} must be a whole number (got ${String(v)})`);
    rec[key] = Math.min(max, Math.max(min, v));
  }
  for (const [key, min, max] of F32_RANGES) {
    const v = rec[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`deck options: ${key} must be a number (got ${String(v)})`);
    rec[key] = Math.min(f32(max), Math.max(f32(min), f32(v)));
  }
  for (const [key, max] of ENUM_MAX) {
    const v = rec[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw invalid(`deck options: ${key} has an unknown value ${String(v)} (0–${max})`);
  }
  for (const key of ['learnSteps', 'relearnSteps'] as const) {
    for (const step of c[key]) {
      if (!Number.isFinite(step) || step <= 0) throw invalid(`deck options: ${key === 'learnSteps' ? 'learning' : 'relearning'} steps must be positive numbers of minutes (got ${step})`);
    }
    c[key] = c[key].map(f32);
  }
  for (const v of c.easyDaysPercentages) if (!Number.isFinite(v) || v < 0) throw invalid(`deck options: easy-day percentages must be numbers ≥ 0 (got ${v})`);
  if (c.easyDaysPercentages.length !== 0 && c.easyDaysPercentages.length !== 7) throw invalid('deck options: easy days need one value per weekday (7)');
  c.easyDaysPercentages = c.easyDaysPercentages.map(f32);
  // Anki: empty FSRS 6 parameters clear the older ones too, so they are not silently used.
  if (c.fsrsParams6.length === 0) {
    c.fsrsParams5 = [];
    c.fsrsParams4 = [];
  }
  for (const key of ['fsrsParams4', 'fsrsParams5', 'fsrsParams6'] as const) {
    const p = c[key];
    if (!FSRS_PARAM_COUNTS.has(p.length) || p.some((v) => !Number.isFinite(v)))
      throw invalid(`deck options: FSRS parameters must be 17, 19 or 21 finite numbers, or none (got ${p.length})`);
    c[key] = p.map(f32);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Writing

function sameConfig(a: DeckConfig, b: DeckConfig): boolean {
  const ra = deckConfigToRow(a);
  const rb = deckConfigToRow(b);
  return ra.name === rb.name && Buffer.compare(ra.config, rb.config) === 0;
}

function checkedName(name: string): string {
  const n = name.trim();
  if (!n) throw invalid('a deck options preset needs a name');
  return n;
}

export function addDeckConfigInTx(tx: Tx, name: string, cloneFromId?: number): DeckConfig {
  const config = cloneFromId === undefined ? defaultDeckConfigConfig() : structuredClone(getDeckConfig(tx, cloneFromId).config);
  const conf: DeckConfig = { id: tx.nextId('deck_config'), name: checkedName(name), mtimeSecs: 0, usn: -1, config: validateDeckConfigConfig(config) };
  return tx.putDeckConfig(conf, true);
}

/** Adds a preset: Anki's defaults, or a copy of another preset's options. */
export function addDeckConfig(col: Collection, name: string, cloneFromId?: number): OpResult<DeckConfig> {
  return col.transact('Add Preset', (tx) => addDeckConfigInTx(tx, name, cloneFromId));
}

export function updateDeckConfigInTx(tx: Tx, conf: DeckConfig): DeckConfig {
  const original = readConfig(tx, conf.id);
  if (!original) throw notFound(`deck options preset ${conf.id}`);
  const updated: DeckConfig = { ...original, name: checkedName(conf.name), config: validateDeckConfigConfig(conf.config) };
  if (sameConfig(updated, original)) return original;
  return tx.putDeckConfig(updated);
}

/** Saves a preset's name and options (validated, see validateDeckConfigConfig). */
export function updateDeckConfig(col: Collection, conf: DeckConfig): OpResult<DeckConfig> {
  return col.transact('Update Deck Options', (tx) => updateDeckConfigInTx(tx, conf));
}

export function removeDeckConfigInTx(tx: Tx, id: number): number {
  if (id === DEFAULT_DECK_CONFIG_ID) throw new DeckhandError('invalid-input', 'The default options preset cannot be deleted.');
  if (!tx.storage.deckConfigs.getRow(id)) throw notFound(`deck options preset ${id}`);
  let moved = 0;
  for (const deck of tx.storage.decks.all()) {
    if (deck.kind.normal && Number(deck.kind.normal.configId) === id) {
      deck.kind.normal.configId = BigInt(DEFAULT_DECK_CONFIG_ID);
      tx.putDeck(deck);
      moved++;
    }
  }
  tx.removeDeckConfig(id);
  return moved;
}

/**
 * Deletes a preset (never preset 1). Decks using it switch to preset 1, as Anki's
 * `remove_config` does. Like Anki this marks the schema changed, so the next sync is a full one —
 * the UI should confirm that first. Returns how many decks were switched.
 */
export function removeDeckConfig(col: Collection, id: number): OpResult<number> {
  return col.transact('Delete Preset', (tx) => removeDeckConfigInTx(tx, id));
}

export interface AssignOptions {
  /** Also give the preset to every normal subdeck (Anki's "Save to all subdecks"). */
  includeChildren?: boolean;
}

export function setDeckConfigForDecksInTx(tx: Tx, configId: number, deckIds: readonly number[], opts: AssignOptions = {}): number {
  if (!tx.storage.deckConfigs.getRow(configId)) throw notFound(`deck options preset ${configId}`);
  const targets = new Map<number, Deck>();
  for (const id of deckIds) {
    const deck = tx.storage.decks.get(id);
    if (!deck) throw notFound(`deck ${id}`);
    if (isFilteredDeck(deck)) throw invalid(`“${deck.name}” is a filtered deck: options presets apply to normal decks only.`);
    targets.set(deck.id, deck);
    if (opts.includeChildren) for (const d of tx.storage.decks.withChildren(deck.name)) if (!isFilteredDeck(d)) targets.set(d.id, d);
  }
  let n = 0;
  for (const deck of targets.values()) {
    const normal = deck.kind.normal!;
    if (Number(normal.configId) === configId) continue;
    normal.configId = BigInt(configId);
    updateDeckInTx(tx, deck, 'suffix');
    n++;
  }
  return n;
}

/**
 * Gives decks a preset. Returns how many decks changed. (Anki also re-sorts new cards when the
 * preset's insertion order differs and adjusts learning steps of cards in learning; those are
 * scheduler operations and are not done here.)
 */
export function setDeckConfigForDecks(col: Collection, configId: number, deckIds: readonly number[], opts: AssignOptions = {}): OpResult<number> {
  return col.transact('Set Deck Options', (tx) => setDeckConfigForDecksInTx(tx, configId, deckIds, opts));
}
