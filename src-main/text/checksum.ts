// Note checksum (`notes.csum`) and sort field (`notes.sfld`), as Anki computes them on save.

import { createHash } from 'node:crypto';

import { stripHtmlPreservingMediaFilenames } from './html';

/** u32 from the first 4 bytes (big-endian) of SHA-1 of the UTF-8 text, without stripping. */
export function checksumOfStrippedText(stripped: string): number {
  const digest = createHash('sha1').update(stripped, 'utf8').digest();
  return digest.readUInt32BE(0);
}

/**
 * `notes.csum`: the first 4 bytes (big-endian) of SHA-1 of the field with HTML stripped
 * (media filenames kept, entities decoded, NBSP → space, no trimming).
 * `fieldChecksum('hello') === 2868168221`.
 */
export function fieldChecksum(text: string): number {
  return checksumOfStrippedText(stripHtmlPreservingMediaFilenames(text));
}

/** `notes.sfld` text for one field: HTML stripped with media filenames kept; not truncated. */
export function sortFieldText(text: string): string {
  return stripHtmlPreservingMediaFilenames(text);
}

/**
 * Both derived columns for a note, as `Note::prepare_for_update` computes them: `csum` always
 * from field 0, `sfld` from field `sortFieldIdx` (an out-of-range index gives '').
 */
export function noteSortAndChecksum(fields: readonly string[], sortFieldIdx: number): { sfld: string; csum: number } {
  const first = stripHtmlPreservingMediaFilenames(fields[0] ?? '');
  const sfld = sortFieldIdx === 0 ? first : stripHtmlPreservingMediaFilenames(fields[sortFieldIdx] ?? '');
  return { sfld, csum: checksumOfStrippedText(first) };
}
