// Closing a collection file "at schema 11", as Anki's `close(Some(SchemaVersion::V11))` does for
// legacy packages: notetypes, decks, deck configs, config and tags go back into the JSON columns
// of `col` (via the schema-11 converters in storage/legacy), the schema-14+ tables are dropped,
// graves gets its old layout and the file switches to a rollback journal.

import { legacyConfFromConfigEntries, legacyDconfFromDeckConfigs, legacyDecksFromDecks, legacyModelsFromNotetypes, stringifyLegacyJson } from '../storage/legacy';
import { PackageStore } from '../storage/package-store';
import { openDatabase, Storage } from '../storage/storage';

/** Rewrites a closed schema-18 collection file in place as a schema-11 one. */
export function downgradeFileToSchema11(path: string): void {
  const db = openDatabase(path);
  try {
    const storage = new Storage(db);
    const store = new PackageStore(db);
    const notetypes = storage.notetypes.namesInIdOrder().map((n) => storage.notetypes.get(n.id)!);
    const decks = [...storage.decks.all()].sort((a, b) => a.id - b.id);
    const tags: Record<string, number> = {};
    for (const t of store.allTagUsns()) tags[t.tag] = t.usn;
    const json = {
      conf: stringifyLegacyJson(legacyConfFromConfigEntries(store.allConfigRows().map((r) => ({ key: r.KEY, val: r.val })))),
      models: stringifyLegacyJson(legacyModelsFromNotetypes(notetypes)),
      decks: stringifyLegacyJson(legacyDecksFromDecks(decks)),
      dconf: stringifyLegacyJson(legacyDconfFromDeckConfigs(storage.deckConfigs.all())),
      tags: stringifyLegacyJson(tags),
    };
    store.downgradeToSchema11(json);
  } finally {
    db.close();
  }
}
