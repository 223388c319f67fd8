// The review screen's view of a queued card: the card rendered as desktop Anki's reviewer shows it
// (template service: renderCard + prepareCardTextForDisplay), its audio as URLs under the
// transport's media base, and the display options of its home deck's preset. Only shaping and
// reads here; scheduling (queue, labels) comes from the scheduler service.
//
// Note: "render a stored card" (card + note + notetype + deck name → renderCard) is also what
// AnkiConnect's cardsInfo needs; when a shared service for it lands, call that instead.

import type { Collection } from '../collection/collection';
import { deckConfigForDeck } from '../decks/deck-config-service';
import { getDeck } from '../decks/decks-service';
import { getNote, getNotetypeOrThrow } from '../notes/notes-service';
import type { QueuedCard } from '../scheduler/sched-service';
import { unicaseFold } from '../storage/unicase';
import { type AvTag, bodyClassesForCardOrd, prepareCardTextForDisplay, renderCard } from '../template';
import type { AvItem, ReviewCard } from './contract';

const KIND = { new: 'new', learning: 'learn', review: 'review' } as const;

function avItems(tags: readonly AvTag[], mediaBase: string): AvItem[] {
  return tags.map((t) => (t.type === 'soundOrVideo' ? { kind: 'sound', url: mediaBase + encodeURIComponent(t.filename) } : { kind: 'tts', text: t.fieldText, lang: t.lang }));
}

export function reviewCardView(col: Collection, queued: QueuedCard, mediaBase: string): ReviewCard {
  const { card } = queued;
  const note = getNote(col, card.noteId);
  const notetype = getNotetypeOrThrow(col, note.notetypeId);
  const homeDeckId = card.originalDeckId || card.deckId;
  const rendered = renderCard({
    notetype,
    fields: note.fields,
    cardOrd: card.ord,
    deckName: getDeck(col, homeDeckId).name,
    tags: note.tags,
    flags: card.flags,
    cardId: card.id,
  });
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
