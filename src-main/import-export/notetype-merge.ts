// Notetype comparison and merging for .apkg import, with Anki's rules (notetype/merge.rs and the
// helpers in apkg/import/notes.rs): fields and templates match by their config id when both have
// one, else by name; merging inserts what is missing and aligns positions. Every field/template
// carries its origin — its index in the notetype it was loaded as, or null when merged in — which
// is Anki's `ord: Option<u32>` and tells how notes and cards must be remapped.

import { isCloze, type Notetype, type NotetypeField, type NotetypeTemplate } from '../notetypes/notetype';

export interface WorkingNotetype {
  nt: Notetype;
  fieldOrigins: (number | null)[];
  templateOrigins: (number | null)[];
}

/** A working copy of a stored notetype: every part comes from its own position. */
export function working(nt: Notetype): WorkingNotetype {
  const copy = structuredClone(nt);
  return { nt: copy, fieldOrigins: copy.fields.map((_, i) => i), templateOrigins: copy.templates.map((_, i) => i) };
}

function partsMatch(a: { name: string; config: { id?: bigint } }, b: { name: string; config: { id?: bigint } }): boolean {
  if (a.config.id !== undefined && b.config.id !== undefined) return a.config.id === b.config.id;
  return a.name === b.name;
}

export const fieldsMatch = (a: NotetypeField, b: NotetypeField) => partsMatch(a, b);
export const templatesMatch = (a: NotetypeTemplate, b: NotetypeTemplate) => partsMatch(a, b);

/** Same number of fields and templates, pairwise matching (Anki's `equal_schema`). */
export function equalSchema(a: Notetype, b: Notetype): boolean {
  return (
    a.fields.length === b.fields.length &&
    a.templates.length === b.templates.length &&
    a.fields.every((f, i) => fieldsMatch(f, b.fields[i])) &&
    a.templates.every((t, i) => templatesMatch(t, b.templates[i]))
  );
}

function swap<T>(arr: T[], i: number, j: number): void {
  [arr[i], arr[j]] = [arr[j], arr[i]];
}

function mergeParts<P extends { name: string; config: { id?: bigint } }>(mine: P[], origins: (number | null)[], other: readonly P[]): void {
  other.forEach((part, index) => {
    const i = mine.findIndex((p) => partsMatch(p, part));
    if (i === index) return;
    if (i >= 0) {
      // a duplicate in a malformed `other` can match at an index past our end: leave it
      if (index < mine.length) {
        swap(mine, i, index);
        swap(origins, i, index);
      }
    } else {
      const at = Math.min(index, mine.length);
      mine.splice(at, 0, structuredClone(part));
      origins.splice(at, 0, null);
    }
  });
}

/** Inserts the fields (and, for normal notetypes, templates) of `other` that `w` lacks. */
export function merge(w: WorkingNotetype, other: Notetype): void {
  mergeParts(w.nt.fields, w.fieldOrigins, other.fields);
  if (!isCloze(w.nt)) mergeParts(w.nt.templates, w.templateOrigins, other.templates);
}

/** Gives `w` the origins of `other` (same length after a two-way merge). */
export function copyOrigins(w: WorkingNotetype, other: WorkingNotetype): void {
  w.fieldOrigins = w.nt.fields.map((_, i) => other.fieldOrigins[i] ?? null);
  w.templateOrigins = w.nt.templates.map((_, i) => other.templateOrigins[i] ?? null);
}

/** Field values in a new order: position i takes old field `origins[i]`, or "" when new. */
export function reorderFields(fields: readonly string[], origins: readonly (number | null)[]): string[] {
  return origins.map((o) => (o === null ? '' : (fields[o] ?? '')));
}

/** Chains a previous field map with a newer one (Anki's `combine_field_ords_maps`). */
export function combineFieldMaps(old: readonly (number | null)[], next: readonly (number | null)[]): (number | null)[] {
  return next.map((n) => (n === null ? null : (old[n] ?? null)));
}

/** old template index → new index, for the templates that moved or stayed (Anki's TemplateMap for imports). */
export function templateMapFromOrigins(origins: readonly (number | null)[]): Map<number, number> {
  const map = new Map<number, number>();
  origins.forEach((o, i) => {
    if (o !== null) map.set(o, i);
  });
  return map;
}

/** Chains a previous template map with newer origins (Anki's `combine_template_ords_maps`). */
export function combineTemplateMaps(old: Map<number, number>, origins: readonly (number | null)[]): void {
  for (const [from, to] of old) {
    const newTo = origins.findIndex((o) => o === to);
    old.set(from, newTo >= 0 ? newTo : to);
  }
}
