// Saving a changed notetype (Anki's update_notetype: prepare, then notes and cards follow the new
// structure).

import type { Card } from '../cards/card';
import { generateCardsForNote } from '../cards/new-cards';
import type { Collection } from '../collection/collection';
import { DeckhandError, notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { noteDerivedColumns } from '../notes/derived';
import { normalizeFieldText } from '../text/normalize';
import { isCloze, type Notetype, type NotetypeTemplate } from './notetype';
import { getNotetype } from './notetype-lookup';
import { identityOrigins, type NotetypeOrigins, prepareNotetypeForSave } from './prepare';

// Undo name, as Anki's ops.rs (English).
const OP_UPDATE = 'Update Note Type';

/** Appends "+" to the name while another notetype has it. */
export function ensureNameUnique(tx: Tx, nt: Notetype): void {
  for (;;) {
    const other = tx.storage.notetypes.idByName(nt.name);
    if (other === undefined || other === nt.id) return;
    nt.name += '+';
  }
}

export interface UpdateOptions {
  skipChecks?: boolean;
}

/**
 * Saves a changed notetype. `origins` tells, for each field/template of `nt`, its index in the
 * stored notetype or null if it is new (default: nothing added, removed or moved). Notes are
 * rewritten when fields were added/removed/moved (and their sort field when it changed), cards of
 * removed templates deleted, cards of moved ones renumbered, and new cards generated when a
 * template was added or a front changed. Any such change bumps the schema (full sync), as in Anki.
 */
export function updateNotetypeInTx(tx: Tx, nt: Notetype, origins?: NotetypeOrigins, opts: UpdateOptions = {}): Notetype {
  const stored = tx.storage.notetypes.get(nt.id);
  if (!stored) throw notFound(`note type ${nt.id}`);
  const original = structuredClone(stored);
  const o = origins ?? identityOrigins(nt);
  if (o.fields.length !== nt.fields.length || o.templates.length !== nt.templates.length)
    throw new DeckhandError('invalid-input', 'origins must list every field and template');
  prepareNotetypeForSave(nt, { original, origins: o, skipChecks: opts.skipChecks });
  ensureNameUnique(tx, nt);
  updateNotesForChangedFields(tx, nt, original, o.fields);
  updateCardsForChangedTemplates(tx, nt, original, o.templates);
  tx.putNotetype(nt);
  return nt;
}

export function updateNotetype(col: Collection, nt: Notetype, origins?: NotetypeOrigins, opts: UpdateOptions = {}): OpResult<Notetype> {
  return col.transact(OP_UPDATE, (tx) => updateNotetypeInTx(tx, structuredClone(nt), origins, opts));
}

/** Runs `edit` on a copy of the stored notetype and saves it; `edit` returns the origins if parts moved. */
export function editNotetype<T>(col: Collection, id: number, edit: (nt: Notetype, tx: Tx) => { origins?: NotetypeOrigins; result: T }): OpResult<T> {
  return col.transact(OP_UPDATE, (tx) => {
    const nt = getNotetype(tx, id);
    const { origins, result } = edit(nt, tx);
    updateNotetypeInTx(tx, nt, origins);
    return result;
  });
}

export const positions = (n: number): (number | null)[] => Array.from({ length: n }, (_, i) => i);

function normalizeText(tx: Tx): boolean {
  return tx.storage.config.get<boolean>('normalize_note_text') !== false;
}

/** Anki's `update_notes_for_changed_fields`. */
function updateNotesForChangedFields(tx: Tx, nt: Notetype, original: Notetype, fieldOrigins: (number | null)[]): void {
  const moved = fieldOrigins.length !== original.fields.length || fieldOrigins.some((o, i) => o !== i);
  const sortChanged = nt.config.sortFieldIdx !== original.config.sortFieldIdx;
  if (!moved && !sortChanged) return;
  tx.markSchemaChanged();
  const normalize = normalizeText(tx);
  for (const nid of tx.storage.notes.idsOfNotetype(nt.id)) {
    const note = tx.storage.notes.get(nid)!;
    if (moved) note.fields = fieldOrigins.map((o) => (o === null ? '' : (note.fields[o] ?? '')));
    note.fields = note.fields.map((f) => normalizeFieldText(f, normalize));
    tx.putNote(note, noteDerivedColumns(note, nt));
  }
}

/** Anki's `TemplateOrdChanges`: added positions, removed old ords, old → new for moved ones. */
export function templateOrdChanges(origins: (number | null)[], previousLen: number): { added: number[]; removed: number[]; moved: Map<number, number> } {
  const added: number[] = [];
  const moved = new Map<number, number>();
  const kept = new Set<number>();
  origins.forEach((o, i) => {
    if (o === null) added.push(i);
    else {
      kept.add(o);
      if (o !== i) moved.set(o, i);
    }
  });
  const removed = positions(previousLen).filter((o): o is number => o !== null && !kept.has(o));
  return { added, removed, moved };
}

/** Anki's `update_cards_for_changed_templates`, refusing a removal that would leave notes without cards. */
function updateCardsForChangedTemplates(tx: Tx, nt: Notetype, original: Notetype, templateOrigins: (number | null)[]): void {
  const changes = templateOrdChanges(templateOrigins, original.templates.length);
  const structural = changes.added.length > 0 || changes.removed.length > 0 || changes.moved.size > 0;
  if (structural) tx.markSchemaChanged();
  const fronts = (ts: NotetypeTemplate[]) => ts.map((t) => t.config.qFormat);
  const sameFronts = fronts(nt.templates).length === original.templates.length && fronts(nt.templates).every((q, i) => q === original.templates[i].config.qFormat);
  if (!structural && sameFronts) return;

  const noteIds = tx.storage.notes.idsOfNotetype(nt.id);
  const byNote = new Map<number, Card[]>();
  for (const c of tx.storage.cards.ofNotes(noteIds)) {
    const list = byNote.get(c.noteId);
    if (list) list.push(c);
    else byNote.set(c.noteId, [c]);
  }

  if (changes.removed.length) {
    const removed = new Set(changes.removed);
    const orphaned = [...byNote.values()].filter((cards) => cards.every((c) => removed.has(c.ord))).length;
    if (orphaned > 0)
      throw new DeckhandError(
        'invalid-input',
        `Removing this card type would leave ${orphaned} note${orphaned === 1 ? '' : 's'} of "${nt.name}" without any card. Add content that creates another card type for them first, or delete those notes.`,
      );
    for (const [nid, cards] of byNote) {
      const keep: Card[] = [];
      for (const c of cards) {
        if (removed.has(c.ord)) tx.removeCard(c.id);
        else keep.push(c);
      }
      byNote.set(nid, keep);
    }
  }
  if (changes.moved.size) {
    for (const cards of byNote.values()) {
      for (const c of cards) {
        const to = changes.moved.get(c.ord);
        if (to !== undefined && !changes.removed.includes(c.ord)) {
          c.ord = to;
          tx.putCard(c);
        }
      }
    }
  }
  if (changes.added.length > 0 || !sameFronts) generateCardsForNotetype(tx, nt, byNote);
}

/** Anki's `generate_cards_for_notetype`: each note that already has cards gets those its content now calls for. */
function generateCardsForNotetype(tx: Tx, nt: Notetype, byNote: Map<number, Card[]>): number[] {
  const created: number[] = [];
  for (const [nid, existing] of byNote) {
    if (existing.length === 0) continue;
    if (!isCloze(nt) && existing.length === nt.templates.length) continue;
    const note = tx.storage.notes.get(nid);
    if (note) created.push(...generateCardsForNote(tx, note, nt, existing));
  }
  return created;
}
