// The browser's table: a virtualised grid over any number of ids. Only the rows in view (plus a
// little overscan) exist in the DOM, and their cells are fetched a page of ids at a time through
// `browser.rows` (react-query caches each page under [channel, input], so scrolling back is
// instant and a change that touches the collection refreshes what is shown). Header clicks sort,
// a right-click on the header (or the ⋮ button) picks columns.
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type MouseEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { BrowserColumnInfo, BrowserColumnKey, BrowserRow, ChannelOutput } from '../../../src-main/ipc/contract';
import { useApi } from '../api/hooks';
import { gridTemplate, type Mode, pagesInView, type SortState } from './browser-logic';

export const ROW_HEIGHT = 28;
export const PAGE = 100;

export interface TableProps {
  mode: Mode;
  ids: readonly number[];
  columns: BrowserColumnKey[];
  infos: readonly BrowserColumnInfo[];
  fsrs: boolean;
  sort: SortState | null;
  selected: ReadonlySet<number>;
  current: number | null;
  onSort(key: BrowserColumnKey): void;
  onColumns(columns: BrowserColumnKey[]): void;
  onRowClick(e: MouseEvent, index: number): void;
  onKeyDown(e: KeyboardEvent): void;
  /** Rows as they arrive (the screen reads the current row's state for its toggles). */
  rowCache: Map<number, BrowserRow>;
  onRowsArrived(): void;
}

