import type Database from 'better-sqlite3';
import { DeckhandError } from '../collection/errors';
import { deckConfigToRow, deckToRow } from './deck-store';
import { deckConfigFromLegacy, deckFromLegacy, notetypeFromLegacy } from './legacy';
import { encodeConfigValue } from './misc-stores';
import { notetypeToRows } from './notetype-store';
import { Storage } from './storage';

// Schema upgrades in Anki's order (rslib/src/storage/upgrades): 11 → 14 moves deck configs,
// config and tags out of the col row; 15 moves notetypes and decks; 16 stores ease as 2.5
// rather than 250; 17 widens the tags table; 18 gives graves a primary key. The tables created
// here have exactly the final schema-18 layout.

const parseJson = (what: string, text: string): Record<string, any> => {
  try {
    return text ? (JSON.parse(text) as Record<string, any>) : {};
  } catch {
    throw new DeckhandError('corrupt', `the collection's ${what} are not valid JSON; open it in Anki and run Check Database`);
  }
};

export function upgradeToSchema18(db: Database.Database, ver: number, _nowMs: number): void {
  const s = new Storage(db);
  const col = db.prepare('SELECT conf, models, decks, dconf, tags FROM col').get() as Record<string, string>;
  if (ver < 14) {
    db.exec(`
CREATE TABLE deck_config (
  id integer PRIMARY KEY NOT NULL,
  name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL,
  usn integer NOT NULL,
  config blob NOT NULL
);
CREATE TABLE config (
  KEY text NOT NULL PRIMARY KEY,
  usn integer NOT NULL,
  mtime_secs integer NOT NULL,
  val blob NOT NULL
) without rowid;
CREATE TABLE tags (
  tag text NOT NULL PRIMARY KEY COLLATE unicase,
  usn integer NOT NULL,
  collapsed boolean NOT NULL,
  config blob NULL
) without rowid;`);
    for (const json of Object.values(parseJson('deck options', col.dconf))) {
      const conf = deckConfigFromLegacy(json);
      // schema 16 stores the initial ease as 2.5, not 250
      if (conf.config.initialEase > 10) conf.config.initialEase /= 100;
      s.deckConfigs.putRow(deckConfigToRow(conf));
    }
    for (const [tag, usn] of Object.entries(parseJson('tags', col.tags))) s.tags.putRow({ tag, usn: Number(usn) || 0, collapsed: 0, config: null });
    for (const [KEY, val] of Object.entries(parseJson('settings', col.conf))) s.config.putRow({ KEY, usn: 0, mtime_secs: 0, val: encodeConfigValue(val) });
  }
  if (ver < 15) {
    db.exec(`
CREATE TABLE fields (
  ntid integer NOT NULL,
  ord integer NOT NULL,
  name text NOT NULL COLLATE unicase,
  config blob NOT NULL,
  PRIMARY KEY (ntid, ord)
) without rowid;
CREATE TABLE templates (
  ntid integer NOT NULL,
  ord integer NOT NULL,
  name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL,
  usn integer NOT NULL,
  config blob NOT NULL,
  PRIMARY KEY (ntid, ord)
) without rowid;
CREATE TABLE notetypes (
  id integer NOT NULL PRIMARY KEY,
  name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL,
  usn integer NOT NULL,
  config blob NOT NULL
);
CREATE TABLE decks (
  id integer PRIMARY KEY NOT NULL,
  name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL,
  usn integer NOT NULL,
  common blob NOT NULL,
  kind blob NOT NULL
);
CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);
CREATE INDEX idx_templates_usn ON templates (usn);
CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
CREATE INDEX idx_notetypes_usn ON notetypes (usn);
CREATE UNIQUE INDEX idx_decks_name ON decks (name);
CREATE INDEX IF NOT EXISTS idx_notes_mid ON notes (mid);
CREATE INDEX IF NOT EXISTS idx_cards_odid ON cards (odid) WHERE odid != 0;`);
    for (const json of Object.values(parseJson('note types', col.models))) s.notetypes.putRows(notetypeToRows(notetypeFromLegacy(json)));
    for (const json of Object.values(parseJson('decks', col.decks))) s.decks.putRow(deckToRow(deckFromLegacy(json)));
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
    db.exec(`DROP TABLE tags;
CREATE TABLE tags (
  tag text NOT NULL PRIMARY KEY COLLATE unicase,
  usn integer NOT NULL,
  collapsed boolean NOT NULL,
  config blob NULL
) without rowid;`);
    for (const r of old) s.tags.putRow({ tag: r.tag, usn: r.usn, collapsed: 0, config: null });
  }
  if (ver < 18) {
    db.exec(`ALTER TABLE graves RENAME TO graves_old;
CREATE TABLE graves (
  oid integer NOT NULL,
  type integer NOT NULL,
  usn integer NOT NULL,
  PRIMARY KEY (oid, type)
) WITHOUT ROWID;
INSERT OR IGNORE INTO graves (oid, type, usn) SELECT oid, type, usn FROM graves_old;
DROP TABLE graves_old;
CREATE INDEX idx_graves_pending ON graves (usn);`);
  }
  db.exec('UPDATE col SET ver = 18');
  if (ver < 15) db.exec('ANALYZE');
}
