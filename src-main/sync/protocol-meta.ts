// Sync protocol v11 (protocol.ts): login (hostKey) and meta.

import type { JsonObject, JsonValue } from '../storage/legacy/json';
import { asObject, bool, i32, i64, str, u32, u8 } from './protocol-primitives';

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
