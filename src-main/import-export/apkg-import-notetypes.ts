// Incoming notetypes matched by id: added, updated, duplicated on a schema change, or merged
// (with the notes of merged notetypes moved over).

import { DeckhandError } from '../collection/errors';
import { generateCardsForNote } from '../cards/new-cards';
import { noteDerivedColumns } from '../notes/derived';
import type { Note } from '../notes/note';
import { isCloze, type Notetype } from '../notetypes/notetype';
import { updateNotetypeInTx } from '../notetypes/notetypes-service';
import { ensureNameUnique as ensureNotetypeNameUnique } from '../notetypes/notetype-update';
import { prepareNotetypeForSave } from '../notetypes/prepare';
import type { NoteMetaRow } from '../storage/package-store';
import { normalizeFieldText } from '../text/normalize';
import { type ImportContext, keepingStamps, shouldUpdate } from './apkg-import-context';
import {
  combineFieldMaps,
  combineTemplateMaps,
  copyOrigins,
  equalSchema,
  merge,
  reorderFields,
  templateMapFromOrigins,
  working,
  type WorkingNotetype,
} from './notetype-merge';

export function importNotetypes(ctx: ImportContext, notetypes: Notetype[]): void {
  for (const incoming of notetypes) {
    incoming.config.originalId = BigInt(incoming.id);
    const existing = ctx.targetNotetypes.find((nt) => nt.id === incoming.id);
    if (!existing) addNotetypeKeepingId(ctx, incoming);
    else if (ctx.opts.mergeNotetypes) updateOrMergeNotetype(ctx, incoming, structuredClone(existing));
    else updateOrDuplicateNotetype(ctx, incoming, structuredClone(existing));
  }
}

/** A notetype whose id is free: added with its id, name made unique, its mtime kept. */
function addNotetypeKeepingId(ctx: ImportContext, nt: Notetype): void {
  const { tx } = ctx;
  prepareNotetypeForSave(nt, { skipChecks: true });
  ensureNotetypeNameUnique(tx, nt);
  nt.usn = -1;
  keepingStamps(tx, () => tx.putNotetype(nt, true));
}

/** Schema changed and no earlier copy fits: added under a new id (and made current), notes remapped. */
function addNotetypeWithNewId(ctx: ImportContext, nt: Notetype): void {
  const { tx } = ctx;
  const oldId = nt.id;
  prepareNotetypeForSave(nt, { skipChecks: true });
  nt.id = 0;
  ensureNotetypeNameUnique(tx, nt);
  nt.id = tx.nextId('notetypes');
  nt.usn = -1;
  keepingStamps(tx, () => tx.putNotetype(nt, true));
  tx.setConfig('curModel', nt.id);
  ctx.remappedNotetypes.set(oldId, nt.id);
}

function updateOrDuplicateNotetype(ctx: ImportContext, incoming: Notetype, existing: Notetype): void {
  if (!equalSchema(existing, incoming)) {
    const previous = ctx.targetNotetypes.find((nt) => nt.id !== incoming.id && nt.config.originalId === BigInt(incoming.id) && equalSchema(nt, incoming));
    if (!previous) return addNotetypeWithNewId(ctx, incoming);
    existing = structuredClone(previous);
    ctx.remappedNotetypes.set(incoming.id, previous.id);
    incoming.id = previous.id;
  }
  if (shouldUpdate(ctx.opts.updateNotetypes, existing.mtimeSecs, incoming.mtimeSecs)) {
    // not modified: the incoming stamps stay (notetype mtime, template stamps), usn −1
    const stamps = { mtime: incoming.mtimeSecs, templates: incoming.templates.map((t) => ({ mtimeSecs: t.mtimeSecs, usn: t.usn })) };
    const saved = updateNotetypeInTx(ctx.tx, incoming, undefined, { skipChecks: true });
    saved.mtimeSecs = stamps.mtime;
    saved.usn = -1;
    saved.templates.forEach((t, i) => Object.assign(t, stamps.templates[i] ?? {}));
    keepingStamps(ctx.tx, () => ctx.tx.putNotetype(saved));
  }
}

function recordRemappedOrds(ctx: ImportContext, incoming: WorkingNotetype): void {
  const id = incoming.nt.id;
  const oldFields = ctx.remappedFields.get(id);
  ctx.remappedFields.set(id, oldFields ? combineFieldMaps(oldFields, incoming.fieldOrigins) : [...incoming.fieldOrigins]);
  const oldTemplates = ctx.remappedTemplates.get(id);
  if (oldTemplates) combineTemplateMaps(oldTemplates, incoming.templateOrigins);
  else ctx.remappedTemplates.set(id, templateMapFromOrigins(incoming.templateOrigins));
}

const kindConflict = () => new DeckhandError('invalid-input', 'Cannot merge note types of different kinds (a cloze and a normal one).');

