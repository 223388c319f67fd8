// The JSON messages of sync protocol v11 (spec §2–3): their types, their exact wire shapes
// (positional arrays, camelCase vs snake_case keys, key order as Anki's serde structs write them)
// and validating readers that accept what Anki's serde accepts. Shared by client and server.

import type { CardRow } from '../storage/card-store';
import type { JsonObject, JsonValue } from '../storage/legacy/json';
import type { RevlogRow } from '../storage/misc-stores';
import { RawJson, stringifyMember } from './wire';

/** A message that does not have the shape the protocol requires. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const fail = (msg: string): never => {
  throw new ProtocolError(msg);
};

// ---------------------------------------------------------------------------------------------
// primitive readers (serde rules)

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asObject(v: unknown, what: string): JsonObject {
  return isObject(v) ? v : fail(`${what}: expected a JSON object`);
}

interface IntOpts {
  /** serde `deserialize_int_from_number`: floats are truncated (u32: negatives become 0). */
  floatOk?: boolean;
  clampNegativeToZero?: boolean;
}

function intValue(v: JsonValue | undefined, min: number, max: number, what: string, opts: IntOpts = {}): number {
  let n: number;
  if (typeof v === 'bigint') {
    if (v < BigInt(min) || v > BigInt(max)) fail(`${what}: ${v} out of range`);
    n = Number(v);
  } else if (typeof v === 'number') {
    n = v;
    if (!Number.isInteger(n)) {
      if (!opts.floatOk) fail(`${what}: expected an integer, got ${v}`);
      n = Number.isFinite(n) ? Math.trunc(n) : 0;
    }
  } else {
    return fail(`${what}: expected a number`);
  }
  if (opts.clampNegativeToZero && n < 0) n = 0;
  if (n < min || n > max) fail(`${what}: ${n} out of range`);
  if (!Number.isSafeInteger(n)) fail(`${what}: ${n} is not exactly representable`);
  return n;
}

const I64_SAFE = Number.MAX_SAFE_INTEGER;
const i64 = (v: JsonValue | undefined, what: string, opts?: IntOpts) => intValue(v, -I64_SAFE, I64_SAFE, what, opts);
const i32 = (v: JsonValue | undefined, what: string, opts?: IntOpts) => intValue(v, -(2 ** 31), 2 ** 31 - 1, what, opts);
const u32 = (v: JsonValue | undefined, what: string, opts?: IntOpts) => intValue(v, 0, 2 ** 32 - 1, what, opts);
const u16 = (v: JsonValue | undefined, what: string) => intValue(v, 0, 65_535, what);
const u8 = (v: JsonValue | undefined, what: string) => intValue(v, 0, 255, what);

function str(v: JsonValue | undefined, what: string): string {
  return typeof v === 'string' ? v : fail(`${what}: expected a string`);
}

function bool(v: JsonValue | undefined, what: string): boolean {
  return typeof v === 'boolean' ? v : fail(`${what}: expected true/false`);
}

function arr(v: JsonValue | undefined, what: string): JsonValue[] {
  return Array.isArray(v) ? v : fail(`${what}: expected an array`);
}

/** A serde struct read from either a positional array (as Serialize_tuple writes it) or an object. */
function fieldsOf(v: JsonValue, names: readonly string[], what: string): (JsonValue | undefined)[] {
  if (Array.isArray(v)) {
    if (v.length !== names.length) fail(`${what}: expected ${names.length} elements, got ${v.length}`);
    return v;
  }
  if (isObject(v)) return names.map((n) => v[n]);
  return fail(`${what}: expected an array`);
}

// ---------------------------------------------------------------------------------------------
// login, meta

export interface HostKeyRequest {
  u: string;
  p: string;
}

export function readHostKeyRequest(v: JsonValue): HostKeyRequest {
  const o = asObject(v, 'hostKey');
  return { u: str(o.u, 'u'), p: str(o.p, 'p') };
}

export function readHostKeyResponse(v: JsonValue): { key: string } {
  return { key: str(asObject(v, 'hostKey reply').key, 'key') };
}

export interface MetaRequest {
  v: number;
  cv: string;
}

export function readMetaRequest(v: JsonValue): MetaRequest {
  const o = asObject(v, 'meta');
  return { v: u8(o.v, 'v'), cv: str(o.cv, 'cv') };
}

