import type Database from 'better-sqlite3';
import type { Deck } from '../decks/deck';
import type { DeckConfig } from '../decks/deck-config';
import { StatementCache, stmt } from './statements';
import { decodeDeckCommon, decodeDeckConfigConfig, decodeDeckKind, encodeDeckCommon, encodeDeckConfigConfig, encodeDeckKind } from './proto/codecs';

const SEP = '\x1f';
/** "A::B" (human form) → "A\x1fB" (what the decks table stores). */
export const nativeDeckName = (human: string) => human.split('::').join(SEP);
export const humanDeckName = (native: string) => native.split(SEP).join('::');

export interface DeckRow {
  id: number;
  name: string;
  mtime_secs: number;
  usn: number;
  common: Uint8Array;
  kind: Uint8Array;
}

export function deckFromRow(r: DeckRow): Deck {
  return {
    id: r.id,
    name: humanDeckName(r.name),
    mtimeSecs: r.mtime_secs,
    usn: r.usn,
    common: decodeDeckCommon(r.common),
    kind: decodeDeckKind(r.kind),
  };
}

export function deckToRow(d: Deck): DeckRow {
  return {
    id: d.id,
    name: nativeDeckName(d.name),
    mtime_secs: d.mtimeSecs,
    usn: d.usn,
    common: Buffer.from(encodeDeckCommon(d.common)),
    kind: Buffer.from(encodeDeckKind(d.kind)),
  };
}

export class DeckStore {
  private readonly q: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.q = new StatementCache(db);
  }

  private get getStmt() {
    return this.q.get('SELECT * FROM decks WHERE id = ?');
  }
  private get byNameStmt() {
    return this.q.get('SELECT * FROM decks WHERE name = ?');
  }
  private get putStmt() {
    // An upsert on id: a clash on the unique name must fail loudly, never replace another deck.
    return this.q.get(
      'INSERT INTO decks (id, name, mtime_secs, usn, common, kind) VALUES (@id, @name, @mtime_secs, @usn, @common, @kind) ON CONFLICT (id) DO UPDATE SET name = excluded.name, mtime_secs = excluded.mtime_secs, usn = excluded.usn, common = excluded.common, kind = excluded.kind',
    );
  }
  private get deleteStmt() {
    return this.q.get('DELETE FROM decks WHERE id = ?');
  }
  private get allStmt() {
    return this.q.get('SELECT * FROM decks ORDER BY name');
  }

  getRow(id: number): DeckRow | undefined {
    return this.getStmt.get(id) as DeckRow | undefined;
  }

  get(id: number): Deck | undefined {
    const r = this.getRow(id);
    return r && deckFromRow(r);
  }

  /** Case-insensitive (unicase) lookup by human name. */
  byName(human: string): Deck | undefined {
    const r = this.byNameStmt.get(nativeDeckName(human)) as DeckRow | undefined;
    return r && deckFromRow(r);
  }

  /** All decks, in Anki's deck-list order (unicase on the native name). */
  all(): Deck[] {
    return (this.allStmt.all() as DeckRow[]).map(deckFromRow);
  }

  /** The deck and every deck below it. */
  withChildren(human: string): Deck[] {
    const native = nativeDeckName(human);
    const rows = stmt(this.db, 'SELECT * FROM decks WHERE name = ? OR (name > ? AND name < ?) ORDER BY name').all(native, native + SEP, native + '\x20') as DeckRow[];
    return rows.map(deckFromRow);
  }

  /** Ids and human names of all decks, in Anki's deck-list order (no blob decoding). */
  allNames(): { id: number; name: string }[] {
    return (stmt(this.db, 'SELECT id, name FROM decks ORDER BY name').all() as { id: number; name: string }[]).map((r) => ({ id: r.id, name: humanDeckName(r.name) }));
  }

  /** True when no card has this deck as its current deck (Anki's `deck_is_empty`). */
  hasNoCards(did: number): boolean {
    return stmt(this.db, 'SELECT 1 FROM cards WHERE did = ? LIMIT 1').get(did) === undefined;
  }

  putRow(row: DeckRow): void {
    this.putStmt.run(row);
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  maxId(): number {
    return (stmt(this.db, 'SELECT max(id) FROM decks').pluck().get() as number | null) ?? 0;
  }
}

export interface DeckConfigRow {
  id: number;
  name: string;
  mtime_secs: number;
  usn: number;
  config: Uint8Array;
}

export const deckConfigFromRow = (r: DeckConfigRow): DeckConfig => ({
  id: r.id,
  name: r.name,
  mtimeSecs: r.mtime_secs,
  usn: r.usn,
  config: decodeDeckConfigConfig(r.config),
});

export const deckConfigToRow = (c: DeckConfig): DeckConfigRow => ({
  id: c.id,
  name: c.name,
  mtime_secs: c.mtimeSecs,
  usn: c.usn,
  config: Buffer.from(encodeDeckConfigConfig(c.config)),
});

export class DeckConfigStore {
  private getStmt?: Database.Statement;

  constructor(private readonly db: Database.Database) {}

  getRow(id: number): DeckConfigRow | undefined {
    this.getStmt ??= stmt(this.db, 'SELECT * FROM deck_config WHERE id = ?');
    return this.getStmt.get(id) as DeckConfigRow | undefined;
  }

  get(id: number): DeckConfig | undefined {
    const r = this.getRow(id);
    return r && deckConfigFromRow(r);
  }

  all(): DeckConfig[] {
    return (stmt(this.db, 'SELECT * FROM deck_config ORDER BY id').all() as DeckConfigRow[]).map(deckConfigFromRow);
  }

  putRow(row: DeckConfigRow): void {
    stmt(this.db, 'INSERT OR REPLACE INTO deck_config (id, name, mtime_secs, usn, config) VALUES (@id, @name, @mtime_secs, @usn, @config)').run(row);
  }

  delete(id: number): void {
    stmt(this.db, 'DELETE FROM deck_config WHERE id = ?').run(id);
  }

  maxId(): number {
    return (stmt(this.db, 'SELECT max(id) FROM deck_config').pluck().get() as number | null) ?? 0;
  }
}
