// A card in `<iframe sandbox="allow-scripts">` (opaque origin, its own CSP): card scripts run but
// cannot reach the app or the API. We talk to it over a MessagePort handed over once. The reviewer
// and the editor's preview both show cards through it.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AvItem } from '../../../src-main/ipc/contract';
import { keyLikeFrom, type KeyLike } from '../app/keys';

export interface FrameCard {
  question: string;
  answer: string;
  css: string;
  bodyClass: string;
  questionAv: AvItem[];
  answerAv: AvItem[];
  autoplay?: boolean;
}

/** Dispatched on window when the frame has painted a side (`detail.key` names what was shown). */
export const CARD_SHOWN_EVENT = 'deckhand:card-shown';

export function CardFrame(props: {
  card: FrameCard;
  side: 'question' | 'answer';
  nightMode: boolean;
  mediaBase: string;
  /** Identifies what is shown, for the `deckhand:card-shown` event (e.g. the card id). */
  shownKey?: string;
  onKey?: (e: KeyLike) => boolean;
  replayRef?: { current: () => void };
  className?: string;
  title?: string;
}) {
  const { card, side, nightMode, mediaBase, onKey, replayRef, shownKey } = props;
  const frame = useRef<HTMLIFrameElement>(null);
  const [port, setPort] = useState<MessagePort | null>(null);
  const [generation, setGeneration] = useState(0);
  const loads = useRef(0);
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  const shownRef = useRef<string | undefined>(undefined);

  useEffect(() => {
    let connected = false;
    const onMessage = (e: MessageEvent) => {
      if (connected || e.source !== frame.current?.contentWindow || e.data?.type !== 'ready') return;
      connected = true;
      const channel = new MessageChannel();
      channel.port1.onmessage = (m) => {
        if (m.data?.type === 'key') onKeyRef.current?.(keyLikeFrom(m.data));
        else if (m.data?.type === 'shown') window.dispatchEvent(new CustomEvent(CARD_SHOWN_EVENT, { detail: { key: shownRef.current } }));
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
    if (replayRef) replayRef.current = () => port?.postMessage({ type: 'replay' });
  }, [port, replayRef]);

  // a layout effect: the card goes to the frame in the same task as the render, not after a paint
  useLayoutEffect(() => {
    shownRef.current = shownKey;
    port?.postMessage({
      type: 'show',
      side,
      html: side === 'question' ? card.question : card.answer,
      css: card.css,
      bodyClass: card.bodyClass + (nightMode ? ' nightMode night_mode' : ''),
      mediaBase,
      av: { q: card.questionAv, a: card.answerAv },
      autoplay: !!card.autoplay,
    });
  }, [port, card, side, nightMode, mediaBase, shownKey]);

  return (
    <iframe
      key={generation}
      ref={frame}
      className={props.className ?? 'card-frame'}
      title={props.title ?? (side === 'question' ? 'Card question' : 'Card answer')}
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
