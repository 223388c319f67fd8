// A deck's overview: today's counts, what was studied, and Study Now (or why there is nothing to study).
import { useApiMutation, useApiQuery } from '../api/hooks';
import { navigate } from '../app/router';
import { useToast } from '../components/toast';
import { Congrats } from './Congrats';

export function OverviewScreen({ deckId }: { deckId: number }) {
  const overview = useApiQuery('decks.overview', { id: deckId });
  const setCurrent = useApiMutation('decks.setCurrent');
  const toast = useToast();
  if (overview.isError) return <p role="alert" className="error">{overview.error.message}</p>;
  if (!overview.data) return <p className="muted">Loading…</p>;
  const o = overview.data;
  const due = o.counts.new + o.counts.learn + o.counts.review;
  const study = () => setCurrent.mutate({ id: deckId }, { onSuccess: () => navigate({ name: 'review', deckId }), onError: (e) => toast.error(e) });
  return (
    <section className="overview" aria-labelledby="overview-title">
      <p>
        <a href="#/decks">← Decks</a>
      </p>
      <h1 id="overview-title">{o.name}</h1>
      {o.description && <p className="description">{o.description}</p>}
      {due > 0 ? (
        <>
          <dl className="overview-counts">
            <div>
              <dt>New</dt>
              <dd className="count-new">{o.counts.new}</dd>
            </div>
            <div>
              <dt>Learning</dt>
              <dd className="count-learn">{o.counts.learn}</dd>
            </div>
            <div>
              <dt>To Review</dt>
              <dd className="count-review">{o.counts.review}</dd>
            </div>
          </dl>
          <button type="button" className="primary big" autoFocus onClick={study}>
            Study Now
          </button>
        </>
      ) : (
        <Congrats deckId={deckId} info={o.congrats} />
      )}
      <p className="muted">
        Studied today: {o.studiedToday.new} new, {o.studiedToday.review} reviews in {Math.round(o.studiedToday.milliseconds / 60000)} min. Due tomorrow: {o.dueTomorrow}.
      </p>
    </section>
  );
}
