// Deck-name rules, restated from Anki's behaviour (rslib decks/name.rs): how a name a person types
// becomes the name Anki stores, and how names move when decks are renamed or dragged.
//
// Names here are in the human form ("Parent::Child"); the deck store converts them to the DB form
// with U+001F between levels.

/** Separator of levels in the human form of a deck name. */
export const DECK_NAME_SEPARATOR = '::';

/** The name Anki gives a level that is empty after normalisation. */
export const BLANK_COMPONENT = 'blank';

/** Levels Anki will walk up looking for an existing parent before it gives up (see firstExistingParent). */
export const MAX_MISSING_PARENT_LEVELS = 11;

// Rust `char::is_ascii_control`: U+0000–U+001F and U+007F.
// eslint-disable-next-line no-control-regex
const ASCII_CONTROL = /[\x00-\x1f\x7f]/g;
// Rust `char::is_whitespace` is the Unicode White_Space property (JS `\s` differs: it has U+FEFF
// and lacks U+0085). Anki trims whitespace and ':' from both ends of each level.
const EDGE_JUNK = /^[\p{White_Space}:]+|[\p{White_Space}:]+$/gu;

/**
 * Normalises one level of a deck name as Anki does: NFC, ASCII control characters removed,
 * whitespace and ':' trimmed from both ends; an empty result becomes "blank".
 */
export function normalizeDeckNameComponent(component: string): string {
  const cleaned = component.normalize('NFC').replace(ASCII_CONTROL, '').replace(EDGE_JUNK, '');
  return cleaned === '' ? BLANK_COMPONENT : cleaned;
}

/**
 * A typed deck name in the form Anki stores it (still human "::" form): split on "::", each level
 * normalised. `"  Spanish :: Verbs:: "` → `"Spanish::Verbs"`, `"a::::b"` → `"a::blank::b"`,
 * `"a:::b"` → `"a::b"`, `""` → `"blank"`.
 */
export function normalizeDeckName(human: string): string {
  return deckNameComponents(human).map(normalizeDeckNameComponent).join(DECK_NAME_SEPARATOR);
}

/** True if Anki would store the name unchanged. */
export function isNormalizedDeckName(human: string): boolean {
  return normalizeDeckName(human) === human;
}

export function deckNameComponents(human: string): string[] {
  return human.split(DECK_NAME_SEPARATOR);
}

/** The last level: "A::B::C" → "C". */
export function deckBaseName(human: string): string {
  const i = human.lastIndexOf(DECK_NAME_SEPARATOR);
  return i < 0 ? human : human.slice(i + DECK_NAME_SEPARATOR.length);
}

/** "A::B::C" → "A::B"; a top-level name has no parent (null). */
export function immediateParentName(human: string): string | null {
  const i = human.lastIndexOf(DECK_NAME_SEPARATOR);
  return i < 0 ? null : human.slice(0, i);
}

/** Every ancestor, nearest first: "A::B::C" → ["A::B", "A"]. */
export function ancestorNames(human: string): string[] {
  const out: string[] = [];
  for (let p = immediateParentName(human); p !== null; p = immediateParentName(p)) out.push(p);
  return out;
}

/** Depth of a name: "A" is 1, "A::B" is 2. */
export function deckNameLevel(human: string): number {
  return deckNameComponents(human).length;
}

/** Replaces the leading `oldParent` levels of `name` with `newParent` (children follow a rename). */
export function reparentDeckName(name: string, oldParent: string, newParent: string): string {
  const rest = deckNameComponents(name).slice(deckNameComponents(oldParent).length);
  return [newParent, ...rest].join(DECK_NAME_SEPARATOR);
}

/**
 * The name a dragged deck takes when dropped on `target` (null = the top level): its last level
 * under the target. Returns null when the drop does not rename it (dropped on itself). Whether the
 * target is one of the dragged deck's own descendants is decided by the caller (by id).
 */
export function reparentedDeckName(dragged: string, target: string | null): string | null {
  const base = deckBaseName(dragged);
  if (target === null) return base;
  if (target === dragged) return null;
  return `${target}${DECK_NAME_SEPARATOR}${base}`;
}

/**
 * Quotes a deck name for a `deck:` search the way Anki writes one (escape `\`, `*`, `_`; quote
 * when it has spaces, brackets, a leading '-', or is a bare and/or).
 */
export function deckSearch(human: string): string {
  const escaped = `deck:${human.replace(/[\\*_]/g, '\\$&')}`;
  const needsQuotes = /^and$|^or$/i.test(escaped) || /^-.| |\u3000|\(|\)/.test(escaped);
  const inner = escaped.replace(/"/g, '\\"');
  return needsQuotes ? `"${inner}"` : inner;
}
