// Sync protocol v11 (protocol.ts): the media sync messages.

import type { JsonObject, JsonValue } from '../storage/legacy/json';
import { arr, asObject, fail, fieldsOf, i32, ProtocolError, str, u32 } from './protocol-primitives';

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
