/**
 * Note actions. Adding follows AnkiConnect's `createNote`: note type and deck by name, field
 * names matched ignoring case (unknown names ignored), media stored and appended, then the
 * duplicate/empty check — Anki's own check by default, AnkiConnect's checksum check for the
 * `deck` scope and `checkAllModels` — and the note added in one transaction.
 */
import { cardIdsByNote, noteIdsOfCards } from '../../cards/cards-service';
import type { Collection } from '../../collection/collection';
import type { Tx } from '../../collection/tx';
import type { Deck } from '../../decks/deck';
import { deckAndChildIds, getDeckByName } from '../../decks/decks-service';
import type { Note } from '../../notes/note';
import {
  addNoteInTx,
  changeNoteNotetypeInTx,
  checksumDuplicateCheck,
  deleteNotes as deleteNotesService,
  notesById,
  noteFieldsCheck,
  updateNoteInTx,
  type FieldsState,
} from '../../notes/notes-service';
import type { Notetype } from '../../notetypes/notetype';
import { getNotetypeByName, removeUnusedNotetypes } from '../../notetypes/notetypes-service';
import {
  addTagsToNotes,
  allTags,
  clearUnusedTags as clearUnusedTagsService,
  noteTags,
  removeTagsFromNotes,
  replaceTagOnNotes,
} from '../../tags/tags-service';
import { errorText } from '../errors';
import { pyRepr } from '../py-compat';
import { defineAnkiAction } from './define';
import { addNoteMedia, hasMedia, webTimeout } from './media';
import type { ActionContext } from './registry';
import { noteSpec, type NoteSpec } from './schemas';
import { searchNotes } from './search';
import { collection, deckByName, fieldsObject, memo, modelByNameForReading, session } from './session';
import { parseWithSchema } from './validation';

// ---------------------------------------------------------------------------------------------
// createNote

interface PreparedNote {
  nt: Notetype;
  deck: Deck;
  /** In notetype order. */
  fields: string[];
  tags: string[];
  options: NonNullable<NoteSpec['options']>;
}

/** Lookups shared by the notes of one request (a 10,000-note addNotes names one model and deck). */
interface Lookups {
  model(name: string): Notetype;
  deck(name: string): Deck;
  /** Lower-cased field name → ord (first field wins, as upstream's loop breaks at the first match). */
  fieldIndex(nt: Notetype): Map<string, number>;
}

function lookups(col: Collection): Lookups {
  return {
    model: memo((name: string) => modelByNameForReading(col, name) as Notetype),
    deck: memo((name: string) => deckByName(col, name)),
    fieldIndex: memo((nt: Notetype) => {
      const m = new Map<string, number>();
      for (const f of nt.fields) if (!m.has(f.name.toLowerCase())) m.set(f.name.toLowerCase(), f.ord);
      return m;
    }),
  };
}

/** Field name (exact) → ord, for media `fields` and updateNoteFields. */
function exactFieldIndex(nt: Notetype): Map<string, number> {
  return new Map(nt.fields.map((f) => [f.name, f.ord]));
}

/**
 * Everything of createNote that can fail or must wait (note type, deck, fields, media). Media is
 * stored here, before the duplicate check, as upstream does (so even canAddNotes stores it).
 */
function prepareNote(col: Collection, note: NoteSpec, look: Lookups, timeoutMs: number): PreparedNote | Promise<PreparedNote> {
  const nt = look.model(note.modelName);
  const deck = look.deck(note.deckName);
  const fields = nt.fields.map(() => '');
  const index = look.fieldIndex(nt);
  for (const [name, value] of Object.entries(note.fields)) {
    const ord = index.get(name.toLowerCase());
    if (ord !== undefined) fields[ord] = value;
  }
  const prepared: PreparedNote = { nt, deck, fields, tags: note.tags ?? [], options: note.options ?? {} };
  if (!hasMedia(note)) return prepared;
  const exact = exactFieldIndex(nt);
  return addNoteMedia(
    col,
    note,
    (field, text) => {
      const ord = exact.get(field);
      if (ord !== undefined) fields[ord] += text;
    },
    timeoutMs,
  ).then(() => prepared);
}

/** Parses an unchecked note object (addNotes / canAddNote*), then prepares it. */
function prepareRawNote(col: Collection, action: string, raw: unknown, look: Lookups, timeoutMs: number): PreparedNote | Promise<PreparedNote> {
  return prepareNote(col, parseWithSchema(action, noteSpec, raw), look, timeoutMs);
}

