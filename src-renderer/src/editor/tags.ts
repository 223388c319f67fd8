// The tags input: space-separated tags with suggestions from the collection's tags for the word at
// the caret (as Anki's tag editor completes).

/** The tag being typed at `caret`: its range in the text and what is typed so far. */
export function tagAt(text: string, caret: number): { start: number; end: number; prefix: string } {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1])) start--;
  let end = caret;
  while (end < text.length && !/\s/.test(text[end])) end++;
  return { start, end, prefix: text.slice(start, caret) };
}

/** The tags of a text, in order, without duplicates (compared case-insensitively, as Anki's tags are). */
export function splitTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of text.split(/\s+/)) {
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

/**
 * Tags that complete `prefix` (case-insensitive): those starting with it first, then those with a
 * `::` component starting with it; tags already in the note are left out.
 */
export function tagSuggestions(all: readonly string[], prefix: string, present: readonly string[] = [], limit = 8): string[] {
  if (!prefix) return [];
  const p = prefix.toLowerCase();
  const have = new Set(present.map((t) => t.toLowerCase()));
  const starts: string[] = [];
  const parts: string[] = [];
  for (const tag of all) {
    const t = tag.toLowerCase();
    if (have.has(t) || t === p) continue;
    if (t.startsWith(p)) starts.push(tag);
    else if (t.split('::').some((c) => c.startsWith(p))) parts.push(tag);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' });
  return [...starts.sort(byName), ...parts.sort(byName)].slice(0, limit);
}

/** The text with the tag at `caret` replaced by `tag` (and a space after), and the new caret. */
export function completeTag(text: string, caret: number, tag: string): { text: string; caret: number } {
  const { start, end } = tagAt(text, caret);
  const rest = text.slice(end).replace(/^\s*/, '');
  const head = `${text.slice(0, start)}${tag} `;
  return { text: head + rest, caret: head.length };
}
