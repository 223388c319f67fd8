// The reviewer: the card in a sandboxed frame, Show Answer, the four buttons with their next
// intervals, Anki's keys, the timer, and the congratulations screen when the deck is done.
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useQueryClient } from '@tanstack/react-query';
import { invalidateFromChanges, useApi, useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { useGuiHandler } from '../app/gui';
import { actionsFor, isTyping, keyName, type KeyLike } from '../app/keys';
import { navigate } from '../app/router';
import { CardFrame } from '../components/CardFrame';
import { useToast } from '../components/toast';
import { Congrats } from './Congrats';

const BUTTONS = [
  { rating: 1, label: 'Again', action: 'again' },
  { rating: 2, label: 'Hard', action: 'hard' },
  { rating: 3, label: 'Good', action: 'good' },
  { rating: 4, label: 'Easy', action: 'easy' },
] as const;

export function ReviewScreen({ deckId, nightMode }: { deckId: number; nightMode: boolean }) {
  const toast = useToast();
  const info = useApiQuery('app.info', {});
  const servesSettings = useServes('settings.get');
  const settings = useApiQuery('settings.get', {}, { enabled: !!servesSettings });
  const next = useApiQuery('review.next', { deckId });
  const api = useApi();
  const qc = useQueryClient();
  const [turn, setTurn] = useState(0);
  const shownAt = useRef(Date.now());
  // the next card from an answer's reply, shown at once (until the query has anything newer)
  const [pushed, setPushed] = useState<{ at: number; data: NonNullable<typeof next.data> } | null>(null);
  const data = pushed && next.dataUpdatedAt <= pushed.at ? pushed.data : next.data;
  const card = data?.card ?? null;
  const newTurn = () => setTurn((t) => t + 1);
  // The side belongs to a card and a turn: a new card (or the same card again) starts on its
  // question in the very render that shows it (never a flash of the next card's answer).
  const turnKey = `${card?.cardId ?? 0}:${turn}`;
  const [sideState, setSideState] = useState<{ key: string; side: 'question' | 'answer' }>({ key: '', side: 'question' });
  const side = sideState.key === turnKey ? sideState.side : 'question';
  const setSide = (s: 'question' | 'answer') => setSideState({ key: turnKey, side: s });

  // One round trip per answer: the reply carries the next card, which becomes review.next's data
  // at once; everything else that reads what changed is refetched as usual. Not a react-query
  // mutation: its pending state would re-render (and repaint) the screen while the answer is on
  // its way, which is time taken from showing the next card.
  const answering = useRef(false);
  const answer = {
    get isPending() {
      return answering.current;
    },
    mutate(input: { cardId: number; rating: 1 | 2 | 3 | 4; millisecondsTaken: number }, opts: { onError?: (e: unknown) => void } = {}) {
      if (answering.current) return;
      answering.current = true;
      api
        .call('review.answer', { ...input, next: { deckId } })
        .then((out) => {
          answering.current = false;
          const nextCard = out.next;
          // rendered now, in this task (the card goes to the frame from a layout effect) …
          flushSync(() => {
            if (nextCard) setPushed({ at: Date.now(), data: nextCard });
            newTurn();
          });
          // … the caches catch up after
          if (nextCard) qc.setQueryData(['review.next', { deckId }], nextCard);
          setTimeout(() => void invalidateFromChanges(qc, out.changes, nextCard ? ['review.next'] : []), 0);
        })
        .catch((e: unknown) => {
          answering.current = false;
          opts.onError?.(e);
        });
    },
  };
  const undo = useApiMutation('collection.undo', { onSuccess: (r) => (toast.info(`Undone: ${r.op}`), newTurn()) });
  const bury = useApiMutation('cards.bury', { onSuccess: () => toast.info('Card buried') });
  const suspend = useApiMutation('cards.suspend', { onSuccess: () => toast.info('Card suspended') });
  const setFlag = useApiMutation('cards.setFlag');
  const addTags = useApiMutation('notes.addTags');
  const removeTags = useApiMutation('notes.removeTags');
  const busy = answer.isPending || undo.isPending || next.isFetching;

  // The timer starts again with each card (and each turn of the same card).
  useEffect(() => {
    shownAt.current = Date.now();
  }, [turnKey]);

  const replayRef = useRef<() => void>(() => undefined);

  // AnkiConnect's reviewer actions (guiCurrentCard, guiShowAnswer, guiAnswerCard …)
  const answerCard = (rating: 1 | 2 | 3 | 4) => {
    if (!card) return;
    answer.mutate({ cardId: card.cardId, rating, millisecondsTaken: Date.now() - shownAt.current }, { onError: (e) => toast.error(e) });
  };
  useGuiHandler('reviewerCard', () => (card ? { cardId: card.cardId, side, buttons: [1, 2, 3, 4], nextReviews: [...card.buttons] } : null));
  useGuiHandler('reviewerShowQuestion', () => (card ? (setSide('question'), true) : false));
  useGuiHandler('reviewerShowAnswer', () => (card ? (setSide('answer'), true) : false));
  useGuiHandler('reviewerStartTimer', () => (card ? ((shownAt.current = Date.now()), true) : false));
  useGuiHandler('reviewerReplayAudio', () => (card ? (replayRef.current(), true) : false));
  useGuiHandler('reviewerAnswer', (ease: number) => {
    if (!card || side !== 'answer' || busy || ![1, 2, 3, 4].includes(ease)) return false;
    answerCard(ease as 1 | 2 | 3 | 4);
    return true;
  });

  const onKey = useCallback(
    (e: KeyLike): boolean => {
      const name = keyName(e);
      const actions = actionsFor(name, settings.data?.ui.keymap);
      if (!actions.length) return false;
      const fail = (err: unknown) => toast.error(err);
      for (const action of actions) {
        if (action === 'undo') {
          if (!undo.isPending) undo.mutate({}, { onError: fail });
          return true;
        }
        if (!card || busy) continue;
        if (action === 'showAnswer' && side === 'question') {
          setSide('answer');
          return true;
        }
        const button = BUTTONS.find((b) => b.action === action);
        if (button && side === 'answer') {
          answer.mutate({ cardId: card.cardId, rating: button.rating, millisecondsTaken: Date.now() - shownAt.current }, { onError: fail });
          return true;
        }
        switch (action) {
          case 'edit':
            navigate({ name: 'edit', noteId: card.noteId });
            return true;
          case 'mark':
            (card.marked ? removeTags : addTags).mutate({ noteIds: [card.noteId], tags: 'marked' }, { onError: fail });
            return true;
          case 'bury':
            bury.mutate({ cardIds: [card.cardId] }, { onError: fail });
            return true;
          case 'suspend':
            suspend.mutate({ cardIds: [card.cardId] }, { onError: fail });
            return true;
          case 'replay':
            replayRef.current();
            return true;
        }
        const flag = /^flag([1-7])$/.exec(action);
        if (flag) {
          const f = Number(flag[1]);
          setFlag.mutate({ cardIds: [card.cardId], flag: card.flag === f ? 0 : f }, { onError: fail });
          return true;
        }
      }
      return false;
    },
    [card, side, turnKey, busy, settings.data, answer, undo, bury, suspend, setFlag, addTags, removeTags, toast],
  );

  useEffect(() => {
    const handler = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.repeat) return;
      if (onKey(e)) e.preventDefault();
    };
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, [onKey]);

  if (next.isError) return <p role="alert" className="error">{next.error.message}</p>;
  if (!data || !info.data) return <p className="muted">Loading…</p>;
  const counts = data.counts;

  if (!card) return <Finished deckId={deckId} />;

  return (
    <section className="review" aria-label="Review">
      <div className="review-top">
        <a href={`#/deck/${deckId}`}>← Overview</a>
        <div className="review-counts" aria-label="Cards left">
          <span className={`count-new${card.queue === 'new' ? ' current' : ''}`} title="New">
            {counts.new}
          </span>
          <span className={`count-learn${card.queue === 'learn' ? ' current' : ''}`} title="Learning">
            {counts.learn}
          </span>
          <span className={`count-review${card.queue === 'review' ? ' current' : ''}`} title="To review">
            {counts.review}
          </span>
        </div>
        <div className="review-marks">
          {card.flag > 0 && <span className={`flag flag-${card.flag}`} aria-label={`Flag ${card.flag}`} />}
          {card.marked && <span className="marked" aria-label="Marked">★</span>}
          {card.showTimer && <Timer key={`${card.cardId}:${turn}`} capSecs={card.timerCapSecs} />}
        </div>
      </div>
      <CardFrame card={card} side={side} nightMode={nightMode} mediaBase={info.data.mediaBase} onKey={onKey} replayRef={replayRef} shownKey={`${card.cardId}:${side}:${turn}`} />
      <div className="review-bottom">
        {side === 'question' ? (
          <button type="button" className="primary big" disabled={busy} onClick={() => setSide('answer')}>
            Show Answer
          </button>
        ) : (
          <div className="answer-buttons" role="group" aria-label="Answer">
            {BUTTONS.map((b) => (
              <button
                key={b.rating}
                type="button"
                className={`answer answer-${b.action}`}
                disabled={busy}
                data-rating={b.rating}
                onClick={() => answerCard(b.rating)}
              >
                <span className="interval">{card.buttons[b.rating - 1]}</span>
                <span className="label">{b.label}</span>
              </button>
            ))}
          </div>
        )}
      </div>
    </section>
  );
}

function Finished({ deckId }: { deckId: number }) {
  const overview = useApiQuery('decks.overview', { id: deckId });
  return (
    <section className="review-done">
      <p>
        <a href="#/decks">← Decks</a>
      </p>
      {overview.data ? <Congrats deckId={deckId} info={overview.data.congrats} /> : <h2>Congratulations! You have finished this deck for now.</h2>}
    </section>
  );
}

/** Time on the card since it was shown, stopping at the preset's answer-time cap. */
function Timer({ capSecs }: { capSecs: number }) {
  const [secs, setSecs] = useState(0);
  useEffect(() => {
    const start = Date.now();
    const t = setInterval(() => setSecs(Math.min(capSecs, Math.floor((Date.now() - start) / 1000))), 1000);
    return () => clearInterval(t);
  }, [capSecs]);
  const mm = Math.floor(secs / 60);
  const ss = String(secs % 60).padStart(2, '0');
  return (
    <span className={`timer${secs >= capSecs ? ' capped' : ''}`} aria-label="Time on this card">
      {mm}:{ss}
    </span>
  );
}
