// The browser (Anki's Browse window): cards or notes (a toggle, remembered in the collection as
// Anki does), a search bar taking Anki's syntax (errors shown inline, the last results kept), the
// sidebar, a virtualised table that sorts on header clicks and shows the columns you pick, multi-
// selection with the mouse and keyboard, bulk actions, Find and Replace, and the note editor for
// a single selected row.
import { type FormEvent, type KeyboardEvent, type MouseEvent, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { BrowserColumnInfo, BrowserColumnKey, BrowserRow, BrowserStateView } from '../../../src-main/ipc/contract';
import { useApi, useApiQuery } from '../api/hooks';
import { useGuiHandler } from '../app/gui';
import { useToast } from '../components/toast';
import { EditorScreen } from './Editor';
import { actionForKey, BrowserActions, type BrowserActionFns, useRun } from './browser-actions';
import {
  browserKey,
  type ClickMods,
  clickSelection,
  combineSearch,
  EMPTY_SELECTION,
  keepSelection,
  type Mode,
  moveSelection,
  resultCountText,
  selectAll,
  type Selection,
  sortable,
  sortAfterClick,
  type SortState,
} from './browser-logic';
import { BrowserSidebar, useSaveSearches } from './browser-sidebar';
import { BrowserTable, ROW_HEIGHT } from './browser-table';
import './browser.css';

export function BrowserScreen({ initialQuery }: { initialQuery: string | null }) {
  const state = useApiQuery('browser.state', {});
  const columns = useApiQuery('browser.columns', {});
  if (state.isError) return <p role="alert" className="error">{state.error.message}</p>;
  if (!state.data || !columns.data) return <p className="muted">Loading…</p>;
  return <BrowserView initialQuery={initialQuery} saved={state.data} infos={columns.data.columns} />;
}

type DialogKind = Parameters<typeof BrowserActions>[0]['dialog'];

function BrowserView({ initialQuery, saved, infos }: { initialQuery: string | null; saved: BrowserStateView; infos: BrowserColumnInfo[] }) {
  const toast = useToast();
  const run = useRun();
  const saveSearches = useSaveSearches();
  // the layout is local first (instant), then saved to the collection config
  const [layout, setLayout] = useState(() => ({
    notesMode: saved.notesMode,
    cardColumns: saved.cardColumns,
    noteColumns: saved.noteColumns,
    cardSort: saved.cardSort as SortState,
    noteSort: saved.noteSort as SortState,
  }));
  const persist = (patch: Partial<typeof layout>) => {
    setLayout((l) => ({ ...l, ...patch }));
    void run('browser.setState', patch);
  };
  const mode: Mode = layout.notesMode ? 'notes' : 'cards';
  const columns = mode === 'notes' ? layout.noteColumns : layout.cardColumns;
  const sort = mode === 'notes' ? layout.noteSort : layout.cardSort;
  const order = sortable(sort.column, mode, infos) ? { column: sort.column as never, reverse: sort.reverse } : undefined;

  const [input, setInput] = useState(initialQuery ?? '');
  const [query, setQuery] = useState(initialQuery ?? '');
  useEffect(() => {
    if (initialQuery !== null) {
      setInput(initialQuery);
      setQuery(initialQuery);
    }
  }, [initialQuery]);

  const channel = mode === 'notes' ? 'search.notes' : 'search.cards';
  const search = useApiQuery(channel, { query, order }, { placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[0] === channel ? prev : undefined) });
  // a malformed search shows its error and keeps the last results of this mode on screen
  const last = useRef<{ mode: Mode; ids: number[] }>({ mode, ids: [] });
  if (search.data && !search.isPlaceholderData) last.current = { mode, ids: search.data.ids };
  const ids = useMemo(() => search.data?.ids ?? (last.current.mode === mode ? last.current.ids : []), [search.data, mode]);
  const error = search.isError ? search.error.message : null;

  const [sel, setSel] = useState<Selection>(EMPTY_SELECTION);
  const prevIds = useRef<readonly number[]>(ids);
  useEffect(() => {
    setSel((s) => keepSelection(s, prevIds.current, ids));
    prevIds.current = ids;
  }, [ids]);
  useEffect(() => setSel(EMPTY_SELECTION), [mode]);

  const rowCache = useRef(new Map<number, BrowserRow>()).current;
  // the table tells when rows arrive, so the toggles follow the current row's state
  const [, rowsArrived] = useReducer((n: number) => n + 1, 0);
  const currentId = sel.current !== null ? ids[sel.current] : undefined;
  const currentRow = currentId !== undefined ? rowCache.get(currentId) : undefined;
  const actions = useRef<BrowserActionFns | null>(null);
  const selectedIds = useMemo(() => [...sel.ids], [sel.ids]);
  const single = sel.ids.size === 1 ? selectedIds[0] : undefined;
  const singleNote = useApiQuery('browser.selection', { mode, ids: single !== undefined ? [single] : [] }, { enabled: single !== undefined && mode === 'cards' });
  const editNoteId = single === undefined ? null : mode === 'notes' ? single : (singleNote.data?.noteIds[0] ?? null);
  const [dialog, setDialog] = useState<DialogKind>(null);

  // AnkiConnect's guiSelectCard / guiSelectedNotes while the browser is open
  const api = useApi();
  useGuiHandler('browserSelectCard', async (cardId: number) => {
    const id = mode === 'cards' ? cardId : (await api.call('browser.selection', { mode: 'cards', ids: [cardId] })).noteIds[0];
    const index = id === undefined ? -1 : ids.indexOf(id);
    setSel(index >= 0 ? { ids: new Set([id]), anchor: index, current: index } : EMPTY_SELECTION);
    return true;
  });
  useGuiHandler('browserSelectedNotes', async () => (selectedIds.length ? (await api.call('browser.selection', { mode, ids: selectedIds })).noteIds : []));

  const runSearch = (q: string) => {
    setInput(q);
    setQuery(q);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(input);
    // the same text again searches again (the collection may have changed)
    if (input === query) void search.refetch();
  };
  const onSidebar = (term: string, mods: ClickMods) => runSearch(combineSearch(input, term, mods));

  const onSort = (key: BrowserColumnKey) => {
    const info = infos.find((c) => c.key === key);
    if (!info) return;
    const next = sortAfterClick(sort, info, mode);
    if (!next) return toast.info('Sorting on this column is not supported. Please choose another.');
    persist(mode === 'notes' ? { noteSort: next } : { cardSort: next });
  };
  const onColumns = (cols: BrowserColumnKey[]) => persist(mode === 'notes' ? { noteColumns: cols } : { cardColumns: cols });

  const onRowClick = (e: MouseEvent, index: number) => {
    (e.currentTarget.closest('[role=grid]') as HTMLElement | null)?.focus({ preventScroll: true });
    selectedAt.current = performance.now();
    setSel((s) => clickSelection(s, ids, index, { shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey }));
  };

  // As in Anki, choosing a row leaves the keyboard in the table: the editor that opens for it
  // focuses its first field, which is undone unless the person clicked or tabbed into the editor.
  const selectedAt = useRef(0);
  const intoEditor = useRef(0);
  const onEditorFocus = () => {
    const now = performance.now();
    if (now - selectedAt.current < 1500 && now - intoEditor.current > 500) table.current?.querySelector<HTMLElement>('[role=grid]')?.focus({ preventScroll: true });
  };

  const table = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const key = browserKey(e);
    const page = Math.max(1, Math.floor((table.current?.querySelector('.table-body')?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const at = sel.current ?? -1;
    const move = (to: number) => {
      e.preventDefault();
      selectedAt.current = performance.now();
      setSel((s) => moveSelection(s, ids, to, e.shiftKey));
    };
    switch (e.key) {
      case 'ArrowDown':
        return move(at + 1);
      case 'ArrowUp':
        return move(Math.max(0, at - 1));
      case 'PageDown':
        return move(at + page);
      case 'PageUp':
        return move(Math.max(0, at - page));
      case 'Home':
        return move(0);
      case 'End':
        return move(ids.length - 1);
    }
    if (key === 'ctrl+a') {
      e.preventDefault();
      return setSel((s) => selectAll(ids, s));
    }
    if (key === 'ctrl+alt+t') {
      e.preventDefault();
      return persist({ notesMode: mode === 'cards' });
    }
    const action = actionForKey(key);
    if (!action || (!selectedIds.length && action.dialog !== 'findReplace')) return;
    e.preventDefault();
    const fns = actions.current;
    if (action.dialog) setDialog(action.dialog);
    else if (action.action === 'suspend') void fns?.toggleSuspend();
    else if (action.action === 'mark') void fns?.toggleMark();
    else if (action.action === 'delete') void fns?.remove();
    else if (action.flag) void fns?.setFlag(action.flag);
  };

  return (
    <section className={`browser${editNoteId !== null ? ' with-editor' : ''}`} aria-label="Browse" onKeyDown={(e) => e.key === 'Tab' && (intoEditor.current = performance.now())}>
      <BrowserSidebar current={input} savedSearches={saved.savedSearches} onSearch={onSidebar} onSaveSearches={saveSearches} />
      <div className="browser-main">
        <form className="search-bar" onSubmit={onSubmit} role="search">
          <div className="mode-toggle" role="group" aria-label="Show">
            <button type="button" aria-pressed={mode === 'cards'} onClick={() => mode !== 'cards' && persist({ notesMode: false })} title="Switch to cards (Ctrl+Alt+T)">
              Cards
            </button>
            <button type="button" aria-pressed={mode === 'notes'} onClick={() => mode !== 'notes' && persist({ notesMode: true })} title="Switch to notes (Ctrl+Alt+T)">
              Notes
            </button>
          </div>
          <input
            aria-label="Search"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder="Search, e.g. deck:French is:due tag:verb"
            aria-invalid={!!error}
            aria-describedby={error ? 'search-error' : undefined}
            spellCheck={false}
          />
          <button type="submit">Search</button>
        </form>
        {error && (
          <p id="search-error" className="error inline-error" role="alert">
            {error}
          </p>
        )}
        <BrowserActions mode={mode} selected={selectedIds} current={currentRow} dialog={dialog} onDialog={setDialog} actions={actions} />
        <p className="muted result-count" aria-live="polite">
          {search.isFetching && !search.data ? 'Searching…' : resultCountText(mode, ids.length, sel.ids.size, !!error)}
        </p>
        <div ref={table} className="browser-table-host">
          <BrowserTable
            mode={mode}
            ids={ids}
            columns={columns}
            infos={infos}
            fsrs={saved.fsrs}
            sort={order ? sort : null}
            selected={sel.ids}
            current={sel.current}
            onSort={onSort}
            onColumns={onColumns}
            onRowClick={onRowClick}
            onKeyDown={onKeyDown}
            rowCache={rowCache}
            onRowsArrived={rowsArrived}
          />
        </div>
      </div>
      {editNoteId !== null && (
        <aside className="browser-editor" aria-label="Editor" onPointerDown={() => (intoEditor.current = performance.now())} onFocus={onEditorFocus}>
          <EditorScreen key={editNoteId} noteId={editNoteId} />
        </aside>
      )}
    </section>
  );
}

