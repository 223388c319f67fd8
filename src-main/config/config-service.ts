// Collection settings (the `config` table): typed access to the keys Anki knows, with the value
// Anki uses when a key is missing or holds a value of the wrong type (Anki's `get_config_optional`
// falls back to the default when the stored JSON does not deserialize). Key names and defaults
// restated from Anki's rslib config/*.rs and the schema-11 initial config.

import type { Collection } from '../collection/collection';
import { invalid } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { encodeConfigValue } from '../storage/misc-stores';

type Reader = Collection | Tx;

/** Anki's `BackupLimits` (stored under `backups`). */
export interface BackupLimits {
  daily: number;
  weekly: number;
  monthly: number;
  minimum_interval_mins: number;
}

/** Boolean settings; all default to false except those in TRUE_BY_DEFAULT. */
export const BOOL_CONFIG_KEYS = [
  'applyAllParentLimits',
  'browserTableShowNotesMode',
  'cardCountsSeparateInactive',
  'collapseCardState',
  'collapseDecks',
  'collapseFlags',
  'collapseNotetypes',
  'collapseSavedSearches',
  'collapseTags',
  'collapseToday',
  'futureDueShowBacklog',
  'hideAudioPlayButtons',
  'ignoreAccentsInSearch',
  'interruptAudioWhenAnswering',
  'newCardsIgnoreReviewLimit',
  'pasteImagesAsPng',
  'pasteStripsFormatting',
  'renderLatex',
  'previewBothSides',
  'restorePositionBrowser',
  'restorePositionReviewer',
  'resetCountsBrowser',
  'resetCountsReviewer',
  'randomOrderReposition',
  'sched2021',
  'shiftPositionOfExistingCards',
  'mergeNotetypes',
  'withScheduling',
  'withDeckConfigs',
  'fsrs',
  'fsrsHealthCheck',
  'fsrsLegacyEvaluate',
  'loadBalancerEnabled',
  'fsrsShortTermWithStepsEnabled',
  'normalize_note_text',
  'dayLearnFirst',
  'estTimes',
  'dueCounts',
  'addToCur',
  'sortBackwards',
  'noteSortBackwards',
] as const;

export type BoolConfigKey = (typeof BOOL_CONFIG_KEYS)[number];

/** Keys Anki reads as true when they are missing (spec §2.3, rslib config/bool.rs). */
export const TRUE_BY_DEFAULT: ReadonlySet<BoolConfigKey> = new Set<BoolConfigKey>([
  'interruptAudioWhenAnswering',
  'estTimes',
  'addToCur',
  'futureDueShowBacklog',
  'dueCounts',
  'cardCountsSeparateInactive',
  'restorePositionBrowser',
  'restorePositionReviewer',
  'loadBalancerEnabled',
  'fsrsHealthCheck',
  'normalize_note_text',
]);

export interface OtherConfig {
  /** Current deck id. */
  curDeck: number;
  /** Current notetype id (null in a collection that never had one chosen). */
  curModel: number | null;
  /** Legacy list of active decks (Python add-ons read it). */
  activeDecks: number[];
  /** Learn-ahead limit in seconds. */
  collapseTime: number;
  /** Answer time limit ("timebox") in seconds, 0 = off. */
  timeLim: number;
  /** v1/v2 new/review mix: 0 mix, 1 reviews first, 2 new first. */
  newSpread: number;
  /** Next new-card position. */
  nextPos: number;
  /** 1 = v1 scheduler, 2 = v2 (v3 when `sched2021` is also true). Missing means v1. */
  schedVer: 1 | 2;
  /** Hour (0–23) at which the next day starts. */
  rollover: number;
  /** Minutes west of UTC when the collection was created (null when absent). */
  creationOffset: number | null;
  /** Minutes west of UTC now, as last recorded (null when absent). */
  localOffset: number | null;
  /** Day number on which buried cards were last unburied. */
  lastUnburied: number;
  /** 0 Sunday, 1 Monday, 5 Friday, 6 Saturday. */
  firstDayOfWeek: 0 | 1 | 5 | 6;
  backups: BackupLimits;
  /** Browser sort column for cards / notes. */
  sortType: string;
  noteSortType: string;
  setDueBrowser: string;
  setDueReviewer: string;
  defaultSearchText: string;
  cardStateCustomizer: string;
  csvDuplicateResolution: number;
  matchScope: number;
  lastFsrsOptimize: number;
}

