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
