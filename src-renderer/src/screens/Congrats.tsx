// "Congratulations! You have finished this deck for now." with what is left and the unbury buttons.
import type { ChannelOutput } from '../../../src-main/ipc/contract';
import { useApiMutation } from '../api/hooks';
import { useToast } from '../components/toast';

function inTime(secs: number): string {
  if (secs < 3600) return `${Math.max(1, Math.round(secs / 60))} minutes`;
  return `${Math.round(secs / 3600)} hours`;
}

export function Congrats({ deckId, info }: { deckId: number; info: ChannelOutput<'decks.overview'>['congrats'] }) {
  const unbury = useApiMutation('decks.unbury');
  const toast = useToast();
  return (
    <div className="congrats" role="status">
      <h2>Congratulations! You have finished this deck for now.</h2>
      {info.learnRemaining > 0 && <p>The next learning card will be ready in {inTime(info.secsUntilNextLearn)}.</p>}
      {info.reviewRemaining && <p>Today’s review limit has been reached, but there are still cards waiting to be reviewed.</p>}
      {info.newRemaining && <p>There are more new cards available, but the daily limit has been reached.</p>}
      {(info.haveSchedBuried || info.haveUserBuried) && (
        <p>
          Some related or buried cards were delayed until a later session.{' '}
          <button type="button" onClick={() => unbury.mutate({ id: deckId, mode: 'all' }, { onError: (e) => toast.error(e) })}>
            Unbury
          </button>
        </p>
      )}
    </div>
  );
}
