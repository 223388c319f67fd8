// Anki's browser column keys (`Column` in browser_table.rs, as `activeCols`/`sortType` store them).
// Dependency-free: the IPC contract (bundled into the renderer), the search module and the browser
// table all take the list from here.

export const BROWSER_COLUMN_KEYS = [
  'noteFld',
  'question',
  'answer',
  'template',
  'deck',
  'cardDue',
  'cardEase',
  'cardIvl',
  'cardLapses',
  'cardReps',
  'noteTags',
  'note',
  'noteCrt',
  'noteMod',
  'cardMod',
  'originalPosition',
  'stability',
  'difficulty',
  'retrievability',
] as const;

export type BrowserColumnKey = (typeof BROWSER_COLUMN_KEYS)[number];

/** The columns a search can order by: all but question and answer, which Anki cannot sort. */
export const SORTABLE_COLUMN_KEYS = [
  'noteFld',
  'template',
  'deck',
  'cardDue',
  'cardEase',
  'cardIvl',
  'cardLapses',
  'cardReps',
  'noteCrt',
  'noteMod',
  'cardMod',
  'noteTags',
  'originalPosition',
  'note',
  'stability',
  'difficulty',
  'retrievability',
] as const satisfies readonly BrowserColumnKey[];
