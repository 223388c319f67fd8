import type { Collection } from '../collection/collection';
import { notFound } from '../collection/errors';
import type { Tx } from '../collection/tx';
import type { Note } from '../notes/note';
import type { Notetype } from '../notetypes/notetype';
import { renderCard, type RenderCardInput, type RenderedCard } from '../template/card';
import type { Card } from './card';

/** A stored card with everything it was rendered from. */
export interface StoredCardRender {
  card: Card;
  note: Note;
  notetype: Notetype;
  /** The deck `{{Deck}}` names: the home deck (`odid`) of a card in a filtered deck, else its deck. */
  homeDeckId: number;
  /** That deck's human name (`A::B`); undefined when the deck is missing (renders "(Deck)"). */
  homeDeckName: string | undefined;
  rendered: RenderedCard;
}

/** Loaded objects to reuse (e.g. a batch that already read the notes); looked up when absent. */
export interface StoredCardPreloaded {
  note?: Note;
  notetype?: Notetype;
}

/**
 * The one place that gathers what a stored card renders from — its note, its notetype, its home
 * deck's name — and renders it as desktop Anki's `card.question()` / `card.answer()` do (fields,
 * template or cloze number, `{{Deck}}`, tags, flag, card id). The reviewer, AnkiConnect's
 * cardsInfo and the GUI actions all go through here. `options` passes extra render options
 * (e.g. `mode`, `customFilter`, `latexErrors`). Throws `not-found` for a missing card/note/notetype.
 */
export function gatherAndRenderCard(
  col: Collection | Tx,
  cardOrId: Card | number,
  preloaded: StoredCardPreloaded = {},
  options: Pick<RenderCardInput, 'mode' | 'customFilter' | 'latex' | 'latexErrors' | 'strings'> = {},
): StoredCardRender {
  const card = typeof cardOrId === 'number' ? col.storage.cards.get(cardOrId) : cardOrId;
  if (!card) throw notFound(`card ${String(cardOrId)}`);
  const note = preloaded.note ?? col.storage.notes.get(card.noteId);
  if (!note) throw notFound(`note ${card.noteId} of card ${card.id}`);
  const notetype = preloaded.notetype ?? col.storage.notetypes.get(note.notetypeId);
  if (!notetype) throw notFound(`notetype ${note.notetypeId} of note ${note.id}`);
  const homeDeckId = card.originalDeckId || card.deckId;
  const homeDeckName = col.storage.decks.get(homeDeckId)?.name;
  const rendered = renderCard({
    ...options,
    notetype,
    fields: note.fields,
    cardOrd: card.ord,
    deckName: homeDeckName,
    tags: note.tags,
    flags: card.flags,
    cardId: card.id,
  });
  return { card, note, notetype, homeDeckId, homeDeckName, rendered };
}

/**
 * Renders a stored card as desktop Anki's `card.question()` / `card.answer()` do (see
 * `gatherAndRenderCard`). Pass the note / notetype when already loaded.
 */
export function renderStoredCard(col: Collection | Tx, card: Card, note?: Note, notetype?: Notetype): RenderedCard {
  return gatherAndRenderCard(col, card, { note, notetype }).rendered;
}
