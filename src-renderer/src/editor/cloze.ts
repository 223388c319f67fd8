// Cloze deletions in the editor, as Anki's: Ctrl+Shift+C wraps the selection in the next number
// (one more than the highest in any field; c1 in a note without clozes), Ctrl+Alt+Shift+C in the
// same number as the highest (c1 when there is none).

/** The highest cloze number used in any of the fields (0 when there is none). */
export function highestCloze(fields: readonly string[]): number {
  let max = 0;
  for (const f of fields) for (const m of f.matchAll(/\{\{c(\d+)::/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** The number a new cloze gets: next (highest + 1), or the same as the highest. */
export function clozeNumber(fields: readonly string[], same: boolean): number {
  const max = highestCloze(fields);
  return same ? Math.max(max, 1) : max + 1;
}

/** The selection wrapped as a cloze deletion. */
export function wrapCloze(selectionHtml: string, n: number): string {
  return `{{c${n}::${selectionHtml}}}`;
}

/**
 * Inserts a cloze into plain text (the HTML-source view): the selected range wrapped, and where
 * the caret goes after (inside the braces when nothing was selected, else after them).
 */
export function insertCloze(text: string, start: number, end: number, n: number): { text: string; caret: number } {
  const inner = text.slice(start, end);
  const wrapped = wrapCloze(inner, n);
  return { text: text.slice(0, start) + wrapped + text.slice(end), caret: inner ? start + wrapped.length : start + wrapped.length - 2 };
}
