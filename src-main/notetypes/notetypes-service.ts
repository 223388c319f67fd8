// Notetype operations with Anki's rules (rslib/src/notetype/{mod,schemachange,cardgen}.rs,
// pylib models.py, the Fields and Cards dialogs), restated in our own code.

import type { Card } from '../cards/card';
import { generateCardsForNote } from '../cards/new-cards';
import type { Collection } from '../collection/collection';
import { DeckhandError, notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { noteDerivedColumns } from '../notes/derived';
import { deleteNotesInTx } from '../notes/notes-service';
import type { FieldConfig, TemplateConfig } from '../storage/proto/messages';
import { NotetypeKind } from '../storage/proto/messages';
import { unicaseEquals } from '../storage/unicase';
import { normalizeFieldText } from '../text/normalize';
import { isCloze, type Notetype, type NotetypeTemplate } from './notetype';
import { identityOrigins, type NotetypeOrigins, prepareNotetypeForSave } from './prepare';
import { CLOZE_CSS, DEFAULT_CSS, newField, newTemplate, type StockKindName, stockNotetype } from './stock';

// Undo names, as Anki's ops.rs (English).
const OP_ADD = 'Add Note Type';
const OP_UPDATE = 'Update Note Type';
const OP_REMOVE = 'Remove Note Type';

export interface NotetypeNameId {
  id: number;
  name: string;
}

export interface NotetypeUseCount extends NotetypeNameId {
  useCount: number;
}

/** A field or template, by position (0-based) or by name (exact first, then ignoring case). */
export type PartRef = number | string;

// ---------------------------------------------------------------------------------------------
// Reading

/** Every notetype's id and name in Anki's `get_notetype_names` order (by id). */
export function listNotetypes(col: Collection): NotetypeNameId[] {
  return col.storage.notetypes.namesInIdOrder();
}

/** Id, name and note count of every notetype, sorted by name as Anki's "Manage Note Types" lists them. */
export function notetypeUseCounts(col: Collection): NotetypeUseCount[] {
  return col.storage.notetypes.useCounts();
}

/** A private copy of a notetype (safe to modify), or undefined. */
export function findNotetype(col: Collection | Tx, id: number): Notetype | undefined {
  const nt = col.storage.notetypes.get(id);
  return nt && structuredClone(nt);
}

export function getNotetype(col: Collection | Tx, id: number): Notetype {
  const nt = findNotetype(col, id);
  if (!nt) throw notFound(`note type ${id}`);
  return nt;
}

/** Notetype id by name, compared ignoring case as Anki's unicase name column does. */
export function notetypeIdByName(col: Collection | Tx, name: string): number | undefined {
  return col.storage.notetypes.idByName(name);
}

export function getNotetypeByName(col: Collection | Tx, name: string): Notetype | undefined {
  const id = notetypeIdByName(col, name);
  return id === undefined ? undefined : findNotetype(col, id);
}

/** The notetype Add uses by default (`curModel`), falling back to the first one if unset or gone. */
export function currentNotetypeId(col: Collection | Tx): number {
  const id = col.storage.config.get<number>('curModel');
  if (typeof id === 'number' && col.storage.notetypes.get(id)) return id;
  const first = col.storage.notetypes.namesInIdOrder()[0];
  if (!first) throw notFound('note type');
  return first.id;
}

/** Selects the current note type (`curModel`): a selection, so no undo step. */
export function setCurrentNotetype(col: Collection, id: number): OpResult<void> {
  getNotetype(col, id);
  return col.transact(
    'Set Current Note Type',
    (tx) => {
      if (tx.storage.config.get('curModel') !== id) tx.setConfig('curModel', id);
    },
    { undoable: 'skip' },
  );
}

/** Field names in order (AnkiConnect `modelFieldNames`). */
export function fieldNames(col: Collection, id: number): string[] {
  return getNotetype(col, id).fields.map((f) => f.name);
}

/** Field descriptions in order (`modelFieldDescriptions`). */
export function fieldDescriptions(col: Collection, id: number): string[] {
  return getNotetype(col, id).fields.map((f) => f.config.description);
}

/** Editor font and size per field, in order (`modelFieldFonts`). */
export function fieldFonts(col: Collection, id: number): { name: string; font: string; size: number }[] {
  return getNotetype(col, id).fields.map((f) => ({ name: f.name, font: f.config.fontName, size: f.config.fontSize }));
}

export interface TemplateFormats {
  name: string;
  qFormat: string;
  aFormat: string;
}

/** Card templates in order with their front/back (`modelTemplates`). */
export function templateFormats(col: Collection, id: number): TemplateFormats[] {
  return getNotetype(col, id).templates.map((t) => ({ name: t.name, qFormat: t.config.qFormat, aFormat: t.config.aFormat }));
}

/** The notetype's CSS (`modelStyling`). */
export function notetypeCss(col: Collection, id: number): string {
  return getNotetype(col, id).config.css;
}

function partIndex(parts: readonly { name: string }[], ref: PartRef, what: string, nt: Notetype): number {
  if (typeof ref === 'number') {
    if (Number.isInteger(ref) && ref >= 0 && ref < parts.length) return ref;
    throw notFound(`${what} ${ref} of note type "${nt.name}"`);
  }
  let i = parts.findIndex((p) => p.name === ref);
  if (i < 0) i = parts.findIndex((p) => unicaseEquals(p.name, ref));
  if (i < 0) throw notFound(`${what} "${ref}" of note type "${nt.name}"`);
  return i;
}

export const fieldIndex = (nt: Notetype, ref: PartRef) => partIndex(nt.fields, ref, 'field', nt);
export const templateIndex = (nt: Notetype, ref: PartRef) => partIndex(nt.templates, ref, 'card type', nt);

// ---------------------------------------------------------------------------------------------
// Adding

function ensureNameUnique(tx: Tx, nt: Notetype): void {
  for (;;) {
    const other = tx.storage.notetypes.idByName(nt.name);
    if (other === undefined || other === nt.id) return;
    nt.name += '+';
  }
}

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
// Updating (Anki's update_notetype: prepare, then notes and cards follow the new structure)

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
function editNotetype<T>(col: Collection, id: number, edit: (nt: Notetype, tx: Tx) => { origins?: NotetypeOrigins; result: T }): OpResult<T> {
  return col.transact(OP_UPDATE, (tx) => {
    const nt = getNotetype(tx, id);
    const { origins, result } = edit(nt, tx);
    updateNotetypeInTx(tx, nt, origins);
    return result;
  });
}

const positions = (n: number): (number | null)[] => Array.from({ length: n }, (_, i) => i);

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

// ---------------------------------------------------------------------------------------------
// Notetype-level edits

/** Renames a notetype (`"` removed, `+` appended while another notetype has the name). Returns the final name. */
export function renameNotetype(col: Collection, id: number, name: string): OpResult<string> {
  const r = editNotetype(col, id, (nt) => {
    nt.name = name;
    return { result: nt };
  });
  return mapOp(r, (nt) => nt.name);
}

export function setNotetypeCss(col: Collection, id: number, css: string): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    nt.config.css = css;
    return { result: undefined };
  });
}

