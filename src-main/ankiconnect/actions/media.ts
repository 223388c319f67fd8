/**
 * Media actions (storeMediaFile, retrieveMediaFile, getMediaFilesNames, getMediaDirPath,
 * deleteMediaFile) and the `audio` / `video` / `picture` objects of the note actions.
 *
 * Bytes come from `data` (base64), else `path`, else `url` (first non-empty wins, as upstream);
 * storing goes through the media service (Anki's name normalisation and de-duplication).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Collection } from '../../collection/collection';
import { normalizeFilename } from '../../media/filenames';
import { mediaPathsForCollection, withMedia } from '../../media/media-service';
import { pyGlobMatcher, pyStrRepr } from '../py-compat';
import { defineAnkiAction } from './define';
import type { ActionContext } from './registry';
import type { MediaObject } from './schemas';
import { collection } from './session';

/** AnkiConnect's `webTimeout` default. */
export const DEFAULT_WEB_TIMEOUT_MS = 10_000;

export interface MediaSource {
  filename: string;
  data?: string | null;
  path?: string | null;
  url?: string | null;
  skipHash?: string | null;
  deleteExisting?: boolean | null;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;
// no repeated group here: V8 would need backtracking state per group and overflow on megabytes
const B64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Python's `base64.b64decode(s)` (non-strict): characters outside the alphabet are skipped,
 * decoding stops at complete padding, and an incomplete last group is `Incorrect padding`.
 */
export function pyB64Decode(s: string): Buffer {
  if (s.length % 4 === 0 && B64_CHARS.test(s)) return Buffer.from(s, 'base64');
  const out = Buffer.allocUnsafe(Math.ceil((s.length * 3) / 4));
  let n = 0;
  let quad = 0;
  let left = 0;
  let pads = 0;
  let data = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code === 61 /* = */) {
      if (quad >= 2 && quad + ++pads >= 4) return out.subarray(0, n);
      continue;
    }
    const v = code < 128 ? B64_VALUE[code] : -1;
    if (v < 0) continue;
    data++;
    if (quad === 0) {
      left = v;
      quad = 1;
    } else if (quad === 1) {
      out[n++] = (left << 2) | (v >> 4);
      left = v & 0xf;
      quad = 2;
    } else if (quad === 2) {
      out[n++] = ((left << 4) | (v >> 2)) & 0xff;
      left = v & 0x3;
      quad = 3;
    } else {
      out[n++] = ((left << 6) | v) & 0xff;
      quad = 0;
    }
  }
  if (quad === 1) throw new Error(`Invalid base64-encoded string: number of data characters (${data}) cannot be 1 more than a multiple of 4`);
  if (quad !== 0) throw new Error('Incorrect padding');
  return out.subarray(0, n);
}

const ERRNO: Record<string, [number, string]> = {
  ENOENT: [2, 'No such file or directory'],
  EACCES: [13, 'Permission denied'],
  EISDIR: [21, 'Is a directory'],
  ENOTDIR: [20, 'Not a directory'],
  EPERM: [1, 'Operation not permitted'],
};

/** Reads a local file, failing with Python's `[Errno 2] No such file or directory: '…'` texts. */
function readLocalFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const known = err.code ? ERRNO[err.code] : undefined;
    if (known) throw new Error(`[Errno ${known[0]}] ${known[1]}: ${pyStrRepr(path)}`);
    throw new Error(err.message);
  }
}

/** Downloads a URL (redirects followed). Non-200 → `<url> download failed with return code <status>`. */
export async function download(url: string, timeoutMs: number): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as Error & { cause?: { message?: string; code?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new Error(`${url} download failed: no answer within ${timeoutMs / 1000} s`);
    const why = err.cause?.code ?? err.cause?.message ?? err.message;
    throw new Error(`${url} download failed: ${why}`);
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`${url} download failed with return code ${res.status}`);
  }
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new Error(`${url} download failed: no answer within ${timeoutMs / 1000} s`);
    throw new Error(`${url} download failed: ${err.message}`);
  }
}

/** The bytes a media object stands for: data, else path, else url (empty strings count as absent). */
export async function mediaBytes(src: MediaSource, timeoutMs: number): Promise<Buffer> {
  if (src.data) return pyB64Decode(src.data);
  if (src.path) return readLocalFile(src.path);
  if (src.url) return download(src.url, timeoutMs);
  throw new Error('You must provide a "data", "path", or "url" field.');
}