export function BrowserTable(props: TableProps) {
  const { mode, ids, columns, infos, sort, selected, current } = props;
  const api = useApi();
  const scroller = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const virtualizer = useVirtualizer({ count: ids.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  const pages = useMemo(() => pagesInView(first, last, PAGE), [first, last]);

  const results = useQueries({
    queries: pages.map((p) => {
      const input = { mode, ids: ids.slice(p * PAGE, (p + 1) * PAGE) as number[], columns };
      return { queryKey: ['browser.rows', input] as const, queryFn: () => api.call('browser.rows', input), placeholderData: (prev: ChannelOutput<'browser.rows'> | undefined) => prev };
    }),
  });
  const byId = useMemo(() => {
    const m = new Map<number, BrowserRow>();
    for (const r of results) for (const row of r.data?.rows ?? []) m.set(row.id, row);
    return m;
  }, [results.map((r) => r.dataUpdatedAt).join(',')]);
  const { rowCache, onRowsArrived } = props;
  useEffect(() => {
    if (!byId.size) return;
    for (const [id, row] of byId) rowCache.set(id, row);
    onRowsArrived();
  }, [byId, rowCache, onRowsArrived]);

  // keep the current row in view when the keyboard moves it
  useEffect(() => {
    if (current !== null && current < ids.length) virtualizer.scrollToIndex(current, { align: 'auto' });
  }, [current]);

  const infoOf = useMemo(() => new Map(infos.map((c) => [c.key, c])), [infos]);
  const template = gridTemplate(columns);
  const label = (k: BrowserColumnKey) => (mode === 'notes' ? infoOf.get(k)?.notesLabel : infoOf.get(k)?.cardsLabel) ?? k;
  const openMenu = (e: MouseEvent) => {
    e.preventDefault();
    setMenu({ x: e.clientX, y: e.clientY });
  };

  return (
    <div className="table-wrap browser-table">
      <div className="table-head" role="row" style={{ gridTemplateColumns: `${template} 1.75rem` }} onContextMenu={openMenu}>
        {columns.map((k) => {
          const info = infoOf.get(k);
          const sorting = info && (mode === 'notes' ? info.sortingNotes : info.sortingCards);
          const active = sort?.column === k;
          return (
            <span
              key={k}
              role="columnheader"
              aria-sort={active ? (sort!.reverse ? 'descending' : 'ascending') : 'none'}
              title={(mode === 'notes' ? info?.notesTooltip : info?.cardsTooltip) || undefined}
              className={`col-head align-${info?.alignment ?? 'start'}${sorting === 'none' ? ' unsortable' : ''}${active ? ' sorted' : ''}`}
            >
              <button type="button" className="col-head-button" onClick={() => props.onSort(k)} disabled={sorting === 'none'}>
                {label(k)}
                {active && <span aria-hidden="true">{sort!.reverse ? ' ▼' : ' ▲'}</span>}
              </button>
            </span>
          );
        })}
        <span role="columnheader" className="col-picker">
          <button type="button" className="icon-button" aria-label="Choose columns" title="Choose columns" onClick={(e) => setMenu({ x: e.clientX, y: e.clientY })}>
            ⋮
          </button>
        </span>
      </div>
      {menu && <ColumnMenu x={menu.x} y={menu.y} mode={mode} infos={infos} fsrs={props.fsrs} columns={columns} onChange={props.onColumns} onClose={() => setMenu(null)} />}
      <div
        ref={scroller}
        className="table-body"
        role="grid"
        aria-label={mode === 'notes' ? 'Notes' : 'Cards'}
        aria-rowcount={ids.length}
        aria-colcount={columns.length}
        aria-multiselectable
        tabIndex={0}
        onKeyDown={props.onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const id = ids[v.index];
            const row = byId.get(id);
            const isSelected = selected.has(id);
            return (
              <div
                key={id}
                role="row"
                aria-selected={isSelected}
                aria-rowindex={v.index + 1}
                data-id={id}
                data-loaded={row ? '' : undefined}
                className={`table-row row-${row?.color ?? 'loading'}${isSelected ? ' selected' : ''}${v.index === current ? ' current' : ''}${row?.disabled ? ' disabled' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, gridTemplateColumns: `${template} 1.75rem` }}
                onClick={(e) => props.onRowClick(e, v.index)}
              >
                {columns.map((k, ci) => {
                  const info = infoOf.get(k);
                  const font = row && info?.usesCellFont && row.fontName ? { fontFamily: row.fontName, fontSize: row.fontSize ? `${row.fontSize}px` : undefined } : undefined;
                  return (
                    <span key={k} role="gridcell" className={`align-${info?.alignment ?? 'start'}`} dir={k === 'noteFld' && row?.sortFieldRtl ? 'rtl' : undefined} style={font} title={row?.cells[ci] || undefined}>
                      {row ? row.cells[ci] : '…'}
                    </span>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The column picker: every column with a checkbox (FSRS columns only with FSRS on). */
function ColumnMenu(props: { x: number; y: number; mode: Mode; infos: readonly BrowserColumnInfo[]; fsrs: boolean; columns: BrowserColumnKey[]; onChange(c: BrowserColumnKey[]): void; onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLInputElement>('input')?.focus();
    const away = (e: globalThis.MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) props.onClose();
    };
    const esc = (e: globalThis.KeyboardEvent) => e.key === 'Escape' && props.onClose();
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', esc);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', esc);
    };
  });
  const shown = props.infos.filter((c) => props.fsrs || !c.fsrs || props.columns.includes(c.key));
  const left = Math.min(props.x, window.innerWidth - 240);
  const top = Math.min(props.y, window.innerHeight - 24 * shown.length - 40);
  return (
    <div ref={ref} className="column-menu" role="menu" aria-label="Columns" style={{ left, top: Math.max(8, top) }}>
      {shown.map((c) => {
        const on = props.columns.includes(c.key);
        const toggle = () => props.onChange(on ? (props.columns.length > 1 ? props.columns.filter((k) => k !== c.key) : props.columns) : [...props.columns, c.key]);
        return (
          <label key={c.key} role="menuitemcheckbox" aria-checked={on} className="column-menu-item">
            <input type="checkbox" checked={on} onChange={toggle} /> {props.mode === 'notes' ? c.notesLabel : c.cardsLabel}
          </label>
        );
      })}
    </div>
  );
}