/** Sets the sort field (by position or name). Rewrites every note's sort column and bumps the schema, as Anki does. */
export function setSortField(col: Collection, id: number, field: PartRef): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    nt.config.sortFieldIdx = fieldIndex(nt, field);
    return { result: undefined };
  });
}

/** LaTeX header/footer and SVG flag. */
export function setNotetypeLatex(col: Collection, id: number, latex: { pre?: string; post?: string; svg?: boolean }): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    if (latex.pre !== undefined) nt.config.latexPre = latex.pre;
    if (latex.post !== undefined) nt.config.latexPost = latex.post;
    if (latex.svg !== undefined) nt.config.latexSvg = latex.svg;
    return { result: undefined };
  });
}

// ---------------------------------------------------------------------------------------------
// Fields

const allKept = (nt: Notetype): NotetypeOrigins => ({ fields: positions(nt.fields.length), templates: positions(nt.templates.length) });

/**
 * Adds a field (at the end, or at `index`), with Anki's new-field defaults; every note gets an
 * empty value there. Returns the name it was saved under (cleaned, `+` added if taken).
 */
export function addField(col: Collection, id: number, name: string, opts: { index?: number; config?: Partial<FieldConfig> } = {}): OpResult<string> {
  const r = editNotetype(col, id, (nt) => {
    const at = clampIndex(opts.index ?? nt.fields.length, nt.fields.length);
    const f = newField(name, opts.config ?? {});
    const origins = allKept(nt);
    nt.fields.splice(at, 0, f);
    origins.fields.splice(at, 0, null);
    return { origins, result: f };
  });
  return mapOp(r, (f) => f.name);
}

/**
 * Renames a field, and every reference to it in the templates (`{{Old}}`, `{{#Old}}`,
 * `{{text:Old}}`, …), as Anki does. Not a schema change. Returns the saved name.
 */
export function renameField(col: Collection, id: number, field: PartRef, newName: string): OpResult<string> {
  const r = editNotetype(col, id, (nt) => {
    const f = nt.fields[fieldIndex(nt, field)];
    f.name = newName;
    return { result: f };
  });
  return mapOp(r, (f) => f.name);
}

/**
 * Removes a field: its values go from every note, template references to it are removed (a front
 * left without fields gets the first field). Refuses the last field and fields Anki protects
 * (`prevent_deletion`, e.g. Cloze "Text").
 */
export function removeField(col: Collection, id: number, field: PartRef): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    const i = fieldIndex(nt, field);
    if (nt.fields.length < 2) throw new DeckhandError('invalid-input', 'Notes require at least one field.');
    if (nt.fields[i].config.preventDeletion) throw new DeckhandError('invalid-input', `The field "${nt.fields[i].name}" is required by this note type and cannot be removed.`);
    const origins = allKept(nt);
    nt.fields.splice(i, 1);
    origins.fields.splice(i, 1);
    return { origins, result: undefined };
  });
}

