// The browser's pure logic: selection by click / shift-click / ctrl-click / keys, the sort a
// header click leads to (Anki's default direction per column), column layout, and combining
// sidebar searches. No React here, so it is tested directly.
import type { BrowserColumnInfo, BrowserColumnKey } from '../../../src-main/ipc/contract';

export type Mode = 'cards' | 'notes';

export interface Selection {
  ids: ReadonlySet<number>;
  /** Where a shift-click range starts. */
  anchor: number | null;
  /** The row the keyboard is on (and whose state the toggles read), by index. */
  current: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, current: null };

export interface ClickMods {
  shift: boolean;
  ctrl: boolean;
}

/** A click on row `index` of `ids`. */
export function clickSelection(sel: Selection, ids: readonly number[], index: number, mods: ClickMods): Selection {
  const id = ids[index];
  if (id === undefined) return sel;
  if (mods.shift && sel.anchor !== null) {
    const [a, b] = sel.anchor < index ? [sel.anchor, index] : [index, sel.anchor];
    const range = ids.slice(a, b + 1);
    const next = mods.ctrl ? new Set([...sel.ids, ...range]) : new Set(range);
    return { ids: next, anchor: sel.anchor, current: index };
  }
  if (mods.ctrl) {
    const next = new Set(sel.ids);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return { ids: next, anchor: index, current: index };
  }
  return { ids: new Set([id]), anchor: index, current: index };
}

/** Arrow keys, Home/End, Page Up/Down: move the current row; with shift, extend from the anchor. */
export function moveSelection(sel: Selection, ids: readonly number[], to: number, extend: boolean): Selection {
  if (!ids.length) return sel;
  const index = Math.max(0, Math.min(ids.length - 1, to));
  if (extend && sel.anchor !== null) {
    const [a, b] = sel.anchor < index ? [sel.anchor, index] : [index, sel.anchor];
    return { ids: new Set(ids.slice(a, b + 1)), anchor: sel.anchor, current: index };
  }
  return { ids: new Set([ids[index]]), anchor: index, current: index };
}

export function selectAll(ids: readonly number[], sel: Selection): Selection {
  return { ids: new Set(ids), anchor: sel.anchor ?? (ids.length ? 0 : null), current: sel.current ?? (ids.length ? 0 : null) };
}

/** The selection kept after new search results: the ids still there, the current row followed. */
export function keepSelection(sel: Selection, before: readonly number[], after: readonly number[]): Selection {
  if (!sel.ids.size) return sel.current === null ? sel : EMPTY_SELECTION;
  const present = new Set(after);
  const ids = new Set([...sel.ids].filter((id) => present.has(id)));
  const currentId = sel.current !== null ? before[sel.current] : undefined;
  const at = currentId !== undefined ? after.indexOf(currentId) : -1;
  if (ids.size === sel.ids.size && at === sel.current) return sel;
  return { ids, anchor: at >= 0 ? at : null, current: at >= 0 ? at : null };
}

export interface SortState {
  column: string;
  reverse: boolean;
}

/**
 * The sort after clicking a header, as Anki's table does: an unsortable column changes nothing
 * (null); a new column sorts in its default direction (numeric columns descending); the sorted
 * column reverses.
 */
export function sortAfterClick(current: SortState, info: BrowserColumnInfo, mode: Mode): SortState | null {
  const sorting = mode === 'notes' ? info.sortingNotes : info.sortingCards;
  if (sorting === 'none') return null;
  if (current.column !== info.key) return { column: info.key, reverse: sorting === 'descending' };
  return { column: current.column, reverse: !current.reverse };
}

/** Whether a saved sort column can order this mode's search (else the search is unordered, as in Anki). */
export function sortable(column: string, mode: Mode, infos: readonly BrowserColumnInfo[]): boolean {
  const info = infos.find((c) => c.key === column);
  return !!info && (mode === 'notes' ? info.sortingNotes : info.sortingCards) !== 'none';
}

const WIDE = new Set<BrowserColumnKey>(['noteFld', 'question', 'answer']);
const MEDIUM = new Set<BrowserColumnKey>(['deck', 'note', 'noteTags', 'template', 'noteCrt', 'noteMod', 'cardMod']);

/** CSS grid columns for the header and the rows. */
export function gridTemplate(columns: readonly BrowserColumnKey[]): string {
  return columns.map((c) => (WIDE.has(c) ? 'minmax(8rem, 3fr)' : MEDIUM.has(c) ? 'minmax(6rem, 1.5fr)' : 'minmax(4.5rem, 1fr)')).join(' ');
}

/** Adds or removes a column (at least one stays). */
export function toggleColumn(columns: readonly BrowserColumnKey[], key: BrowserColumnKey): BrowserColumnKey[] {
  if (columns.includes(key)) return columns.length > 1 ? columns.filter((c) => c !== key) : [...columns];
  return [...columns, key];
}

/**
 * A sidebar item's search combined with the current one, as Anki's sidebar does with modifier
 * keys: plain click replaces, ctrl adds it with AND, shift with OR.
 */
export function combineSearch(current: string, term: string, mods: ClickMods): string {
  const cur = current.trim();
  if (!cur || (!mods.ctrl && !mods.shift)) return term;
  const wrap = (s: string) => (/\s/.test(s) && !/^\(.*\)$/.test(s) ? `(${s})` : s);
  return mods.shift ? `${wrap(cur)} OR ${wrap(term)}` : `${wrap(cur)} ${wrap(term)}`;
}

/** "3 cards", "1 note", with the selection count and a stale-results note. */
export function resultCountText(mode: Mode, total: number, selected: number, stale: boolean): string {
  const noun = mode === 'notes' ? (total === 1 ? 'note' : 'notes') : total === 1 ? 'card' : 'cards';
  return `${total} ${noun}${selected ? `, ${selected} selected` : ''}${stale ? ' (previous search)' : ''}`;
}

/** Pages of `size` row indexes covering [first, last]. */
export function pagesInView(first: number, last: number, size: number): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / size); p <= Math.floor(last / size); p++) out.push(p);
  return out;
}

/** "ctrl+alt+shift+a", "ctrl+Delete", "ArrowDown"… (ctrl stands for ⌘ too); every modifier named. */
export function browserKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }): string {
  const mods = [(e.ctrlKey || e.metaKey) && 'ctrl', e.altKey && 'alt', e.shiftKey && 'shift'].filter(Boolean);
  return [...mods, e.key.length === 1 ? e.key.toLowerCase() : e.key].join('+');
}
