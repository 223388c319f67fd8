import type Database from 'better-sqlite3';
import { SCHEMA18_INDEXES, SCHEMA18_TABLES } from './schema';

/** Lays down the empty schema-18 tables and the col row of a brand-new collection. */
export function createSchema18(db: Database.Database, crtSecs: number, nowMs: number): void {
  db.exec(SCHEMA18_TABLES);
  db.exec(SCHEMA18_INDEXES);
  db.prepare("INSERT INTO col VALUES (1, ?, 0, ?, 18, 0, 0, 0, '', '', '', '', '')").run(crtSecs, nowMs);
}