/** The server's `meta` reply (note the snake_case `media_usn` among camelCase keys). */
export interface SyncMeta {
  /** collection modified, ms */
  mod: number;
  /** schema modified, ms */
  scm: number;
  usn: number;
  /** server clock, seconds */
  ts: number;
  msg: string;
  cont: boolean;
  hostNum: number;
  empty: boolean;
  media_usn: number;
}

/** Key order as Anki's SyncMeta serialises. */
export function syncMetaToWire(m: SyncMeta): JsonObject {
  return { mod: m.mod, scm: m.scm, usn: m.usn, ts: m.ts, msg: m.msg, cont: m.cont, hostNum: m.hostNum, empty: m.empty, media_usn: m.media_usn };
}

/** The official client requires every key except `empty`; so do we. */
export function readSyncMeta(v: JsonValue): SyncMeta {
  const o = asObject(v, 'meta reply');
  return {
    mod: i64(o.mod, 'mod'),
    scm: i64(o.scm, 'scm'),
    usn: i32(o.usn, 'usn'),
    ts: i64(o.ts, 'ts'),
    msg: str(o.msg, 'msg'),
    cont: bool(o.cont, 'cont'),
    hostNum: u32(o.hostNum, 'hostNum'),
    empty: o.empty === undefined ? false : bool(o.empty, 'empty'),
    media_usn: i32(o.media_usn, 'media_usn'),
  };
}

// ---------------------------------------------------------------------------------------------
// start, graves

export interface Graves {
  cards: number[];
  decks: number[];
  notes: number[];
}

export const emptyGraves = (): Graves => ({ cards: [], decks: [], notes: [] });

export function gravesToWire(g: Graves): JsonObject {
  return { cards: g.cards, decks: g.decks, notes: g.notes };
}

function idList(v: JsonValue | undefined, what: string, allowStrings: boolean): number[] {
  return arr(v, what).map((x, i) => {
    if (allowStrings && typeof x === 'string') {
      if (!/^-?\d+$/.test(x)) fail(`${what}[${i}]: not an id`);
      return i64(BigInt(x), `${what}[${i}]`);
    }
    return i64(x, `${what}[${i}]`);
  });
}

export function readGraves(v: JsonValue, what = 'graves'): Graves {
  const o = asObject(v, what);
  return { cards: idList(o.cards, 'cards', false), decks: idList(o.decks, 'decks', false), notes: idList(o.notes, 'notes', false) };
}

export interface StartRequest {
  minUsn: number;
  lnewer: boolean;
  /** Deprecated way to push deletions (old clients, AnkiDroid); null from current clients. */
  graves: Graves | null;
}

export function startRequestToWire(r: StartRequest): JsonObject {
  return { minUsn: r.minUsn, lnewer: r.lnewer, graves: r.graves ? gravesToWire(r.graves) : null };
}

export function readStartRequest(v: JsonValue): StartRequest {
  const o = asObject(v, 'start');
  let graves: Graves | null = null;
  if (o.graves !== undefined && o.graves !== null) {
    // old AnkiMobile versions sent the ids as strings
    const g = asObject(o.graves, 'graves');
    graves = { cards: idList(g.cards, 'cards', true), decks: idList(g.decks, 'decks', true), notes: idList(g.notes, 'notes', true) };
  }
  return { minUsn: i32(o.minUsn, 'minUsn'), lnewer: bool(o.lnewer, 'lnewer'), graves };
}

/** Takes up to CHUNK_SIZE ids from the ends of the lists: cards first, then notes, then decks. */
export function takeGravesChunk(g: Graves, size: number): Graves | null {
  const out = emptyGraves();
  let limit = size;
  for (; limit > 0 && g.cards.length; limit--) out.cards.push(g.cards.pop()!);
  for (; limit > 0 && g.notes.length; limit--) out.notes.push(g.notes.pop()!);
  for (; limit > 0 && g.decks.length; limit--) out.decks.push(g.decks.pop()!);
  return limit === size ? null : out;
}

// ---------------------------------------------------------------------------------------------
// unchunked changes (notetypes, decks, deck configs, tags, config)

export interface UnchunkedChanges {
  /** Notetypes as schema-11 JSON. */
  models: JsonObject[];
  /** Decks and deck configs as schema-11 JSON. */
  decks: JsonObject[];
  dconf: JsonObject[];
  tags: string[];
  /** The whole config table (only from the newer side). Values as stored (raw JSON text). */
  conf?: Map<string, string>;
  /** Collection creation time, seconds (only from the newer side). */
  crt?: number;
}