/** Saves a merged notetype over the stored one (stamped now), remapping its notes and cards. */
function saveMerged(ctx: ImportContext, w: WorkingNotetype): Notetype {
  return updateNotetypeInTx(ctx.tx, w.nt, { fields: w.fieldOrigins, templates: w.templateOrigins }, { skipChecks: true });
}

function updateOrMergeNotetype(ctx: ImportContext, incomingNt: Notetype, existingNt: Notetype): void {
  if (isCloze(existingNt) !== isCloze(incomingNt)) throw kindConflict();
  const siblings = ctx.targetNotetypes.filter((nt) => nt.id !== existingNt.id && nt.config.originalId === BigInt(existingNt.id)).map(working);
  const existing = working(existingNt);
  for (const s of siblings) merge(existing, s.nt);
  const incoming = working(incomingNt);
  merge(incoming, existing.nt);
  merge(existing, incoming.nt);
  recordRemappedOrds(ctx, incoming);
  let saved: Notetype;
  if (shouldUpdate(ctx.opts.updateNotetypes, existing.nt.mtimeSecs, incoming.nt.mtimeSecs)) {
    copyOrigins(incoming, existing);
    saved = saveMerged(ctx, incoming);
  } else {
    saved = saveMerged(ctx, existing);
  }
  for (const s of siblings) {
    merge(s, saved);
    changeNotetypeOfNotes(ctx, ctx.store.noteIdsOfNotetype(s.nt.id), s, saved);
    ctx.mergedNotetypes.add(s.nt.id);
  }
}

/**
 * Anki's `change_notetype_of_notes_inner` for merged notetypes: cards of templates that do not
 * survive are removed, the others renumbered, fields reordered, the notetype switched, and cards
 * the new content calls for generated. Marks the schema changed.
 */
function changeNotetypeOfNotes(ctx: ImportContext, noteIds: number[], from: WorkingNotetype, to: Notetype): void {
  const { tx } = ctx;
  tx.markSchemaChanged();
  const oldTemplateCount = tx.storage.notetypes.get(from.nt.id)?.templates.length ?? from.templateOrigins.length;
  const keep = new Set<number>();
  const moved = new Map<number, number>();
  from.templateOrigins.forEach((o, i) => {
    if (o === null) return;
    keep.add(o);
    if (o !== i) moved.set(o, i);
  });
  const nt = tx.storage.notetypes.get(to.id)!;
  const normalize = ctx.normalize;
  for (const nid of noteIds) {
    const cards = tx.storage.cards.ofNote(nid);
    for (const c of cards) {
      if (c.ord < oldTemplateCount && !keep.has(c.ord)) tx.removeCard(c.id);
      else if (moved.has(c.ord)) tx.putCard({ ...c, ord: moved.get(c.ord)! });
    }
    const note = tx.storage.notes.get(nid);
    if (!note) continue;
    note.fields = reorderFields(note.fields, from.fieldOrigins).map((f) => normalizeFieldText(f, normalize));
    note.notetypeId = to.id;
    tx.putNote(note, noteDerivedColumns(note, nt));
    generateCardsForNote(tx, note, nt, tx.storage.cards.ofNote(nid), { isNewNote: true });
  }
}

/**
 * With merging on, notes whose guid exists under another notetype: the two notetypes are merged
 * into the incoming one and the existing notes moved over (Anki's `resolve_notetype_conflicts`).
 */
export function resolveNotetypeConflicts(ctx: ImportContext, notes: Note[], existingGuids: Map<string, NoteMetaRow>): void {
  const conflicts = new Map<string, { existing: number; incoming: number; noteIds: number[] }>();
  for (const note of notes) {
    const meta = existingGuids.get(note.guid);
    if (meta && meta.mid !== note.notetypeId) {
      const k = `${meta.mid}:${note.notetypeId}`;
      const c = conflicts.get(k) ?? { existing: meta.mid, incoming: note.notetypeId, noteIds: [] };
      c.noteIds.push(meta.id);
      conflicts.set(k, c);
    }
  }
  for (const { existing: existingId, incoming: incomingId, noteIds } of conflicts.values()) {
    const existingNt = ctx.tx.storage.notetypes.get(existingId);
    const incomingNt = ctx.tx.storage.notetypes.get(incomingId);
    if (!existingNt || !incomingNt) throw new DeckhandError('not-found', `note type ${existingNt ? incomingId : existingId} not found`);
    if (isCloze(existingNt) !== isCloze(incomingNt)) throw kindConflict();
    const existing = working(existingNt);
    const incoming = working(incomingNt);
    merge(existing, incoming.nt);
    merge(incoming, existing.nt);
    recordRemappedOrds(ctx, incoming);
    // Anki copies the existing notetype's origins onto the incoming one before saving it; we keep
    // the incoming one's own origins, which is what its stored notes need (same result when, as
    // usual, it has none yet).
    const saved = saveMerged(ctx, incoming);
    changeNotetypeOfNotes(ctx, noteIds, existing, saved);
    ctx.mergedNotetypes.add(existingId);
  }
}
