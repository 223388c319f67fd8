// The collection side of a normal sync, shared by client and server exactly as Anki shares it
// (rslib/src/sync/collection/{graves,changes,chunks,sanity}.rs): which rows are pending, how they
// are restamped and serialised, and how the other side's rows are merged (Anki's conflict rules).
//
// "Pending" is `usn = -1` on a client and `usn >= client's minUsn` on a server. A client stamps
// what it sends with the server's usn (`serverUsnIfClient`); a server sends rows as they are.
//
// Writes go through `Tx` (keepStamps: incoming mod/usn are kept) inside a transaction the caller
// opened with SyncStore.begin() and that spans the whole exchange; the caller commits at the end
// or rolls everything back.

import type { Collection } from '../collection/collection';
import { noChanges, type OpChanges } from '../collection/op-changes';
import { Tx } from '../collection/tx';
import type { Note } from '../notes/note';
import { noteDerivedColumns } from '../notes/derived';
import { parseCardData, serializeCardData } from '../scheduler/card-data';
import { cardFromRow, type CardRow } from '../storage/card-store';
import { deckConfigFromLegacy, deckConfigToLegacy } from '../storage/legacy/deck-config';
import { deckFromLegacy, deckToLegacy } from '../storage/legacy/deck';
import { notetypeFromLegacy, notetypeToLegacy } from '../storage/legacy/notetype';
import { GraveKind } from '../storage/misc-stores';
import { FIELD_SEPARATOR, tagsFromColumn, tagsToColumn } from '../storage/note-store';
import { SANITY_PENDING_TABLES, SyncStore } from '../storage/sync-store';
import { normalizeTagName, parentTag } from '../tags/canonical';
import { normalizeNoteFields } from '../text/normalize';
import { type Chunk, emptyChunk, emptyGraves, type Graves, type NoteEntry, type SanityCounts, type UnchunkedChanges } from './protocol';
import { CHUNK_SIZE } from './wire';

/** Invalid data from the other side (e.g. a note whose notetype is missing). Server: HTTP 400. */
export class SyncDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncDataError';
  }
}

/** A newer incoming notetype has a different number of fields or templates: only a full sync can reconcile. */
export class NotetypeSchemaChangedError extends Error {
  constructor(readonly notetypeName: string) {
    super(`notetype schema changed: "${notetypeName}" has different fields or card types on the two sides`);
    this.name = 'NotetypeSchemaChangedError';
  }
}

/** Rows still marked usn = -1 when counting for the sanity check. */
export class PendingRowsError extends Error {
  constructor(readonly table: string) {
    super(`table had usn=-1: ${table}`);
    this.name = 'PendingRowsError';
  }
}

/** One side's collection during a sync. */
export class SyncSide {
  readonly store: SyncStore;
  /** What this sync changed, for the final change event. */
  readonly changes: OpChanges = noChanges();

  constructor(
    readonly col: Collection,
    /** The time used for stamps this side makes itself (renames). */
    readonly nowMs: () => number = () => col.clock.nowMs(),
  ) {
    this.store = new SyncStore(col.db);
  }

  /** Runs writes through a fresh Tx (kept stamps), folding its change flags into `changes`. */
  write<T>(fn: (tx: Tx) => T): T {
    const tx = new Tx(this.col.storage, this.nowMs(), { keepStamps: true });
    const out = fn(tx);
    for (const [k, v] of Object.entries(tx.changes)) if (v) this.changes[k as keyof OpChanges] = true;
    return out;
  }

  /** After a rollback the parsed-notetype cache may hold rolled-back rows. */
  forgetCaches(): void {
    this.col.storage.notetypes.clearCache();
  }
}

export const isPendingSync = (usn: number, pendingUsn: number) => (pendingUsn === -1 ? usn === -1 : usn >= pendingUsn);

// ---------------------------------------------------------------------------------------------
// graves

