import type { Collection } from '../collection/collection';
import type { Tx } from '../collection/tx';
import type { Note } from '../notes/note';
import type { Notetype } from '../notetypes/notetype';
import { renderCard, type RenderedCard } from '../template/card';
import type { Card } from './card';

/**
 * Renders a stored card as desktop Anki's `card.question()` / `card.answer()` do: its note's
 * fields, its template (or cloze number), its home deck's name for `{{Deck}}`, tags and flag.
 * Pass the note / notetype when already loaded.
 */
export function renderStoredCard(col: Collection | Tx, card: Card, note?: Note, notetype?: Notetype): RenderedCard {
  const n = note ?? col.storage.notes.get(card.noteId);
  if (!n) throw new Error(`note ${card.noteId} of card ${card.id} is missing`);
  const nt = notetype ?? col.storage.notetypes.get(n.notetypeId);
  if (!nt) throw new Error(`notetype ${n.notetypeId} of note ${n.id} is missing`);
  const home = col.storage.decks.get(card.originalDeckId || card.deckId);
  return renderCard({ notetype: nt, fields: n.fields, cardOrd: card.ord, deckName: home?.name, tags: n.tags, flags: card.flags, cardId: card.id });
}