/** Moves a field to `index` (0-based); note values move with it, the sort field follows its field. */
export function repositionField(col: Collection, id: number, field: PartRef, index: number): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    const from = fieldIndex(nt, field);
    const to = clampIndex(index, nt.fields.length - 1);
    const origins = allKept(nt);
    move(nt.fields, from, to);
    move(origins.fields, from, to);
    return { origins, result: undefined };
  });
}

export type FieldConfigPatch = Partial<Pick<FieldConfig, 'sticky' | 'rtl' | 'fontName' | 'fontSize' | 'description' | 'plainText' | 'collapsed' | 'excludeFromSearch'>>;

/** Changes a field's options (font, size, description, sticky, rtl, plain text, collapsed, exclude from search). Not a schema change. */
export function updateFieldConfig(col: Collection, id: number, field: PartRef, patch: FieldConfigPatch): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    const f = nt.fields[fieldIndex(nt, field)];
    Object.assign(f.config, definedOnly(patch));
    return { result: undefined };
  });
}

// ---------------------------------------------------------------------------------------------
// Templates

export interface NewTemplateSpec {
  name: string;
  qFormat: string;
  aFormat: string;
  index?: number;
}

/**
 * Adds a card type and creates its cards for notes whose content calls for them. Refused for
 * cloze notetypes (they have exactly one). Returns the saved name.
 */
export function addTemplate(col: Collection, id: number, spec: NewTemplateSpec): OpResult<string> {
  const r = editNotetype(col, id, (nt) => {
    if (isCloze(nt)) throw new DeckhandError('invalid-input', `"${nt.name}" is a cloze note type; it has exactly one card type.`);
    const at = clampIndex(spec.index ?? nt.templates.length, nt.templates.length);
    const t = newTemplate(spec.name, spec.qFormat, spec.aFormat);
    const origins = allKept(nt);
    nt.templates.splice(at, 0, t);
    origins.templates.splice(at, 0, null);
    return { origins, result: t };
  });
  return mapOp(r, (t) => t.name);
}

export function renameTemplate(col: Collection, id: number, template: PartRef, newName: string): OpResult<string> {
  const r = editNotetype(col, id, (nt) => {
    const t = nt.templates[templateIndex(nt, template)];
    t.name = newName;
    return { result: t };
  });
  return mapOp(r, (t) => t.name);
}

/**
 * Removes a card type and its cards. Refuses the last card type, and a removal that would leave
 * any note without cards (Anki 2.1's rule; current Anki would leave such notes behind).
 */
export function removeTemplate(col: Collection, id: number, template: PartRef): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    const i = templateIndex(nt, template);
    if (nt.templates.length < 2) throw new DeckhandError('invalid-input', 'At least one card type is required.');
    const origins = allKept(nt);
    nt.templates.splice(i, 1);
    origins.templates.splice(i, 1);
    return { origins, result: undefined };
  });
}

/** Moves a card type to `index` (0-based); its cards' ords follow. */
export function repositionTemplate(col: Collection, id: number, template: PartRef, index: number): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    const from = templateIndex(nt, template);
    const to = clampIndex(index, nt.templates.length - 1);
    const origins = allKept(nt);
    move(nt.templates, from, to);
    move(origins.templates, from, to);
    return { origins, result: undefined };
  });
}

export type TemplatePatch = Partial<Pick<TemplateConfig, 'qFormat' | 'aFormat' | 'qFormatBrowser' | 'aFormatBrowser' | 'browserFontName' | 'browserFontSize'>> & {
  /** Deck override for new cards of this card type (0 = none). */
  targetDeckId?: number;
};

/**
 * Changes a card type's front/back (and browser formats, font, deck override). A changed front
 * generates the cards it now calls for, as in Anki. Not a schema change.
 */
export function updateTemplate(col: Collection, id: number, template: PartRef, patch: TemplatePatch): OpResult<void> {
  return editNotetype(col, id, (nt) => {
    const t = nt.templates[templateIndex(nt, template)];
    const { targetDeckId, ...rest } = patch;
    Object.assign(t.config, definedOnly(rest));
    if (targetDeckId !== undefined) t.config.targetDeckId = BigInt(targetDeckId);
    return { result: undefined };
  });
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

// ---------------------------------------------------------------------------------------------
// helpers

function clampIndex(i: number, max: number): number {
  if (!Number.isInteger(i)) throw new DeckhandError('invalid-input', `position ${i} is not a whole number`);
  return Math.min(Math.max(0, i), max);
}

function move<T>(arr: T[], from: number, to: number): void {
  const [x] = arr.splice(from, 1);
  arr.splice(to, 0, x);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Maps the result of an operation, keeping its changes. */
function mapOp<A, B>(r: OpResult<A>, fn: (a: A) => B): OpResult<B> {
  return { result: fn(r.result), changes: r.changes };
}