const isPlainName = (f: string) => !!f && f !== '.' && f !== '..' && !/[/\\\0]/.test(f);

/**
 * AnkiConnect's `storeMediaFile`: the stored name, or null when `skipHash` (MD5 hex) matches.
 * With `deleteExisting` a file already under that name goes to the media trash first, so the
 * new one keeps the name; otherwise Anki's rules apply (same content → same name, other content
 * → `name-<sha1>.ext`).
 */
export async function storeMedia(col: Collection, src: MediaSource, timeoutMs: number): Promise<string | null> {
  const bytes = await mediaBytes(src, timeoutMs);
  if (src.skipHash !== null && src.skipHash !== undefined && createHash('md5').update(bytes).digest('hex') === src.skipHash) return null;
  return withMedia(col.path, (m) => {
    if (src.deleteExisting && isPlainName(src.filename) && m.hasFile(src.filename)) m.trashFiles([src.filename]);
    return m.addFile(src.filename, bytes);
  });
}

type MediaInput = MediaObject | (MediaObject | null)[] | null | undefined;

export interface NoteMedia {
  audio?: MediaInput;
  video?: MediaInput;
  picture?: MediaInput;
}

export const hasMedia = (n: NoteMedia) => !!(n.audio || n.video || n.picture);

/**
 * Stores a note's media (audio, then video, then picture) and appends `[sound:name]` /
 * `<img src="name">` to each listed field (exact names; unknown names skipped). A failure does
 * not fail the note: its text, HTML-escaped, is appended to the listed fields instead.
 * `append(field, text)` is told what to add.
 */
export async function addNoteMedia(
  col: Collection,
  note: NoteMedia,
  append: (field: string, text: string) => void,
  timeoutMs: number,
): Promise<void> {
  for (const [key, picture] of [
    ['audio', false],
    ['video', false],
    ['picture', true],
  ] as const) {
    const input = note[key];
    if (input === null || input === undefined) continue;
    for (const media of Array.isArray(input) ? input : [input]) {
      if (!media) continue;
      const fields = Array.isArray(media.fields) ? media.fields : null;
      try {
        const name = await storeMedia(col, { ...media, deleteExisting: media.deleteExisting ?? false }, timeoutMs);
        if (name !== null && fields) for (const f of fields) append(f, picture ? `<img src="${name}">` : `[sound:${name}]`);
      } catch (e) {
        const text = escapeMessage((e as Error).message ?? String(e));
        if (fields) for (const f of fields) append(f, text);
      }
    }
  }
}

/** `str(e).replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')`. */
function escapeMessage(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export const webTimeout = (ctx: ActionContext) => ctx.services.webTimeoutMs ?? DEFAULT_WEB_TIMEOUT_MS;

// ---------------------------------------------------------------------------------------------
// actions

export const storeMediaFile = defineAnkiAction('storeMediaFile', async (p, ctx) => storeMedia(collection(ctx), p, webTimeout(ctx)));

/** The name as upstream looks it up: last path component, NFC, Anki's illegal characters removed. */
function lookupName(filename: string): string {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  return normalizeFilename(base);
}

export const retrieveMediaFile = defineAnkiAction('retrieveMediaFile', ({ filename }, ctx) => {
  const col = collection(ctx);
  const name = lookupName(filename);
  if (!isPlainName(name)) return false;
  const data = withMedia(col.path, (m) => m.readFile(name));
  return data === null ? false : data.toString('base64');
});

export const getMediaFilesNames = defineAnkiAction('getMediaFilesNames', ({ pattern }, ctx) => {
  const col = collection(ctx);
  const matches = pyGlobMatcher(pattern);
  return withMedia(col.path, (m) => m.listFiles().map((f) => f.fname)).filter(matches);
});

export const getMediaDirPath = defineAnkiAction('getMediaDirPath', (_p, ctx) => resolve(mediaPathsForCollection(collection(ctx).path).folder));

export const deleteMediaFile = defineAnkiAction('deleteMediaFile', ({ filename }, ctx) => {
  const col = collection(ctx);
  withMedia(col.path, (m) => m.trashFiles([filename]));
  return null;
});

export const MEDIA_ACTIONS = [storeMediaFile, retrieveMediaFile, getMediaFilesNames, getMediaDirPath, deleteMediaFile];

