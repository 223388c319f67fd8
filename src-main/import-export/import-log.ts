// The result of an import, shaped like Anki's `ImportResponse.Log`: the notes found in the file,
// sorted by what happened to them, each as its (target) id and shortened field texts.

import { newlinesToSpaces, stripHtmlPreservingMediaFilenames } from '../text/html';

export type DupeResolution = 'update' | 'preserve' | 'duplicate';

export interface ImportLogNote {
  /** The note in the target collection (absent for CSV rows that were not added). */
  id?: number;
  /** Fields with HTML stripped, newlines as spaces, at most 80 UTF-8 bytes each. */
  fields: string[];
}

export interface ImportLog {
  new: ImportLogNote[];
  updated: ImportLogNote[];
  duplicate: ImportLogNote[];
  conflicting: ImportLogNote[];
  firstFieldMatch: ImportLogNote[];
  missingNotetype: ImportLogNote[];
  missingDeck: ImportLogNote[];
  emptyFirstField: ImportLogNote[];
  /** CSV imports: how duplicates were handled. */
  dupeResolution?: DupeResolution;
  /** Notes in the file. */
  foundNotes: number;
}

export function emptyImportLog(): ImportLog {
  return {
    new: [],
    updated: [],
    duplicate: [],
    conflicting: [],
    firstFieldMatch: [],
    missingNotetype: [],
    missingDeck: [],
    emptyFirstField: [],
    foundNotes: 0,
  };
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes, on a character boundary. */
export function truncateToCharBoundary(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s, 'utf8') <= maxBytes) return s;
  let out = '';
  let n = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (n + b > maxBytes) break;
    out += ch;
    n += b;
  }
  return out;
}

/** Anki's `Note::into_log_note`. */
export function logNote(fields: readonly string[], id?: number): ImportLogNote {
  const reduced = fields.map((f) => truncateToCharBoundary(newlinesToSpaces(stripHtmlPreservingMediaFilenames(f)), 80));
  return id === undefined ? { fields: reduced } : { id, fields: reduced };
}
