// Legacy (schema-11) JSON ⇄ domain conversions: the notetypes, decks and deck configs that
// schema-11 collections (legacy .apkg/.colpkg, `col.models/decks/dconf`) and Anki's v11 sync
// protocol carry as JSON. Mirrors rslib/src/{notetype,decks,deckconfig}/schema11.rs.
export { notetypeFromLegacy, notetypeToLegacy } from './notetype';
export { deckFromLegacy, deckToLegacy, normalizeHumanDeckName } from './deck';
export { deckConfigFromLegacy, deckConfigToLegacy } from './deck-config';
export {
  notetypesFromLegacyModels,
  legacyModelsFromNotetypes,
  decksFromLegacyDecks,
  legacyDecksFromDecks,
  deckConfigsFromLegacyDconf,
  legacyDconfFromDeckConfigs,
  configEntriesFromLegacyConf,
  legacyConfFromConfigEntries,
  tagsFromLegacyTags,
  type LegacyConfigEntry,
} from './collection';
export { parseLegacyJson, stringifyLegacyJson, isFloatLiteral, type JsonValue, type JsonObject } from './json';
