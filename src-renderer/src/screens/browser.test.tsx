// The browser's selection/sort/search logic, and the screen rendered from a filled query cache.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BrowserColumnInfo, ChannelOutput } from '../../../src-main/ipc/contract';
import { createApiClient } from '../api/client';
import { ApiProvider, newQueryClient } from '../api/hooks';
import type { Transport } from '../api/transport';
import { ToastProvider } from '../components/toast';
import { BrowserScreen } from './Browser';
import { actionForKey } from './browser-actions';
import {
  browserKey,
  clickSelection,
  combineSearch,
  EMPTY_SELECTION,
  gridTemplate,
  keepSelection,
  moveSelection,
  pagesInView,
  resultCountText,
  selectAll,
  sortable,
  sortAfterClick,
  toggleColumn,
} from './browser-logic';

const ids = [10, 11, 12, 13, 14];
const none = { shift: false, ctrl: false };

describe('selection', () => {
  it('click selects one; ctrl toggles; shift selects the range from the anchor', () => {
    let s = clickSelection(EMPTY_SELECTION, ids, 1, none);
    expect([...s.ids]).toEqual([11]);
    s = clickSelection(s, ids, 3, { shift: false, ctrl: true });
    expect([...s.ids].sort()).toEqual([11, 13]);
    s = clickSelection(s, ids, 3, { shift: false, ctrl: true });
    expect([...s.ids]).toEqual([11]);
    s = clickSelection(clickSelection(EMPTY_SELECTION, ids, 1, none), ids, 4, { shift: true, ctrl: false });
    expect([...s.ids]).toEqual([11, 12, 13, 14]);
    s = clickSelection(s, ids, 0, { shift: true, ctrl: false });
    expect([...s.ids]).toEqual([10, 11]);
    expect(s.current).toBe(0);
  });

  it('keys move and extend; ctrl+A; results that change keep what is still there', () => {
    let s = moveSelection(EMPTY_SELECTION, ids, 2, false);
    expect([...s.ids]).toEqual([12]);
    s = moveSelection(s, ids, 4, true);
    expect([...s.ids]).toEqual([12, 13, 14]);
    expect(moveSelection(s, ids, 99, false).current).toBe(4);
    s = selectAll(ids, EMPTY_SELECTION);
    expect(s.ids.size).toBe(5);
    const kept = keepSelection({ ids: new Set([11, 13]), anchor: 3, current: 3 }, ids, [13, 20, 11]);
    expect([...kept.ids].sort()).toEqual([11, 13]);
    expect(kept.current).toBe(0);
    expect(keepSelection({ ids: new Set([99]), anchor: 0, current: 0 }, [99], [1]).ids.size).toBe(0);
  });
});

const info = (key: BrowserColumnInfo['key'], sortingCards: BrowserColumnInfo['sortingCards'], sortingNotes = sortingCards): BrowserColumnInfo => ({
  key,
  cardsLabel: key,
  notesLabel: key,
  cardsTooltip: '',
  notesTooltip: '',
  sortingCards,
  sortingNotes,
  alignment: 'start',
  usesCellFont: false,
  fsrs: false,
});

