// The JSON columns of a schema-11 `col` row (`models`, `decks`, `dconf`, `conf`, `tags`) as a
// whole, with the id rules Anki's schema upgrade applies (rslib/src/storage/*/mod.rs).
// Each function accepts the column text or an already parsed object (parse with
// parseLegacyJson, not JSON.parse, or 64-bit field/template ids lose precision).

import type { Deck } from '../../decks/deck';
import type { DeckConfig } from '../../decks/deck-config';
import type { Notetype } from '../../notetypes/notetype';
import { deckConfigFromLegacy, deckConfigToLegacy } from './deck-config';
import { deckFromLegacy, deckToLegacy } from './deck';
import { type JsonObject, type JsonValue, isJsonObject, parseLegacyJson, stringifyLegacyJson } from './json';
import { notetypeFromLegacy, notetypeToLegacy } from './notetype';

function asMap(json: string | JsonValue, what: string): JsonObject {
  const v = typeof json === 'string' ? (json === '' ? {} : parseLegacyJson(json)) : json;
  if (!isJsonObject(v)) throw new TypeError(`col.${what} is not a JSON object`);
  return v;
}

/** `col.models` → notetypes. The inner `id` is used, except that a notetype stored under key 0
 * gets a random id (Anki: "note types with id 0 found in the wild"). */
export function notetypesFromLegacyModels(models: string | JsonValue): Notetype[] {
  const out: Notetype[] = [];
  for (const [key, json] of Object.entries(asMap(models, 'models'))) {
    const nt = notetypeFromLegacy(json);
    if (key === '0') nt.id = Math.max(Math.floor(Math.random() * 2 ** 32), 1);
    out.push(nt);
  }
  return out;
}

export function legacyModelsFromNotetypes(notetypes: Notetype[]): JsonObject {
  const out: JsonObject = {};
  for (const nt of notetypes) out[String(nt.id)] = notetypeToLegacy(nt);
  return out;
}

/** `col.decks` → decks (the inner `id` is used; Anki ignores the key). */
export function decksFromLegacyDecks(decks: string | JsonValue): Deck[] {
  return Object.values(asMap(decks, 'decks')).map(deckFromLegacy);
}

export function legacyDecksFromDecks(decks: Deck[]): JsonObject {
  const out: JsonObject = {};
  for (const d of decks) out[String(d.id)] = deckToLegacy(d);
  return out;
}

/** `col.dconf` → deck configs. The map key wins over the inner `id` (Anki: "buggy clients may have
 * failed to set inner id to match hash key"). */
export function deckConfigsFromLegacyDconf(dconf: string | JsonValue): DeckConfig[] {
  const out: DeckConfig[] = [];
  for (const [key, json] of Object.entries(asMap(dconf, 'dconf'))) {
    const dc = deckConfigFromLegacy(json);
    if (/^-?\d+$/.test(key)) dc.id = Number(key);
    out.push(dc);
  }
  return out;
}

export function legacyDconfFromDeckConfigs(configs: DeckConfig[]): JsonObject {
  const out: JsonObject = {};
  for (const dc of configs) out[String(dc.id)] = deckConfigToLegacy(dc);
  return out;
}

/** One row of the schema-18 `config` table: the value is the JSON serialisation as bytes. */
export interface LegacyConfigEntry {
  key: string;
  val: Uint8Array;
}

/** `col.conf` → config rows (Anki stores them with usn 0, mtime 0 on upgrade). */
export function configEntriesFromLegacyConf(conf: string | JsonValue): LegacyConfigEntry[] {
  const enc = new TextEncoder();
  return Object.entries(asMap(conf, 'conf')).map(([key, v]) => ({ key, val: enc.encode(stringifyLegacyJson(v)) }));
}

/** config rows → `col.conf` object (values that are not valid JSON are skipped). */
export function legacyConfFromConfigEntries(entries: Iterable<LegacyConfigEntry>): JsonObject {
  const dec = new TextDecoder();
  const out: JsonObject = {};
  for (const e of entries) {
    try {
      out[e.key] = parseLegacyJson(dec.decode(e.val));
    } catch {
      /* Anki's get_all_config would fail; skip the entry */
    }
  }
  return out;
}

/** `col.tags` ({ "tag": usn }) → tag rows */
export function tagsFromLegacyTags(tags: string | JsonValue): { tag: string; usn: number }[] {
  return Object.entries(asMap(tags, 'tags')).map(([tag, usn]) => ({
    tag,
    usn: typeof usn === 'number' && Number.isInteger(usn) ? usn : 0,
  }));
}