export function pendingGraves(side: SyncSide, pendingUsn: number): Graves {
  const g = emptyGraves();
  for (const r of side.store.pendingGraves(pendingUsn)) {
    if (r.type === GraveKind.Card) g.cards.push(r.oid);
    else if (r.type === GraveKind.Note) g.notes.push(r.oid);
    else if (r.type === GraveKind.Deck) g.decks.push(r.oid);
    else throw new SyncDataError(`invalid grave kind ${r.type}`);
  }
  return g;
}

/** Deletes what the other side deleted and records graves with `latestUsn` (existing graves are kept). */
export function applyGraves(side: SyncSide, graves: Graves, latestUsn: number): void {
  const s = side.col.storage;
  side.write((tx) => {
    const keepGrave = (oid: number, kind: GraveKind, remove: () => void) => {
      const before = s.graves.getRow(oid, kind);
      remove();
      // Tx's removals record a pending grave; Anki inserts-or-ignores one with the latest usn
      tx.addGrave(oid, kind, before ? before.usn : latestUsn);
    };
    for (const nid of graves.notes) keepGrave(nid, GraveKind.Note, () => tx.removeNote(nid));
    for (const cid of graves.cards) keepGrave(cid, GraveKind.Card, () => tx.removeCard(cid));
    for (const did of graves.decks) keepGrave(did, GraveKind.Deck, () => tx.removeDeck(did));
  });
}

// ---------------------------------------------------------------------------------------------
// unchunked changes

/** What this side sends in applyChanges; a client restamps what it sends to the server's usn. */
export function localUnchunkedChanges(side: SyncSide, pendingUsn: number, serverUsnIfClient: number | null, localIsNewer: boolean): UnchunkedChanges {
  const { store, col } = side;
  const s = col.storage;
  const restamp = (table: 'notetypes' | 'decks' | 'deck_config', ids: number[]) => {
    if (serverUsnIfClient !== null) store.setUsns(table, ids, serverUsnIfClient);
  };

  const ntIds = store.pendingIds('notetypes', pendingUsn);
  restamp('notetypes', ntIds);
  s.notetypes.clearCache();
  const models = ntIds.map((id) => {
    const nt = s.notetypes.get(id)!;
    return notetypeToLegacy({ ...nt, usn: serverUsnIfClient ?? nt.usn });
  });

  const deckIds = store.pendingIds('decks', pendingUsn);
  restamp('decks', deckIds);
  const decks = deckIds.map((id) => {
    const d = s.decks.get(id)!;
    return deckToLegacy({ ...d, usn: serverUsnIfClient ?? d.usn });
  });

  const confIds = store.pendingIds('deck_config', pendingUsn);
  restamp('deck_config', confIds);
  const dconf = confIds.map((id) => {
    const c = s.deckConfigs.get(id)!;
    return deckConfigToLegacy({ ...c, usn: serverUsnIfClient ?? c.usn });
  });

  const tags = store.pendingTags(pendingUsn);
  if (serverUsnIfClient !== null) store.setTagUsns(tags, serverUsnIfClient);

  const out: UnchunkedChanges = { models, decks, dconf, tags };
  if (localIsNewer) {
    out.conf = new Map(store.rawConfig().map((r) => [r.key, r.json]));
    store.clearConfigUsns();
    out.crt = store.stamps().crt;
  }
  return out;
}