/** AnkiConnect's `isNoteDuplicateOrEmptyInScope`. */
function duplicateState(col: Collection | Tx, p: PreparedNote): FieldsState {
  const scope = p.options.duplicateScope;
  const so = p.options.duplicateScopeOptions ?? {};
  const allModels = so.checkAllModels === true;
  if (scope !== 'deck' && !allModels) return noteFieldsCheck(col, p.nt.id, p.fields);
  let deckIds: Set<number> | null = null;
  if (scope === 'deck') {
    let did = p.deck.id;
    if (so.deckName !== null && so.deckName !== undefined) {
      const other = so.deckName === '' ? undefined : getDeckByName(col, so.deckName);
      if (!other) return 'normal';
      did = other.id;
    }
    deckIds = new Set(so.checkChildren === true ? deckAndChildIds(col, did) : [did]);
  }
  return checksumDuplicateCheck(col, p.fields[0] ?? '', { notetypeId: allModels ? null : p.nt.id, deckIds });
}

/** The error createNote raises for a prepared note, or null when it can be added. */
function creationError(col: Collection | Tx, p: PreparedNote): string | null {
  const state = duplicateState(col, p);
  switch (state) {
    case 'normal':
      return null;
    case 'empty':
      return 'cannot create note because it is empty';
    case 'duplicate':
      return p.options.allowDuplicate === true ? null : 'cannot create note because it is a duplicate';
    default:
      return 'cannot create note for unknown reason';
  }
}

function addPrepared(tx: Tx, p: PreparedNote): number {
  const err = creationError(tx, p);
  if (err) throw new Error(err);
  const added = addNoteInTx(tx, { notetypeId: p.nt.id, deckId: p.deck.id, fields: p.fields, tags: p.tags });
  if (added.cardIds.length < 1) throw new Error('The field values you have provided would make an empty question on all cards.');
  return added.noteId;
}

/** Prepares every note of a list in order; a note that fails yields its error text. */
async function prepareAll(ctx: ActionContext, col: Collection, notes: readonly unknown[]): Promise<(PreparedNote | string)[]> {
  const look = lookups(col);
  const timeout = webTimeout(ctx);
  const out: (PreparedNote | string)[] = [];
  for (const raw of notes) {
    try {
      const p = prepareRawNote(col, ctx.action, raw, look, timeout);
      out.push(p instanceof Promise ? await p : p);
    } catch (e) {
      out.push(errorText(e));
    }
  }
  return out;
}

/** Rolls the addNotes transaction back after every note was tried. */
class AddNotesFailed extends Error {}

// ---------------------------------------------------------------------------------------------
// adding

export const addNote = defineAnkiAction('addNote', async ({ note }, ctx) => {
  const col = collection(ctx);
  const p = await prepareNote(col, note, lookups(col), webTimeout(ctx));
  return col.transact('Add Note', (tx) => addPrepared(tx, p)).result;
});

/**
 * Current upstream (since 2024-06): every note is tried; if any fails, none is kept and the
 * error is the Python repr of the list of error texts. All in one transaction, so a failed
 * request leaves nothing behind (media files excepted, as upstream).
 */
export const addNotes = defineAnkiAction('addNotes', async ({ notes }, ctx) => {
  const col = collection(ctx);
  const prepared = await prepareAll(ctx, col, notes);
  const errors: string[] = [];
  try {
    return col.transact('Add Notes', (tx) => {
      const ids: number[] = [];
      for (const p of prepared) {
        if (typeof p === 'string') {
          errors.push(p);
          continue;
        }
        try {
          ids.push(addPrepared(tx, p));
        } catch (e) {
          errors.push(errorText(e));
        }
      }
      if (errors.length) throw new AddNotesFailed();
      return ids;
    }).result;
  } catch (e) {
    if (e instanceof AddNotesFailed) throw new Error(pyRepr(errors, 1_000_000));
    throw e;
  }
});

function canAdd(col: Collection, p: PreparedNote | string): { canAdd: true } | { canAdd: false; error: string } {
  if (typeof p === 'string') return { canAdd: false, error: p };
  let error: string | null;
  try {
    error = creationError(col, p);
  } catch (e) {
    error = errorText(e);
  }
  return error === null ? { canAdd: true } : { canAdd: false, error };
}

