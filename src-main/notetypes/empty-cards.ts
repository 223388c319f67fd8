// Tools › Empty Cards (rslib notetype/emptycards.rs and aqt emptycards.py, restated): the cards
// whose template no longer produces a question for their note's content (normal notetypes), or
// whose cloze number no longer exists (cloze), listed per note type; and deleting them, optionally
// keeping each note that would lose every card with its first card.

import type { Collection } from '../collection/collection';
import type { OpResult } from '../collection/op-changes';
import { removeCardsAndOrphanedNotes } from '../decks/decks-service';
import { cardOrdinalsToGenerate } from '../template/cardgen';
import { escapeHtml, stripHtml } from '../text/html';
import { isCloze } from './notetype';

export interface EmptyCardsNote {
  noteId: number;
  notetypeId: number;
  /** The empty cards, by template ordinal. */
  cardIds: number[];
  ords: number[];
  /** "Front, Back" (normal) or "Cloze 1, 3". */
  templateNames: string;
  /** How many cards the note has. */
  existingCount: number;
  /** Every card of the note is empty: deleting them all deletes the note. */
  willDeleteNote: boolean;
}

export interface EmptyCardsReport {
  /** Per note type (in id order), the notes with empty cards. */
  notetypes: { notetypeId: number; name: string; notes: EmptyCardsNote[] }[];
  /** Anki's report HTML (`[anki:nid:N]` marks the note links). */
  report: string;
  /** Every empty card. */
  cardIds: number[];
}

/** "Empty cards for {notetype}:" — and the per-note line, in Anki's English. */
const forNotetype = (name: string) => `Empty cards for ${name}:`;
const countLine = (empty: number, existing: number, names: string) => `${empty} of ${existing} cards empty (${names}).`;

/** Finds the empty cards of every note type. */
export function emptyCards(col: Collection): EmptyCardsReport {
  const out: EmptyCardsReport = { notetypes: [], report: '', cardIds: [] };
  for (const { id } of col.storage.notetypes.namesInIdOrder()) {
    const nt = col.storage.notetypes.get(id);
    if (!nt) continue;
    const notes: EmptyCardsNote[] = [];
    const noteIds = col.storage.notes.idsOfNotetype(id).sort((a, b) => a - b);
    for (let i = 0; i < noteIds.length; i += 1000) {
      const batch = noteIds.slice(i, i + 1000);
      const byNote = new Map<number, { id: number; ord: number }[]>();
      for (const c of col.storage.cards.ofNotes(batch)) {
        const list = byNote.get(c.noteId);
        if (list) list.push({ id: c.id, ord: c.ord });
        else byNote.set(c.noteId, [{ id: c.id, ord: c.ord }]);
      }
      for (const note of col.storage.notes.getMany(batch).sort((a, b) => a.id - b.id)) {
        const existing = byNote.get(note.id);
        if (!existing?.length) continue;
        const wanted = new Set(cardOrdinalsToGenerate(nt, note.fields, { tags: note.tags }));
        const empty = existing.filter((c) => !wanted.has(c.ord)).sort((a, b) => a.ord - b.ord || a.id - b.id);
        if (!empty.length) continue;
        const templateNames = isCloze(nt)
          ? `Cloze ${empty.map((c) => c.ord + 1).join(', ')}`
          : empty.map((c) => nt.templates[c.ord]?.name ?? `Card ${c.ord + 1}`).join(', ');
        notes.push({
          noteId: note.id,
          notetypeId: nt.id,
          cardIds: empty.map((c) => c.id),
          ords: empty.map((c) => c.ord),
          templateNames: stripHtml(templateNames),
          existingCount: existing.length,
          willDeleteNote: empty.length === existing.length,
        });
      }
    }
    if (!notes.length) continue;
    const name = stripHtml(nt.name);
    out.notetypes.push({ notetypeId: nt.id, name, notes });
    // Anki writes the stripped names into HTML as they are; escaped here so the report stays inert
    out.report += `<div><b>${escapeHtml(forNotetype(name))}</b></div><ol>`;
    for (const n of notes) {
      out.report += `<li class=${n.willDeleteNote ? 'allempty' : ''}>[anki:nid:${n.noteId}] ${escapeHtml(countLine(n.cardIds.length, n.existingCount, n.templateNames))}</li>`;
      out.cardIds.push(...n.cardIds);
    }
    out.report += '</ol>';
  }
  return out;
}

/** The plain-text form of the report ("No empty cards." when there are none). */
export function emptyCardsText(r: EmptyCardsReport): string {
  if (!r.notetypes.length) return 'No empty cards.';
  const lines: string[] = [];
  for (const nt of r.notetypes) {
    lines.push(forNotetype(nt.name));
    for (const n of nt.notes) lines.push(`  ${n.noteId}: ${countLine(n.cardIds.length, n.existingCount, n.templateNames)}`);
  }
  return lines.join('\n');
}

/**
 * Deletes the given (empty) cards, and notes left without cards. With `keepNotes`, a note that
 * would lose every card keeps its first one (lowest template ordinal), as Anki's "Keep notes with
 * no valid cards". Returns how many cards were deleted.
 */
export function deleteEmptyCards(col: Collection, cardIds: readonly number[], keepNotes: boolean): OpResult<number> {
  return col.transact('Delete Empty Cards', (tx) => {
    const wanted = new Set(cardIds);
    const cards = tx.storage.cards.getMany([...wanted]);
    const byNote = new Map<number, typeof cards>();
    for (const c of cards) {
      const list = byNote.get(c.noteId);
      if (list) list.push(c);
      else byNote.set(c.noteId, [c]);
    }
    const toDelete: number[] = [];
    for (const [nid, list] of byNote) {
      list.sort((a, b) => a.ord - b.ord || a.id - b.id);
      const all = tx.storage.cards.ofNote(nid);
      const losesEvery = all.every((c) => wanted.has(c.id));
      toDelete.push(...(keepNotes && losesEvery ? list.slice(1) : list).map((c) => c.id));
    }
    return removeCardsAndOrphanedNotes(tx, toDelete);
  });
}
