import type Database from 'better-sqlite3';
import { DeckhandError } from '../collection/errors';
import { deckConfigToRow, deckToRow } from './deck-store';
import { configEntriesFromLegacyConf, deckConfigsFromLegacyDconf, decksFromLegacyDecks, notetypesFromLegacyModels, tagsFromLegacyTags } from './legacy';
import { notetypeToRows } from './notetype-store';
import { INDEX_SQL, TABLE_SQL } from './schema';
import { Storage } from './storage';
import { unicaseFold } from './unicase';

// Schema upgrades in Anki's order (rslib/src/storage/upgrades): 11 → 14 moves deck configs,
// config and tags out of the col row; 15 moves notetypes and decks; 16 stores ease as 2.5
// rather than 250; 17 widens the tags table; 18 gives graves a primary key. The tables created
// here have exactly the final schema-18 layout.

/** Runs a legacy-JSON conversion, turning a parse failure into a clear error. */
function fromJson<T>(what: string, convert: () => T): T {
  try {
    return convert();
  } catch (e) {
    throw new DeckhandError('corrupt', `the collection's ${what} cannot be read (${(e as Error).message}); open it in Anki and run Check Database`);
  }
}

function uniqueName(name: string, taken: Set<string>, suffix: string): string {
  while (taken.has(unicaseFold(name))) name += suffix;
  taken.add(unicaseFold(name));
  return name;
}

function uniqueNames(items: { name: string }[]): void {
  const taken = new Set<string>();
  for (const item of items) item.name = uniqueName(item.name, taken, '+');
}

export function upgradeToSchema18(db: Database.Database, ver: number, _nowMs: number): void {
  const s = new Storage(db);
  const col = db.prepare('SELECT conf, models, decks, dconf, tags FROM col').get() as Record<string, string>;
  if (ver < 14) {
    db.exec([TABLE_SQL.deck_config, TABLE_SQL.config, TABLE_SQL.tags].join('\n'));
    for (const conf of fromJson('deck options', () => deckConfigsFromLegacyDconf(col.dconf || '{}'))) s.deckConfigs.putRow(deckConfigToRow(conf));
    for (const { tag, usn } of fromJson('tags', () => tagsFromLegacyTags(col.tags || '{}'))) s.tags.putRow({ tag, usn, collapsed: 0, config: null });
    for (const { key, val } of fromJson('settings', () => configEntriesFromLegacyConf(col.conf || '{}'))) {
      // Deliberate difference: old clients stored curModel/curDeck as numeric strings, which Anki
      // copies as they are and then cannot read (it falls back to defaults); we store the number.
      const text = Buffer.from(val).toString('utf8');
      const fixed = (key === 'curModel' || key === 'curDeck') && /^"\d+"$/.test(text) ? Buffer.from(text.slice(1, -1)) : Buffer.from(val);
      s.config.putRow({ KEY: key, usn: 0, mtime_secs: 0, val: fixed });
    }
  }
  if (ver < 15) {
    db.exec([TABLE_SQL.fields, TABLE_SQL.templates, TABLE_SQL.notetypes, TABLE_SQL.decks].join('\n'));
    const I = INDEX_SQL;
    db.exec([I.idx_fields_name_ntid, I.idx_templates_name_ntid, I.idx_templates_usn, I.idx_notetypes_name, I.idx_notetypes_usn, I.idx_decks_name].join('\n'));
    // schema-11 files from some clients already have these two
    for (const idx of [I.idx_notes_mid, I.idx_cards_odid]) db.exec(idx.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
    // Like Anki's upgrade: names made unique (unicase) by appending "_", field and template names
    // unique within their notetype.
    const ntNames = new Set<string>();
    for (const nt of fromJson('note types', () => notetypesFromLegacyModels(col.models || '{}'))) {
      nt.name = uniqueName(nt.name, ntNames, '_');
      uniqueNames(nt.fields);
      uniqueNames(nt.templates);
      s.notetypes.putRows(notetypeToRows(nt));
    }
    const deckNames = new Set<string>();
    for (const deck of fromJson('decks', () => decksFromLegacyDecks(col.decks || '{}'))) {
      deck.name = uniqueName(deck.name, deckNames, '_');
      s.decks.putRow(deckToRow(deck));
    }
    db.exec("UPDATE col SET conf = '', models = '', decks = '', dconf = '', tags = ''");
  }
  if (ver >= 14 && ver < 16) {
    for (const conf of s.deckConfigs.all()) {
      if (conf.config.initialEase > 10) {
        conf.config.initialEase /= 100;
        s.deckConfigs.putRow(deckConfigToRow(conf));
      }
    }
  }
  if (ver >= 14 && ver < 17) {
    const old = db.prepare('SELECT tag, usn FROM tags').all() as { tag: string; usn: number }[];
    db.exec(`DROP TABLE tags;\n${TABLE_SQL.tags}`);
    for (const r of old) s.tags.putRow({ tag: r.tag, usn: r.usn, collapsed: 0, config: null });
  }
  if (ver < 18) {
    db.exec(`ALTER TABLE graves RENAME TO graves_old;
${TABLE_SQL.graves}
INSERT OR IGNORE INTO graves (oid, type, usn) SELECT oid, type, usn FROM graves_old;
DROP TABLE graves_old;
${INDEX_SQL.idx_graves_pending}`);
  }
  db.exec('UPDATE col SET ver = 18');
  if (ver < 15) db.exec('ANALYZE');
}