/** Merges the other side's notetypes, decks, deck configs, tags and (if sent) config and crt. */
export function applyChanges(side: SyncSide, remote: UnchunkedChanges, latestUsn: number): void {
  const s = side.col.storage;
  const nowSecs = Math.floor(side.nowMs() / 1000);
  side.write((tx) => {
    // notetypes: newer-or-equal mod wins (ties: incoming); a changed field/template count needs a full sync
    for (const json of remote.models) {
      const nt = notetypeFromLegacy(json);
      if (!nt.id) throw new SyncDataError('notetype with id 0');
      const existing = s.notetypes.get(nt.id);
      if (existing) {
        if (existing.mtimeSecs > nt.mtimeSecs) continue;
        if (existing.fields.length !== nt.fields.length || existing.templates.length !== nt.templates.length) throw new NotetypeSchemaChangedError(nt.name);
      }
      for (;;) {
        const holder = s.notetypes.idByName(nt.name);
        if (holder === undefined || holder === nt.id) break;
        nt.name += '+';
        nt.mtimeSecs = nowSecs;
        nt.usn = latestUsn;
      }
      tx.putNotetype(nt);
    }
    // decks: same rule, renamed with "+" while the name is taken by another deck
    for (const json of remote.decks) {
      const deck = deckFromLegacy(json);
      if (!deck.id) throw new SyncDataError('deck with id 0');
      const existing = s.decks.getRow(deck.id);
      if (existing && existing.mtime_secs > deck.mtimeSecs) continue;
      for (;;) {
        const holder = s.decks.byName(deck.name);
        if (!holder || holder.id === deck.id) break;
        deck.name += '+';
        deck.mtimeSecs = nowSecs;
        deck.usn = latestUsn;
      }
      tx.putDeck(deck);
    }
    for (const json of remote.dconf) {
      const conf = deckConfigFromLegacy(json);
      if (!conf.id) throw new SyncDataError('deck config with id 0');
      const existing = s.deckConfigs.getRow(conf.id);
      if (existing && existing.mtime_secs > conf.mtimeSecs) continue;
      tx.putDeckConfig(conf);
    }
    for (const tag of remote.tags) registerTagWithUsn(tx, tag, latestUsn);
  });
  if (remote.crt !== undefined) {
    side.store.setCreationStamp(remote.crt);
    side.changes.config = true;
    side.changes.studyQueues = true;
  }
  if (remote.conf !== undefined) {
    // the newer side's config replaces the whole table
    for (const key of s.config.keys()) s.config.delete(key);
    for (const [key, json] of remote.conf) s.config.putRow({ KEY: key, usn: latestUsn, mtime_secs: nowSecs, val: Buffer.from(json, 'utf8') });
    side.changes.config = true;
    side.changes.studyQueues = true;
  }
}

/** Anki's register_tag for an incoming tag: normalised, parent case adopted, added with `usn` if new. */
function registerTagWithUsn(tx: Tx, raw: string, usn: number): void {
  let name: string;
  try {
    name = normalizeTagName(raw);
  } catch {
    return;
  }
  if (!name || tx.storage.tags.getRow(name)) return;
  for (let parent = parentTag(name); parent; parent = parentTag(parent)) {
    const rows = tx.storage.tags.withChildren(parent);
    if (rows.length) {
      name = rows[0].tag.slice(0, parent.length) + name.slice(parent.length);
      break;
    }
  }
  tx.putTag(name, true, usn);
}

// ---------------------------------------------------------------------------------------------
// chunks

export interface ChunkableIds {
  revlog: number[];
  cards: number[];
  notes: number[];
}

export function chunkableIds(side: SyncSide, pendingUsn: number): ChunkableIds {
  const st = side.store;
  return { revlog: st.pendingIds('revlog', pendingUsn), cards: st.pendingIds('cards', pendingUsn), notes: st.pendingIds('notes', pendingUsn) };
}

