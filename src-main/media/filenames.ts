// Media filename rules, restated from Anki's rslib/src/media/files.rs (normalize_filename,
// add_hash_suffix_to_file_stem, truncation) — our own code, same behaviour.

import { createHash } from 'node:crypto';
import { isAssignedInUnicode10 } from './unicode10';

/** Anki's limit on a media filename, in UTF-8 bytes (sync/media MAX_MEDIA_FILENAME_LENGTH). */
export const MAX_MEDIA_FILENAME_LENGTH = 120;
/** Files larger than this are ignored by the change tracker and reported by Check Media. */
export const MAX_INDIVIDUAL_MEDIA_FILE_SIZE = 100 * 1024 * 1024;

const utf8Len = (s: string): number => Buffer.byteLength(s, 'utf8');

/** `[ ] < > : " / ? * ^ \ |`, ASCII control characters, and code points unassigned in Unicode 10. */
function isDisallowedChar(ch: string): boolean {
  if ('[]<>:"/?*^\\|'.includes(ch)) return true;
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return true;
  // lone surrogates cannot occur in Anki (Rust strings); treat them as unassigned too
  return !isAssignedInUnicode10(cp);
}

// `^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\.|$)`, case-insensitive.
const WINDOWS_DEVICE_NAME = /^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\.|$)/i;
const WINDOWS_TRAILING_CHAR = /[ .]$/;
const NONSYNCABLE_FILENAME = /^(:?thumbs.db|.ds_store)$/i;

/** Files the change tracker never registers (`thumbs.db`, `.ds_store`, any case). */
export function isNonsyncableFilename(fname: string): boolean {
  return NONSYNCABLE_FILENAME.test(fname);
}

/** The longest prefix of `s` that is at most `maxBytes` UTF-8 bytes and ends on a character boundary. */
function truncateToCharBoundary(s: string, maxBytes: number): string {
  if (utf8Len(s) <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = utf8Len(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * Splits at the last `.` into stem and extension (no `.` → all stem), caps the extension at 10
 * bytes and the stem so that `stem.ext` plus a possible trailing `_` fits in `maxBytes`.
 */
function splitAndTruncate(fname: string, maxBytes: number): [stem: string, ext: string] {
  const dot = fname.lastIndexOf('.');
  let stem = dot < 0 ? fname : fname.slice(0, dot);
  let ext = dot < 0 ? '' : fname.slice(dot + 1);
  ext = truncateToCharBoundary(ext, 10);
  stem = truncateToCharBoundary(stem, maxBytes - utf8Len(ext) - 2);
  return [stem, ext];
}

/** Caps a filename at `maxBytes` UTF-8 bytes, keeping (up to 10 bytes of) its extension. */
export function truncateFilename(fname: string, maxBytes = MAX_MEDIA_FILENAME_LENGTH): string {
  if (utf8Len(fname) <= maxBytes) return fname;
  const [stem, ext] = splitAndTruncate(fname, maxBytes);
  let out = ext === '' ? stem : `${stem}.${ext}`;
  if (WINDOWS_TRAILING_CHAR.test(out)) out += '_';
  return out;
}

/** Anki's `normalize_nfc_filename`: every rule of {@link normalizeFilename} but NFC. */
export function normalizeNfcFilename(fname: string): string {
  let out = '';
  for (const ch of fname) if (!isDisallowedChar(ch)) out += ch;
  out = out.replaceAll('\u00a0', ' ');
  out = out.replace(WINDOWS_DEVICE_NAME, '$1_$2');
  if (WINDOWS_TRAILING_CHAR.test(out)) out += '_';
  return truncateFilename(out, MAX_MEDIA_FILENAME_LENGTH);
}

/**
 * Anki's `normalize_filename`: NFC; remove `[]<>:"/?*^\|`, ASCII control characters and
 * characters unassigned in Unicode 10; NBSP → space; `_` after a Windows device name (`con.txt`
 * → `con_.txt`); `_` after a trailing space or dot; at most 120 UTF-8 bytes (extension ≤ 10).
 * The result may be empty if nothing valid was left.
 */
export function normalizeFilename(fname: string): string {
  return normalizeNfcFilename(fname.normalize('NFC'));
}

/**
 * Anki's `filename_if_normalized`: the name if it already is in normalised form, else null.
 * On macOS, whose file systems may hand back NFD names, an NFD name that is otherwise valid
 * is accepted and returned in NFC.
 */
export function filenameIfNormalized(fname: string, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'darwin') {
    const nfc = fname.normalize('NFC');
    return normalizeNfcFilename(nfc) === nfc ? nfc : null;
  }
  return normalizeFilename(fname) === fname ? fname : null;
}

/** `foo.jpg` → `foo-<40 hex digits>.jpg`, the stem cut so the whole stays within 120 bytes. */
export function addHashSuffixToFileStem(fname: string, sha1Hex: string): string {
  const [stem, ext] = splitAndTruncate(fname, MAX_MEDIA_FILENAME_LENGTH - 40 - 1);
  // like Anki, a name without extension ends in a bare '.'
  return `${stem}-${sha1Hex}.${ext}`;
}

export function sha1Hex(data: Uint8Array | string): string {
  return createHash('sha1').update(data).digest('hex');
}
