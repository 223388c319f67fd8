// The browser: search (errors shown inline), a sidebar of saved searches, decks and tags, a
// virtualised table that only fetches the rows in view, multi-select and bulk operations.
import { useVirtualizer } from '@tanstack/react-virtual';
import { type FormEvent, type KeyboardEvent, type MouseEvent, useEffect, useMemo, useRef, useState } from 'react';
import { BROWSER_COLUMNS, type BrowserRow } from '../../../src-main/ipc/contract';
import { useApi, useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { navigate } from '../app/router';
import { useToast } from '../components/toast';

type Column = (typeof BROWSER_COLUMNS)[number];
const COLUMNS: { id: Column; label: string }[] = [
  { id: 'noteFld', label: 'Sort Field' },
  { id: 'template', label: 'Card' },
  { id: 'deck', label: 'Deck' },
  { id: 'cardDue', label: 'Due' },
  { id: 'noteTags', label: 'Tags' },
];
const ROW_HEIGHT = 30;
const PAGE = 50;

const SAVED: { label: string; query: string }[] = [
  { label: 'All cards', query: '' },
  { label: 'Current deck', query: 'deck:current' },
  { label: 'Due today', query: 'is:due' },
  { label: 'New', query: 'is:new' },
  { label: 'Suspended', query: 'is:suspended' },
  { label: 'Marked', query: 'tag:marked' },
  { label: 'Flagged', query: '-flag:0' },
  { label: 'Added today', query: 'added:1' },
];

export function BrowserScreen({ initialQuery }: { initialQuery: string | null }) {
  const [input, setInput] = useState(initialQuery ?? '');
  const [query, setQuery] = useState(initialQuery ?? '');
  const search = useApiQuery('search.cards', { query }, { placeholderData: (prev) => prev });
  // A malformed search shows its error and keeps the last results on screen.
  const lastIds = useRef<number[]>([]);
  if (search.data) lastIds.current = search.data.ids;
  const ids = useMemo(() => search.data?.ids ?? lastIds.current, [search.data]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const anchor = useRef<number | null>(null);
  const servesRows = useServes('browser.rows');
  const error = search.isError ? search.error.message : null;

  // keep only selected ids that are still in the results
  useEffect(() => {
    setSelected((s) => {
      const still = new Set(ids.filter((id) => s.has(id)));
      return still.size === s.size ? s : still;
    });
  }, [ids]);

  const run = (q: string) => {
    setInput(q);
    setQuery(q);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(input);
  };

  const clickRow = (e: MouseEvent, index: number) => {
    const id = ids[index];
    if (e.shiftKey && anchor.current !== null) {
      const [a, b] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
      setSelected(new Set(ids.slice(a, b + 1)));
      return;
    }
    anchor.current = index;
    if (e.ctrlKey || e.metaKey) {
      setSelected((s) => {
        const n = new Set(s);
        if (n.has(id)) n.delete(id);
        else n.add(id);
        return n;
      });
    } else setSelected(new Set([id]));
  };

  const onTableKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      setSelected(new Set(ids));
    }
  };

  return (
    <section className="browser" aria-label="Browse">
      <BrowserSidebar onSearch={run} />
      <div className="browser-main">
        <form className="search-bar" onSubmit={onSubmit} role="search">
          <input
            aria-label="Search"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder="Search, e.g. deck:French is:due tag:verb"
            aria-invalid={!!error}
            aria-describedby={error ? 'search-error' : undefined}
          />
          <button type="submit">Search</button>
        </form>
        {error && (
          <p id="search-error" className="error inline-error" role="alert">
            {error}
          </p>
        )}
        <BulkBar selected={[...selected]} />
        <p className="muted result-count" aria-live="polite">
          {search.isFetching ? 'Searching…' : `${ids.length} card${ids.length === 1 ? '' : 's'}${selected.size ? `, ${selected.size} selected` : ''}${error ? ' (previous search)' : ''}`}
        </p>
        <CardTable ids={ids} selected={selected} onRowClick={clickRow} onKeyDown={onTableKey} rowsServed={!!servesRows} />
      </div>
    </section>
  );
}

