// Edits of one notetype, each an undoable "Update Note Type": name, CSS, sort field, LaTeX, and
// adding, renaming, removing, moving and configuring fields and card types.

import { DeckhandError } from '../collection/errors';
import type { Collection } from '../collection/collection';
import type { OpResult } from '../collection/op-changes';
import type { FieldConfig, TemplateConfig } from '../storage/proto/messages';
import { isCloze, type Notetype } from './notetype';
import { fieldIndex, type PartRef, templateIndex } from './notetype-lookup';
import { editNotetype, positions } from './notetype-update';
import type { NotetypeOrigins } from './prepare';
import { newField, newTemplate } from './stock';

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
