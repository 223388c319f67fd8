// Which cards a note should have (rslib/src/notetype/cardgen.rs, Anki 26.08 rules), and the
// legacy `reqs` stored in the notetype config.

import type { Notetype } from '../notetypes/notetype';
import { isCloze } from '../notetypes/notetype';
import { type CardRequirement, CardRequirementKind } from '../storage/proto/messages';
import { clozeNumbersInFields } from './cloze';
import { fieldIsEmpty, type ParsedNode, rendersWithFields, templateRequirements, tryParseTemplate } from './parser';

type NotetypeForCardgen = Pick<Notetype, 'config' | 'fields' | 'templates'>;

/** Special fields that count as non-empty during card generation (FrontSide never does). */
const SPECIAL_FIELDS = ['FrontSide', 'Card', 'CardFlag', 'Deck', 'Subdeck', 'Tags', 'Type', 'CardID'];

/** Highest card ord a cloze can create (cloze numbers above 500 all map to ord 499). */
export const MAX_CLOZE_ORD = 499;

function sortedFields(nt: NotetypeForCardgen) {
  return [...nt.fields].sort((a, b) => a.ord - b.ord);
}

function sortedTemplates(nt: NotetypeForCardgen) {
  return [...nt.templates].sort((a, b) => a.ord - b.ord);
}

const parsedCache = new Map<string, ParsedNode[] | null>();

/** Parsed question templates (null where the template does not parse), with a small cache. */
function parsedQuestions(nt: NotetypeForCardgen): (ParsedNode[] | null)[] {
  return sortedTemplates(nt).map((t) => {
    const q = t.config.qFormat;
    let parsed = parsedCache.get(q);
    if (parsed === undefined) {
      if (parsedCache.size >= 512) parsedCache.clear();
      parsed = tryParseTemplate(q);
      parsedCache.set(q, parsed);
    }
    return parsed;
  });
}

export interface CardgenOptions {
  /** The note's tags; `{{Tags}}`/`{{#Tags}}` count as non-empty only when there are tags. */
  tags?: readonly string[];
  /** Card ords the note already has; they are not returned again. */
  existingOrds?: Iterable<number>;
  /**
   * Anki's `ensure_not_empty` (used when adding/updating notes): if the note has no existing
   * cards and nothing qualifies, return [0] — Anki always gives a note card 0, which then shows
   * the blank-front / missing-cloze message. Default false (just the qualifying ords).
   */
  ensureNotEmpty?: boolean;
}

/** The non-empty field names used for generation: note fields plus non-colliding special fields. */
export function nonemptyFieldsForCardgen(nt: NotetypeForCardgen, fields: readonly string[], tags: readonly string[] = []): Set<string> {
  const names = sortedFields(nt).map((f) => f.name);
  const nonempty = new Set<string>();
  fields.forEach((value, ord) => {
    if (!fieldIsEmpty(value) && names[ord] !== undefined) nonempty.add(names[ord]);
  });
  const noteFieldNames = new Set(names);
  for (const special of SPECIAL_FIELDS) {
    if (noteFieldNames.has(special) || special === 'FrontSide') continue;
    if (special === 'Tags' && tags.length === 0) continue;
    nonempty.add(special);
  }
  return nonempty;
}

/**
 * Card ords a note should get, ascending, excluding `existingOrds`.
 * - Normal notetypes: each template whose question renders with the note's non-empty fields
 *   (Anki 26.08: special fields that are not note fields count as non-empty; Tags only if the
 *   note has tags). Templates that fail to parse never generate.
 * - Cloze notetypes: one card per distinct non-zero cloze number in any field (ord = n−1,
 *   at most 499).
 * - With `ensureNotEmpty`, a note without cards for which nothing qualifies gets [0].
 */
export function cardOrdinalsToGenerate(nt: NotetypeForCardgen, fields: readonly string[], options: CardgenOptions = {}): number[] {
  const existing = new Set(options.existingOrds ?? []);
  const ords = new Set<number>();
  if (isCloze(nt)) {
    for (const n of clozeNumbersInFields(fields)) ords.add(Math.min(Math.max(n - 1, 0), MAX_CLOZE_ORD));
  } else {
    const nonempty = nonemptyFieldsForCardgen(nt, fields, options.tags ?? []);
    parsedQuestions(nt).forEach((parsed, ord) => {
      if (parsed && rendersWithFields(parsed, nonempty)) ords.add(ord);
    });
  }
  const result = [...ords].filter((o) => !existing.has(o)).sort((a, b) => a - b);
  if (existing.size === 0 && result.length === 0 && options.ensureNotEmpty) return [0];
  return result;
}

/**
 * Existing cards that Tools → Empty Cards would list: for normal notetypes, cards whose template
 * would no longer be generated; for cloze notetypes, cards whose cloze number no longer exists.
 * (Anki's report marks a note whose cards are all empty with class `allempty`.)
 */
export function emptyCardOrds(nt: NotetypeForCardgen, fields: readonly string[], existingOrds: Iterable<number>, tags: readonly string[] = []): number[] {
  const wanted = new Set(cardOrdinalsToGenerate(nt, fields, { tags }));
  return [...new Set(existingOrds)].filter((o) => !wanted.has(o)).sort((a, b) => a - b);
}

/**
 * The legacy `reqs` Anki stores in the notetype config, computed from the question templates:
 * Any(ords)/All(ords)/None per template (field ords sorted); unparseable templates give None.
 */
export function computeRequirements(nt: NotetypeForCardgen): CardRequirement[] {
  const fieldOrds = new Map<string, number>();
  sortedFields(nt).forEach((f, idx) => fieldOrds.set(f.name, idx));
  return sortedTemplates(nt).map((t, ord) => {
    const parsed = tryParseTemplate(t.config.qFormat);
    if (!parsed) return { cardOrd: ord, kind: CardRequirementKind.None, fieldOrds: [] };
    const req = templateRequirements(parsed, fieldOrds);
    switch (req.kind) {
      case 'any':
        return { cardOrd: ord, kind: CardRequirementKind.Any, fieldOrds: req.ords };
      case 'all':
        return { cardOrd: ord, kind: CardRequirementKind.All, fieldOrds: req.ords };
      case 'none':
        return { cardOrd: ord, kind: CardRequirementKind.None, fieldOrds: [] };
    }
  });
}