export const canAddNotes = defineAnkiAction('canAddNotes', async ({ notes }, ctx) => {
  const col = collection(ctx);
  return (await prepareAll(ctx, col, notes)).map((p) => canAdd(col, p).canAdd);
});

export const canAddNotesWithErrorDetail = defineAnkiAction('canAddNotesWithErrorDetail', async ({ notes }, ctx) => {
  const col = collection(ctx);
  return (await prepareAll(ctx, col, notes)).map((p) => canAdd(col, p));
});

export const canAddNote = defineAnkiAction('canAddNote', async ({ note }, ctx) => {
  const col = collection(ctx);
  return canAdd(col, (await prepareAll(ctx, col, [note]))[0]).canAdd;
});

export const canAddNoteWithErrorDetail = defineAnkiAction('canAddNoteWithErrorDetail', async ({ note }, ctx) => {
  const col = collection(ctx);
  return canAdd(col, (await prepareAll(ctx, col, [note]))[0]);
});

// ---------------------------------------------------------------------------------------------
// updating

function existingNote(col: Collection, id: number): Note {
  const note = notesById(col, [id]).get(id);
  if (!note) throw new Error(`Note was not found: ${id}`);
  return note;
}

interface FieldsUpdate {
  id: number;
  fields: Record<string, string>;
  audio?: NoteSpec['audio'];
  video?: NoteSpec['video'];
  picture?: NoteSpec['picture'];
}

/** updateNoteFields' new field values: exact names (unknown ignored), then media appended. */
async function updatedFields(ctx: ActionContext, col: Collection, note: Note, update: FieldsUpdate): Promise<string[]> {
  const nt = modelForNote(col, note);
  const exact = exactFieldIndex(nt);
  const values = nt.fields.map((f) => note.fields[f.ord] ?? '');
  for (const [name, value] of Object.entries(update.fields)) {
    const ord = exact.get(name);
    if (ord !== undefined) values[ord] = value;
  }
  if (hasMedia(update)) {
    await addNoteMedia(
      col,
      update,
      (field, text) => {
        const ord = exact.get(field);
        if (ord !== undefined) values[ord] += text;
      },
      webTimeout(ctx),
    );
  }
  return values;
}

function modelForNote(col: Collection, note: Note): Notetype {
  const nt = col.storage.notetypes.get(note.notetypeId);
  if (!nt) throw new Error(`model was not found: ${note.notetypeId}`);
  return nt;
}

const tagList = (tags: string | string[]) => (typeof tags === 'string' ? [tags] : tags);

export const updateNoteFields = defineAnkiAction('updateNoteFields', async ({ note }, ctx) => {
  const col = collection(ctx);
  const existing = existingNote(col, note.id);
  const fields = await updatedFields(ctx, col, existing, note);
  col.transact('Update Note', (tx) => updateNoteInTx(tx, note.id, { fields }));
  return null;
});

/** Fields (as updateNoteFields) and/or tags (replacing them) in one transaction. */
export const updateNote = defineAnkiAction('updateNote', async ({ note }, ctx) => {
  const col = collection(ctx);
  const existing = existingNote(col, note.id);
  const fields = note.fields ? await updatedFields(ctx, col, existing, { ...note, fields: note.fields }) : undefined;
  const tags = note.tags !== undefined ? tagList(note.tags) : undefined;
  col.transact('Update Note', (tx) => updateNoteInTx(tx, note.id, { fields, tags }));
  return null;
});

/**
 * Moves a note to another note type: every field reset, then the given ones set (names ignoring
 * case), tags replaced (none given = none). Deviation: cards are kept where the new note type has
 * their template and removed otherwise, and missing ones generated, so the note stays valid
 * (upstream leaves the old cards as they were).
 */
export const updateNoteModel = defineAnkiAction('updateNoteModel', ({ note }, ctx) => {
  const col = collection(ctx);
  existingNote(col, note.id);
  const nt = getNotetypeByName(col, note.modelName);
  if (!nt) throw new Error(`Model '${note.modelName}' not found`);
  const index = lookups(col).fieldIndex(nt);
  const fields = nt.fields.map(() => '');
  for (const [name, value] of Object.entries(note.fields)) {
    const ord = index.get(name.toLowerCase());
    if (ord !== undefined) fields[ord] = value;
  }
  col.transact('Change Note Type', (tx) => changeNoteNotetypeInTx(tx, note.id, nt.id, fields, note.tags ?? []));
  return null;
});

