import type Database from 'better-sqlite3';

/**
 * Prepared statements made on first use and kept per connection: stores can be constructed
 * before their tables exist (during a schema upgrade) and hot paths still reuse statements.
 */
export class StatementCache {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}

const caches = new WeakMap<Database.Database, StatementCache>();

/** The connection's cached statement for `sql` (prepared once per connection). */
export function stmt(db: Database.Database, sql: string): Database.Statement {
  let c = caches.get(db);
  if (!c) {
    c = new StatementCache(db);
    caches.set(db, c);
  }
  return c.get(sql);
}
