// Reading notetypes: the list, one by id or name, the current one, their fields' and templates'
// details, and a field or template by position or name.

import type { Collection } from '../collection/collection';
import { notFound } from '../collection/errors';
import type { OpResult } from '../collection/op-changes';
import type { Tx } from '../collection/tx';
import { unicaseEquals } from '../storage/unicase';
import type { Notetype } from './notetype';

export interface NotetypeNameId {
  id: number;
  name: string;
}

export interface NotetypeUseCount extends NotetypeNameId {
  useCount: number;
}

/** A field or template, by position (0-based) or by name (exact first, then ignoring case). */
export type PartRef = number | string;

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