/** `{"models":[…],"decks":[[decks],[dconf]],"tags":[…],"conf"?:{…},"crt"?:n}` */
export function changesToWire(c: UnchunkedChanges): JsonObject {
  const out: JsonObject = { models: c.models, decks: [c.decks, c.dconf], tags: c.tags };
  if (c.conf !== undefined) {
    const conf: Record<string, unknown> = {};
    for (const [k, v] of c.conf) conf[k] = new RawJson(v);
    out.conf = conf as JsonObject;
  }
  if (c.crt !== undefined) out.crt = c.crt;
  return out;
}

export function readChanges(v: JsonValue): UnchunkedChanges {
  const o = asObject(v, 'changes');
  const models = arr(o.models, 'models').map((m, i) => asObject(m, `models[${i}]`));
  const pair = arr(o.decks, 'decks');
  if (pair.length !== 2) fail('decks: expected [decks, deck configs]');
  const decks = arr(pair[0], 'decks[0]').map((d, i) => asObject(d, `decks[0][${i}]`));
  const dconf = arr(pair[1], 'decks[1]').map((d, i) => asObject(d, `decks[1][${i}]`));
  const tags = arr(o.tags, 'tags').map((t, i) => str(t, `tags[${i}]`));
  const out: UnchunkedChanges = { models, decks, dconf, tags };
  if (o.conf !== undefined && o.conf !== null) {
    const conf = asObject(o.conf, 'conf');
    out.conf = new Map(Object.keys(conf).map((k) => [k, stringifyMember(conf, k)]));
  }
  if (o.crt !== undefined && o.crt !== null) out.crt = i64(o.crt, 'crt');
  return out;
}

// ---------------------------------------------------------------------------------------------
// chunks (revlog, cards, notes as positional arrays)

/** A note on the wire: sort field, checksum, flags and data are not synced. */
export interface NoteEntry {
  id: number;
  guid: string;
  mid: number;
  mod: number;
  usn: number;
  /** `" tag1 tag2 "` or "" */
  tags: string;
  /** fields joined with U+001F */
  flds: string;
}

export interface Chunk {
  done: boolean;
  revlog: RevlogRow[];
  cards: CardRow[];
  notes: NoteEntry[];
}

export const emptyChunk = (): Chunk => ({ done: false, revlog: [], cards: [], notes: [] });

export const revlogToWire = (r: RevlogRow): JsonValue[] => [r.id, r.cid, r.usn, r.ease, r.ivl, r.lastIvl, r.factor, r.time, r.type];

export const cardToWire = (c: CardRow): JsonValue[] => [
  c.id,
  c.nid,
  c.did,
  c.ord,
  c.mod,
  c.usn,
  c.type,
  c.queue,
  c.due,
  c.ivl,
  c.factor,
  c.reps,
  c.lapses,
  c.left,
  c.odue,
  c.odid,
  c.flags,
  c.data,
];

export const noteToWire = (n: NoteEntry): JsonValue[] => [n.id, n.guid, n.mid, n.mod, n.usn, n.tags, n.flds, '', '', 0, ''];

const REVLOG_KEYS = ['id', 'cid', 'usn', 'ease', 'ivl', 'lastIvl', 'factor', 'time', 'type'] as const;
const CARD_KEYS = ['id', 'nid', 'did', 'ord', 'mod', 'usn', 'ctype', 'queue', 'due', 'ivl', 'factor', 'reps', 'lapses', 'left', 'odue', 'odid', 'flags', 'data'] as const;
const NOTE_KEYS = ['id', 'guid', 'mid', 'mod', 'usn', 'tags', 'fields', 'sfld', 'csum', 'flags', 'data'] as const;

export function readRevlogEntry(v: JsonValue): RevlogRow {
  const f = fieldsOf(v, REVLOG_KEYS, 'revlog entry');
  const fl = { floatOk: true };
  const t = f[8];
  // `type` is default_on_invalid: anything but 0..5 reads as 0 (learning)
  const type = typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 5 ? t : 0;
  return {
    id: i64(f[0], 'revlog.id'),
    cid: i64(f[1], 'revlog.cid'),
    usn: i32(f[2], 'revlog.usn'),
    ease: u8(f[3], 'revlog.ease'),
    ivl: i32(f[4], 'revlog.ivl', fl),
    lastIvl: i32(f[5], 'revlog.lastIvl', fl),
    factor: u32(f[6], 'revlog.factor', { floatOk: true, clampNegativeToZero: true }),
    time: u32(f[7], 'revlog.time', { floatOk: true, clampNegativeToZero: true }),
    type,
  };
}

