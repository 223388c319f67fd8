// What the SQL writer needs to know about a collection besides the search itself: notetypes and
// their fields, decks, deck presets, and duplicate candidates. The interface lets the writer be
// tested without a database; createDbSearchCatalog reads a schema-18 collection.

import type Database from 'better-sqlite3';

import { decodeDeckKind, decodeFieldConfig, decodeNotetypeConfig } from '../proto/codecs';
import { NotetypeKind } from '../proto/messages';
import { unicaseEquals } from '../unicase';

export interface SearchField {
  name: string;
  ord: number;
  excludeFromSearch: boolean;
}

export interface SearchNotetype {
  id: number;
  name: string;
  isCloze: boolean;
  sortFieldIdx: number;
  /** In ord order. */
  fields: SearchField[];
}

export interface SearchDeck {
  id: number;
  /** Native form: levels joined with U+001F. */
  name: string;
  /** The deck's preset (deck_config id); null for filtered decks. */
  configId: number | null;
}

export interface SearchCatalog {
  /** All notetypes, ascending by id. */
  notetypes(): readonly SearchNotetype[];
  /** All decks. */
  decks(): readonly SearchDeck[];
  /** Deck preset id by name (unicase), or undefined. */
  deckConfigIdByName(name: string): number | undefined;
  /** The deck and its children (by name), or undefined if the deck does not exist. */
  deckIdWithChildren(deckId: number): number[] | undefined;
  /**
   * Whether any card has one of these decks as its original (home) deck, i.e. sits in a filtered
   * deck. Lets the writer drop the `c.odid in (…)` half of a deck search when it cannot match.
   */
  anyCardWithOriginalDeck(deckIds: readonly number[]): boolean;
  /** Notes of a notetype with the given first-field checksum: [note id, raw first field]. */
  notesWithChecksum(notetypeId: string, csum: number): Array<{ id: number; firstField: string }>;
  /** Unicase equality, as the `unicase` collation compares names. */
  namesEqual(a: string, b: string): boolean;
}

/** A catalog reading the collection tables. Results are cached for the life of the object. */
export function createDbSearchCatalog(db: Database.Database): SearchCatalog {
  let notetypes: SearchNotetype[] | undefined;
  let decks: SearchDeck[] | undefined;
  return {
    notetypes() {
      if (!notetypes) notetypes = readNotetypes(db);
      return notetypes;
    },
    decks() {
      if (!decks) decks = readDecks(db);
      return decks;
    },
    deckConfigIdByName(name) {
      const row = db.prepare('select id from deck_config where name = ?').pluck().get(name) as
        | number
        | undefined;
      return row;
    },
    deckIdWithChildren(deckId) {
      const name = db.prepare('select name from decks where id = ?').pluck().get(deckId) as string | undefined;
      if (name === undefined) return undefined;
      return db
        .prepare('select id from decks where id = ? or (name >= ? and name < ?)')
        .pluck()
        .all(deckId, `${name}\x1f`, `${name}\x20`) as number[];
    },
    anyCardWithOriginalDeck(deckIds) {
      if (deckIds.length === 0) return false;
      // odid != 0 lets SQLite use the partial index idx_cards_odid
      const sql = `select exists(select 1 from cards where odid != 0 and odid in (${deckIds.map(Number).join(',')}))`;
      return db.prepare(sql).pluck().get() === 1;
    },
    notesWithChecksum(notetypeId, csum) {
      const rows = db
        .prepare('select id, flds from notes where csum = ? and mid = ?')
        .raw()
        .all(csum, BigInt(notetypeId)) as Array<[number, string]>;
      return rows.map(([id, flds]) => ({ id, firstField: String(flds).split('\x1f')[0] }));
    },
    namesEqual: unicaseEquals,
  };
}

function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return new Uint8Array(0);
}

function readNotetypes(db: Database.Database): SearchNotetype[] {
  const nts = db.prepare('select id, name, config from notetypes').raw().all() as Array<[number, string, unknown]>;
  const fieldRows = db.prepare('select ntid, ord, name, config from fields').raw().all() as Array<
    [number, number, string, unknown]
  >;
  const byNt = new Map<number, SearchField[]>();
  for (const [ntid, ord, name, config] of fieldRows) {
    let exclude = false;
    try {
      exclude = decodeFieldConfig(toBytes(config)).excludeFromSearch;
    } catch {
      exclude = false;
    }
    let list = byNt.get(ntid);
    if (!list) byNt.set(ntid, (list = []));
    list.push({ name, ord, excludeFromSearch: exclude });
  }
  const out: SearchNotetype[] = nts.map(([id, name, config]) => {
    let isCloze = false;
    let sortFieldIdx = 0;
    try {
      const c = decodeNotetypeConfig(toBytes(config));
      isCloze = c.kind === NotetypeKind.Cloze;
      sortFieldIdx = c.sortFieldIdx;
    } catch {
      // unreadable config: treat as a normal notetype sorting on field 0
    }
    const fields = (byNt.get(id) ?? []).sort((a, b) => a.ord - b.ord);
    return { id, name, isCloze, sortFieldIdx, fields };
  });
  return out.sort((a, b) => a.id - b.id);
}

function readDecks(db: Database.Database): SearchDeck[] {
  const rows = db.prepare('select id, name, kind from decks').raw().all() as Array<[number, string, unknown]>;
  return rows.map(([id, name, kind]) => {
    let configId: number | null = null;
    try {
      const k = decodeDeckKind(toBytes(kind));
      if (k.normal) configId = Number(k.normal.configId);
    } catch {
      configId = null;
    }
    return { id, name, configId };
  });
}