/** Takes up to 250 objects (one revlog, note and card per round, from the ends of the lists). */
export function getChunk(side: SyncSide, ids: ChunkableIds, serverUsnIfClient: number | null): Chunk {
  const s = side.col.storage;
  let limit = CHUNK_SIZE;
  const revlogIds: number[] = [];
  const noteIds: number[] = [];
  const cardIds: number[] = [];
  while (limit > 0) {
    const last = limit;
    if (ids.revlog.length) {
      revlogIds.push(ids.revlog.pop()!);
      limit--;
    }
    if (ids.notes.length) {
      noteIds.push(ids.notes.pop()!);
      limit--;
    }
    if (ids.cards.length) {
      cardIds.push(ids.cards.pop()!);
      limit--;
    }
    if (limit === last) break;
  }
  const chunk = emptyChunk();
  chunk.done = limit > 0;
  if (serverUsnIfClient !== null) {
    side.store.setUsns('revlog', revlogIds, serverUsnIfClient);
    side.store.setUsns('cards', cardIds, serverUsnIfClient);
    side.store.setUsns('notes', noteIds, serverUsnIfClient);
  }
  const usn = (u: number) => serverUsnIfClient ?? u;
  chunk.revlog = revlogIds.map((id) => {
    const r = s.revlog.getRow(id)!;
    return { ...r, usn: usn(r.usn) };
  });
  chunk.cards = cardIds.map((id) => {
    const c = s.cards.getRow(id)!;
    return { ...c, usn: usn(c.usn), data: serializeCardData(parseCardData(c.data)) };
  });
  chunk.notes = noteIds.map((id) => {
    const n = s.notes.getRow(id)!;
    return { id: n.id, guid: n.guid, mid: n.mid, mod: n.mod, usn: usn(n.usn), tags: tagsToColumn(tagsFromColumn(n.tags)), flds: n.flds };
  });
  return chunk;
}

/**
 * Merges the other side's revlog (insert-or-ignore), cards and notes. A row that is pending here
 * is kept unless the incoming one is strictly newer (ties: local wins); otherwise incoming wins.
 */
export function applyChunk(side: SyncSide, chunk: Chunk, pendingUsn: number): void {
  const s = side.col.storage;
  side.write((tx) => {
    for (const r of chunk.revlog) if (!side.store.revlogExists(r.id)) tx.addRevlog(r);
    for (const c of chunk.cards) {
      const existing = s.cards.getRow(c.id);
      if (existing && isPendingSync(existing.usn, pendingUsn) && existing.mod >= c.mod) continue;
      const row: CardRow = { ...c, data: serializeCardData(parseCardData(c.data)) };
      tx.putCard(cardFromRow(row));
    }
    for (const n of chunk.notes) {
      const existing = s.notes.getRow(n.id);
      if (existing && isPendingSync(existing.usn, pendingUsn) && existing.mod >= n.mod) continue;
      tx.putNote(...noteForStorage(side, n));
    }
  });
}

function noteForStorage(side: SyncSide, n: NoteEntry): [Note, { sfld: string; csum: number }] {
  const nt = side.col.storage.notetypes.get(n.mid);
  if (!nt) throw new SyncDataError(`note ${n.id} refers to notetype ${n.mid}, which does not exist`);
  const fields = normalizeNoteFields(n.flds.split(FIELD_SEPARATOR), false);
  const expected = Math.max(1, nt.fields.length);
  if (fields.length !== expected) throw new SyncDataError(`note ${n.id} has ${fields.length} fields, its notetype "${nt.name}" has ${expected}`);
  const note: Note = { id: n.id, guid: n.guid, notetypeId: n.mid, mtimeSecs: n.mod, usn: n.usn, tags: tagsFromColumn(n.tags), fields };
  return [note, noteDerivedColumns(note, nt)];
}

// ---------------------------------------------------------------------------------------------
// sanity check

/** Row counts as Anki computes them; refuses while any synced table still has usn = -1 rows. */
export function sanityCheckInfo(side: SyncSide): SanityCounts {
  const st = side.store;
  for (const t of SANITY_PENDING_TABLES) if (st.tableHasPendingUsn(t)) throw new PendingRowsError(t);
  return {
    counts: [0, 0, 0],
    cards: st.tableCount('cards'),
    notes: st.tableCount('notes'),
    revlog: st.tableCount('revlog'),
    graves: st.tableCount('graves'),
    models: st.tableCount('notetypes'),
    decks: st.tableCount('decks'),
    deckConfig: st.tableCount('deck_config'),
  };
}
