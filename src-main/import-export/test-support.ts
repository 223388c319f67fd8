// Helpers for the import/export tests: fresh collections, reading a package's collection with
// plain SQL (independently of the code under test), comparing two collections' contents, and
// running the checker.

import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { Collection } from '../collection/collection';
import { type CheckReport, runChecker, tempDir } from '../collection/test-support/check';
import { createFreshCollection } from '../collection/test-support/fresh';
import { mediaPathsForCollection } from '../media/media-service';
import { registerUnicase } from '../storage/unicase';

export function freshCollection(name = 'collection.anki2'): { col: Collection; dir: string; path: string } {
  return createFreshCollection({ prefix: 'deckhand-ie-', name });
}

/** The collection inside a package, written to a temp file (anki21b decompressed), with its format. */
export function extractPackageCollection(pkg: string): { path: string; entry: string; entries: Record<string, Uint8Array> } {
  const entries = unzipSync(readFileSync(pkg));
  const entry = ['collection.anki21b', 'collection.anki21', 'collection.anki2'].find((n) => entries[n])!;
  const data = entry === 'collection.anki21b' ? zstdDecompressSync(entries[entry]) : entries[entry];
  const path = join(tempDir('deckhand-pkgcol-'), 'collection.anki2');
  writeFileSync(path, data);
  return { path, entry, entries };
}

export interface RawCounts {
  ver: number;
  notes: number;
  cards: number;
  revlog: number;
  /** Notetypes used by notes. */
  usedNotetypes: number;
  notetypes: number;
  /** Human names of the decks of the cards (with home decks when `withOriginal`) and their parents. */
  deckNames(withOriginal: boolean): string[];
}

/** Counts read with plain SQL from a collection file (schema 11 JSON or schema 18 tables). */
export function rawCounts(path: string): RawCounts {
  const db = new Database(path, { readonly: true });
  registerUnicase(db);
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const ver = count('SELECT ver FROM col');
  let decks: Map<number, string>;
  let notetypes: number;
  if (ver >= 15) {
    decks = new Map((db.prepare('SELECT id, name FROM decks').all() as { id: number; name: string }[]).map((d) => [d.id, d.name.split('\x1f').join('::')]));
    notetypes = count('SELECT count() FROM notetypes');
  } else {
    const json = db.prepare('SELECT decks, models FROM col').get() as { decks: string; models: string };
    decks = new Map(Object.values(JSON.parse(json.decks) as Record<string, { id: number; name: string }>).map((d) => [Number(d.id), d.name]));
    notetypes = Object.keys(JSON.parse(json.models)).length;
  }
  const namesFor = (withOriginal: boolean): string[] => {
    const ids = new Set(db.prepare('SELECT DISTINCT did FROM cards').pluck().all() as number[]);
    if (withOriginal) for (const id of db.prepare('SELECT DISTINCT odid FROM cards WHERE odid != 0').pluck().all() as number[]) ids.add(id);
    const all = new Set(decks.values());
    const names = new Set<string>();
    for (const id of ids) {
      const name = decks.get(id);
      if (name === undefined || (id === 1 && !withOriginal)) continue;
      const parts = name.split('::');
      for (let i = 1; i <= parts.length; i++) {
        const n = parts.slice(0, i).join('::');
        if (all.has(n)) names.add(n);
      }
    }
    return [...names];
  };
  const withOriginal = namesFor(true);
  const without = namesFor(false);
  const out: RawCounts = {
    ver,
    notes: count('SELECT count() FROM notes'),
    cards: count('SELECT count() FROM cards'),
    revlog: count('SELECT count() FROM revlog WHERE cid IN (SELECT id FROM cards)'),
    usedNotetypes: count('SELECT count(DISTINCT mid) FROM notes'),
    notetypes,
    deckNames: (w) => (w ? withOriginal : without),
  };
  db.close();
  return out;
}

