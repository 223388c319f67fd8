// Notetype operations with Anki's rules (rslib/src/notetype/{mod,schemachange,cardgen}.rs,
// pylib models.py, the Fields and Cards dialogs), restated in our own code.
//
// Reading is in notetype-lookup, saving a changed notetype in notetype-update and the single
// edits (fields, card types, CSS…) in notetype-edits; this module adds and removes notetypes and
// re-exports the rest.

import type { Collection } from '../collection/collection';
import { DeckhandError } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { deleteNotesInTx } from '../notes/notes-service';
import { NotetypeKind } from '../storage/proto/messages';
import type { Notetype } from './notetype';
import { getNotetype, type NotetypeNameId } from './notetype-lookup';
import { ensureNameUnique } from './notetype-update';
import { prepareNotetypeForSave } from './prepare';
import { CLOZE_CSS, DEFAULT_CSS, newField, newTemplate, type StockKindName, stockNotetype } from './stock';

export {
  addField,
  addTemplate,
  type FieldConfigPatch,
  type NewTemplateSpec,
  removeField,
  removeTemplate,
  renameField,
  renameNotetype,
  renameTemplate,
  repositionField,
  repositionTemplate,
  setNotetypeCss,
  setNotetypeLatex,
  setSortField,
  type TemplatePatch,
  updateFieldConfig,
  updateTemplate,
} from './notetype-edits';
export {
  currentNotetypeId,
  fieldDescriptions,
  fieldFonts,
  fieldIndex,
  fieldNames,
  findNotetype,
  getNotetype,
  getNotetypeByName,
  listNotetypes,
  notetypeCss,
  notetypeIdByName,
  type NotetypeNameId,
  type NotetypeUseCount,
  notetypeUseCounts,
  type PartRef,
  setCurrentNotetype,
  type TemplateFormats,
  templateFormats,
  templateIndex,
} from './notetype-lookup';
export { templateOrdChanges, type UpdateOptions, updateNotetype, updateNotetypeInTx } from './notetype-update';

// Undo names, as Anki's ops.rs (English).
const OP_ADD = 'Add Note Type';
const OP_REMOVE = 'Remove Note Type';

/** Adds a notetype as Anki's `add_notetype`: prepared and checked, name made unique, made current. */
export function addNotetypeInTx(tx: Tx, nt: Notetype, opts: { skipChecks?: boolean } = {}): Notetype {
  nt.id = 0;
  prepareNotetypeForSave(nt, { skipChecks: opts.skipChecks });
  ensureNameUnique(tx, nt);
  nt.id = tx.nextId('notetypes');
  tx.putNotetype(nt, true);
  tx.setConfig('curModel', nt.id);
  return nt;
}

export function addNotetype(col: Collection, nt: Notetype): OpResult<NotetypeNameId> {
  return col.transact(OP_ADD, (tx) => {
    const added = addNotetypeInTx(tx, structuredClone(nt));
    return { id: added.id, name: added.name };
  });
}

/** Adds a fresh stock notetype (new field/template ids), optionally under another name. */
export function addStockNotetype(col: Collection, kind: StockKindName, name?: string): OpResult<NotetypeNameId> {
  const nt = stockNotetype(kind);
  if (name !== undefined) nt.name = name;
  return addNotetype(col, nt);
}

/**
 * Clones a notetype as Anki's "Clone: X" does: a deep copy (fields and templates keep their
 * config ids, as Anki's copy does), named "X copy" unless a name is given, with no original id.
 */
export function cloneNotetype(col: Collection, id: number, name?: string): OpResult<NotetypeNameId> {
  const nt = getNotetype(col, id);
  nt.name = name ?? `${nt.name} copy`;
  nt.config.originalId = undefined;
  for (const t of nt.templates) {
    t.mtimeSecs = 0;
    t.usn = 0;
  }
  return addNotetype(col, nt);
}

export interface NewNotetypeSpec {
  name: string;
  cloze?: boolean;
  fields: string[];
  templates: { name: string; qFormat: string; aFormat: string }[];
  css?: string;
}

/** Creates a notetype from scratch (AnkiConnect `createModel`): stock defaults, the given parts. */
export function createNotetype(col: Collection, spec: NewNotetypeSpec): OpResult<NotetypeNameId> {
  const nt = stockNotetype(spec.cloze ? 'cloze' : 'basic');
  nt.name = spec.name;
  nt.fields = spec.fields.map((f) => newField(f));
  nt.templates = spec.templates.map((t) => newTemplate(t.name, t.qFormat, t.aFormat));
  nt.config.css = spec.css ?? (spec.cloze ? CLOZE_CSS : DEFAULT_CSS);
  if (spec.cloze) nt.config.kind = NotetypeKind.Cloze;
  return addNotetype(col, nt);
}

// ---------------------------------------------------------------------------------------------
// Removing

/**
 * Deletes a notetype with all its notes and cards (graves for sync), its `_nt_<id>_` config keys,
 * and bumps the schema; the current notetype becomes the first remaining one. The last notetype
 * cannot be deleted.
 */
export function removeNotetype(col: Collection, id: number): OpResult<number> {
  return col.transact(OP_REMOVE, (tx) => removeNotetypeInTx(tx, id));
}

export function removeNotetypeInTx(tx: Tx, id: number): number {
  getNotetype(tx, id);
  if (tx.storage.notetypes.namesInIdOrder().length < 2) throw new DeckhandError('invalid-input', 'Please add another note type first.');
  const removedNotes = deleteNotesInTx(tx, tx.storage.notes.idsOfNotetype(id));
  tx.markSchemaChanged();
  const prefix = `_nt_${id}_`;
  for (const key of tx.storage.config.keys()) if (key.startsWith(prefix)) tx.removeConfig(key);
  tx.removeNotetype(id);
  tx.setConfig('curModel', tx.storage.notetypes.namesInIdOrder()[0].id);
  return removedNotes;
}

/**
 * Deletes every notetype that no note uses (what AnkiConnect's `removeEmptyNotes` does), but
 * never the last notetype. Returns the ids removed.
 */
export function removeUnusedNotetypes(col: Collection): OpResult<number[]> {
  return col.transact(OP_REMOVE, (tx) => {
    const removed: number[] = [];
    for (const { id } of tx.storage.notetypes.namesInIdOrder()) {
      if (tx.storage.notetypes.namesInIdOrder().length < 2) break;
      if (tx.storage.notetypes.noteCount(id) > 0) continue;
      removeNotetypeInTx(tx, id);
      removed.push(id);
    }
    return removed;
  });
}
