import type { Card } from '../cards/card';
import { generateCardsForNote } from '../cards/new-cards';
import type { Collection } from '../collection/collection';
import { DeckhandError, notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { isCloze, type Notetype } from '../notetypes/notetype';
import { canonifyAndRegister } from '../tags/tags-service';
import { newGuid } from '../text/guid';
import { stripHtmlPreservingMediaFilenames } from '../text/html';
import { normalizeFieldText, toNfc } from '../text/normalize';
import { fieldChecksum } from '../text/checksum';
import { noteDerivedColumns } from './derived';
import type { Note } from './note';

export interface NewNote {
  notetypeId: number;
  deckId: number;
  /** Field values by position, or by field name (missing names are empty). */
  fields: string[] | Record<string, string>;
  tags?: string[];
  guid?: string;
}

export interface AddedNote {
  noteId: number;
  cardIds: number[];
}

export function getNotetypeOrThrow(col: Collection | Tx, id: number): Notetype {
  const nt = col.storage.notetypes.get(id);
  if (!nt) throw notFound(`notetype ${id}`);
  return nt;
}

/** Field values in notetype order from either form, checking the count / names. */
export function fieldsInOrder(nt: Notetype, fields: string[] | Record<string, string>): string[] {
  if (Array.isArray(fields)) {
    if (fields.length !== nt.fields.length)
      throw new DeckhandError('field-count', `notetype "${nt.name}" has ${nt.fields.length} fields, but ${fields.length} were given`);
    return [...fields];
  }
  const byName = new Map(nt.fields.map((f) => [f.name.toLowerCase(), f.ord]));
  const out = nt.fields.map(() => '');
  for (const [name, value] of Object.entries(fields)) {
    const ord = byName.get(name.toLowerCase());
    if (ord === undefined) throw new DeckhandError('invalid-input', `notetype "${nt.name}" has no field named "${name}"`);
    out[ord] = value;
  }
  return out;
}

/** Adds notes with their cards in one operation (one undo step). */
export function addNotes(col: Collection, notes: NewNote[], op = 'Add Note'): OpResult<AddedNote[]> {
  return col.transact(op, (tx) => notes.map((n) => addNoteInTx(tx, n)));
}

export function addNote(col: Collection, note: NewNote): OpResult<AddedNote> {
  return col.transact('Add Note', (tx) => addNoteInTx(tx, note));
}

export function addNoteInTx(tx: Tx, input: NewNote): AddedNote {
  const nt = getNotetypeOrThrow(tx, input.notetypeId);
  const note: Note = {
    id: tx.nextId('notes'),
    guid: input.guid ?? newGuid(),
    notetypeId: nt.id,
    mtimeSecs: 0,
    usn: -1,
    tags: canonifyAndRegister(tx, input.tags ?? []),
    fields: fieldsInOrder(nt, input.fields).map((f) => normalizeFieldText(f)),
  };
  tx.putNote(note, noteDerivedColumns(note, nt), true);
  const cardIds = generateCardsForNote(tx, note, nt, [], { deckId: input.deckId, isNewNote: true });
  return { noteId: note.id, cardIds };
}

export interface NoteUpdate {
  fields?: string[] | Record<string, string>;
  tags?: string[];
}

/** Updates fields and/or tags of a note, generating any cards the new content calls for. */
export function updateNote(col: Collection, noteId: number, update: NoteUpdate): OpResult<Note> {
  return col.transact('Update Note', (tx) => updateNoteInTx(tx, noteId, update));
}

export function updateNoteInTx(tx: Tx, noteId: number, update: NoteUpdate): Note {
  const note = tx.storage.notes.get(noteId);
  if (!note) throw notFound(`note ${noteId}`);
  const nt = getNotetypeOrThrow(tx, note.notetypeId);
  if (update.fields) {
    if (Array.isArray(update.fields)) note.fields = fieldsInOrder(nt, update.fields).map((f) => normalizeFieldText(f));
    else {
      const merged = fieldsInOrder(nt, update.fields);
      const given = new Set(Object.keys(update.fields).map((k) => k.toLowerCase()));
      note.fields = nt.fields.map((f, i) => (given.has(f.name.toLowerCase()) ? normalizeFieldText(merged[i]) : note.fields[i]));
    }
  }
  if (update.tags) note.tags = canonifyAndRegister(tx, update.tags);
  tx.putNote(note, noteDerivedColumns(note, nt));
  if (update.fields) generateCardsForNote(tx, note, nt, tx.storage.cards.ofNote(note.id));
  return note;
}

/** Deletes notes and all their cards, leaving graves for sync. Returns how many notes went. */
export function deleteNotes(col: Collection, noteIds: readonly number[]): OpResult<number> {
  return col.transact('Delete Note', (tx) => deleteNotesInTx(tx, noteIds));
}

export function deleteNotesInTx(tx: Tx, noteIds: readonly number[]): number {
  let n = 0;
  for (const id of new Set(noteIds)) {
    if (!tx.storage.notes.exists(id)) continue;
    for (const c of tx.storage.cards.ofNote(id)) tx.removeCard(c.id);
    tx.removeNote(id);
    n++;
  }
  return n;
}

export function getNote(col: Collection, id: number): Note {
  const note = col.storage.notes.get(id);
  if (!note) throw notFound(`note ${id}`);
  return note;
}

export type FieldsState = 'normal' | 'empty' | 'duplicate' | 'missingCloze' | 'notetypeNotCloze' | 'fieldNotCloze';

/**
 * Anki's note check before adding: empty first field, a duplicate first field within the
 * notetype (compared after HTML stripping), and cloze consistency.
 */
export function noteFieldsCheck(col: Collection | Tx, notetypeId: number, fields: string[]): FieldsState {
  const nt = getNotetypeOrThrow(col, notetypeId);
  // compared as the note would be saved: NFC unless the collection turned normalisation off
  const field1 = col.storage.config.get<boolean>('normalize_note_text') === false ? (fields[0] ?? '') : toNfc(fields[0] ?? '');
  const first = stripHtmlPreservingMediaFilenames(field1).trim();
  if (!first) return 'empty';
  if (findDuplicates(col, nt, field1).length) return 'duplicate';
  const hasCloze = fields.some((f) => /\{\{c\d+::/.test(f));
  if (isCloze(nt) && !hasCloze) return 'missingCloze';
  if (!isCloze(nt) && hasCloze) return 'notetypeNotCloze';
  return 'normal';
}

/** Notes of a notetype whose first field matches `firstField` after stripping. */
export function findDuplicates(col: Collection | Tx, nt: Notetype, firstField: string, excludeNoteId?: number): number[] {
  const { csum } = noteDerivedColumns({ fields: [firstField] }, { config: { ...nt.config, sortFieldIdx: 0 } });
  const want = stripHtmlPreservingMediaFilenames(firstField);
  return col.storage.notes
    .withChecksum(csum, nt.id)
    .filter((r) => r.id !== excludeNoteId && stripHtmlPreservingMediaFilenames(r.flds.split('\x1f')[0]) === want)
    .map((r) => r.id);
}

/** The notes with these ids that exist, by id (missing ids are absent). */
export function notesById(col: Collection | Tx, noteIds: readonly number[]): Map<number, Note> {
  const out = new Map<number, Note>();
  for (const n of col.storage.notes.getMany([...new Set(noteIds)])) out.set(n.id, n);
  return out;
}

export interface ChecksumScope {
  /** Only notes of this notetype; null = any notetype. */
  notetypeId: number | null;
  /** Only notes with a card whose current deck (`did`) is one of these; null = anywhere. */
  deckIds: ReadonlySet<number> | null;
  /** The note being checked, when it already exists. */
  excludeNoteId?: number;
}

/**
 * The checksum-only duplicate check AnkiConnect applies for its deck / all-notetype scopes:
 * 'empty' when the raw first field is blank (HTML is not stripped for this), 'duplicate' when a
 * note in the scope has the same first-field checksum (the text itself is not compared), else
 * 'normal'.
 */
export function checksumDuplicateCheck(col: Collection | Tx, firstField: string, scope: ChecksumScope): 'empty' | 'duplicate' | 'normal' {
  if (!firstField.trim()) return 'empty';
  const csum = fieldChecksum(firstField);
  const mids = scope.notetypeId === null ? col.storage.notetypes.namesInIdOrder().map((n) => n.id) : [scope.notetypeId];
  for (const mid of mids) {
    for (const { id } of col.storage.notes.withChecksum(csum, mid)) {
      if (id === scope.excludeNoteId) continue;
      if (!scope.deckIds) return 'duplicate';
      if (col.storage.cards.ofNote(id).some((c) => scope.deckIds!.has(c.deckId))) return 'duplicate';
    }
  }
  return 'normal';
}

/**
 * Puts a note under another notetype with new fields (in that notetype's order) and tags
 * (AnkiConnect's updateNoteModel). Cards keep their position when the new notetype has it (a
 * cloze notetype keeps them all) and are removed otherwise; the cards the new content calls for
 * are generated (at least one). Like any notetype change in Anki, the next sync must be a full one.
 */
export function changeNoteNotetypeInTx(tx: Tx, noteId: number, notetypeId: number, fields: string[], tags: string[]): Note {
  const note = tx.storage.notes.get(noteId);
  if (!note) throw notFound(`note ${noteId}`);
  const nt = getNotetypeOrThrow(tx, notetypeId);
  const changed = note.notetypeId !== nt.id;
  note.notetypeId = nt.id;
  note.fields = fieldsInOrder(nt, fields).map((f) => normalizeFieldText(f));
  note.tags = canonifyAndRegister(tx, tags);
  tx.putNote(note, noteDerivedColumns(note, nt));
  const cards = tx.storage.cards.ofNote(note.id);
  const kept: Card[] = [];
  for (const card of cards) {
    if (isCloze(nt) || card.ord < nt.templates.length) kept.push(card);
    else tx.removeCard(card.id);
  }
  const home = cards[0] ? cards[0].originalDeckId || cards[0].deckId : undefined;
  generateCardsForNote(tx, note, nt, kept, kept.length ? {} : { deckId: home, isNewNote: true });
  if (changed) tx.markSchemaChanged();
  return note;
}