export const updateNoteTags = defineAnkiAction('updateNoteTags', ({ note, tags }, ctx) => {
  const col = collection(ctx);
  existingNote(col, note);
  col.transact('Update Note', (tx) => updateNoteInTx(tx, note, { tags: tagList(tags) }));
  return null;
});

export const getNoteTags = defineAnkiAction('getNoteTags', ({ note }, ctx) => {
  const col = collection(ctx);
  existingNote(col, note);
  return noteTags(col, note);
});

/** `tags` is one space-separated string; `add: false` removes them (Anki's bulkAdd). */
export const addTags = defineAnkiAction('addTags', ({ notes, tags, add }, ctx) => {
  const col = collection(ctx);
  if (add) addTagsToNotes(col, notes, tags);
  else removeTagsFromNotes(col, notes, tags);
  return null;
});

export const removeTags = defineAnkiAction('removeTags', ({ notes, tags }, ctx) => {
  removeTagsFromNotes(collection(ctx), notes, tags);
  return null;
});

export const getTags = defineAnkiAction('getTags', (_p, ctx) => allTags(collection(ctx)));

export const clearUnusedTags = defineAnkiAction('clearUnusedTags', (_p, ctx) => {
  clearUnusedTagsService(collection(ctx));
  return null;
});

export const replaceTags = defineAnkiAction('replaceTags', ({ notes, tag_to_replace, replace_with_tag }, ctx) => {
  replaceTagOnNotes(collection(ctx), notes, tag_to_replace, replace_with_tag);
  return null;
});

export const replaceTagsInAllNotes = defineAnkiAction('replaceTagsInAllNotes', ({ tag_to_replace, replace_with_tag }, ctx) => {
  replaceTagOnNotes(collection(ctx), 'all', tag_to_replace, replace_with_tag);
  return null;
});

export const deleteNotes = defineAnkiAction('deleteNotes', ({ notes }, ctx) => {
  deleteNotesService(collection(ctx), notes);
  return null;
});

/** As upstream: deletes the note types no note uses (keeping at least one), not empty notes. */
export const removeEmptyNotes = defineAnkiAction('removeEmptyNotes', (_p, ctx) => {
  removeUnusedNotetypes(collection(ctx));
  return null;
});

// ---------------------------------------------------------------------------------------------
// reading

export const findNotes = defineAnkiAction('findNotes', ({ query }, ctx) => {
  const col = collection(ctx);
  return query === null ? [] : searchNotes(col, query);
});

export const notesInfo = defineAnkiAction('notesInfo', ({ notes, query }, ctx) => {
  if (notes === null && query === null) throw new Error('Must provide either "notes" or a "query"');
  const s = session(ctx);
  const col = s.col;
  const ids = query !== null ? searchNotes(col, query) : notes!;
  const byId = notesById(col, ids);
  const cards = cardIdsByNote(col, [...byId.keys()]);
  const model = memo((mid: number) => col.storage.notetypes.get(mid));
  return ids.map((id) => {
    const note = byId.get(id);
    const nt = note && model(note.notetypeId);
    if (!note || !nt) return {};
    return {
      noteId: note.id,
      profile: s.name,
      tags: note.tags,
      fields: fieldsObject(nt, note.fields),
      modelName: nt.name,
      mod: note.mtimeSecs,
      cards: cards.get(note.id) ?? [],
    };
  });
});

export const notesModTime = defineAnkiAction('notesModTime', ({ notes }, ctx) => {
  const byId = notesById(collection(ctx), notes);
  return notes.map((id) => {
    const note = byId.get(id);
    return note ? { noteId: note.id, mod: note.mtimeSecs } : {};
  });
});

export const cardsToNotes = defineAnkiAction('cardsToNotes', ({ cards }, ctx) => noteIdsOfCards(collection(ctx), cards));

export const NOTE_ACTIONS = [
  addNote,
  addNotes,
  canAddNotes,
  canAddNotesWithErrorDetail,
  canAddNote,
  canAddNoteWithErrorDetail,
  updateNoteFields,
  updateNote,
  updateNoteModel,
  updateNoteTags,
  getNoteTags,
  addTags,
  removeTags,
  getTags,
  clearUnusedTags,
  replaceTags,
  replaceTagsInAllNotes,
  deleteNotes,
  removeEmptyNotes,
  findNotes,
  notesInfo,
  notesModTime,
  cardsToNotes,
];
