import { unicaseCompare, unicaseFold } from '../storage/unicase';

// Anki drops ASCII controls, tag separators and double quotes from each `::` component.
// eslint-disable-next-line no-control-regex
const INVALID_IN_TAG = /[\x00-\x1f\x7f \u3000"]/g;

/** Splits user input on spaces / U+3000 into raw tags. */
export function splitTags(s: string): string[] {
  return s.split(/[ \u3000]+/).filter(Boolean);
}

/** One tag as Anki normalises it: per `::` component NFC, invalid chars removed, trimmed, empty → "blank". */
export function normalizeTagName(raw: string): string {
  return raw
    .split('::')
    .map((c) => c.normalize('NFC').replace(INVALID_IN_TAG, '').trim() || 'blank')
    .join('::');
}

/** Sorted (unicase) and de-duplicated (first instance wins) tags; no registration. */
export function sortUniqueTags(tags: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const t of tags) if (!seen.has(unicaseFold(t))) seen.set(unicaseFold(t), t);
  return [...seen.values()].sort(unicaseCompare);
}

export const tagsEqual = (a: string, b: string) => unicaseCompare(a, b) === 0;

/** `a::b::c` → `a::b`, or null at the top level. */
export function parentTag(tag: string): string | null {
  const i = tag.lastIndexOf('::');
  return i < 0 ? null : tag.slice(0, i);
}
