// The zip files media sync exchanges (spec §3): entries stored uncompressed and named "0", "1", …
// plus `_meta`, which maps them to real names — an object for downloads, an array of
// [real name, name in zip | null] pairs for uploads (null = deletion).

import { unzipSync, zipSync, type Zippable } from 'fflate';
import { MAX_INDIVIDUAL_MEDIA_FILE_SIZE } from '../media/filenames';
import { sha1Hex } from '../media/filenames';

/** At most this many files per zip (either direction). */
export const MAX_MEDIA_FILES_IN_ZIP = 25;
/** Once this much file data is in a zip, nothing more is added. */
export const MEDIA_SYNC_TARGET_ZIP_BYTES = Math.floor(2.5 * 1024 * 1024);
/** Server-side limit on a filename, in UTF-8 bytes. */
export const MAX_MEDIA_FILENAME_LENGTH_SERVER = 255;
/** `_meta` is read only up to this many bytes. */
const META_READ_LIMIT = 50 * 1024;

export class MediaZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaZipError';
  }
}

function stored(data: Uint8Array): [Uint8Array, { level: 0 }] {
  return [data, { level: 0 }];
}

/** Server → client: files "0".."n-1" and `_meta` = {"0": "real name", …}. */
export function zipFilesForDownload(files: { fname: string; data: Uint8Array }[]): Uint8Array {
  const entries: Zippable = {};
  const meta: Record<string, string> = {};
  files.forEach((f, i) => {
    if (f.data.length === 0) throw new MediaZipError(`empty file ${f.fname}`);
    entries[String(i)] = stored(f.data);
    meta[String(i)] = f.fname;
  });
  entries._meta = stored(Buffer.from(JSON.stringify(meta), 'utf8'));
  return zipSync(entries, { level: 0 });
}

/** Client side: the files of a download zip, with their real names. */
export function unzipDownload(zip: Uint8Array): { fname: string; data: Uint8Array }[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (e) {
    throw new MediaZipError(`the media download is not a valid zip: ${(e as Error).message}`);
  }
  const metaBytes = files._meta;
  if (!metaBytes) throw new MediaZipError('malformed zip: no _meta entry');
  let meta: unknown;
  try {
    meta = JSON.parse(Buffer.from(metaBytes).toString('utf8'));
  } catch {
    throw new MediaZipError('malformed zip: _meta is not JSON');
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new MediaZipError('malformed zip: _meta is not an object');
  const map = meta as Record<string, unknown>;
  const out: { fname: string; data: Uint8Array }[] = [];
  for (const [name, data] of Object.entries(files)) {
    if (name === '_meta') continue;
    const real = map[name];
    if (typeof real !== 'string') throw new MediaZipError('malformed zip');
    out.push({ fname: real, data });
  }
  return out;
}

/** Client → server: additions as numbered entries, deletions only in `_meta` (name in zip null). */
export function zipFilesForUpload(entries: { fname: string; data: Uint8Array | null }[]): Uint8Array {
  const zip: Zippable = {};
  const meta: [string, string | null][] = [];
  entries.forEach((e, i) => {
    if (e.data === null) {
      meta.push([e.fname, null]);
    } else {
      zip[String(i)] = stored(e.data);
      meta.push([e.fname, String(i)]);
    }
  });
  zip._meta = stored(Buffer.from(JSON.stringify(meta), 'utf8'));
  return zipSync(zip, { level: 0 });
}

export type UploadedChange = { fname: string; kind: 'delete' } | { fname: string; kind: 'add'; data: Uint8Array; sha1: string };

/**
 * Server side: reads an upload zip with Anki's checks — ≤ 25 entries, names NFC, ≤ 255 bytes,
 * no path separator, files non-empty and ≤ 100 MiB. Throws MediaZipError (→ HTTP 400).
 */
export function unzipAndValidateUpload(zip: Uint8Array): UploadedChange[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (e) {
    throw new MediaZipError(`not a valid zip: ${(e as Error).message}`);
  }
  const metaBytes = files._meta;
  if (!metaBytes) throw new MediaZipError('no _meta entry');
  let meta: unknown;
  try {
    meta = JSON.parse(Buffer.from(metaBytes.subarray(0, META_READ_LIMIT)).toString('utf8'));
  } catch {
    throw new MediaZipError('_meta is not valid JSON');
  }
  if (!Array.isArray(meta)) throw new MediaZipError('_meta is not an array');
  if (meta.length > MAX_MEDIA_FILES_IN_ZIP) throw new MediaZipError('too many files in zip');
  return meta.map((entry: unknown) => {
    const pair = Array.isArray(entry) ? entry : typeof entry === 'object' && entry !== null ? [(entry as Record<string, unknown>).actual_filename, (entry as Record<string, unknown>).filename_in_zip] : null;
    if (!pair || pair.length !== 2 || typeof pair[0] !== 'string' || (pair[1] !== null && pair[1] !== undefined && typeof pair[1] !== 'string'))
      throw new MediaZipError('bad _meta entry');
    const fname = pair[0];
    if (Buffer.byteLength(fname, 'utf8') > MAX_MEDIA_FILENAME_LENGTH_SERVER) throw new MediaZipError(`filename too long: ${Buffer.byteLength(fname, 'utf8')}`);
    if (fname.normalize('NFC') !== fname) throw new MediaZipError(`filename was not in nfc: ${fname}`);
    if (fname.includes('/') || fname.includes('\\')) throw new MediaZipError(`filename contained separator: ${fname}`);
    if (fname === '' || fname === '.' || fname === '..') throw new MediaZipError(`invalid filename: ${fname}`);
    const inZip = pair[1];
    // older clients/AnkiDroid use "" instead of null for a deletion
    if (inZip === null || inZip === undefined || inZip === '') return { fname, kind: 'delete' as const };
    const data = files[inZip];
    if (!data) throw new MediaZipError(`missing zip entry ${inZip}`);
    if (data.length > MAX_INDIVIDUAL_MEDIA_FILE_SIZE) throw new MediaZipError('file too large');
    if (data.length === 0) throw new MediaZipError('file entry was zero bytes');
    return { fname, kind: 'add' as const, data, sha1: sha1Hex(data) };
  });
}