export function readCardEntry(v: JsonValue): CardRow {
  const f = fieldsOf(v, CARD_KEYS, 'card entry');
  const fl = { floatOk: true };
  return {
    id: i64(f[0], 'card.id'),
    nid: i64(f[1], 'card.nid'),
    did: i64(f[2], 'card.did'),
    ord: u16(f[3], 'card.ord'),
    mod: i64(f[4], 'card.mod', fl),
    usn: i32(f[5], 'card.usn'),
    type: intValue(f[6], 0, 3, 'card.type'),
    queue: intValue(f[7], -3, 4, 'card.queue'),
    due: i32(f[8], 'card.due', fl),
    ivl: u32(f[9], 'card.ivl', { floatOk: true, clampNegativeToZero: true }),
    factor: u16(f[10], 'card.factor'),
    reps: u32(f[11], 'card.reps'),
    lapses: u32(f[12], 'card.lapses'),
    left: u32(f[13], 'card.left'),
    odue: i32(f[14], 'card.odue', fl),
    odid: i64(f[15], 'card.odid'),
    flags: u8(f[16], 'card.flags'),
    data: str(f[17], 'card.data'),
  };
}

export function readNoteEntry(v: JsonValue): NoteEntry {
  const f = fieldsOf(v, NOTE_KEYS, 'note entry');
  str(f[7], 'note.sfld');
  str(f[8], 'note.csum');
  u32(f[9], 'note.flags');
  str(f[10], 'note.data');
  return {
    id: i64(f[0], 'note.id'),
    guid: str(f[1], 'note.guid'),
    mid: i64(f[2], 'note.mid'),
    mod: i64(f[3], 'note.mod'),
    usn: i32(f[4], 'note.usn'),
    tags: str(f[5], 'note.tags'),
    flds: str(f[6], 'note.fields'),
  };
}

/** `{"done":…,"revlog":[…],"cards":[…],"notes":[…]}`; empty lists are left out. */
export function chunkToWire(c: Chunk): JsonObject {
  const out: JsonObject = { done: c.done };
  if (c.revlog.length) out.revlog = c.revlog.map(revlogToWire);
  if (c.cards.length) out.cards = c.cards.map(cardToWire);
  if (c.notes.length) out.notes = c.notes.map(noteToWire);
  return out;
}

export function readChunk(v: JsonValue): Chunk {
  const o = asObject(v, 'chunk');
  return {
    done: o.done === undefined ? false : bool(o.done, 'done'),
    revlog: o.revlog === undefined ? [] : arr(o.revlog, 'revlog').map(readRevlogEntry),
    cards: o.cards === undefined ? [] : arr(o.cards, 'cards').map(readCardEntry),
    notes: o.notes === undefined ? [] : arr(o.notes, 'notes').map(readNoteEntry),
  };
}

// ---------------------------------------------------------------------------------------------
// sanity check

export interface SanityCounts {
  /** new, learn, review due counts: sent as [0,0,0] and ignored */
  counts: [number, number, number];
  cards: number;
  notes: number;
  revlog: number;
  graves: number;
  models: number;
  decks: number;
  deckConfig: number;
}

export const sanityCountsToWire = (c: SanityCounts): JsonValue[] => [[...c.counts], c.cards, c.notes, c.revlog, c.graves, c.models, c.decks, c.deckConfig];

export function readSanityCounts(v: JsonValue): SanityCounts {
  const f = fieldsOf(v, ['counts', 'cards', 'notes', 'revlog', 'graves', 'models', 'decks', 'deck_config'], 'sanity counts');
  const due = fieldsOf(f[0] as JsonValue, ['new', 'learn', 'review'], 'due counts');
  return {
    counts: [u32(due[0], 'new'), u32(due[1], 'learn'), u32(due[2], 'review')],
    cards: u32(f[1], 'cards'),
    notes: u32(f[2], 'notes'),
    revlog: u32(f[3], 'revlog'),
    graves: u32(f[4], 'graves'),
    models: u32(f[5], 'models'),
    decks: u32(f[6], 'decks'),
    deckConfig: u32(f[7], 'deck_config'),
  };
}

