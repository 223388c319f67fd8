// Sync protocol v11 (protocol.ts): start and graves, and the unchunked changes (notetypes, decks,
// deck configs, tags, config).

import type { JsonObject, JsonValue } from '../storage/legacy/json';
import { arr, asObject, bool, fail, i32, i64, str } from './protocol-primitives';
import { RawJson, stringifyMember } from './wire';

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
