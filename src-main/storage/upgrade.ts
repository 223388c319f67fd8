import type Database from 'better-sqlite3';
import { DeckhandError } from '../collection/errors';

/** Upgrades a schema 11/14–17 collection to 18 inside the caller's transaction. */
export function upgradeToSchema18(_db: Database.Database, ver: number, _nowMs: number): void {
  throw new DeckhandError('schema-too-old', `upgrading a schema-${ver} collection is not supported yet`);
}
