import type { Notetype } from '../notetypes/notetype';
import { fieldChecksum } from '../text/checksum';
import { stripHtmlPreservingMediaFilenames } from '../text/html';
import type { Note } from './note';

/** `sfld` and `csum` exactly as Anki computes them from the note's fields. */
export function noteDerivedColumns(note: Pick<Note, 'fields'>, nt: Pick<Notetype, 'config'>): { sfld: string; csum: number } {
  const idx = Math.min(nt.config.sortFieldIdx, note.fields.length - 1);
  return {
    sfld: stripHtmlPreservingMediaFilenames(note.fields[Math.max(0, idx)] ?? ''),
    csum: fieldChecksum(note.fields[0] ?? ''),
  };
}