export function sanityCountsEqual(a: SanityCounts, b: SanityCounts): boolean {
  return sanityCountsToWire(a).toString() === sanityCountsToWire(b).toString();
}

export interface SanityCheckResponse {
  status: 'ok' | 'bad';
  c: SanityCounts | null;
  s: SanityCounts | null;
}

export function sanityResponseToWire(r: SanityCheckResponse): JsonObject {
  return { status: r.status, c: r.c ? sanityCountsToWire(r.c) : null, s: r.s ? sanityCountsToWire(r.s) : null };
}

export function readSanityResponse(v: JsonValue): SanityCheckResponse {
  const o = asObject(v, 'sanity reply');
  const status = o.status === 'ok' || o.status === 'bad' ? o.status : fail('status: expected "ok" or "bad"');
  // c and s are default_on_invalid
  const soft = (x: JsonValue | undefined) => {
    try {
      return x === undefined || x === null ? null : readSanityCounts(x);
    } catch {
      return null;
    }
  };
  return { status, c: soft(o.c), s: soft(o.s) };
}

// ---------------------------------------------------------------------------------------------
// requests without arguments

/** What the official client sends for chunk/finish/abort/download (its empty struct). */
export const EMPTY_INPUT: JsonObject = { _pad: null };

/** The server accepts `{}` and `{"_pad":null}`, and rejects any other key (deny_unknown_fields). */
export function readEmptyInput(v: JsonValue): void {
  const o = asObject(v, 'request');
  for (const k of Object.keys(o)) {
    if (k !== '_pad') fail(`unknown field ${k}`);
    if (o._pad !== null) fail('_pad: expected null');
  }
}

// ---------------------------------------------------------------------------------------------
// media

/** Media replies other than downloadFiles: `{"data":…,"err":""}` or `{"err":"…"}`. */
export function jsonResultOk(data: JsonValue): JsonObject {
  return { data, err: '' };
}

/** Returns `data`, or throws the server's message (a ProtocolError carrying `serverMessage`). */
export function readJsonResult(v: JsonValue): JsonValue {
  const o = asObject(v, 'media reply');
  if ('data' in o) return o.data as JsonValue;
  const err = str(o.err, 'err');
  const e = new ProtocolError(err);
  (e as ProtocolError & { serverMessage?: string }).serverMessage = err;
  throw e;
}

export function readBeginRequest(v: JsonValue): { v: string } {
  const o = asObject(v, 'begin');
  return { v: o.v === undefined ? '' : str(o.v, 'v') };
}

export function readBeginResponse(v: JsonValue): { usn: number; sk: string } {
  const o = asObject(v, 'begin reply');
  return { usn: i32(o.usn, 'usn'), sk: str(o.sk, 'sk') };
}

export function readMediaChangesRequest(v: JsonValue): { lastUsn: number } {
  return { lastUsn: i32(asObject(v, 'mediaChanges').lastUsn, 'lastUsn') };
}

export interface MediaChange {
  fname: string;
  usn: number;
  /** lower-case hex, or "" when deleted on the server */
  sha1: string;
}

export function readMediaChanges(v: JsonValue): MediaChange[] {
  return arr(v, 'media changes').map((x) => {
    const f = fieldsOf(x, ['fname', 'usn', 'sha1'], 'media change');
    return { fname: str(f[0], 'fname'), usn: i32(f[1], 'usn'), sha1: str(f[2], 'sha1') };
  });
}

export function readDownloadFilesRequest(v: JsonValue): { files: string[] } {
  return { files: arr(asObject(v, 'downloadFiles').files, 'files').map((f, i) => str(f, `files[${i}]`)) };
}

export function readUploadChangesResponse(v: JsonValue): { processed: number; currentUsn: number } {
  const f = fieldsOf(v, ['processed', 'current_usn'], 'uploadChanges reply');
  return { processed: u32(f[0], 'processed'), currentUsn: i32(f[1], 'current_usn') };
}

export function readMediaSanityRequest(v: JsonValue): { local: number } {
  return { local: u32(asObject(v, 'mediaSanity').local, 'local') };
}

export function readMediaSanityResponse(v: JsonValue): 'OK' | 'mediaSanity' {
  return v === 'OK' || v === 'mediaSanity' ? v : fail('mediaSanity reply: expected "OK" or "mediaSanity"');
}