/** Non-passing checks of a collection, as "STATUS name: message" lines. */
export function checkerProblems(path: string, strict = true): string[] {
  const r: CheckReport = runChecker(path, strict);
  return r.checks
    .filter((c) => c.status === 'FAIL' || (strict && c.status === 'WARN'))
    .flatMap((c) => (c.findings.length ? c.findings.map((f) => `${f.severity} ${c.name}: ${f.message}`) : [`${c.status} ${c.name}: ${c.detail}`]));
}

/** Media files of a collection: name → bytes. */
export function mediaFiles(colPath: string): Map<string, Buffer> {
  const folder = mediaPathsForCollection(colPath).folder;
  const out = new Map<string, Buffer>();
  if (!existsSync(folder)) return out;
  for (const name of readdirSync(folder).sort()) out.set(name, readFileSync(join(folder, name)));
  return out;
}

/**
 * A comparable picture of a collection's contents: notes by guid (notetype name, fields, tags,
 * mod), cards by (guid, ord) with deck names and scheduling, revlog by id with the card's
 * (guid, ord), notetypes and decks by name, deck configs by name.
 */
export function snapshot(col: Collection, opts: { scheduling?: boolean; noteMod?: boolean } = {}): Record<string, unknown> {
  const db = col.db;
  const ntNames = new Map((db.prepare('SELECT id, name FROM notetypes').all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
  const deckNames = new Map((db.prepare('SELECT id, name FROM decks').all() as { id: number; name: string }[]).map((r) => [r.id, r.name.split('\x1f').join('::')]));
  const notes = (db.prepare('SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY guid').all() as { id: number; guid: string; mid: number; mod: number; tags: string; flds: string }[]).map(
    (n) => ({ guid: n.guid, notetype: ntNames.get(n.mid), tags: n.tags, flds: n.flds, ...(opts.noteMod === false ? {} : { mod: n.mod }) }),
  );
  const guidOf = new Map((db.prepare('SELECT id, guid FROM notes').all() as { id: number; guid: string }[]).map((r) => [r.id, r.guid]));
  const cardRows = db.prepare('SELECT * FROM cards').all() as Record<string, number | string>[];
  const cardKey = new Map(cardRows.map((c) => [c.id as number, `${guidOf.get(c.nid as number)}:${c.ord}`]));
  const cards = cardRows
    .map((c) => ({
      key: cardKey.get(c.id as number),
      deck: deckNames.get(c.did as number),
      ...(opts.scheduling === false
        ? {}
        : { type: c.type, queue: c.queue, due: c.due, ivl: c.ivl, factor: c.factor, reps: c.reps, lapses: c.lapses, left: c.left, odue: c.odue, odeck: c.odid ? deckNames.get(c.odid as number) : null, flags: c.flags, data: c.data }),
    }))
    .sort((a, b) => String(a.key).localeCompare(String(b.key)));
  const revlog = (db.prepare('SELECT * FROM revlog ORDER BY id').all() as Record<string, number>[]).map((r) => ({ ...r, cid: cardKey.get(r.cid), usn: undefined }));
  const notetypes = col.storage.notetypes
    .all()
    .filter((nt) => notes.some((n) => n.notetype === nt.name))
    .sort((a, b) => a.id - b.id)
    .map((nt) => ({ id: nt.id, name: nt.name, kind: nt.config.kind, css: nt.config.css, sort: nt.config.sortFieldIdx, fields: nt.fields.map((f) => ({ name: f.name, id: String(f.config.id), font: f.config.fontName })), templates: nt.templates.map((t) => ({ name: t.name, q: t.config.qFormat, a: t.config.aFormat, id: String(t.config.id) })) }));
  const decks = col.storage.decks
    .all()
    .filter((d) => d.id !== 1)
    .map((d) => ({
      name: d.name,
      filtered: !!d.kind.filtered,
      ...(opts.scheduling === false ? {} : { common: { ...d.common, other: undefined }, kind: JSON.stringify(d.kind, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) }),
    }));
  return { notes, cards, ...(opts.scheduling === false ? {} : { revlog }), notetypes, decks };
}