describe('sorting, columns, searches', () => {
  it("a new column sorts in Anki's default direction, the same column reverses, unsortable ones do nothing", () => {
    const cur = { column: 'noteFld', reverse: false };
    expect(sortAfterClick(cur, info('cardDue', 'descending'), 'cards')).toEqual({ column: 'cardDue', reverse: true });
    expect(sortAfterClick(cur, info('deck', 'ascending'), 'cards')).toEqual({ column: 'deck', reverse: false });
    expect(sortAfterClick(cur, info('noteFld', 'ascending'), 'cards')).toEqual({ column: 'noteFld', reverse: true });
    expect(sortAfterClick(cur, info('question', 'none'), 'cards')).toBeNull();
    expect(sortAfterClick(cur, info('stability', 'descending', 'none'), 'notes')).toBeNull();
    expect(sortable('stability', 'notes', [info('stability', 'descending', 'none')])).toBe(false);
    expect(sortable('nope', 'cards', [])).toBe(false);
  });

  it('columns toggle (one always stays) and lay out wide text columns', () => {
    expect(toggleColumn(['noteFld', 'deck'], 'deck')).toEqual(['noteFld']);
    expect(toggleColumn(['noteFld'], 'noteFld')).toEqual(['noteFld']);
    expect(toggleColumn(['noteFld'], 'cardDue')).toEqual(['noteFld', 'cardDue']);
    expect(gridTemplate(['noteFld', 'cardDue'])).toBe('minmax(8rem, 3fr) minmax(4.5rem, 1fr)');
  });

  it('sidebar clicks replace the search, or add it with AND (ctrl) / OR (shift)', () => {
    expect(combineSearch('deck:A', 'is:new', none)).toBe('is:new');
    expect(combineSearch('deck:A', 'is:new', { ctrl: true, shift: false })).toBe('deck:A is:new');
    expect(combineSearch('deck:A is:due', 'tag:x', { ctrl: false, shift: true })).toBe('(deck:A is:due) OR tag:x');
    expect(combineSearch('', 'is:new', { ctrl: true, shift: false })).toBe('is:new');
  });

  it('texts, pages, keys', () => {
    expect(resultCountText('cards', 4, 0, false)).toBe('4 cards');
    expect(resultCountText('cards', 3, 3, false)).toBe('3 cards, 3 selected');
    expect(resultCountText('notes', 1, 0, true)).toBe('1 note (previous search)');
    expect(pagesInView(0, 250, 100)).toEqual([0, 1, 2]);
    expect(pagesInView(5, 4, 100)).toEqual([]);
    expect(browserKey({ key: 'A', ctrlKey: true, metaKey: false, altKey: false, shiftKey: true })).toBe('ctrl+shift+a');
    expect(actionForKey('ctrl+shift+a')).toEqual({ dialog: 'addTags' });
    expect(actionForKey('ctrl+alt+f')).toEqual({ dialog: 'findReplace' });
    expect(actionForKey('ctrl+3')).toEqual({ flag: 3 });
    expect(actionForKey('ctrl+8')).toBeNull();
  });
});

const transport: Transport = {
  kind: 'http',
  invoke: async () => ({ ok: false, error: { code: 'offline', message: 'not in this test' } }),
  on: () => () => undefined,
  onReconnect: () => () => undefined,
};

describe('the browser screen', () => {
  it('renders the saved mode, columns and sort, the sidebar with saved searches, and the count', () => {
    const qc = newQueryClient();
    const state: ChannelOutput<'browser.state'> = {
      notesMode: true,
      cardColumns: ['noteFld', 'cardDue'],
      noteColumns: ['noteFld', 'template', 'noteTags'],
      cardSort: { column: 'noteFld', reverse: false },
      noteSort: { column: 'noteFld', reverse: true },
      savedSearches: { 'Verbs to learn': 'tag:verb is:new' },
      fsrs: false,
    };
    const columns = [info('noteFld', 'ascending'), info('template', 'descending'), info('noteTags', 'ascending'), info('cardDue', 'descending')];
    columns[1] = { ...columns[1], notesLabel: 'Cards', cardsLabel: 'Card Type' };
    qc.setQueryData(['browser.state', {}], state);
    qc.setQueryData(['browser.columns', {}], { columns });
    qc.setQueryData(['search.notes', { query: 'deck:x', order: { column: 'noteFld', reverse: true } }], { ids: [1, 2, 3] });
    qc.setQueryData(['decks.list', {}], [{ id: 1, name: 'Default' }]);
    const html = renderToString(
      <ApiProvider api={createApiClient(transport)} queryClient={qc}>
        <ToastProvider>
          <BrowserScreen initialQuery="deck:x" />
        </ToastProvider>
      </ApiProvider>,
    );
    expect(html).toContain('aria-label="Notes"'); // the grid, in notes mode
    expect(html).toMatch(/aria-pressed="true"[^>]*>Notes</);
    expect(html).toContain('>Cards</button>'); // the notes-mode label of the card column
    expect(html).toMatch(/aria-sort="descending"/);
    expect(html).toContain('Verbs to learn');
    expect(html).toContain('3 notes');
    expect(html).toContain('aria-label="Selected notes"');
  });
});
