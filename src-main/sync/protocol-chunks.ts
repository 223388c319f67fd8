// Sync protocol v11 (protocol.ts): the chunks, with revlog, cards and notes as positional arrays.

import type { CardRow } from '../storage/card-store';
import type { JsonObject, JsonValue } from '../storage/legacy/json';
import type { NoteRow } from '../storage/note-store';
import type { RevlogRow } from '../storage/misc-stores';
import { arr, asObject, bool, fieldsOf, i32, i64, intValue, str, u16, u32, u8 } from './protocol-primitives';

/** A note on the wire: its row without sort field, checksum, flags and data (those are not synced). */
export type NoteEntry = Pick<NoteRow, 'id' | 'guid' | 'mid' | 'mod' | 'usn' | 'tags' | 'flds'>;

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
