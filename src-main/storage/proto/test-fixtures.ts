// Test-only helpers: copy the shared Anki fixtures into a temp dir (never write into
// /work/shared) and open the SQLite files in them read-only.

import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { registerUnicase } from '../unicase';

export const FIXTURES_DIR = '/work/shared/fixtures/anki';
export const REAL_DIR = join(FIXTURES_DIR, 'real');

export interface FixtureDb {
  /** e.g. "real/anki21b-apkg_spanish-cloze-audio.apkg!collection.anki21b" */
  label: string;
  path: string;
}

export interface FixtureSet {
  dir: string;
  /** schema-18 databases: the raw file and every `collection.anki21b` of the real packages */
  schema18: FixtureDb[];
  /** schema-11 databases: plain .anki2 files and `collection.anki2`/`.anki21` of every package */
  schema11: FixtureDb[];
  /** raw `meta` and `media` entries of the real latest-format packages */
  packageEntries: { label: string; meta?: Uint8Array; media?: Uint8Array }[];
  cleanup(): void;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export function loadFixtures(): FixtureSet {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-fixtures-'));
  const schema18: FixtureDb[] = [];
  const schema11: FixtureDb[] = [];
  const packageEntries: FixtureSet['packageEntries'] = [];

  const raw = join(REAL_DIR, 'schema18-raw_zh-ui-fsrs_collection.anki2');
  const rawCopy = join(dir, basename(raw));
  copyFileSync(raw, rawCopy);
  schema18.push({ label: 'real/' + basename(raw), path: rawCopy });

  for (const f of ['mediacheck.anki2']) {
    const copy = join(dir, f);
    copyFileSync(join(FIXTURES_DIR, f), copy);
    schema11.push({ label: f, path: copy });
  }

  const packages: { rel: string; abs: string }[] = [];
  for (const f of readdirSync(FIXTURES_DIR)) {
    if (/\.(apkg|colpkg)$/.test(f)) packages.push({ rel: f, abs: join(FIXTURES_DIR, f) });
  }
  for (const f of readdirSync(REAL_DIR)) {
    if (/\.(apkg|colpkg)$/.test(f)) packages.push({ rel: 'real/' + f, abs: join(REAL_DIR, f) });
  }
  for (const p of packages) {
    const zip = unzipSync(new Uint8Array(readFileSync(p.abs)));
    const put = (entry: string, data: Uint8Array, list: FixtureDb[]): void => {
      const path = join(dir, safeName(`${p.rel}!${entry}`));
      writeFileSync(path, data);
      list.push({ label: `${p.rel}!${entry}`, path });
    };
    if (zip['collection.anki21b']) {
      put('collection.anki21b', new Uint8Array(zstdDecompressSync(zip['collection.anki21b'])), schema18);
      packageEntries.push({ label: p.rel, meta: zip['meta'], media: zip['media'] });
    }
    if (zip['collection.anki21']) put('collection.anki21', zip['collection.anki21'], schema11);
    if (zip['collection.anki2']) put('collection.anki2', zip['collection.anki2'], schema11);
  }
  return { dir, schema18, schema11, packageEntries, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens read-only with the unicase collation registered (needed to read the WITHOUT ROWID
 * `fields`/`templates` tables at all, and any name comparison). */
export function openReadonly(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  registerUnicase(db);
  return db;
}
