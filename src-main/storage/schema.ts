// The schema-18 layout, verbatim: this text *is* Anki's file format (sqlite_master must match it
// so that Anki, and the independent checker, accept our files).

export const SCHEMA_VERSION = 18;

/** Each schema-18 table's CREATE statement, by table name (the upgrade path creates them one by one). */
export const TABLE_SQL = {
  col: `CREATE TABLE col (
  id integer PRIMARY KEY,
  crt integer NOT NULL,
  mod integer NOT NULL,
  scm integer NOT NULL,
  ver integer NOT NULL,
  dty integer NOT NULL,
  usn integer NOT NULL,
  ls integer NOT NULL,
  conf text NOT NULL,
  models text NOT NULL,
  decks text NOT NULL,
  dconf text NOT NULL,
  tags text NOT NULL
);`,
  notes: `CREATE TABLE notes (
  id integer PRIMARY KEY,
  guid text NOT NULL,
  mid integer NOT NULL,
  mod integer NOT NULL,
  usn integer NOT NULL,
  tags text NOT NULL,
  flds text NOT NULL,
  -- The use of type integer for sfld is deliberate, because it means that integer values in this
  -- field will sort numerically.
  sfld integer NOT NULL,
  csum integer NOT NULL,
  flags integer NOT NULL,
  data text NOT NULL
);`,
  cards: `CREATE TABLE cards (
  id integer PRIMARY KEY,
  nid integer NOT NULL,
  did integer NOT NULL,
  ord integer NOT NULL,
  mod integer NOT NULL,
  usn integer NOT NULL,
  type integer NOT NULL,
  queue integer NOT NULL,
  due integer NOT NULL,
  ivl integer NOT NULL,
  factor integer NOT NULL,
  reps integer NOT NULL,
  lapses integer NOT NULL,
  left integer NOT NULL,
  odue integer NOT NULL,
  odid integer NOT NULL,
  flags integer NOT NULL,
  data text NOT NULL
);`,
  revlog: `CREATE TABLE revlog (
  id integer PRIMARY KEY,
  cid integer NOT NULL,
  usn integer NOT NULL,
  ease integer NOT NULL,
  ivl integer NOT NULL,
  lastIvl integer NOT NULL,
  factor integer NOT NULL,
  time integer NOT NULL,
  type integer NOT NULL
);`,
  graves: `CREATE TABLE graves (
  oid integer NOT NULL,
  type integer NOT NULL,
  usn integer NOT NULL,
  PRIMARY KEY (oid, type)
) WITHOUT ROWID;`,
  deck_config: `CREATE TABLE deck_config (
  id integer PRIMARY KEY NOT NULL,
  name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL,
  usn integer NOT NULL,
  config blob NOT NULL
);`,
  config: `CREATE TABLE config (
  KEY text NOT NULL PRIMARY KEY,
  usn integer NOT NULL,
  mtime_secs integer NOT NULL,
  val blob NOT NULL
) without rowid;`,
  fields: `CREATE TABLE fields (
  ntid integer NOT NULL,
  ord integer NOT NULL,
  name text NOT NULL COLLATE unicase,
  config blob NOT NULL,
  PRIMARY KEY (ntid, ord)
) without rowid;`,
  templates: `CREATE TABLE templates (
  ntid integer NOT NULL,
  ord integer NOT NULL,
  name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL,
  usn integer NOT NULL,
  config blob NOT NULL,
  PRIMARY KEY (ntid, ord)
) without rowid;`,
  notetypes: `CREATE TABLE notetypes (
  id integer NOT NULL PRIMARY KEY,
  name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL,
  usn integer NOT NULL,
  config blob NOT NULL
);`,
  decks: `CREATE TABLE decks (
  id integer PRIMARY KEY NOT NULL,
  name text NOT NULL COLLATE unicase,
  mtime_secs integer NOT NULL,
  usn integer NOT NULL,
  common blob NOT NULL,
  kind blob NOT NULL
);`,
  tags: `CREATE TABLE tags (
  tag text NOT NULL PRIMARY KEY COLLATE unicase,
  usn integer NOT NULL,
  collapsed boolean NOT NULL,
  config blob NULL
) without rowid;`,
} as const;

export const SCHEMA18_TABLES = Object.values(TABLE_SQL).join('\n');

/** Each schema-18 index, by name. */
export const INDEX_SQL = {
  ix_notes_usn: `CREATE INDEX ix_notes_usn ON notes (usn);`,
  ix_cards_usn: `CREATE INDEX ix_cards_usn ON cards (usn);`,
  ix_revlog_usn: `CREATE INDEX ix_revlog_usn ON revlog (usn);`,
  ix_cards_nid: `CREATE INDEX ix_cards_nid ON cards (nid);`,
  ix_cards_sched: `CREATE INDEX ix_cards_sched ON cards (did, queue, due);`,
  ix_revlog_cid: `CREATE INDEX ix_revlog_cid ON revlog (cid);`,
  ix_notes_csum: `CREATE INDEX ix_notes_csum ON notes (csum);`,
  idx_fields_name_ntid: `CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);`,
  idx_templates_name_ntid: `CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);`,
  idx_templates_usn: `CREATE INDEX idx_templates_usn ON templates (usn);`,
  idx_notetypes_name: `CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);`,
  idx_notetypes_usn: `CREATE INDEX idx_notetypes_usn ON notetypes (usn);`,
  idx_decks_name: `CREATE UNIQUE INDEX idx_decks_name ON decks (name);`,
  idx_notes_mid: `CREATE INDEX idx_notes_mid ON notes (mid);`,
  idx_cards_odid: `CREATE INDEX idx_cards_odid ON cards (odid)
WHERE odid != 0;`,
  idx_graves_pending: `CREATE INDEX idx_graves_pending ON graves (usn);`,
} as const;

export const SCHEMA18_INDEXES = Object.values(INDEX_SQL).join('\n');
