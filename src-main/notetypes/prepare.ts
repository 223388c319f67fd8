// What Anki does to a notetype before every save (rslib/src/notetype/mod.rs prepare_for_update,
// fields.rs/templates.rs fix_name), restated in our own code.

import { DeckhandError } from '../collection/errors';
import { unicaseFold } from '../storage/unicase';
import { computeRequirements } from '../template/cardgen';
import {
  allReferencedClozeFieldNames,
  allReferencedFieldNames,
  containsClozeReplacement,
  containsFieldReplacement,
  type ParsedNode,
  renameAndRemoveFields,
  templateToString,
  tryParseTemplate,
} from '../template/parser';
import { isCloze, type Notetype } from './notetype';

/** Field names the renderer provides itself; templates may use them without a field. */
export const SPECIAL_FIELDS: ReadonlySet<string> = new Set(['FrontSide', 'Card', 'CardFlag', 'Deck', 'Subdeck', 'Tags', 'Type', 'CardID']);

/**
 * Where each field/template of a notetype being saved came from: its index in the stored
 * notetype (`original`), or null for a new one. This is Anki's `ord: Option<u32>`.
 */
export interface NotetypeOrigins {
  fields: (number | null)[];
  templates: (number | null)[];
}

export interface PrepareOptions {
  /** The notetype as stored before this change; absent when adding a notetype. */
  original?: Notetype;
  /** Required with `original`; defaults to "nothing moved" (index i came from i). */
  origins?: NotetypeOrigins;
  /** Skip the template checks (Anki skips them for stock notetypes and some imports). */
  skipChecks?: boolean;
}

/** The problem Anki reports for card template `ordinal` (0-based) of a notetype. */
export function cardTypeError(notetype: string, ordinal: number, detail: string): DeckhandError {
  return new DeckhandError('invalid-input', `Card template ${ordinal + 1} in note type '${notetype}' has a problem.\n${detail}`);
}

export const identityOrigins = (nt: Pick<Notetype, 'fields' | 'templates'>): NotetypeOrigins => ({
  fields: nt.fields.map((_, i) => i),
  templates: nt.templates.map((_, i) => i),
});

const WS = /^[\p{White_Space}]+|[\p{White_Space}]+$/gu;
const rustTrim = (s: string): string => s.replace(WS, '');

