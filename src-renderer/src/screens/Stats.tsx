// Statistics: today, the card counts, and Anki's charts — reviews per day, future due, intervals —
// with the true retention table, for the current deck (with subdecks) or the whole collection.
// Charts are plain SVG drawn from stats.graphs (see ../stats/chart.ts for the geometry).
import { type ReactNode, useState } from 'react';
import type { StatsGraphs } from '../../../src-main/ipc/contract';
import { useApiQuery, useServes } from '../api/hooks';
import { formatCount, futureDueSeries, intervalBuckets, intervalRange, linePath, linearScale, niceTicks, retentionText, stackedBars } from '../stats/chart';

const PERIODS = [
  { days: 30, label: '1 month' },
  { days: 90, label: '3 months' },
  { days: 365, label: '1 year' },
] as const;

const W = 640;
const H = 180;
const M = { top: 10, right: 12, bottom: 26, left: 42 };

export function StatsScreen() {
  const current = useApiQuery('decks.current', {});
  const servesGraphs = useServes('stats.graphs');
  const [whole, setWhole] = useState(false);
  const [days, setDays] = useState<number>(30);
  const deckId = whole ? null : (current.data?.id ?? null);
  const ready = whole || !!current.data;
  const stats = useApiQuery('stats.summary', { deckId }, { enabled: ready });
  const graphs = useApiQuery('stats.graphs', { deckId, days }, { enabled: ready && !!servesGraphs });
  const s = stats.data;
  return (
    <section className="stats stack" aria-labelledby="stats-title">
      <div className="screen-header">
        <h1 id="stats-title">Statistics</h1>
        <div className="row">
          <label className="inline">
            <input type="checkbox" checked={whole} onChange={(e) => setWhole(e.target.checked)} /> Whole collection
          </label>
          <div className="segmented" role="radiogroup" aria-label="Period">
            {PERIODS.map((p) => (
              <label key={p.days} className={days === p.days ? 'on' : undefined}>
                <input type="radio" name="stats-period" checked={days === p.days} onChange={() => setDays(p.days)} />
                {p.label}
              </label>
            ))}
          </div>
        </div>
      </div>
      {stats.isError && <p role="alert" className="error">{stats.error.message}</p>}
      {s && (
        <>
          <h2>{s.deck ? s.deck.name : 'All decks'} — today</h2>
          <p>
            {s.today.count === 0
              ? 'No cards have been studied today.'
              : `Studied ${s.today.count} card${s.today.count === 1 ? '' : 's'} in ${Math.round(s.today.timeMs / 60000)} minutes (${(s.today.timeMs / 1000 / s.today.count).toFixed(1)}s/card).`}
          </p>
          {s.today.count > 0 && (
            <p className="muted">
              Again: {s.today.again} · Learn: {s.today.learn} · Review: {s.today.review} · Relearn: {s.today.relearn} · Filtered: {s.today.filtered}
            </p>
          )}
        </>
      )}
      {graphs.isError && <p role="alert" className="error">{graphs.error.message}</p>}
      {graphs.data && (
        <div className="charts">
          <ReviewsChart g={graphs.data} />
          <FutureDueChart g={graphs.data} />
          <IntervalsChart g={graphs.data} />
          <RetentionTable g={graphs.data} />
        </div>
      )}
      {s && (
        <section className="chart-card" aria-labelledby="card-counts-title">
          <h2 id="card-counts-title">Card counts</h2>
          <table className="stats-table">
            <tbody>
              {(
                [
                  ['New', s.cards.new],
                  ['Learning', s.cards.learning],
                  ['Young', s.cards.young],
                  ['Mature', s.cards.mature],
                  ['Suspended', s.cards.suspended],
                  ['Buried', s.cards.buried],
                  ['Total cards', s.cards.total],
                  ['Notes', s.cards.notes],
                ] as const
              ).map(([label, n]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td className="num">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

const REVIEW_KINDS = [
  { key: 'learn', label: 'Learning', className: 'c-learn' },
  { key: 'relearn', label: 'Relearning', className: 'c-relearn' },
  { key: 'young', label: 'Young', className: 'c-young' },
  { key: 'mature', label: 'Mature', className: 'c-mature' },
  { key: 'filtered', label: 'Filtered', className: 'c-filtered' },
] as const;

function ReviewsChart({ g }: { g: StatsGraphs }) {
  const [time, setTime] = useState(false);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  // minutes, split by kind in proportion to the counts of that day (the core totals time per day)
  const rows = g.reviews.map((r) => {
    const n = r.learn + r.relearn + r.young + r.mature + r.filtered;
    const scale = time && n ? r.timeMs / 60000 / n : 1;
    return { at: r.day, learn: r.learn * scale, relearn: r.relearn * scale, young: r.young * scale, mature: r.mature * scale, filtered: r.filtered * scale };
  });
  const layout = stackedBars(rows, REVIEW_KINDS.map((k) => k.key), { width: pw, height: ph, xMin: -(g.days - 1), xMax: 0 });
  const total = g.reviews.reduce((n, r) => n + r.learn + r.relearn + r.young + r.mature + r.filtered, 0);
  const minutes = Math.round(g.reviews.reduce((n, r) => n + r.timeMs, 0) / 60000);
  const daysStudied = g.reviews.filter((r) => r.learn + r.relearn + r.young + r.mature + r.filtered > 0).length;
  // running total as a line over the bars
  let acc = 0;
  const cumulative = rows.map((r) => (acc += r.learn + r.relearn + r.young + r.mature + r.filtered));
  const cy = linearScale([0, Math.max(1, acc)], [ph, 0]);
  const line = linePath(rows.map((r, i) => [layout.x(r.at) + layout.band / 2, cy(cumulative[i])]));
  return (
    <section className="chart-card" aria-labelledby="reviews-title">
      <div className="chart-head">
        <h2 id="reviews-title">Reviews</h2>
        <label className="inline">
          <input type="checkbox" checked={time} onChange={(e) => setTime(e.target.checked)} /> Time
        </label>
      </div>
      <Chart label={`Reviews per day over the last ${g.days} days`} ticks={layout.ticks} y={layout.y} unit={time ? 'min' : ''}>
        {layout.bars.map((b) =>
          b.segments.map((s) => (
            <rect key={`${b.at}:${s.key}`} className={REVIEW_KINDS.find((k) => k.key === s.key)!.className} x={s.x} y={s.y} width={s.width} height={s.height}>
              <title>{`${dayLabel(b.at)}: ${Math.round(s.value * 10) / 10} ${REVIEW_KINDS.find((k) => k.key === s.key)!.label.toLowerCase()}${time ? ' min' : ''}`}</title>
            </rect>
          )),
        )}
        {acc > 0 && <path className="cumulative" d={line} fill="none" />}
        <XAxis from={-(g.days - 1)} to={0} x={layout.x} band={layout.band} label={(d) => (d === 0 ? 'today' : `${d}d`)} />
      </Chart>
      <Legend items={REVIEW_KINDS} />
      <p className="chart-summary">
        {total === 0
          ? 'No reviews in this period.'
          : `Days studied: ${daysStudied} of ${g.days} · Total: ${total} reviews in ${minutes} minutes · Average: ${(total / g.days).toFixed(1)} reviews/day`}
      </p>
    </section>
  );
}

function FutureDueChart({ g }: { g: StatsGraphs }) {
  const [backlog, setBacklog] = useState(true);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const series = futureDueSeries(g.futureDue, g.days, backlog);
  const layout = stackedBars(series, ['count'] as const, { width: pw, height: ph, xMin: 0, xMax: g.days - 1 });
  const overdue = g.futureDue.filter((r) => r.day < 0).reduce((n, r) => n + r.count, 0);
  const total = series.reduce((n, r) => n + r.count, 0);
  return (
    <section className="chart-card" aria-labelledby="future-title">
      <div className="chart-head">
        <h2 id="future-title">Future due</h2>
        <label className="inline">
          <input type="checkbox" checked={backlog} onChange={(e) => setBacklog(e.target.checked)} /> Backlog
        </label>
      </div>
      <Chart label={`Cards due per day over the next ${g.days} days`} ticks={layout.ticks} y={layout.y}>
        {layout.bars.map((b) =>
          b.segments.map((s) => (
            <rect key={b.at} className="c-due" x={s.x} y={s.y} width={s.width} height={s.height}>
              <title>{`${b.at === 0 ? 'today' : `in ${b.at} day${b.at === 1 ? '' : 's'}`}: ${s.value} card${s.value === 1 ? '' : 's'}`}</title>
            </rect>
          )),
        )}
        <XAxis from={0} to={g.days - 1} x={layout.x} band={layout.band} label={(d) => (d === 0 ? 'today' : `${d}d`)} />
      </Chart>
      <p className="chart-summary">
        Total: {total} card{total === 1 ? '' : 's'} · Average: {(total / g.days).toFixed(1)}/day · Due tomorrow: {series[1]?.count ?? 0}
        {overdue > 0 && ` · Overdue: ${overdue}`}
      </p>
    </section>
  );
}

function IntervalsChart({ g }: { g: StatsGraphs }) {
  const [all, setAll] = useState(false);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const max = all ? Math.max(7, ...g.intervals.map((i) => i.days)) : intervalRange(g.intervals);
  const buckets = intervalBuckets(g.intervals, max);
  const layout = stackedBars(
    buckets.map((b, i) => ({ at: i, count: b.count })),
    ['count'] as const,
    { width: pw, height: ph, xMin: 0, xMax: buckets.length - 1 },
  );
  const total = g.intervals.reduce((n, i) => n + i.count, 0);
  const mean = total ? g.intervals.reduce((n, i) => n + i.days * i.count, 0) / total : 0;
  return (
    <section className="chart-card" aria-labelledby="intervals-title">
      <div className="chart-head">
        <h2 id="intervals-title">Card intervals</h2>
        <label className="inline">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> All
        </label>
      </div>
      <Chart label="Review cards by interval" ticks={layout.ticks} y={layout.y}>
        {layout.bars.map((b) =>
          b.segments.map((s) => (
            <rect key={b.at} className="c-interval" x={s.x} y={s.y} width={s.width} height={s.height}>
              <title>{`${buckets[b.at].from === buckets[b.at].to ? `${buckets[b.at].from}d` : `${buckets[b.at].from}–${buckets[b.at].to}d`}: ${s.value} card${s.value === 1 ? '' : 's'}`}</title>
            </rect>
          )),
        )}
        <XAxis from={0} to={buckets.length - 1} x={layout.x} band={layout.band} label={(i) => `${buckets[i]?.from ?? ''}d`} />
      </Chart>
      <p className="chart-summary">{total ? `Average interval: ${mean < 30 ? `${mean.toFixed(1)} days` : `${(mean / 30).toFixed(1)} months`} · Longest: ${Math.max(...g.intervals.map((i) => i.days))} days` : 'No review cards yet.'}</p>
    </section>
  );
}

const PERIOD_LABELS: Record<StatsGraphs['retention'][number]['period'], string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  week: 'Last week',
  month: 'Last month',
  year: 'Last year',
  all: 'All time',
};

function RetentionTable({ g }: { g: StatsGraphs }) {
  return (
    <section className="chart-card" aria-labelledby="retention-title">
      <h2 id="retention-title">True retention</h2>
      <table className="retention-table">
        <thead>
          <tr>
            <th rowSpan={2} />
            <th colSpan={3} scope="colgroup">
              Young
            </th>
            <th colSpan={3} scope="colgroup">
              Mature
            </th>
            <th colSpan={3} scope="colgroup">
              Total
            </th>
          </tr>
          <tr>
            {['Young', 'Mature', 'Total'].flatMap((k) => [
              <th key={`${k}p`} scope="col">
                Pass
              </th>,
              <th key={`${k}f`} scope="col">
                Fail
              </th>,
              <th key={`${k}r`} scope="col">
                Retention
              </th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {g.retention.map((r) => {
            const total = { passed: r.young.passed + r.mature.passed, failed: r.young.failed + r.mature.failed };
            return (
              <tr key={r.period}>
                <th scope="row">{PERIOD_LABELS[r.period]}</th>
                {[r.young, r.mature, total].flatMap((c, i) => [
                  <td key={`${i}p`} className="num">
                    {c.passed}
                  </td>,
                  <td key={`${i}f`} className="num">
                    {c.failed}
                  </td>,
                  <td key={`${i}r`} className="num">
                    {retentionText(c.passed, c.failed)}
                  </td>,
                ])}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint">Answers of cards with an interval of a day or more; Again is a fail. Young: interval under 21 days.</p>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

function Chart(props: { label: string; ticks: number[]; y: (v: number) => number; unit?: string; children: ReactNode }) {
  const pw = W - M.left - M.right;
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label}>
      <g transform={`translate(${M.left},${M.top})`}>
        {props.ticks.map((t) => (
          <g key={t} className="tick" transform={`translate(0,${props.y(t)})`}>
            <line x1={0} x2={pw} />
            <text x={-6} dy="0.32em" textAnchor="end">
              {formatCount(t)}
              {props.unit && t === props.ticks.at(-1) ? ` ${props.unit}` : ''}
            </text>
          </g>
        ))}
        {props.children}
      </g>
    </svg>
  );
}

function XAxis(props: { from: number; to: number; x: (v: number) => number; band: number; label: (v: number) => string }) {
  const ph = H - M.top - M.bottom;
  const span = props.to - props.from + 1;
  const ticks = niceTicks(span, 6).filter((t) => t < span);
  return (
    <g className="x-axis" transform={`translate(0,${ph})`}>
      <line x1={0} x2={props.x(props.to + 1)} />
      {ticks.map((t) => {
        const v = props.from < 0 ? props.to - t : props.from + t;
        return (
          <text key={t} x={props.x(v) + props.band / 2} y={16} textAnchor="middle">
            {props.label(v)}
          </text>
        );
      })}
    </g>
  );
}

function Legend({ items }: { items: readonly { key: string; label: string; className: string }[] }) {
  return (
    <ul className="legend" aria-label="Legend">
      {items.map((i) => (
        <li key={i.key}>
          <svg width="10" height="10" aria-hidden="true">
            <rect className={i.className} width="10" height="10" />
          </svg>
          {i.label}
        </li>
      ))}
    </ul>
  );
}

const dayLabel = (d: number) => (d === 0 ? 'Today' : d === -1 ? 'Yesterday' : `${-d} days ago`);
