// Previewing a note that is being edited: the cards its fields would give, rendered as the
// reviewer renders them, without saving anything (the Add screen's and the editor's Preview).

import type { Collection } from '../collection/collection';
import { getCurrentDeck } from '../decks/decks-service';
import { getNotetypeOrThrow } from '../notes/notes-service';
import { isCloze } from '../notetypes/notetype';
import { cardOrdinalsToGenerate, renderCard, type RenderedCard } from '../template';

export interface PreviewInput {
  notetypeId: number;
  fields: string[];
  tags?: string[];
  /** For `{{Deck}}` (default: the current deck). */
  deckId?: number;
}

export interface PreviewedCard {
  ord: number;
  /** The template's name, or "Cloze N". */
  name: string;
  rendered: RenderedCard;
}

/**
 * The cards a note with these fields would have (at least the first, which then shows Anki's
 * empty-front / missing-cloze message), in ord order.
 */
export function previewNoteCards(col: Collection, input: PreviewInput): PreviewedCard[] {
  const nt = getNotetypeOrThrow(col, input.notetypeId);
  const fields = nt.fields.map((_, i) => input.fields[i] ?? '');
  const tags = input.tags ?? [];
  const deckName = (input.deckId !== undefined ? col.storage.decks.get(input.deckId) : undefined)?.name ?? getCurrentDeck(col).name;
  const cloze = isCloze(nt);
  const ords = cardOrdinalsToGenerate(nt, fields, { tags, ensureNotEmpty: true });
  return ords.map((ord) => ({
    ord,
    name: cloze ? `Cloze ${ord + 1}` : (nt.templates[ord]?.name ?? `Card ${ord + 1}`),
    rendered: renderCard({ notetype: nt, fields, cardOrd: ord, deckName, tags }),
  }));
}