export type KnownConfig = OtherConfig & { [K in BoolConfigKey]: boolean };
export type KnownConfigKey = keyof KnownConfig;

interface KeyDef<T> {
  def: () => T;
  /** The stored JSON as Anki would read it, or undefined when Anki would use the default. */
  read: (v: unknown) => T | undefined;
  /** A value acceptable for saving (undefined = refuse). */
  write?: (v: unknown) => T | undefined;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const inRange = (min: number, max: number) => (v: unknown) => (isInt(v) && v >= min && v <= max ? v : undefined);
const u32 = (d: number): KeyDef<number> => ({ def: () => d, read: inRange(0, 0xffff_ffff) });
const i32 = (d: number): KeyDef<number> => ({ def: () => d, read: inRange(-0x8000_0000, 0x7fff_ffff) });
const str = (d: string): KeyDef<string> => ({ def: () => d, read: (v) => (typeof v === 'string' ? v : undefined) });
const optI32: KeyDef<number | null> = {
  def: () => null,
  read: (v) => (v === null ? null : inRange(-0x8000_0000, 0x7fff_ffff)(v)),
};

const OTHER_DEFS: { [K in keyof OtherConfig]: KeyDef<OtherConfig[K]> } = {
  curDeck: { def: () => 1, read: (v) => (isInt(v) ? v : undefined) },
  curModel: { def: () => null, read: (v) => (v === null || isInt(v) ? v : undefined) },
  activeDecks: { def: () => [1], read: (v) => (Array.isArray(v) && v.every(isInt) ? (v as number[]) : undefined) },
  collapseTime: u32(1200),
  timeLim: u32(0),
  newSpread: { def: () => 0, read: inRange(0, 255) },
  nextPos: u32(0),
  schedVer: { def: () => 1, read: (v) => (v === 1 || v === 2 ? v : undefined) },
  // Anki reads a u8 and caps it at 23; 4 when missing.
  rollover: { def: () => 4, read: (v) => (isInt(v) && v >= 0 && v <= 255 ? Math.min(v, 23) : undefined), write: inRange(0, 23) },
  creationOffset: optI32,
  localOffset: optI32,
  lastUnburied: u32(0),
  firstDayOfWeek: { def: () => 0, read: (v) => (v === 0 || v === 1 || v === 5 || v === 6 ? v : undefined) },
  backups: {
    def: () => ({ daily: 12, weekly: 10, monthly: 9, minimum_interval_mins: 30 }),
    read: (v) => {
      if (typeof v !== 'object' || v === null) return undefined;
      const o = v as Record<string, unknown>;
      const keys = ['daily', 'weekly', 'monthly', 'minimum_interval_mins'] as const;
      if (!keys.every((k) => inRange(0, 0xffff_ffff)(o[k]) !== undefined)) return undefined;
      return { daily: o.daily as number, weekly: o.weekly as number, monthly: o.monthly as number, minimum_interval_mins: o.minimum_interval_mins as number };
    },
  },
  sortType: str('noteFld'),
  noteSortType: str('noteFld'),
  setDueBrowser: str('0'),
  setDueReviewer: str('1'),
  defaultSearchText: str(''),
  cardStateCustomizer: str(''),
  csvDuplicateResolution: i32(0),
  matchScope: i32(0),
  lastFsrsOptimize: i32(0),
};

const BOOL_SET: ReadonlySet<string> = new Set(BOOL_CONFIG_KEYS);

function defOf(key: string): KeyDef<unknown> | undefined {
  if (BOOL_SET.has(key)) {
    const d = TRUE_BY_DEFAULT.has(key as BoolConfigKey);
    return { def: () => d, read: (v) => (typeof v === 'boolean' ? v : undefined) };
  }
  return (OTHER_DEFS as Record<string, KeyDef<unknown>>)[key];
}

export function isKnownConfigKey(key: string): key is KnownConfigKey {
  return defOf(key) !== undefined;
}

/** The default Anki uses for a known key that is missing. */
export function configDefault<K extends KnownConfigKey>(key: K): KnownConfig[K] {
  return defOf(key)!.def() as KnownConfig[K];
}

/** A known setting, or Anki's default when it is missing or unreadable. */
export function getConfig<K extends KnownConfigKey>(col: Reader, key: K): KnownConfig[K] {
  const def = defOf(key);
  if (!def) throw invalid(`unknown config key ${key}`);
  const raw = col.storage.config.get<unknown>(key);
  const v = raw === undefined ? undefined : def.read(raw);
  return (v === undefined ? def.def() : v) as KnownConfig[K];
}

export function getConfigBool(col: Reader, key: BoolConfigKey): boolean {
  return getConfig(col, key);
}

/** Every stored key with its JSON value (unreadable values left out, as Anki does). */
export function getAllConfig(col: Reader): Record<string, unknown> {
  return col.storage.config.all();
}

/** Any key's stored JSON value, or undefined when missing/unreadable. */
export function getConfigJson(col: Reader, key: string): unknown {
  return col.storage.config.get<unknown>(key);
}

function checkValue(key: string, value: unknown): unknown {
  const def = defOf(key);
  if (!def) return value;
  const ok = (def.write ?? def.read)(value);
  if (ok === undefined) throw invalid(`invalid value for config key ${key}: ${JSON.stringify(value)}`);
  return ok;
}

/**
 * Writes a key inside a transaction, like Anki's `set_config`: nothing is written when the stored
 * JSON is already identical. Known keys are type-checked. Returns true if it wrote.
 */
export function setConfigInTx(tx: Tx, key: string, value: unknown): boolean {
  if (!key) throw invalid('config key must not be empty');
  if (value === undefined) throw invalid(`config key ${key}: undefined is not a JSON value`);
  const v = checkValue(key, value);
  const row = tx.storage.config.getRow(key);
  if (row && Buffer.compare(Buffer.from(row.val), encodeConfigValue(v)) === 0) return false;
  tx.setConfig(key, v);
  return true;
}

export function removeConfigInTx(tx: Tx, key: string): boolean {
  if (!tx.storage.config.getRow(key)) return false;
  tx.removeConfig(key);
  return true;
}

/** Sets a known setting (type-checked). Returns whether the stored value changed. */
export function setConfig<K extends KnownConfigKey>(col: Collection, key: K, value: KnownConfig[K]): OpResult<boolean> {
  return col.transact('Update Config', (tx) => setConfigInTx(tx, key, value));
}

/** Sets any key to a JSON value (for add-on/AnkiConnect keys Deckhand does not know). */
export function setConfigJson(col: Collection, key: string, value: unknown): OpResult<boolean> {
  return col.transact('Update Config', (tx) => setConfigInTx(tx, key, value));
}

export function removeConfig(col: Collection, key: string): OpResult<boolean> {
  return col.transact('Update Config', (tx) => removeConfigInTx(tx, key));
}

/** 1, 2 or 3 (v3 = `schedVer` 2 plus `sched2021`). */
export function schedulerVersion(col: Reader): 1 | 2 | 3 {
  const v = getConfig(col, 'schedVer');
  return v === 2 && getConfig(col, 'sched2021') ? 3 : v;
}
