// The review screen's view of a queued card: the card rendered as desktop Anki's reviewer shows it
// (cards/card-render's gatherAndRenderCard — the same gathering AnkiConnect's cardsInfo uses — then
// prepareCardTextForDisplay), its audio as URLs under the transport's media base, and the display
// options of its home deck's preset. Only shaping and reads here; scheduling (queue, labels) comes
// from the scheduler service.

import type { Collection } from '../collection/collection';
import { gatherAndRenderCard } from '../cards/card-render';
import { deckConfigForDeck } from '../decks/deck-config-service';
import type { QueuedCard } from '../scheduler/sched-service';
import { unicaseFold } from '../storage/unicase';
import { type AvTag, bodyClassesForCardOrd, prepareCardTextForDisplay } from '../template';
import type { PreviewedCard } from '../cards/card-preview';
import type { AvItem, PreviewCard, ReviewCard } from './contract';

const KIND = { new: 'new', learning: 'learn', review: 'review' } as const;

function avItems(tags: readonly AvTag[], mediaBase: string): AvItem[] {
  return tags.map((t) => (t.type === 'soundOrVideo' ? { kind: 'sound', url: mediaBase + encodeURIComponent(t.filename) } : { kind: 'tts', text: t.fieldText, lang: t.lang }));
}

export function reviewCardView(col: Collection, queued: QueuedCard, mediaBase: string): ReviewCard {
  const { card, note, homeDeckId, rendered } = gatherAndRenderCard(col, queued.card);
  const preset = deckConfigForDeck(col, homeDeckId).config;
  return {
    cardId: card.id,
    noteId: note.id,
    deckId: card.deckId,
    question: prepareCardTextForDisplay(rendered.question),
    answer: prepareCardTextForDisplay(rendered.answer),
    css: rendered.css,
    bodyClass: bodyClassesForCardOrd(card.ord),
    buttons: queued.labels,
    questionAv: avItems(rendered.questionAvTags, mediaBase),
    answerAv: avItems(rendered.answerAvTags, mediaBase),
    queue: KIND[queued.kind],
    flag: card.flags & 7,
    marked: note.tags.some((t) => unicaseFold(t) === 'marked'),
    showTimer: preset.showTimer,
    timerCapSecs: Math.max(1, preset.capAnswerTimeToSecs),
    autoplay: !preset.disableAutoplay,
  };
}

/** A previewed card (a note being edited) as the card frame shows it. */
export function previewCardView(c: PreviewedCard, mediaBase: string): PreviewCard {
  return {
    ord: c.ord,
    name: c.name,
    question: prepareCardTextForDisplay(c.rendered.question),
    answer: prepareCardTextForDisplay(c.rendered.answer),
    css: c.rendered.css,
    bodyClass: bodyClassesForCardOrd(c.ord),
    questionAv: avItems(c.rendered.questionAvTags, mediaBase),
    answerAv: avItems(c.rendered.answerAvTags, mediaBase),
  };
}