/** Anki's `NoteField::fix_name`: drop `: { } "`, trim, drop leading `#`, `/`, `^` and spaces. */
export function fixFieldName(name: string): string {
  if (name === '') throw new DeckhandError('invalid-input', 'Empty field name');
  const cleaned = name.replace(/[:{}"]/g, '');
  const trimmed = rustTrim(cleaned).replace(/^[#/^\p{White_Space}]+/u, '');
  if (trimmed === '') throw new DeckhandError('invalid-input', `Field name: ${cleaned}`);
  return trimmed;
}

/** Anki's `CardTemplate::fix_name`: drop `"`; must not end up empty. */
export function fixTemplateName(name: string): string {
  if (name === '') throw new DeckhandError('invalid-input', 'Empty template name');
  const trimmed = name.replaceAll('"', '');
  if (trimmed === '') throw new DeckhandError('invalid-input', 'Template name contains only quotes');
  return trimmed;
}

/** Anki's notetype name rule: drop `"`; must not end up empty. */
export function fixNotetypeName(name: string): string {
  const out = name.replaceAll('"', '');
  if (out === '') throw new DeckhandError('invalid-input', 'Empty notetype name');
  return out;
}

/** Appends `+` to later names until every name is unique ignoring case (Anki's `ensure_names_unique`). */
function uniquify(items: { name: string }[]): void {
  const seen = new Set<string>();
  for (const it of items) {
    while (seen.has(unicaseFold(it.name))) it.name += '+';
    seen.add(unicaseFold(it.name));
  }
}

type Sides = [ParsedNode[] | null, ParsedNode[] | null];

/** old name → new name (renamed) or null (removed), for fields that changed since `original`. */
function renamedAndRemovedFields(nt: Notetype, original: Notetype, origins: NotetypeOrigins): Map<string, string | null> {
  const map = new Map<string, string | null>();
  const remaining = new Set<number>();
  nt.fields.forEach((f, i) => {
    const o = origins.fields[i];
    if (o === null || o === undefined) return;
    remaining.add(o);
    const old = original.fields[o];
    if (old && old.name !== f.name) map.set(old.name, f.name);
  });
  original.fields.forEach((f, i) => {
    if (!remaining.has(i)) map.set(f.name, null);
  });
  return map;
}

/**
 * Rewrites field references in every template (and non-empty browser template) after fields were
 * renamed or removed; a front left without any field gets `{{FirstField}}` (`{{cloze:First}}` for
 * cloze notetypes, which also get it on the back when their cloze field went away).
 */
function updateTemplatesForChangedFields(nt: Notetype, changes: Map<string, string | null>): void {
  const first = nt.fields[0].name;
  const cloze = isCloze(nt);
  const missing = (): ParsedNode => ({ type: 'replacement', key: first, filters: cloze ? ['cloze'] : [] });
  const update = (text: string, front: boolean): string => {
    const parsed = tryParseTemplate(text);
    if (!parsed) return text;
    const nodes = renameAndRemoveFields(parsed, changes);
    if (front ? !containsFieldReplacement(nodes) || (cloze && !containsClozeReplacement(nodes)) : cloze && !containsClozeReplacement(nodes)) nodes.push(missing());
    return templateToString(nodes);
  };
  for (const t of nt.templates) {
    const c = t.config;
    c.qFormat = update(c.qFormat, true);
    c.aFormat = update(c.aFormat, false);
    // Anki 24.06+ also rewrites the browser formats; it would turn an empty (unused) one into
    // `{{FirstField}}`, which changes what the browser shows, so empty ones are left alone.
    if (c.qFormatBrowser !== '') c.qFormatBrowser = update(c.qFormatBrowser, true);
    if (c.aFormatBrowser !== '') c.aFormatBrowser = update(c.aFormatBrowser, false);
  }
}

/** Anki's `check_templates`: unique fronts, parseable sides naming known fields, cloze filter for cloze types. */
export function checkTemplates(nt: Notetype): void {
  const fronts = new Map<string, number>();
  nt.templates.forEach((t, i) => {
    const prev = fronts.get(t.config.qFormat);
    fronts.set(t.config.qFormat, i);
    if (prev !== undefined && !/\{\{[\p{White_Space}]*Card[\p{White_Space}]*\}\}/u.test(t.config.qFormat))
      throw cardTypeError(nt.name, i, `The front side is identical to card template ${prev + 1}.`);
  });
  const parsed: Sides[] = nt.templates.map((t) => [tryParseTemplate(t.config.qFormat), tryParseTemplate(t.config.aFormat)]);
  const names = new Set(nt.fields.map((f) => f.name));
  parsed.forEach(([q, a], i) => {
    if (!q || !a) throw cardTypeError(nt.name, i, 'See the preview for more information.');
    const qFields = allReferencedFieldNames(q);
    if (qFields.size === 0) throw cardTypeError(nt.name, i, 'Expected to find a field replacement on the front of the card template.');
    for (const name of new Set([...qFields, ...allReferencedFieldNames(a)])) {
      if (name !== '' && !SPECIAL_FIELDS.has(name) && !names.has(name)) throw cardTypeError(nt.name, i, `Field '${name}' not found.`);
    }
  });
  if (isCloze(nt)) {
    const first = parsed[0];
    const hasCloze = (p: ParsedNode[] | null | undefined) => !!p && allReferencedClozeFieldNames(p).size > 0;
    if (!first || !hasCloze(first[0]) || !hasCloze(first[1]))
      throw cardTypeError(nt.name, 0, "Expected to find '{{cloze:Text}}' or similar on the front and back of the card template.");
  }
}

/**
 * Prepares a notetype for saving, as Anki does on every add/update: at least one field and
 * template; names cleaned (notetype `"`; fields `: { } "` and leading `# / ^`/spaces; templates
 * `"`), NFC, and made unique per notetype ignoring case by appending `+`; the sort field follows
 * its field (clamped into range); templates follow renamed/removed fields; `reqs` recomputed;
 * cloze notetypes keep exactly one template; then Anki's template checks. Ords follow positions.
 * Mutates and returns `nt`.
 */
export function prepareNotetypeForSave(nt: Notetype, opts: PrepareOptions = {}): Notetype {
  if (nt.fields.length === 0) throw new DeckhandError('invalid-input', '1 field required');
  if (nt.templates.length === 0) throw new DeckhandError('invalid-input', '1 template required');
  // ords follow positions (origins, when given, say where each one came from)
  nt.fields.forEach((f, i) => (f.ord = i));
  nt.templates.forEach((t, i) => (t.ord = i));
  nt.name = fixNotetypeName(nt.name).normalize('NFC');
  for (const f of nt.fields) f.name = fixFieldName(f.name.normalize('NFC'));
  for (const t of nt.templates) t.name = fixTemplateName(t.name.normalize('NFC'));
  uniquify(nt.templates);
  uniquify(nt.fields);

  const original = opts.original;
  const origins = opts.origins ?? (original ? identityOrigins(nt) : undefined);
  // the sort field index refers to the field's old position; follow the field if it moved
  const sortIdx = nt.config.sortFieldIdx;
  const followed = origins ? origins.fields.findIndex((o) => o === sortIdx) : -1;
  nt.config.sortFieldIdx = followed >= 0 ? followed : Math.min(Math.max(0, sortIdx), nt.fields.length - 1);

  if (original && origins) {
    const changes = renamedAndRemovedFields(nt, original, origins);
    if (changes.size) updateTemplatesForChangedFields(nt, changes);
  }
  if (isCloze(nt) && nt.templates.length !== 1)
    throw new DeckhandError('invalid-input', `a cloze note type has exactly one card type; "${nt.name}" would have ${nt.templates.length}`);
  nt.config.reqs = computeRequirements(nt);
  if (!opts.skipChecks) checkTemplates(nt);
  return nt;
}
