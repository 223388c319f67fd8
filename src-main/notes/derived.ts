import type { Notetype } from '../notetypes/notetype';
import { noteSortAndChecksum } from '../text/checksum';
import type { Note } from './note';

/** `sfld` and `csum` exactly as Anki computes them from the note's fields. */
export function noteDerivedColumns(note: Pick<Note, 'fields'>, nt: Pick<Notetype, 'config'>): { sfld: string; csum: number } {
  return noteSortAndChecksum(note.fields, nt.config.sortFieldIdx);
}
