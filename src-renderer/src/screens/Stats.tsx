// Statistics: today's answers and the card counts, for the current deck or the whole collection.
import { useState } from 'react';
import { useApiQuery } from '../api/hooks';

export function StatsScreen() {
  const current = useApiQuery('decks.current', {});
  const [whole, setWhole] = useState(false);
  const stats = useApiQuery('stats.summary', { deckId: whole ? null : (current.data?.id ?? null) }, { enabled: whole || !!current.data });
  const s = stats.data;
  return (
    <section className="stats stack" aria-labelledby="stats-title">
      <div className="screen-header">
        <h1 id="stats-title">Statistics</h1>
        <label className="inline">
          <input type="checkbox" checked={whole} onChange={(e) => setWhole(e.target.checked)} /> Whole collection
        </label>
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
          <h2>Cards</h2>
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
        </>
      )}
    </section>
  );
}