function BrowserSidebar({ onSearch }: { onSearch: (q: string) => void }) {
  const api = useApi();
  const toast = useToast();
  const decks = useApiQuery('decks.list', {});
  const tags = useApiQuery('tags.list', {});
  const termFor = (kind: 'deck' | 'tag', name: string) =>
    api.call('search.termText', { kind, name }).then(
      (r) => onSearch(r.text),
      (e) => toast.error(e),
    );
  return (
    <nav className="browser-sidebar" aria-label="Saved searches, decks and tags">
      <h2>Saved</h2>
      <ul>
        {SAVED.map((s) => (
          <li key={s.label}>
            <button type="button" className="link" onClick={() => onSearch(s.query)}>
              {s.label}
            </button>
          </li>
        ))}
      </ul>
      <h2>Decks</h2>
      <ul>
        {decks.data?.map((d) => (
          <li key={d.id}>
            <button type="button" className="link" onClick={() => termFor('deck', d.name)}>
              {d.name}
            </button>
          </li>
        ))}
      </ul>
      <h2>Tags</h2>
      <ul>
        {tags.data?.map((t) => (
          <li key={t}>
            <button type="button" className="link" onClick={() => termFor('tag', t)}>
              {t}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function CardTable(props: { ids: number[]; selected: Set<number>; onRowClick: (e: MouseEvent, i: number) => void; onKeyDown: (e: KeyboardEvent) => void; rowsServed: boolean }) {
  const { ids, selected, onRowClick, onKeyDown, rowsServed } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: ids.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  const pages = useMemo(() => {
    const out: number[] = [];
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) out.push(p);
    return out;
  }, [first, last]);

  return (
    <div className="table-wrap">
      <div className="table-head" role="row">
        {rowsServed ? (
          COLUMNS.map((c) => (
            <span key={c.id} role="columnheader">
              {c.label}
            </span>
          ))
        ) : (
          <span role="columnheader">Card</span>
        )}
      </div>
      <div ref={scroller} className="table-body" role="grid" aria-label="Cards" aria-rowcount={ids.length} aria-multiselectable tabIndex={0} onKeyDown={onKeyDown}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rowsServed
            ? pages.map((p) => <RowPage key={`${p}:${ids.length}`} ids={ids} page={p} first={first} last={last} virtualStart={(i) => items.find((v) => v.index === i)?.start} selected={selected} onRowClick={onRowClick} />)
            : items.map((v) => (
                <div
                  key={ids[v.index]}
                  role="row"
                  aria-selected={selected.has(ids[v.index])}
                  aria-rowindex={v.index + 1}
                  data-card-id={ids[v.index]}
                  className={`table-row${selected.has(ids[v.index]) ? ' selected' : ''}`}
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                  onClick={(e) => onRowClick(e, v.index)}
                >
                  <span role="gridcell">Card {ids[v.index]}</span>
                </div>
              ))}
        </div>
      </div>
      {!rowsServed && <p className="hint">Columns (sort field, deck, due…) appear once the core serves browser rows.</p>}
    </div>
  );
}

function RowPage(props: {
  ids: number[];
  page: number;
  first: number;
  last: number;
  virtualStart: (i: number) => number | undefined;
  selected: Set<number>;
  onRowClick: (e: MouseEvent, i: number) => void;
}) {
  const { ids, page, first, last, virtualStart, selected, onRowClick } = props;
  const slice = ids.slice(page * PAGE, (page + 1) * PAGE);
  const rows = useApiQuery('browser.rows', { mode: 'cards', ids: slice, columns: COLUMNS.map((c) => c.id) });
  const byId = useMemo(() => new Map((rows.data?.rows ?? []).map((r) => [r.id, r])), [rows.data]);
  return (
    <>
      {slice.map((id, k) => {
        const index = page * PAGE + k;
        if (index < first || index > last) return null;
        const row: BrowserRow | undefined = byId.get(id);
        return (
          <div
            key={id}
            role="row"
            aria-selected={selected.has(id)}
            aria-rowindex={index + 1}
            data-card-id={id}
            className={`table-row${selected.has(id) ? ' selected' : ''}${row?.suspended ? ' suspended' : ''}${row?.marked ? ' marked' : ''}${row?.flag ? ` flag-row-${row.flag}` : ''}`}
            style={{ transform: `translateY(${virtualStart(index) ?? index * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}
            onClick={(e) => onRowClick(e, index)}
            onDoubleClick={() => row && navigate({ name: 'edit', noteId: row.noteId })}
          >
            {COLUMNS.map((c, ci) => (
              <span key={c.id} role="gridcell">
                {row ? row.cells[ci] : '…'}
              </span>
            ))}
          </div>
        );
      })}
    </>
  );
}

function BulkBar({ selected }: { selected: number[] }) {
  const toast = useToast();
  const decks = useApiQuery('decks.list', { includeFiltered: false });
  const opts = { onError: (e: Error) => toast.error(e) };
  const done = (what: string) => (r: { count: number }) => toast.info(`${what}: ${r.count} card${r.count === 1 ? '' : 's'}`);
  const suspend = useApiMutation('cards.suspend', { onSuccess: done('Suspended') });
  const unsuspend = useApiMutation('cards.unsuspend', { onSuccess: done('Unsuspended') });
  const bury = useApiMutation('cards.bury', { onSuccess: done('Buried') });
  const forget = useApiMutation('cards.forget', { onSuccess: done('Reset') });
  const flag = useApiMutation('cards.setFlag', { onSuccess: done('Flagged') });
  const setDeck = useApiMutation('cards.setDeck', { onSuccess: done('Moved') });
  const none = selected.length === 0;
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected cards">
      <button type="button" disabled={none} onClick={() => suspend.mutate({ cardIds: selected }, opts)}>
        Suspend
      </button>
      <button type="button" disabled={none} onClick={() => unsuspend.mutate({ cardIds: selected }, opts)}>
        Unsuspend
      </button>
      <button type="button" disabled={none} onClick={() => bury.mutate({ cardIds: selected }, opts)}>
        Bury
      </button>
      <button type="button" disabled={none} onClick={() => forget.mutate({ cardIds: selected }, opts)}>
        Forget
      </button>
      <select aria-label="Flag" disabled={none} value="" onChange={(e) => flag.mutate({ cardIds: selected, flag: Number(e.target.value) }, opts)}>
        <option value="" disabled>
          Flag…
        </option>
        {['No flag', 'Red', 'Orange', 'Green', 'Blue', 'Pink', 'Turquoise', 'Purple'].map((n, i) => (
          <option key={n} value={i}>
            {n}
          </option>
        ))}
      </select>
      <select aria-label="Change deck" disabled={none} value="" onChange={(e) => setDeck.mutate({ cardIds: selected, deckId: Number(e.target.value) }, opts)}>
        <option value="" disabled>
          Change deck…
        </option>
        {decks.data?.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
    </div>
  );
}
