// The reviewer: the card in a sandboxed frame, Show Answer, the four buttons with their next
// intervals, Anki's keys, the timer, and the congratulations screen when the deck is done.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReviewCard } from '../../../src-main/ipc/contract';
import { useApiMutation, useApiQuery, useServes } from '../api/hooks';
import { actionsFor, isTyping, keyLikeFrom, keyName, type KeyLike } from '../app/keys';
import { navigate } from '../app/router';
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
  const [side, setSide] = useState<'question' | 'answer'>('question');
  const [turn, setTurn] = useState(0);
  const shownAt = useRef(Date.now());
  const card = next.data?.card ?? null;
  const newTurn = () => setTurn((t) => t + 1);

  const answer = useApiMutation('review.answer', { onSuccess: newTurn });
  const undo = useApiMutation('collection.undo', { onSuccess: (r) => (toast.info(`Undone: ${r.op}`), newTurn()) });
  const bury = useApiMutation('cards.bury', { onSuccess: () => toast.info('Card buried') });
  const suspend = useApiMutation('cards.suspend', { onSuccess: () => toast.info('Card suspended') });
  const setFlag = useApiMutation('cards.setFlag');
  const addTags = useApiMutation('notes.addTags');
  const removeTags = useApiMutation('notes.removeTags');
  const busy = answer.isPending || undo.isPending || next.isFetching;

  // A new card (or a new turn on the same card) starts on its question with the timer at zero.
  useEffect(() => {
    setSide('question');
    shownAt.current = Date.now();
  }, [card?.cardId, turn]);

  const replayRef = useRef<() => void>(() => undefined);

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
    [card, side, busy, settings.data, answer, undo, bury, suspend, setFlag, addTags, removeTags, toast],
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
  if (!next.data || !info.data) return <p className="muted">Loading…</p>;
  const counts = next.data.counts;

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
      <CardFrame card={card} side={side} nightMode={nightMode} mediaBase={info.data.mediaBase} onKey={onKey} replayRef={replayRef} />
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
                onClick={() => answer.mutate({ cardId: card.cardId, rating: b.rating, millisecondsTaken: Date.now() - shownAt.current }, { onError: (e) => toast.error(e) })}
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

/**
 * The card in `<iframe sandbox="allow-scripts">` (opaque origin, its own CSP): card scripts run but
 * cannot reach the app or the API. We talk to it over a MessagePort handed over once.
 */
function CardFrame(props: {
  card: ReviewCard;
  side: 'question' | 'answer';
  nightMode: boolean;
  mediaBase: string;
  onKey: (e: KeyLike) => boolean;
  replayRef: { current: () => void };
}) {
  const { card, side, nightMode, mediaBase, onKey, replayRef } = props;
  const frame = useRef<HTMLIFrameElement>(null);
  const [port, setPort] = useState<MessagePort | null>(null);
  const [generation, setGeneration] = useState(0);
  const loads = useRef(0);
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;

  useEffect(() => {
    let connected = false;
    const onMessage = (e: MessageEvent) => {
      if (connected || e.source !== frame.current?.contentWindow || e.data?.type !== 'ready') return;
      connected = true;
      const channel = new MessageChannel();
      channel.port1.onmessage = (m) => {
        if (m.data?.type === 'key') onKeyRef.current(keyLikeFrom(m.data));
      };
      frame.current!.contentWindow!.postMessage({ type: 'connect' }, '*', [channel.port2]);
      setPort(channel.port1);
    };
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
      setPort((p) => (p?.close(), null));
    };
  }, [generation]);

  useEffect(() => {
    replayRef.current = () => port?.postMessage({ type: 'replay' });
  }, [port, replayRef]);

  useEffect(() => {
    port?.postMessage({
      type: 'show',
      side,
      html: side === 'question' ? card.question : card.answer,
      css: card.css,
      bodyClass: card.bodyClass + (nightMode ? ' nightMode night_mode' : ''),
      mediaBase,
      av: { q: card.questionAv, a: card.answerAv },
      autoplay: card.autoplay,
    });
  }, [port, card, side, nightMode, mediaBase]);

  return (
    <iframe
      key={generation}
      ref={frame}
      className="card-frame"
      title={side === 'question' ? 'Card question' : 'Card answer'}
      sandbox="allow-scripts"
      src="card-frame.html"
      onLoad={() => {
        // A card script navigated the frame away: start a fresh frame (the old port died with it).
        if (++loads.current > 1) {
          loads.current = 0;
          setGeneration((g) => g + 1);
        }
      }}
    />
  );
}
