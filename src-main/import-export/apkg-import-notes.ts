// Incoming notes matched by guid: added, updated per the update condition, or logged as
// duplicate or conflicting; media references follow renamed files.

import { DeckhandError } from '../collection/errors';
import { normalizeFilename } from '../media/filenames';
import { noteDerivedColumns } from '../notes/derived';
import type { Note } from '../notes/note';
import type { Notetype } from '../notetypes/notetype';
import { removeNotetypeInTx } from '../notetypes/notetypes-service';
import type { NoteMetaRow } from '../storage/package-store';
import { canonifyAndRegister } from '../tags/tags-service';
import { replaceMediaRefs } from '../text/media-refs';
import { normalizeFieldText } from '../text/normalize';
import { type ImportContext, keepingStamps, shouldUpdate } from './apkg-import-context';
import { resolveNotetypeConflicts } from './apkg-import-notetypes';
import { logNote } from './import-log';
import { reorderFields } from './notetype-merge';
import { filenameIsSafe } from './package-format';
import type { ImportStage, ProgressReporter } from './progress';

export function importNotes(ctx: ImportContext, notes: Note[], reporter: ProgressReporter<ImportStage>): void {
  const existingGuids = ctx.store.noteGuidMap();
  if (ctx.opts.mergeNotetypes) resolveNotetypeConflicts(ctx, notes, existingGuids);
  ctx.log.foundNotes = notes.length;
  const tick = reporter.counter('notes', notes.length);
  for (const note of notes) {
    tick();
    const fieldMap = ctx.remappedFields.get(note.notetypeId);
    if (fieldMap) note.fields = reorderFields(note.fields, fieldMap);
    const remapped = ctx.remappedNotetypes.get(note.notetypeId);
    if (remapped !== undefined) note.notetypeId = remapped;
    const existing = existingGuids.get(note.guid);
    if (existing) maybeUpdateExistingNote(ctx, existing, note);
    else addNote(ctx, note);
  }
  // notetypes merged into others are removed once no note uses them
  for (const id of ctx.mergedNotetypes) {
    if (!ctx.store.usedNotetypeIds().has(id) && ctx.tx.storage.notetypes.get(id)) removeNotetypeInTx(ctx.tx, id);
  }
}

function notetypeOf(ctx: ImportContext, id: number): Notetype {
  const nt = ctx.tx.storage.notetypes.get(id);
  if (!nt) throw new DeckhandError('not-found', `note type ${id} not found`);
  return nt;
}

/** Anki's `prepare_for_update`: field count checked, fields normalised; returns sfld/csum. */
function prepareNote(ctx: ImportContext, note: Note, nt: Notetype): { sfld: string; csum: number } {
  const want = Math.max(nt.fields.length, 1);
  if (note.fields.length !== want)
    throw new DeckhandError('corrupt', `A note in the package has ${note.fields.length} fields, but its note type "${nt.name}" has ${want}. Run Check Database on the collection it came from and export it again.`);
  note.fields = note.fields.map((f) => normalizeFieldText(f, ctx.normalize));
  return noteDerivedColumns(note, nt);
}

function maybeUpdateExistingNote(ctx: ImportContext, existing: NoteMetaRow, incoming: Note): void {
  if (!ctx.opts.mergeNotetypes && incoming.notetypeId !== existing.mid) {
    ctx.log.conflicting.push(logNote(incoming.fields, incoming.id));
  } else if (shouldUpdate(ctx.opts.updateNotes, existing.mod, incoming.mtimeSecs)) {
    updateNote(ctx, incoming, existing.id);
  } else {
    ctx.noteIdMap.set(incoming.id, existing.id);
    ctx.log.duplicate.push(logNote(incoming.fields, existing.id));
  }
}

function addNote(ctx: ImportContext, note: Note): void {
  const { tx } = ctx;
  mungeMedia(ctx, note);
  note.tags = canonifyAndRegister(tx, note.tags);
  const derived = prepareNote(ctx, note, notetypeOf(ctx, note.notetypeId));
  note.usn = -1;
  const sourceId = note.id;
  while (ctx.targetNoteIds.has(note.id)) note.id += 999;
  keepingStamps(tx, () => tx.putNote(note, derived, true));
  ctx.targetNoteIds.add(note.id);
  ctx.noteIdMap.set(sourceId, note.id);
  ctx.log.new.push(logNote(note.fields, note.id));
}

/** Updates a note, keeping the incoming modification time (so successive exports import in order). */
function updateNote(ctx: ImportContext, note: Note, targetId: number): void {
  const { tx } = ctx;
  const sourceId = note.id;
  note.id = targetId;
  mungeMedia(ctx, note);
  note.tags = canonifyAndRegister(tx, note.tags);
  const derived = prepareNote(ctx, note, notetypeOf(ctx, note.notetypeId));
  note.usn = -1;
  keepingStamps(tx, () => tx.putNote(note, derived));
  ctx.noteIdMap.set(sourceId, note.id);
  ctx.log.updated.push(logNote(note.fields, note.id));
}

/** Rewrites media references to renamed files (and to the normalised form of the name). */
function mungeMedia(ctx: ImportContext, note: Note): void {
  note.fields = note.fields.map(
    (field) =>
      replaceMediaRefs(field, (name) => {
        if (!filenameIsSafe(name)) return null;
        const normalized = normalizeFilename(name);
        const entry = ctx.mediaMap.use(normalized);
        if (entry) return entry.name !== name ? entry.name : null;
        return normalized !== name ? normalized : null;
      }) ?? field,
  );
}
